import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** A link the capacity report covers, with what its utilisation is judged against. */
export interface WanLinkRow {
  deviceId: string;
  deviceName: string;
  deviceKind: string;
  deviceThresholds: Record<string, number> | null;
  ifIndex: number;
  name: string;
  provider: string | null;
  circuitId: string | null;
  capacityBps: number | null;
  speedBps: number | null;
  utilisationPct: number | null;
}

export interface WanLinkStats {
  deviceId: string;
  ifIndex: number;
  inP95Bps: number | null;
  outP95Bps: number | null;
  inPeakBps: number | null;
  outPeakBps: number | null;
  /** Buckets whose average in or out rate was over the link's threshold. */
  bucketsOver: number;
}

export type WanLinkResolution = '5m' | '1h';

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** Reads the capacity report from the interface rollups: one grouped query for every link. */
@Injectable()
export class WanLinksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Watched interfaces of `wan-link` devices, and every interface with a contracted capacity. */
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

  /**
   * 95th percentile of the bucket averages, peaks from the bucket maxima, and how many buckets averaged
   * over `baseBps × thresholdPct` in either direction, for each link, from one resolution's rollups.
   */
  async stats(
    links: { deviceId: string; ifIndex: number; baseBps: number | null; thresholdPct: number }[],
    from: Date,
    to: Date,
    resolution: WanLinkResolution,
  ): Promise<WanLinkStats[]> {
    if (!links.length) return [];
    const table = resolution === '5m' ? 'interface_samples_5m' : 'interface_samples_1h';
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT l.device_id, l.if_index,
              percentile_disc(0.95) WITHIN GROUP (ORDER BY s.in_bps_avg) AS in_p95,
              percentile_disc(0.95) WITHIN GROUP (ORDER BY s.out_bps_avg) AS out_p95,
              max(s.in_bps_max) AS in_peak, max(s.out_bps_max) AS out_peak,
              count(*) FILTER (WHERE l.base > 0 AND greatest(s.in_bps_avg, s.out_bps_avg) > l.base * l.thr / 100) AS over
         FROM unnest($1::uuid[], $2::int[], $3::float8[], $4::float8[]) AS l(device_id, if_index, base, thr)
         JOIN ${table} s ON s.device_id = l.device_id AND s.if_index = l.if_index AND s.bucket >= $5 AND s.bucket < $6
        GROUP BY l.device_id, l.if_index`,
      [
        links.map((l) => l.deviceId),
        links.map((l) => l.ifIndex),
        links.map((l) => l.baseBps),
        links.map((l) => l.thresholdPct),
        from,
        to,
      ],
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
