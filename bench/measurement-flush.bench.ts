/**
 * One flush of a poll round of 10,000 devices with 8 interfaces each (10,000 device rows, 80,000
 * interface rows) at several batch sizes, into a scratch database on the server DATABASE_URL names.
 *
 *   npm run build && DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node dist/bench/measurement-flush.bench.js
 */
import 'reflect-metadata';
import { Registry } from 'prom-client';
import { MeasurementWriter } from '@netdesk/monitoring';
import type { MetricsService } from '@netdesk/observability';
import { MeasurementRepository } from '../libs/monitoring/src/measurements/measurement.repository';
import { withBenchDatabase, seedBenchDevices } from './bench-database';

const DEVICES = 10_000;
const INTERFACES = 8;
const ROUNDS = 3;
const BATCHES = [5_000, 20_000, 100_000];

async function main(): Promise<void> {
  await withBenchDatabase(`nd_bench_measurements_${process.pid}`, async (ds) => {
    const ids = await seedBenchDevices(ds, DEVICES);
    const rows: string[] = [];
    let t0 = Date.now() - 24 * 3_600_000;
    for (const batchRows of BATCHES) {
      for (let round = 0; round < ROUNDS; round++) {
        const writer = new MeasurementWriter(
          new MeasurementRepository(ds),
          { registry: new Registry() } as MetricsService,
          { batchRows, flushAtRows: Number.MAX_SAFE_INTEGER, maxBufferedInterfaceRows: 100_000 },
        );
        const at = new Date((t0 += 30_000));
        for (const deviceId of ids) {
          writer.recordDevice({ deviceId, at, rttMs: 1.5, lossPct: 0, jitterMs: 0.2, cpuPct: 12, memPct: 48 });
          writer.recordInterfaces(
            deviceId,
            at,
            Array.from({ length: INTERFACES }, (_, i) => ({
              ifIndex: i + 1,
              inBps: 1e6 * i,
              outBps: 2e6 * i,
              inErrors: 0,
              outErrors: 0,
              inDiscards: 0,
              outDiscards: 0.1,
            })),
          );
        }
        const started = process.hrtime.bigint();
        await writer.flush();
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        const total = DEVICES * (1 + INTERFACES);
        if (writer.buffered.device || writer.buffered.interface) throw new Error('flush left rows behind');
        rows.push(
          `| ${batchRows.toLocaleString('en')} | ${round + 1} | ${DEVICES.toLocaleString('en')} + ` +
            `${(DEVICES * INTERFACES).toLocaleString('en')} | ${ms.toFixed(0)} ms | ` +
            `${Math.round(total / (ms / 1000)).toLocaleString('en')} rows/s |`,
        );
      }
    }
    console.log('| batch rows | round | device + interface rows | flush | throughput |');
    console.log('| --- | --- | --- | --- | --- |');
    for (const row of rows) console.log(row);
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
