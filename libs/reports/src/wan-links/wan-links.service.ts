import { Injectable } from '@nestjs/common';
import { NetdeskConfig } from '@netdesk/config';
import { Clock } from '@netdesk/core';
import { LinkStatistics, resolveThresholds, ThresholdsService, WanLinkResolution } from '@netdesk/monitoring';
import type { ReportRange } from '../reports/report.repository';
import { WanLinkReportDto } from './wan-links.dto';

const DAY_MS = 24 * 3600 * 1000;
/** Concurrent queries per report (the database pool holds more connections than this). */
const QUERY_PARALLELISM = 2;
/** Windows up to this long are read from the 5-minute rollups (the usual 95th-percentile basis); longer from hourly ones. */
const FIVE_MINUTE_WINDOW_MS = 7 * DAY_MS;

const bps = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(v));
const pct = (bps: number | null, base: number | null) =>
  bps === null || !base ? null : Math.round((bps / base) * 1000) / 10;

/** The capacity-planning report of WAN links: percentiles, peaks and time over threshold per link. */
@Injectable()
export class WanLinksReport {
  constructor(
    private readonly statistics: LinkStatistics,
    private readonly thresholds: ThresholdsService,
    private readonly config: NetdeskConfig,
    private readonly clock: Clock,
  ) {}

  async build(range: ReportRange): Promise<WanLinkReportDto[]> {
    const settings = await this.thresholds.settings();
    const links = (await this.statistics.links()).map((l) => ({
      ...l,
      baseBps: l.capacityBps ?? l.speedBps,
      thresholdPct: l.utilisationPct ?? resolveThresholds(settings, l.deviceKind, l.deviceThresholds).utilisationPct,
    }));
    // 5-minute rollups for short windows they still cover; hourly ones otherwise (kept far longer).
    const fiveMinuteKeptFrom = this.clock.now().getTime() - this.config.measurementRetention.fiveMinuteDays * DAY_MS;
    const resolution: WanLinkResolution =
      range.to.getTime() - range.from.getTime() <= FIVE_MINUTE_WINDOW_MS && range.from.getTime() >= fiveMinuteKeptFrom
        ? '5m'
        : '1h';
    // The per-link percentiles are sorts PostgreSQL cannot parallelise in one query: split the links
    // into as many concurrent queries as there are cores to spare (each on its own pooled connection).
    const chunk = Math.ceil(links.length / QUERY_PARALLELISM) || 1;
    const parts = await Promise.all(
      Array.from({ length: Math.ceil(links.length / chunk) }, (_, i) =>
        this.statistics.stats(links.slice(i * chunk, (i + 1) * chunk), range.from, range.to, resolution),
      ),
    );
    const stats = parts.flat();
    const byLink = new Map(stats.map((s) => [`${s.deviceId}:${s.ifIndex}`, s]));
    const hoursPerBucket = resolution === '5m' ? 1 / 12 : 1;
    return links.map((l) => {
      const s = byLink.get(`${l.deviceId}:${l.ifIndex}`);
      const inP95Bps = bps(s?.inP95Bps);
      const outP95Bps = bps(s?.outP95Bps);
      return {
        deviceId: l.deviceId,
        deviceName: l.deviceName,
        ifIndex: l.ifIndex,
        name: l.name,
        provider: l.provider,
        circuitId: l.circuitId,
        capacityBps: l.capacityBps,
        inP95Bps,
        outP95Bps,
        inPeakBps: bps(s?.inPeakBps),
        outPeakBps: bps(s?.outPeakBps),
        inP95Pct: pct(inP95Bps, l.baseBps),
        outP95Pct: pct(outP95Bps, l.baseBps),
        hoursOverThreshold: Math.round((s?.bucketsOver ?? 0) * hoursPerBucket * 100) / 100,
      };
    });
  }
}
