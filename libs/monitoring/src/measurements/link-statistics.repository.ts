import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { LinkStatistics, WanLinkResolution, WanLinkRow, WanLinkStats, WanLinkThreshold } from './link-statistics.port';

const DAY_MS = 86_400_000;

/** Per link: 95th percentile of the bucket averages, peaks of the bucket maxima, buckets over the threshold. */
const AGGREGATES = `percentile_disc(0.95) WITHIN GROUP (ORDER BY h.i) AS in_p95,
              percentile_disc(0.95) WITHIN GROUP (ORDER BY h.o) AS out_p95,
              max(h.ip) AS in_peak, max(h.op) AS out_peak,
              count(*) FILTER (WHERE l.base > 0 AND greatest(h.i, h.o) > l.base * l.thr / 100) AS over`;

/** The whole UTC days inside `[from, to)` (as dates and as instants), or null when there is none. */
function wholeDays(from: Date, to: Date): { fromDay: string; toDay: string; from: Date; to: Date } | null {
  const first = Math.ceil(from.getTime() / DAY_MS) * DAY_MS;
  const end = Math.floor(to.getTime() / DAY_MS) * DAY_MS;
  if (end <= first) return null;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { fromDay: day(first), toDay: day(end), from: new Date(first), to: new Date(end) };
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/**
 * The capacity report's figures from the interface rollups: one grouped query for every link.
 * Hourly windows read their whole days from `interface_daily_summaries` (kept by the rollup job).
 */
@Injectable()
export class LinkStatisticsRepository implements LinkStatistics {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async links(): Promise<WanLinkRow[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT di.device_id, d.name AS device_name, d.kind, d.thresholds, di.if_index, di.name, di.provider, di.circuit_id,
              di.capacity_bps, di.speed_bps, di.utilisation_pct
         FROM device_interfaces di JOIN devices d ON d.id = di.device_id
        WHERE (d.kind = 'wan-link' AND di.monitored) OR di.capacity_bps IS NOT NULL
        ORDER BY d.name, di.if_index`,
    );
    return rows.map((r) => ({
      deviceId: r.device_id as string,
      deviceName: r.device_name as string,
      deviceKind: r.kind as string,
      deviceThresholds: (r.thresholds as Record<string, number> | null) ?? null,
      ifIndex: r.if_index as number,
      name: r.name as string,
      provider: r.provider as string | null,
      circuitId: r.circuit_id as string | null,
      capacityBps: num(r.capacity_bps),
      speedBps: num(r.speed_bps),
      utilisationPct: num(r.utilisation_pct),
    }));
  }

  async stats(links: WanLinkThreshold[], from: Date, to: Date, resolution: WanLinkResolution): Promise<WanLinkStats[]> {
    if (!links.length) return [];
    const params: unknown[] = [
      links.map((l) => l.deviceId),
      links.map((l) => l.ifIndex),
      links.map((l) => l.baseBps),
      links.map((l) => l.thresholdPct),
      from,
      to,
    ];
    const days = wholeDays(from, to);
    let source: string;
    if (resolution === '5m' || !days) {
      const table = resolution === '5m' ? 'interface_samples_5m' : 'interface_samples_1h';
      source = `SELECT s.in_bps_avg AS i, s.out_bps_avg AS o, s.in_bps_max AS ip, s.out_bps_max AS op
                  FROM ${table} s
                 WHERE s.device_id = l.device_id AND s.if_index = l.if_index AND s.bucket >= $5 AND s.bucket < $6`;
    } else {
      // The whole UTC days of the window from monitoring's day summaries (each day's hourly averages as
      // arrays: the values the hourly rows hold), the hours before the first and after the last whole day
      // from the hourly rollups themselves: the same hourly buckets, read as ~1/24 of the rows.
      source = `SELECT u.i, u.o, d.in_bps_peak AS ip, d.out_bps_peak AS op
                  FROM interface_daily_summaries d
                 CROSS JOIN LATERAL unnest(d.in_bps_avgs, d.out_bps_avgs) AS u(i, o)
                 WHERE d.device_id = l.device_id AND d.if_index = l.if_index AND d.day >= $7::date AND d.day < $8::date
                UNION ALL
                SELECT s.in_bps_avg, s.out_bps_avg, s.in_bps_max, s.out_bps_max
                  FROM interface_samples_1h s
                 WHERE s.device_id = l.device_id AND s.if_index = l.if_index
                   AND ((s.bucket >= $5 AND s.bucket < $9) OR (s.bucket >= $10 AND s.bucket < $6))`;
      params.push(days.fromDay, days.toDay, days.from, days.to);
    }
    // One aggregate per link (a LATERAL subquery): each link's few thousand values are sorted in memory
    // on their own, instead of one sort of every link's rows together (which spilled to disk).
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT l.device_id, l.if_index, x.*
         FROM unnest($1::uuid[], $2::int[], $3::float8[], $4::float8[]) AS l(device_id, if_index, base, thr)
        CROSS JOIN LATERAL (SELECT ${AGGREGATES} FROM (${source}) h) x`,
      params,
    );
    return rows.map((r) => ({
      deviceId: r.device_id as string,
      ifIndex: r.if_index as number,
      inP95Bps: num(r.in_p95),
      outP95Bps: num(r.out_p95),
      inPeakBps: num(r.in_peak),
      outPeakBps: num(r.out_peak),
      bucketsOver: Number(r.over),
    }));
  }
}
