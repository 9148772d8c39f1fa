import { CsvColumn, toCsv } from '../domain';
import type { WanLinkReportDto } from '../wan-links/wan-links.dto';
import type {
  ActivityDayDto,
  ActivityFiguresDto,
  ActivityReportDto,
  AvailabilityDto,
  EpisodeResponseDto,
  RecurringFaultDto,
  SiteAvailabilityDto,
} from './report.dto';

export function recurringFaultsCsv(rows: RecurringFaultDto[]): string {
  const columns: CsvColumn<RecurringFaultDto>[] = [
    { header: 'deviceId', value: (r) => r.deviceId },
    { header: 'deviceName', value: (r) => r.deviceName },
    { header: 'faultType', value: (r) => r.faultType },
    { header: 'ifIndex', value: (r) => r.ifIndex },
    { header: 'occurrences', value: (r) => r.occurrences },
    { header: 'firstAt', value: (r) => r.firstAt },
    { header: 'lastAt', value: (r) => r.lastAt },
    { header: 'downtimeSec', value: (r) => r.downtimeSec },
    { header: 'ticketIds', value: (r) => r.ticketIds },
  ];
  return toCsv(columns, rows);
}

export function availabilityCsv(rows: AvailabilityDto[]): string {
  const columns: CsvColumn<AvailabilityDto>[] = [
    { header: 'deviceId', value: (r) => r.deviceId },
    { header: 'deviceName', value: (r) => r.deviceName },
    { header: 'availabilityPct', value: (r) => r.availabilityPct },
    { header: 'downtimeSec', value: (r) => r.downtimeSec },
    { header: 'outages', value: (r) => r.outages },
  ];
  return toCsv(columns, rows);
}

export function siteAvailabilityCsv(rows: SiteAvailabilityDto[]): string {
  const columns: CsvColumn<SiteAvailabilityDto>[] = [
    { header: 'siteId', value: (r) => r.siteId },
    { header: 'siteName', value: (r) => r.siteName },
    { header: 'devices', value: (r) => r.devices },
    { header: 'availabilityPct', value: (r) => r.availabilityPct },
    { header: 'downtimeSec', value: (r) => r.downtimeSec },
    { header: 'outages', value: (r) => r.outages },
  ];
  return toCsv(columns, rows);
}

export function episodesCsv(rows: EpisodeResponseDto[]): string {
  const columns: CsvColumn<EpisodeResponseDto>[] = [
    { header: 'id', value: (r) => r.id },
    { header: 'deviceId', value: (r) => r.deviceId },
    { header: 'deviceName', value: (r) => r.deviceName },
    { header: 'faultType', value: (r) => r.faultType },
    { header: 'ifIndex', value: (r) => r.ifIndex },
    { header: 'startedAt', value: (r) => r.startedAt },
    { header: 'endedAt', value: (r) => r.endedAt },
    { header: 'durationSec', value: (r) => r.durationSec },
    { header: 'ongoing', value: (r) => r.ongoing },
    { header: 'ticketId', value: (r) => r.ticketId },
    { header: 'inMaintenance', value: (r) => r.inMaintenance },
    { header: 'maintenanceSec', value: (r) => r.maintenanceSec },
  ];
  return toCsv(columns, rows);
}

interface ActivityCsvRow extends Partial<ActivityFiguresDto> {
  dimension: string;
  key: string | null;
  label: string | null;
  episodes?: number;
  tickets?: number;
  downtimeSec?: number;
  outages?: number;
}

/**
 * One table for the whole activity report: a `dimension` column (`total`, `team`, `priority`, `site`,
 * `offender`) and the key/label of the row; offender rows fill the episodes/tickets/downtime/outages columns.
 */
export function activityCsv(report: ActivityReportDto): string {
  const rows: ActivityCsvRow[] = [
    { dimension: 'total', key: null, label: null, ...report.totals },
    ...report.byTeam.map(({ team, ...f }) => ({ dimension: 'team', key: team, label: team, ...f })),
    ...report.byPriority.map(({ priority, ...f }) => ({ dimension: 'priority', key: priority, label: priority, ...f })),
    ...report.bySite.map(({ siteId, siteName, ...f }) => ({ dimension: 'site', key: siteId, label: siteName, ...f })),
    ...report.topOffenders.map((o) => ({
      dimension: 'offender',
      key: o.deviceId,
      label: o.deviceName,
      episodes: o.episodes,
      tickets: o.tickets,
      downtimeSec: o.downtimeSec,
      outages: o.outages,
    })),
    ...(report.requests?.byChannel ?? []).map((c) => ({
      dimension: 'requests',
      key: c.channel,
      label: `requests by ${c.channel}`,
      opened: c.opened,
    })),
  ];
  const columns: CsvColumn<ActivityCsvRow>[] = [
    { header: 'dimension', value: (r) => r.dimension },
    { header: 'key', value: (r) => r.key },
    { header: 'label', value: (r) => r.label },
    { header: 'opened', value: (r) => r.opened },
    { header: 'resolved', value: (r) => r.resolved },
    { header: 'escalated', value: (r) => r.escalated },
    { header: 'meanTimeToAcknowledgeSec', value: (r) => r.meanTimeToAcknowledgeSec },
    { header: 'meanTimeToResolveSec', value: (r) => r.meanTimeToResolveSec },
    { header: 'slaBreaches', value: (r) => r.slaBreaches },
    { header: 'episodes', value: (r) => r.episodes },
    { header: 'tickets', value: (r) => r.tickets },
    { header: 'downtimeSec', value: (r) => r.downtimeSec },
    { header: 'outages', value: (r) => r.outages },
  ];
  return toCsv(columns, rows);
}

export function activitySeriesCsv(rows: ActivityDayDto[]): string {
  const columns: CsvColumn<ActivityDayDto>[] = [
    { header: 'date', value: (r) => r.date },
    { header: 'from', value: (r) => r.from },
    { header: 'to', value: (r) => r.to },
    { header: 'opened', value: (r) => r.opened },
    { header: 'resolved', value: (r) => r.resolved },
    { header: 'outagesStarted', value: (r) => r.outagesStarted },
  ];
  return toCsv(columns, rows);
}

export function wanLinksCsv(rows: WanLinkReportDto[]): string {
  const columns: CsvColumn<WanLinkReportDto>[] = [
    { header: 'deviceId', value: (r) => r.deviceId },
    { header: 'deviceName', value: (r) => r.deviceName },
    { header: 'ifIndex', value: (r) => r.ifIndex },
    { header: 'name', value: (r) => r.name },
    { header: 'provider', value: (r) => r.provider },
    { header: 'circuitId', value: (r) => r.circuitId },
    { header: 'capacityBps', value: (r) => r.capacityBps },
    { header: 'inP95Bps', value: (r) => r.inP95Bps },
    { header: 'outP95Bps', value: (r) => r.outP95Bps },
    { header: 'inPeakBps', value: (r) => r.inPeakBps },
    { header: 'outPeakBps', value: (r) => r.outPeakBps },
    { header: 'inP95Pct', value: (r) => r.inP95Pct },
    { header: 'outP95Pct', value: (r) => r.outP95Pct },
    { header: 'hoursOverThreshold', value: (r) => r.hoursOverThreshold },
  ];
  return toCsv(columns, rows);
}
