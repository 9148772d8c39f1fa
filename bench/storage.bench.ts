/**
 * Measurement storage, before and after packing interface samples, in one run on the same data: bytes on
 * disk per interface sample (tables + indexes + TOAST), ingest rate (multi-row statements of 5,000 samples,
 * as the writer sends them), the raw chart of one interface, and a 90-day chart of one interface.
 *
 *   npm run bench:storage      (DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres;
 *                               BENCH_STORAGE_DEVICES=1000, BENCH_STORAGE_INTERFACES=8, BENCH_STORAGE_HOURS=1,
 *                               BENCH_STORAGE_CHART_DEVICES=20)
 *
 * N devices × M interfaces sampled every 30 s for H whole UTC hours, values that vary like real counters
 * (rates with noise, mostly-zero errors), the same values (seeded) for both layouts:
 * - before: the row layout of migration 1795460008361 (one row per sample, 3-column primary key, BRIN on
 *   `at`) written by the INSERT the repository used until migration 1796400000000;
 * - after: the real MeasurementRepository (one row per device poll), then the rollup job's packing into one
 *   row per interface and hour, as it runs once the hour is complete.
 * Then VACUUM ANALYZE and pg_total_relation_size / samples. The 90-day chart of one interface's traffic, with
 * the resolution the API picks for that window, reads the hourly rollups of BENCH_STORAGE_CHART_DEVICES
 * devices × M interfaces × 90 days: before, one hourly row per point (the statement used until migration
 * 1796471000000); after, through the real repository (the daily summaries); both must give the same points.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { MeasurementRepository, pgArray } from '../libs/monitoring/src/measurements/measurement.repository';
import type { InterfaceSampleRow, SeriesPoint } from '../libs/monitoring/src/measurements/measurement.types';
import { resolveWindow } from '../libs/monitoring/src/measurements/measurement-resolution';
import { loadConfig } from '@netdesk/config';
import { withBenchDatabase, seedBenchDevices } from './bench-database';

const env = process.env;
const DEVICES = Number(env.BENCH_STORAGE_DEVICES ?? 1000);
const INTERFACES = Number(env.BENCH_STORAGE_INTERFACES ?? 8);
const HOURS = Number(env.BENCH_STORAGE_HOURS ?? 1);
const CHART_DEVICES = Number(env.BENCH_STORAGE_CHART_DEVICES ?? 20);
const STEP_MS = 30_000;
const HOUR_MS = 3_600_000;
const BATCH = 5_000;

const ROWS_DDL = `CREATE TABLE bench_rows (device_id uuid NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
    if_index integer NOT NULL, at timestamptz NOT NULL, in_bps double precision, out_bps double precision,
    in_errors real, out_errors real, in_discards real, out_discards real, PRIMARY KEY (device_id, if_index, at));
  CREATE INDEX bench_rows_at_brin ON bench_rows USING brin (at)`;
const ROWS_INSERT = `INSERT INTO bench_rows
    (device_id, if_index, at, in_bps, out_bps, in_errors, out_errors, in_discards, out_discards)
  SELECT u.* FROM unnest($1::uuid[], $2::int[], $3::timestamptz[], $4::float8[], $5::float8[], $6::real[],
                         $7::real[], $8::real[], $9::real[])
    AS u(device_id, if_index, at, in_bps, out_bps, in_errors, out_errors, in_discards, out_discards)
   WHERE EXISTS (SELECT 1 FROM devices d WHERE d.id = u.device_id)`;

/** Batches of samples in poll order, from a seeded generator: the same values on every call. */
function* batches(ids: string[], start: number, steps: number): Generator<InterfaceSampleRow[]> {
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  let batch: InterfaceSampleRow[] = [];
  for (let s = 0; s < steps; s++) {
    const at = new Date(start + s * STEP_MS + 137); // polls do not land on whole seconds
    for (let d = 0; d < ids.length; d++) {
      for (let i = 1; i <= INTERFACES; i++) {
        const base = ((d * 7 + i * 13) % 100) * 1e6;
        batch.push({
          deviceId: ids[d],
          ifIndex: i,
          at,
          inBps: Math.round(base * (0.8 + 0.4 * random())),
          outBps: Math.round(base * 0.3 * (0.8 + 0.4 * random())),
          inErrors: random() < 0.02 ? random() : 0,
          outErrors: 0,
          inDiscards: random() < 0.01 ? random() * 5 : 0,
          outDiscards: 0,
        });
        if (batch.length >= BATCH) {
          yield batch;
          batch = [];
        }
      }
    }
  }
  if (batch.length) yield batch;
}

/** CPU seconds of this process and of the database's backends serving this database (local server, Linux). */
async function cpuNow(ds: DataSource): Promise<Map<number | 'node', number>> {
  const pids: { pid: number }[] = await ds.query('SELECT pid FROM pg_stat_activity WHERE datname = current_database()');
  const cpu = new Map<number | 'node', number>();
  const own = process.cpuUsage();
  cpu.set('node', (own.user + own.system) / 1e6);
  for (const { pid } of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      cpu.set(pid, (Number(fields[11]) + Number(fields[12])) / 100); // utime + stime, in clock ticks of 10 ms
    } catch {
      // a backend that ended meanwhile, or a server on another machine: not counted
    }
  }
  return cpu;
}

/** Runs `work`; returns its result, wall milliseconds and CPU seconds (this process + database backends). */
async function timed<T>(ds: DataSource, work: () => Promise<T>): Promise<[T, number, number]> {
  const c0 = await cpuNow(ds);
  const t0 = performance.now();
  const result = await work();
  const ms = performance.now() - t0;
  let cpu = 0;
  for (const [k, v] of await cpuNow(ds)) cpu += v - (c0.get(k) ?? 0);
  return [result, ms, cpu];
}

/** Median of 5 runs after one warm-up. */
async function median(work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < 6; r++) {
    const t0 = performance.now();
    await work();
    const ms = performance.now() - t0;
    if (r > 0) times.push(ms);
  }
  return times.sort((a, b) => a - b)[2];
}

async function sizeOf(ds: DataSource, tables: string[]): Promise<{ total: number; indexes: number }> {
  await ds.query(`VACUUM ANALYZE ${tables.join(', ')}`);
  const [r] = await ds.query(
    `SELECT sum(pg_total_relation_size(t))::bigint AS total, sum(pg_indexes_size(t))::bigint AS indexes
       FROM unnest($1::regclass[]) AS t`,
    [tables],
  );
  return { total: Number(r.total), indexes: Number(r.indexes) };
}

async function main(): Promise<void> {
  await withBenchDatabase(`nd_bench_storage_${process.pid}`, async (ds) => {
    const ids = await seedBenchDevices(ds, DEVICES);
    const repo = new MeasurementRepository(ds);
    const steps = Math.round((HOURS * HOUR_MS) / STEP_MS);
    const start = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - HOURS * HOUR_MS; // whole UTC hours, all complete
    const end = start + HOURS * HOUR_MS;
    const chartDevice = ids[Math.floor(ids.length / 2)];
    const range = { from: new Date(start), to: new Date(end) };

    // before: one row per sample
    await ds.query(ROWS_DDL);
    let rows = 0;
    let beforeMs = 0;
    let beforeCpu = 0;
    for (const batch of batches(ids, start, steps)) {
      const params = [
        pgArray(batch, (r) => r.deviceId),
        pgArray(batch, (r) => r.ifIndex),
        pgArray(batch, (r) => r.at.toISOString()),
        ...(['inBps', 'outBps', 'inErrors', 'outErrors', 'inDiscards', 'outDiscards'] as const).map((k) =>
          pgArray(batch, (r) => r[k]),
        ),
      ];
      const [, ms, cpu] = await timed(ds, () => ds.query(ROWS_INSERT, params));
      beforeMs += ms;
      beforeCpu += cpu;
      rows += batch.length;
    }
    const before = await sizeOf(ds, ['bench_rows']);
    const beforeChart = await median(() =>
      ds.query(
        `SELECT at, in_bps FROM bench_rows WHERE device_id = $1 AND if_index = 3 AND at >= $2 AND at <= $3 ORDER BY at`,
        [chartDevice, range.from, range.to],
      ),
    );

    // after: the real repository, then the rollup job's packing of the complete hours
    let stored = 0;
    let afterMs = 0;
    let afterCpu = 0;
    for (const batch of batches(ids, start, steps)) {
      const [n, ms, cpu] = await timed(ds, () => repo.insertInterfaceSamples(batch));
      afterMs += ms;
      afterCpu += cpu;
      stored += n;
    }
    if (stored !== rows) throw new Error(`stored ${stored} of ${rows} samples`);
    const polls = await sizeOf(ds, ['interface_sample_polls']);
    const [, rollupMs, rollupCpu] = await timed(ds, () =>
      repo.inRollupTransaction((m) => repo.rollUp(m, '5m', range), true),
    );
    const [, packMs, packCpu] = await timed(ds, () =>
      repo.inRollupTransaction((m) => repo.packInterfaceSamples(m, new Date(end)), true),
    );
    const after = await sizeOf(ds, ['interface_sample_hours']);
    const series = () =>
      repo.series({ deviceId: chartDevice, metric: 'inBps', ifIndex: 3, resolution: 'raw', ...range });
    const points = (await series()).length;
    if (points !== steps) throw new Error(`raw chart has ${points} points, expected ${steps}`);
    const afterChart = await median(series);

    // 90 days of hourly rollups for the chart devices (the daily summaries' triggers run too), in the order the
    // rollup job writes them: every interface of an hour, then the next hour
    const [, fillMs] = await timed(ds, () =>
      ds.query(
        `INSERT INTO interface_samples_1h (device_id, if_index, bucket, in_bps_avg, in_bps_min, in_bps_max, in_bps_count,
           out_bps_count, in_errors_count, out_errors_count, in_discards_count, out_discards_count)
         SELECT d, i, $2::timestamptz - h * interval '1 hour', 5e7 + h, 1e7, 9e7 + h, 120, 0, 0, 0, 0, 0
           FROM unnest($1::uuid[]) AS d, generate_series(1, $3::int) AS i, generate_series(1, 90 * 24) AS h
          ORDER BY h DESC, d, i`, // hour by hour, as the rollup job writes them
        [ids.slice(0, Math.max(1, CHART_DEVICES)), new Date(start), INTERFACES],
      ),
    );
    await ds.query('VACUUM ANALYZE interface_samples_1h');
    // the window and resolution the API resolves for "the last 90 days" (MeasurementsService.series)
    const resolved = resolveWindow(
      { from: new Date(start - 90 * 24 * HOUR_MS).toISOString(), to: new Date(start).toISOString() },
      new Date(start),
      loadConfig({}).measurementRetention,
    );
    if (!resolved.ok) throw new Error(resolved.problems.join('; '));
    const ninety = resolved.window;
    const longSeries = () => repo.series({ deviceId: ids[0], metric: 'inBps', ifIndex: 3, ...ninety });
    // before: the statement the repository ran until migration 1796471000000, one hourly row per point
    const hourlyRows = (): Promise<SeriesPoint[]> =>
      ds.query(
        `SELECT bucket AS at, in_bps_avg AS avg, in_bps_min AS min, in_bps_max AS max FROM interface_samples_1h
          WHERE device_id = $1 AND bucket >= $2 AND bucket < $3 AND if_index = $4 AND in_bps_count > 0 ORDER BY bucket`,
        [ids[0], ninety.from, ninety.to, 3],
      );
    const longPoints = await longSeries();
    if (JSON.stringify(longPoints) !== JSON.stringify(await hourlyRows()))
      throw new Error('the 90-day chart differs from the hourly rows');
    const longBefore = await median(hourlyRows);
    const longChart = await median(longSeries);

    const mib = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MiB`;
    const perSample = (b: number) => b / rows;
    // 48 h of 30-s samples of 20,000 devices × 8 interfaces: 47 complete hours packed, the current one (and
    // up to 10 minutes of lateness) still in poll rows
    const target = 20_000 * 8 * ((48 * HOUR_MS) / STEP_MS);
    const gib = (bytesPerSample: number) => `${((bytesPerSample * target) / 1024 ** 3).toFixed(0)} GiB`;
    const steady = (perSample(after.total) * 47 + perSample(polls.total) * (7 / 6)) / (47 + 7 / 6);
    const rate = (ms: number) => Math.round(rows / (ms / 1000)).toLocaleString('en');
    const perCpu = (cpu: number) => Math.round(rows / cpu).toLocaleString('en');
    console.log(
      `\n${DEVICES} devices × ${INTERFACES} interfaces × ${HOURS} h at 30 s: ${rows.toLocaleString('en')} interface samples`,
    );
    console.log(
      '| layout | bytes per interface sample (incl. indexes) | total / indexes | ingest: samples/s (per CPU-second, node + database) | raw chart of one interface, 1 h (median) | 48 h × 20,000 × 8 |',
    );
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    console.log(
      `| before: row per sample | **${perSample(before.total).toFixed(1)}** | ${mib(before.total)} / ${mib(before.indexes)} | ${rate(beforeMs)} (${perCpu(beforeCpu)}) | ${beforeChart.toFixed(1)} ms | ${gib(perSample(before.total))} |`,
    );
    console.log(
      `| after, current hour: row per device poll | ${perSample(polls.total).toFixed(1)} | ${mib(polls.total)} / ${mib(polls.indexes)} | **${rate(afterMs)}** (${perCpu(afterCpu)}) | – | – |`,
    );
    console.log(
      `| after, complete hours: row per interface and hour | **${perSample(after.total).toFixed(1)}** | ${mib(after.total)} / ${mib(after.indexes)} | packing ${rate(packMs)} (${perCpu(packCpu)}) | ${afterChart.toFixed(1)} ms (${points} points) | ${gib(steady)} (${steady.toFixed(1)} B: 47 h packed + 70 min in poll rows) |`,
    );
    console.log(
      `\nbefore / after: ${(before.total / after.total).toFixed(1)}× smaller packed, ingest ${(beforeMs / afterMs).toFixed(1)}× the rate and ` +
        `${(beforeCpu / afterCpu).toFixed(1)}× less CPU; 5-minute rollup of the loaded span read from the poll rows: ` +
        `${(rollupMs / 1000).toFixed(2)} s, ${rollupCpu.toFixed(2)} CPU-s`,
    );
    console.log(
      `90-day chart of one interface (resolution ${ninety.resolution}, ${longPoints.length} points; hourly rollups of ${CHART_DEVICES} × ${INTERFACES} interfaces, filled in ${(fillMs / 1000).toFixed(1)} s): ` +
        `before (hourly rows) ${longBefore.toFixed(1)} ms, after (repository: daily summaries) ${longChart.toFixed(1)} ms median`,
    );
  });
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
