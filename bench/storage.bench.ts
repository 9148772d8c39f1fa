/**
 * Measurement storage: bytes on disk per interface sample (table + indexes + TOAST), ingest rate through the
 * real MeasurementRepository (multi-row INSERT of 5,000-row batches, as the writer does), and the time of a
 * chart query of one interface, in a scratch database on the server DATABASE_URL names.
 *
 *   npm run bench:storage      (DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres;
 *                               BENCH_STORAGE_DEVICES=1000, BENCH_STORAGE_INTERFACES=8, BENCH_STORAGE_HOURS=1)
 *
 * N devices × M interfaces sampled every 30 s for H hours, values that vary like real counters (rates with
 * noise, mostly-zero errors). Then VACUUM ANALYZE and pg_total_relation_size / rows. The layout measured is
 * whatever the migrations define: run it before and after a storage change.
 */
import 'reflect-metadata';
import { MeasurementRepository } from '../libs/monitoring/src/measurements/measurement.repository';
import type { InterfaceSampleRow } from '../libs/monitoring/src/measurements/measurement.types';
import { withBenchDatabase, seedBenchDevices } from './bench-database';

const env = process.env;
const DEVICES = Number(env.BENCH_STORAGE_DEVICES ?? 1000);
const INTERFACES = Number(env.BENCH_STORAGE_INTERFACES ?? 8);
const HOURS = Number(env.BENCH_STORAGE_HOURS ?? 1);
const STEP_MS = 30_000;
const BATCH = 5_000;

async function main(): Promise<void> {
  await withBenchDatabase(`nd_bench_storage_${process.pid}`, async (ds) => {
    const ids = await seedBenchDevices(ds, DEVICES);
    const repo = new MeasurementRepository(ds);
    const steps = Math.round((HOURS * 3_600_000) / STEP_MS);
    const start = Math.floor((Date.now() - HOURS * 3_600_000) / STEP_MS) * STEP_MS;
    let rows = 0;
    let insertMs = 0;
    let batch: InterfaceSampleRow[] = [];
    const flush = async () => {
      const t0 = performance.now();
      rows += await repo.insertInterfaceSamples(batch);
      insertMs += performance.now() - t0;
      batch = [];
    };
    // poll rounds in time order, as the writer sees them
    for (let s = 0; s < steps; s++) {
      const at = new Date(start + s * STEP_MS);
      for (let d = 0; d < ids.length; d++) {
        for (let i = 1; i <= INTERFACES; i++) {
          const base = ((d * 7 + i * 13) % 100) * 1e6;
          batch.push({
            deviceId: ids[d],
            ifIndex: i,
            at,
            inBps: Math.round(base * (0.8 + 0.4 * Math.random())),
            outBps: Math.round(base * 0.3 * (0.8 + 0.4 * Math.random())),
            inErrors: Math.random() < 0.02 ? Math.random() : 0,
            outErrors: 0,
            inDiscards: Math.random() < 0.01 ? Math.random() * 5 : 0,
            outDiscards: 0,
          });
          if (batch.length >= BATCH) await flush();
        }
      }
    }
    if (batch.length) await flush();
    await ds.query('VACUUM ANALYZE interface_samples');
    const [size] = await ds.query(
      `SELECT pg_total_relation_size('interface_samples')::bigint AS total,
              pg_relation_size('interface_samples')::bigint AS heap,
              pg_indexes_size('interface_samples')::bigint AS indexes`,
    );
    const total = Number(size.total);
    // one interface's chart: raw samples of the whole loaded span, median of 5 after one warm-up
    const times: number[] = [];
    let points = 0;
    for (let r = 0; r < 6; r++) {
      const t0 = performance.now();
      const series = await repo.series({
        deviceId: ids[Math.floor(ids.length / 2)],
        metric: 'inBps',
        ifIndex: 3,
        resolution: 'raw',
        from: new Date(start),
        to: new Date(start + steps * STEP_MS),
      });
      if (r > 0) times.push(performance.now() - t0);
      points = series.length;
    }
    times.sort((a, b) => a - b);

    // A prototype of the packed layout (not what the product stores yet): one row per interface per hour,
    // the hour's samples as arrays (offset in seconds from the hour as smallint, values as real), built from
    // the rows above by one INSERT … SELECT … GROUP BY as an hourly packing job would. An error or discard
    // column that stayed 0 all hour (the usual case) is stored as NULL.
    await ds.query(`CREATE TABLE bench_interface_hours (
        device_id uuid NOT NULL, if_index int NOT NULL, hour timestamptz NOT NULL,
        offsets smallint[] NOT NULL, in_bps real[], out_bps real[], in_errors real[], out_errors real[],
        in_discards real[], out_discards real[], PRIMARY KEY (device_id, if_index, hour))`);
    const p0 = performance.now();
    await ds.query(`INSERT INTO bench_interface_hours
        SELECT device_id, if_index, date_trunc('hour', at),
               array_agg(extract(epoch FROM at - date_trunc('hour', at))::smallint ORDER BY at),
               array_agg(in_bps::real ORDER BY at), array_agg(out_bps::real ORDER BY at),
               CASE WHEN bool_and(coalesce(in_errors, 0) = 0) THEN NULL ELSE array_agg(in_errors ORDER BY at) END, CASE WHEN bool_and(coalesce(out_errors, 0) = 0) THEN NULL ELSE array_agg(out_errors ORDER BY at) END,
               CASE WHEN bool_and(coalesce(in_discards, 0) = 0) THEN NULL ELSE array_agg(in_discards ORDER BY at) END, CASE WHEN bool_and(coalesce(out_discards, 0) = 0) THEN NULL ELSE array_agg(out_discards ORDER BY at) END
          FROM interface_samples GROUP BY 1, 2, 3`);
    const packMs = performance.now() - p0;
    await ds.query('VACUUM ANALYZE bench_interface_hours');
    const [packed] = await ds.query(
      `SELECT pg_total_relation_size('bench_interface_hours')::bigint AS total,
              pg_indexes_size('bench_interface_hours')::bigint AS indexes`,
    );
    const packedTimes: number[] = [];
    for (let r = 0; r < 6; r++) {
      const t0 = performance.now();
      await ds.query(
        `SELECT hour + make_interval(secs => o) AS at, v FROM bench_interface_hours,
                unnest(offsets, in_bps) AS u(o, v)
          WHERE device_id = $1 AND if_index = 3 AND hour >= date_trunc('hour', $2::timestamptz) AND hour <= $3
          ORDER BY 1`,
        [ids[Math.floor(ids.length / 2)], new Date(start), new Date(start + steps * STEP_MS)],
      );
      if (r > 0) packedTimes.push(performance.now() - t0);
    }
    packedTimes.sort((a, b) => a - b);
    const packedPerSample = Number(packed.total) / rows;
    const mib = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MiB`;
    const perSample = total / rows;
    // 48 h of 30-s samples of 20,000 devices × 8 interfaces at this density
    const target = 20_000 * 8 * ((48 * 3_600_000) / STEP_MS);
    console.log(
      `\n${DEVICES} devices × ${INTERFACES} interfaces × ${HOURS} h at 30 s: ${rows.toLocaleString('en')} interface samples`,
    );
    console.log(
      '| layout | bytes per interface sample (incl. indexes) | heap / indexes | ingest (samples/s) | raw chart of one interface (points, median) | 48 h × 20,000 × 8 at this density |',
    );
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    console.log(
      `| ${env.BENCH_STORAGE_LABEL ?? 'current migrations'} | **${perSample.toFixed(1)}** | ${mib(Number(size.heap))} / ${mib(Number(size.indexes))} | ${Math.round(rows / (insertMs / 1000)).toLocaleString('en')} | ${times[Math.floor(times.length / 2)].toFixed(1)} ms (${points}) | ${((perSample * target) / 1024 ** 3).toFixed(0)} GiB |`,
    );
    console.log(
      `| prototype: packed per interface per hour (arrays) | **${packedPerSample.toFixed(1)}** | – / ${mib(Number(packed.indexes))} | packing ${Math.round(rows / (packMs / 1000)).toLocaleString('en')} | ${packedTimes[Math.floor(packedTimes.length / 2)].toFixed(1)} ms | ${((packedPerSample * target) / 1024 ** 3).toFixed(0)} GiB |`,
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
