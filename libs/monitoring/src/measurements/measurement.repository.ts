import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { uniqueViolation } from '@netdesk/database';
import {
  DEVICE_METRICS,
  INTERFACE_METRICS,
  isInterfaceMetric,
  Metric,
  metricColumn,
  Resolution,
  RollupResolution,
} from './measurement.metrics';
import { DeviceSampleRow, InterfaceSampleRow, SeriesPoint } from './measurement.types';
import {
  INSERT_INTERFACE_POLLS_SQL,
  PACK_INTERFACE_SAMPLES_SQL,
  rawInterfaceSamplesSql,
} from './interface-samples.sql';

const ROLLUP_LOCK = 0x6e64_726c; // 'ndrl': one rollup run at a time across instances sharing the database
const ORIGIN = `TIMESTAMPTZ '2000-01-01 00:00:00+00'`; // buckets aligned to UTC whatever the session time zone
const INTERVAL: Record<RollupResolution, string> = { '5m': '5 minutes', '1h': '1 hour' };

interface Family {
  /** Prefix of the rollup tables. */
  table: string;
  /** The raw samples with their time `at` in [$1, $2), one row per sample. */
  raw: string;
  keys: string[];
  metrics: readonly Metric[];
}
const DEVICE: Family = {
  table: 'device_samples',
  raw: 'device_samples WHERE at >= $1 AND at < $2',
  keys: ['device_id'],
  metrics: DEVICE_METRICS,
};
const INTERFACE: Family = {
  table: 'interface_samples',
  raw: `(${rawInterfaceSamplesSql({
    polls: 'p.at >= $1 AND p.at < $2',
    hours: `h.hour > $1::timestamptz - interval '1 hour' AND h.hour < $2`,
  })}) raw WHERE at >= $1 AND at < $2`,
  keys: ['device_id', 'if_index'],
  metrics: INTERFACE_METRICS,
};
const FAMILIES = [DEVICE, INTERFACE];

const STATS = ['avg', 'min', 'max', 'count'] as const;
const rollupColumns = (f: Family) => f.metrics.flatMap((m) => STATS.map((s) => `${metricColumn(m)}_${s}`));

/** Recomputes whole 5-minute buckets from raw samples; a bucket already stored is replaced. */
function rollUpRawSql(f: Family): string {
  const cols = rollupColumns(f);
  const aggregates = f.metrics.map((m) => {
    const c = metricColumn(m);
    return `avg(${c}), min(${c}), max(${c}), count(${c})::int`;
  });
  return `INSERT INTO ${f.table}_5m (${f.keys.join(', ')}, bucket, ${cols.join(', ')})
    SELECT ${f.keys.join(', ')}, date_bin('${INTERVAL['5m']}', at, ${ORIGIN}), ${aggregates.join(', ')}
      FROM ${f.raw}
     GROUP BY ${f.keys.map((_, i) => i + 1).join(', ')}, ${f.keys.length + 1}
    ON CONFLICT (${f.keys.join(', ')}, bucket) DO UPDATE SET ${cols.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`;
}

/** Recomputes whole hourly buckets from the 5-minute rollups, averages weighted by their counts. */
function rollUpHourlySql(f: Family): string {
  const cols = rollupColumns(f);
  const aggregates = f.metrics.map((m) => {
    const c = metricColumn(m);
    return (
      `sum(${c}_avg * ${c}_count) / nullif(sum(${c}_count), 0), min(${c}_min), max(${c}_max), ` +
      `coalesce(sum(${c}_count), 0)::int`
    );
  });
  return `INSERT INTO ${f.table}_1h (${f.keys.join(', ')}, bucket, ${cols.join(', ')})
    SELECT ${f.keys.join(', ')}, date_bin('${INTERVAL['1h']}', bucket, ${ORIGIN}), ${aggregates.join(', ')}
      FROM ${f.table}_5m
     WHERE bucket >= $1 AND bucket < $2
     GROUP BY ${f.keys.map((_, i) => i + 1).join(', ')}, ${f.keys.length + 1}
    ON CONFLICT (${f.keys.join(', ')}, bucket) DO UPDATE SET ${cols.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`;
}

/**
 * Batched inserts: one statement per batch, the columns passed as arrays and turned back into rows
 * by `unnest`. Samples of devices deleted meanwhile are skipped (not an error). The statements have
 * no ON CONFLICT clause, which would double their cost; `insert` adds one only when a batch repeats
 * a sample already stored (a retried batch whose first attempt did commit).
 */
const INSERT_DEVICE_SQL = `INSERT INTO device_samples (device_id, at, rtt_ms, loss_pct, jitter_ms, cpu_pct, mem_pct)
  SELECT u.* FROM unnest($1::uuid[], $2::timestamptz[], $3::real[], $4::real[], $5::real[], $6::real[], $7::real[])
    AS u(device_id, at, rtt_ms, loss_pct, jitter_ms, cpu_pct, mem_pct)
   WHERE EXISTS (SELECT 1 FROM devices d WHERE d.id = u.device_id)`;

/**
 * A PostgreSQL array literal of one column of a batch. The values (uuids, ISO-8601 times, finite
 * numbers) never need quoting, and building the text directly is several times faster than the
 * driver's generic array encoding on batches of tens of thousands of rows.
 */
export function pgArray<T>(rows: T[], value: (row: T) => string | number | null): string {
  const parts = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const v = value(rows[i]);
    parts[i] = v === null ? 'NULL' : String(v);
  }
  return `{${parts.join(',')}}`;
}

/** The samples of a batch grouped by device poll (device and time), without repeated ifIndexes. */
function groupByPoll(rows: InterfaceSampleRow[]): InterfaceSampleRow[][] {
  const polls = new Map<string, InterfaceSampleRow[]>();
  for (const r of rows) {
    const key = `${r.deviceId}/${r.at.getTime()}`;
    const poll = polls.get(key);
    if (!poll) polls.set(key, [r]);
    else if (!poll.some((s) => s.ifIndex === r.ifIndex)) poll.push(r);
  }
  return [...polls.values()];
}

/**
 * Tables and their time column, finest first, for retention. A row with a `span` holds samples up to
 * that long after its time, and goes once all of them are past the cut-off.
 */
export interface RetentionTarget {
  table: string;
  column: string;
  span?: '1 hour';
}
export const RETENTION_TABLES: Record<Resolution, RetentionTarget[]> = {
  raw: [
    { table: 'device_samples', column: 'at' },
    { table: 'interface_sample_polls', column: 'at' },
    { table: 'interface_sample_hours', column: 'hour', span: '1 hour' },
  ],
  '5m': FAMILIES.map((f) => ({ table: `${f.table}_5m`, column: 'bucket' })),
  '1h': FAMILIES.map((f) => ({ table: `${f.table}_1h`, column: 'bucket' })),
};

/** Interface metrics whose hourly rollups the daily summaries also carry (hours, averages, minima, maxima). */
const DAILY_CHART_METRICS: readonly Metric[] = ['inBps', 'outBps'];

/**
 * The hourly points of an interface's traffic in `[$2, $3)`, from the daily summaries that the triggers on
 * `interface_samples_1h` keep (docs/decisions.md, "Long interface charts from the daily summaries"): a row
 * per UTC day instead of one per hour, each hour of which lies on its own heap page. Same points and values
 * as the hourly rows: an hour without a reading has a null average (count 0) and is left out. The points
 * come back as one JSON array of `[epoch ms, avg, min, max]`, which the driver parses several times faster
 * than 2,160 rows (float8 text is exact in both).
 */
function dailyChartSql(column: string): string {
  return `SELECT json_agg(json_build_array((extract(epoch FROM at) * 1000)::bigint, avg, min, max) ORDER BY at) AS points
      FROM (SELECT s.day::timestamp AT TIME ZONE 'UTC' + u.hour * interval '1 hour' AS at, u.avg, u.min, u.max
              FROM interface_daily_summaries s,
                   unnest(s.hours, s.${column}_avgs, s.${column}_mins, s.${column}_maxs) AS u(hour, avg, min, max)
             WHERE s.device_id = $1 AND s.if_index = $4 AND u.avg IS NOT NULL
               AND s.day >= ($2::timestamptz AT TIME ZONE 'UTC')::date AND s.day <= ($3::timestamptz AT TIME ZONE 'UTC')::date
           ) hours
     WHERE at >= $2 AND at < $3`;
}

export interface SeriesQuery {
  deviceId: string;
  metric: Metric;
  ifIndex?: number;
  resolution: Resolution;
  from: Date;
  to: Date;
}

@Injectable()
export class MeasurementRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Inserts one batch in one statement; returns the rows stored. */
  insertDeviceSamples(rows: DeviceSampleRow[]): Promise<number> {
    return this.insert(INSERT_DEVICE_SQL, [
      pgArray(rows, (r) => r.deviceId),
      pgArray(rows, (r) => r.at.toISOString()),
      pgArray(rows, (r) => r.rttMs),
      pgArray(rows, (r) => r.lossPct),
      pgArray(rows, (r) => r.jitterMs),
      pgArray(rows, (r) => r.cpuPct),
      pgArray(rows, (r) => r.memPct),
    ]);
  }

  /**
   * Inserts one batch in one statement, one row per device poll (the samples of one device and time); a
   * sample repeated in the batch is stored once. Returns the samples stored.
   */
  async insertInterfaceSamples(rows: InterfaceSampleRow[]): Promise<number> {
    const polls = groupByPoll(rows);
    const samples = polls.flat();
    const ends: number[] = [];
    for (const p of polls) ends.push((ends.at(-1) ?? 0) + p.length);
    const [{ stored }] = await this.dataSource.query(INSERT_INTERFACE_POLLS_SQL, [
      pgArray(polls, (p) => p[0].deviceId),
      pgArray(polls, (p) => p[0].at.toISOString()),
      pgArray(polls, (p) => p.length), // first = last - length + 1
      pgArray(ends, (end) => end),
      pgArray(samples, (r) => r.ifIndex),
      pgArray(samples, (r) => r.inBps),
      pgArray(samples, (r) => r.outBps),
      pgArray(samples, (r) => r.inErrors),
      pgArray(samples, (r) => r.outErrors),
      pgArray(samples, (r) => r.inDiscards),
      pgArray(samples, (r) => r.outDiscards),
    ]);
    return stored;
  }

  /**
   * Runs `work` in one transaction holding the rollup lock. Without `wait`, returns `undefined` at
   * once when another run holds it (that run covers this one: rollups are idempotent).
   */
  inRollupTransaction<T>(work: (manager: EntityManager) => Promise<T>, wait = false): Promise<T | undefined> {
    return this.dataSource.transaction(async (manager) => {
      if (wait) {
        await manager.query('SELECT pg_advisory_xact_lock($1)', [ROLLUP_LOCK]);
        return work(manager);
      }
      const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [ROLLUP_LOCK]);
      return locked ? work(manager) : undefined;
    });
  }

  async watermarks(manager?: EntityManager): Promise<Partial<Record<RollupResolution, Date>>> {
    const rows: { resolution: RollupResolution; rolled_up_to: Date }[] = await (
      manager ?? this.dataSource.manager
    ).query('SELECT resolution, rolled_up_to FROM measurement_rollup_state');
    return Object.fromEntries(rows.map((r) => [r.resolution, r.rolled_up_to]));
  }

  /** Moves a watermark forward (never back). */
  async advanceWatermark(manager: EntityManager, resolution: RollupResolution, to: Date): Promise<void> {
    await manager.query(
      `INSERT INTO measurement_rollup_state (resolution, rolled_up_to) VALUES ($1, $2)
       ON CONFLICT (resolution) DO UPDATE
         SET rolled_up_to = GREATEST(measurement_rollup_state.rolled_up_to, EXCLUDED.rolled_up_to)`,
      [resolution, to],
    );
  }

  /** Recomputes the buckets starting in `[from, to)` of one resolution; returns the bucket rows written. */
  async rollUp(manager: EntityManager, resolution: RollupResolution, range: { from: Date; to: Date }): Promise<number> {
    let written = 0;
    for (const family of FAMILIES) {
      const sql = resolution === '5m' ? rollUpRawSql(family) : rollUpHourlySql(family);
      written += await this.affected(sql, [range.from, range.to], manager);
    }
    return written;
  }

  /** Moves the interface samples of device polls before `before` into their hour rows; returns the hour rows written. */
  packInterfaceSamples(manager: EntityManager, before: Date): Promise<number> {
    return this.affected(PACK_INTERFACE_SAMPLES_SQL, [before], manager);
  }

  /** Deletes rows of `table` older than `cutoff`, `batchSize` at a time, at most `maxBatches` batches. */
  async deleteOlderThan(target: RetentionTarget, cutoff: Date, batchSize: number, maxBatches: number): Promise<number> {
    const older = target.span
      ? `${target.column} <= $1::timestamptz - interval '${target.span}'`
      : `${target.column} < $1`;
    const sql = `DELETE FROM ${target.table}
      WHERE ctid = ANY(ARRAY(SELECT ctid FROM ${target.table} WHERE ${older} LIMIT $2))`;
    let total = 0;
    for (let i = 0; i < maxBatches; i++) {
      const deleted = await this.affected(sql, [cutoff, batchSize]);
      total += deleted;
      if (deleted < batchSize) break;
    }
    return total;
  }

  /** The points of one series, oldest first: raw samples in `[from, to]`, or buckets starting in `[from, to)`. */
  async series(q: SeriesQuery): Promise<SeriesPoint[]> {
    const column = metricColumn(q.metric);
    const iface = isInterfaceMetric(q.metric);
    const params: unknown[] = [q.deviceId, q.from, q.to];
    const ifFilter = iface ? `AND if_index = $${params.push(q.ifIndex)}` : '';
    if (q.resolution === '1h' && DAILY_CHART_METRICS.includes(q.metric)) {
      const [{ points }]: { points: [number, number, number, number][] | null }[] = await this.dataSource.query(
        dailyChartSql(column),
        params,
      );
      return (points ?? []).map(([at, avg, min, max]) => ({ at: new Date(at), avg, min, max }));
    }
    const raw = iface
      ? `(${rawInterfaceSamplesSql({
          polls: 'p.device_id = $1 AND p.at >= $2 AND p.at <= $3',
          hours: `h.device_id = $1 AND h.if_index = $4 AND h.hour > $2::timestamptz - interval '1 hour' AND h.hour <= $3`,
        })}) raw`
      : 'device_samples';
    const sql =
      q.resolution === 'raw'
        ? `SELECT at, ${column} AS avg, ${column} AS min, ${column} AS max FROM ${raw}
            WHERE device_id = $1 AND at >= $2 AND at <= $3 ${ifFilter} AND ${column} IS NOT NULL
            ORDER BY at`
        : `SELECT bucket AS at, ${column}_avg AS avg, ${column}_min AS min, ${column}_max AS max
             FROM ${iface ? 'interface_samples' : 'device_samples'}_${q.resolution}
            WHERE device_id = $1 AND bucket >= $2 AND bucket < $3 ${ifFilter} AND ${column}_count > 0
            ORDER BY bucket`;
    return this.dataSource.query(sql, params);
  }

  private async insert(sql: string, params: unknown[]): Promise<number> {
    try {
      return await this.affected(sql, params);
    } catch (e) {
      if (!uniqueViolation(e)) throw e;
      return this.affected(`${sql} ON CONFLICT DO NOTHING`, params);
    }
  }

  private async affected(sql: string, params: unknown[], manager?: EntityManager): Promise<number> {
    const runner = manager?.queryRunner ?? this.dataSource.createQueryRunner();
    try {
      const result = await runner.query(sql, params, true);
      return result.affected ?? 0;
    } finally {
      if (!manager?.queryRunner) await runner.release();
    }
  }
}
