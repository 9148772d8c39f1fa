import { Injectable } from '@nestjs/common';
import { NetdeskConfig } from '@netdesk/config';
import { Clock, DomainError } from '@netdesk/core';
import { TicketStatistics } from '@netdesk/ticketing';
import type { ActivityRow } from '@netdesk/ticketing';
import {
  availabilityPct,
  clippedMs,
  inAnyWindow,
  maintenanceOverlapMs,
  oneOffEdges,
  resolveReportWindow,
  seconds,
  StoredMaintenanceWindow,
  windowsFor,
} from '../domain';
import { EpisodeRepository, EpisodeRow } from '../episodes/episode.repository';
import type {
  ActivityDayDto,
  ActivityFiguresDto,
  ActivityReportDto,
  AvailabilityDto,
  EpisodeResponseDto,
  RecurringFaultDto,
  ReportRulesDto,
  SiteAvailabilityDto,
} from './report.dto';
import { ReportRange, ReportRepository } from './report.repository';

const EPISODE_LIMIT = 5000;
const TOP_OFFENDERS = 10;

/** The manager reports. Times are clipped to the window and to now; maintenance handling is documented per report. */
@Injectable()
export class ReportsService {
  constructor(
    private readonly reports: ReportRepository,
    private readonly episodes: EpisodeRepository,
    private readonly tickets: TicketStatistics,
    private readonly clock: Clock,
    private readonly config: NetdeskConfig,
  ) {}

  /** The rules the reports apply, for the pages to state them. */
  rules(): ReportRulesDto {
    return {
      recurringMin: this.config.reports.recurringMin,
      problemWindowDays: this.config.reports.recurringWindowDays,
    };
  }

  /** `[from, to)` from the query (default: the last 7 days), or a 400 naming the parameter. */
  range(query: { from?: string; to?: string }): ReportRange {
    const now = this.clock.now();
    const window = resolveReportWindow(query, now);
    if (!window.ok) throw new DomainError('invalid', window.errors);
    return { from: window.from, to: window.to, now: new Date(Math.min(now.getTime(), window.to.getTime())) };
  }

  async episodeList(query: {
    from?: string;
    to?: string;
    deviceId?: string;
    faultType?: string;
  }): Promise<EpisodeResponseDto[]> {
    const r = this.range(query);
    const rows = await this.episodes.list({
      ...r,
      deviceId: query.deviceId,
      faultType: query.faultType,
      limit: EPISODE_LIMIT,
    });
    return this.toEpisodeResponses(rows, await this.episodes.maintenanceWindows());
  }

  toEpisodeResponses(rows: EpisodeRow[], windows: StoredMaintenanceWindow[]): EpisodeResponseDto[] {
    const now = this.clock.now();
    return rows.map((e) => {
      const end = e.endedAt ?? now;
      const applying = windowsFor(windows, { id: e.deviceId, siteId: e.siteId });
      const maintenanceMs = applying.length
        ? maintenanceOverlapMs(e.startedAt, end, (at) => inAnyWindow(applying, at), oneOffEdges(applying))
        : 0;
      return {
        id: e.id,
        deviceId: e.deviceId,
        deviceName: e.deviceName,
        faultType: e.faultType,
        ...(e.ifIndex != null && { ifIndex: e.ifIndex }),
        startedAt: e.startedAt.toISOString(),
        endedAt: e.endedAt?.toISOString() ?? null,
        durationSec: seconds(Math.max(0, end.getTime() - e.startedAt.getTime())),
        ongoing: e.endedAt === null,
        ticketId: e.ticketId,
        inMaintenance: e.inMaintenance,
        maintenanceSec: seconds(maintenanceMs),
      };
    });
  }

  /** Faults with at least NETDESK_RECURRING_MIN episodes started in the window (maintenance episodes left out). */
  async recurringFaults(query: { from?: string; to?: string }): Promise<RecurringFaultDto[]> {
    const r = this.range(query);
    const rows = await this.reports.recurringFaults(r, this.config.reports.recurringMin);
    return rows.map((x) => ({
      deviceId: x.deviceId,
      deviceName: x.deviceName,
      faultType: x.faultType,
      ...(x.ifIndex != null && { ifIndex: x.ifIndex }),
      occurrences: x.occurrences,
      firstAt: x.firstAt.toISOString(),
      lastAt: x.lastAt.toISOString(),
      downtimeSec: seconds(x.downtimeMs),
      ticketIds: x.ticketIds,
    }));
  }

  /**
   * Every device's availability over the window up to now: device_down time (time `unreachable` is not
   * the device's own down time) less the part inside its or its site's maintenance windows, least available
   * first. Outages: `device_down` episodes overlapping the window with down time outside maintenance; top
   * offenders counts them the same way (one definition).
   */
  async availability(query: { from?: string; to?: string }): Promise<AvailabilityDto[]> {
    return (await this.availabilityRows(this.range(query))).map(({ siteId: _s, siteName: _n, ...row }) => row);
  }

  /**
   * Availability per site (devices without a site as one row with a null site): the mean of its devices'
   * availability (down time over devices × window), their down time and outages added up.
   */
  async siteAvailability(query: { from?: string; to?: string }): Promise<SiteAvailabilityDto[]> {
    const r = this.range(query);
    const rows = await this.availabilityRows(r);
    const windowMs = clippedMs({ start: r.from, end: r.now }, r.from, r.to, r.now);
    const sites = new Map<string | null, SiteAvailabilityDto & { downMs: number }>();
    for (const x of rows) {
      const site = sites.get(x.siteId) ?? {
        siteId: x.siteId,
        siteName: x.siteName,
        devices: 0,
        availabilityPct: 100,
        downtimeSec: 0,
        outages: 0,
        downMs: 0,
      };
      site.devices += 1;
      site.downMs += x.downtimeSec * 1000;
      site.outages += x.outages;
      sites.set(x.siteId, site);
    }
    return [...sites.values()]
      .map(({ downMs, ...s }) => ({
        ...s,
        availabilityPct: availabilityPct(downMs, windowMs * s.devices),
        downtimeSec: seconds(downMs),
      }))
      .sort(
        (a, b) =>
          a.availabilityPct - b.availabilityPct ||
          (a.siteName === null ? 1 : b.siteName === null ? -1 : a.siteName.localeCompare(b.siteName)),
      );
  }

  private async availabilityRows(
    r: ReportRange,
  ): Promise<(AvailabilityDto & { siteId: string | null; siteName: string | null })[]> {
    const rows = await this.reports.availability(r);
    const windows = await this.episodes.maintenanceWindows();
    if (windows.length) {
      const affected = rows.filter(
        (x) => x.downMs > 0 && windowsFor(windows, { id: x.deviceId, siteId: x.siteId }).length,
      );
      const byId = new Map(affected.map((x) => [x.deviceId, x]));
      for (const e of await this.reports.downEpisodes(r, [...byId.keys()])) {
        const row = byId.get(e.deviceId)!;
        const applying = windowsFor(windows, { id: row.deviceId, siteId: row.siteId });
        const start = new Date(Math.max(e.startedAt.getTime(), r.from.getTime()));
        const end = new Date(Math.min((e.endedAt ?? r.now).getTime(), r.now.getTime()));
        const planned = maintenanceOverlapMs(start, end, (at) => inAnyWindow(applying, at), oneOffEdges(applying));
        row.downMs -= planned;
        // An outage is a device_down episode with down time left outside maintenance.
        if (planned >= end.getTime() - start.getTime()) row.outages -= 1;
      }
    }
    const windowMs = clippedMs({ start: r.from, end: r.now }, r.from, r.to, r.now);
    return rows
      .map((x) => ({
        deviceId: x.deviceId,
        deviceName: x.deviceName,
        availabilityPct: availabilityPct(Math.max(0, x.downMs), windowMs),
        downtimeSec: seconds(Math.max(0, x.downMs)),
        outages: x.outages,
        siteId: x.siteId,
        siteName: x.siteName,
      }))
      .sort((a, b) => a.availabilityPct - b.availabilityPct || a.deviceName.localeCompare(b.deviceName));
  }

  async activity(query: { from?: string; to?: string }): Promise<ActivityReportDto> {
    const r = this.range(query);
    const [rows, counts, availability, requests] = await Promise.all([
      this.tickets.activity(r),
      this.reports.episodeCounts(r),
      this.availabilityRows(r),
      this.tickets.requestActivity(r),
    ]);
    const episodes = new Map(counts.map((c) => [c.deviceId, c]));
    const offenders = availability
      .map((a) => ({
        deviceId: a.deviceId,
        deviceName: a.deviceName,
        outages: a.outages,
        episodes: a.outages + (episodes.get(a.deviceId)?.episodes ?? 0),
        tickets: episodes.get(a.deviceId)?.tickets ?? 0,
        downtimeSec: a.downtimeSec,
      }))
      .filter((o) => o.outages > 0 || o.episodes > 0)
      .sort(
        (a, b) =>
          b.outages - a.outages ||
          b.episodes - a.episodes ||
          b.downtimeSec - a.downtimeSec ||
          a.deviceName.localeCompare(b.deviceName),
      )
      .slice(0, TOP_OFFENDERS);
    const figures = (x: ActivityRow | undefined): ActivityFiguresDto => ({
      opened: x?.opened ?? 0,
      resolved: x?.resolved ?? 0,
      escalated: x?.escalated ?? 0,
      meanTimeToAcknowledgeSec: x?.mttaSec == null ? null : Math.round(x.mttaSec),
      meanTimeToResolveSec: x?.mttrSec == null ? null : Math.round(x.mttrSec),
      slaBreaches: x?.slaBreaches ?? 0,
    });
    const of = (dimension: ActivityRow['dimension']) => rows.filter((x) => x.dimension === dimension);
    const byName = (a: string | null, b: string | null) =>
      a === b ? 0 : a === null ? 1 : b === null ? -1 : a.localeCompare(b);
    return {
      from: r.from.toISOString(),
      to: r.to.toISOString(),
      totals: figures(of('total')[0]),
      byTeam: of('team')
        .sort((a, b) => byName(a.key, b.key))
        .map((x) => ({ team: x.key, ...figures(x) })),
      byPriority: of('priority')
        .sort((a, b) => byName(a.key, b.key))
        .map((x) => ({ priority: x.key!, ...figures(x) })),
      bySite: of('site')
        .sort((a, b) => byName(a.label, b.label))
        .map((x) => ({ siteId: x.key, siteName: x.label, ...figures(x) })),
      topOffenders: offenders,
      requests: {
        byChannel: [
          { channel: 'email', opened: requests.email },
          { channel: 'manual', opened: requests.manual },
        ],
        linked: requests.linked,
        unlinked: requests.unlinked,
        answered: requests.answered,
        meanFirstResponseSec: requests.firstResponseSec == null ? null : Math.round(requests.firstResponseSec),
        followUpConfirmed: requests.confirmed,
        followUpStillBroken: requests.stillBroken,
      },
    };
  }

  /** The activity report's opened/resolved counts and the outages started, per calendar day of `tz` (default UTC). */
  async activitySeries(query: { from?: string; to?: string; tz?: string; siteId?: string }): Promise<ActivityDayDto[]> {
    const range = this.range(query);
    const tz = query.tz ?? 'UTC';
    const siteId = query.siteId ?? null;
    const days = await this.reports.outagesByDay(range, tz, siteId); // checks tz against the database first
    const tickets = new Map((await this.tickets.activityByDay(range, tz, siteId)).map((t) => [t.date, t]));
    return days.map((d) => ({
      date: d.date,
      from: d.from.toISOString(),
      to: d.to.toISOString(),
      opened: tickets.get(d.date)?.opened ?? 0,
      resolved: tickets.get(d.date)?.resolved ?? 0,
      outagesStarted: d.outagesStarted,
    }));
  }
}
