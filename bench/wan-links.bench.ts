/**
 * The WAN capacity report (`GET /api/reports/wan-links`) over 1,000 links: 90 days of hourly rollups
 * (2.16 M rows, and the 90 k day summaries their triggers keep) and 7 days of 5-minute rollups (2.0 M rows), seeded straight
 * into PostgreSQL as the rollup job leaves them; then the report timed over 7, 30 and 90 days (median of 5 runs, JSON and CSV).
 *
 *   npm run build && DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:wan-links
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '@netdesk/config';
import { EventBus, FakeClock } from '@netdesk/core';
import { dataSourceOptions, runMigrations } from '@netdesk/database';
import { ThresholdsService } from '@netdesk/monitoring';
import { LinkStatisticsRepository } from '../libs/monitoring/src/measurements/link-statistics.repository';
import { ThresholdSettingsEntity } from '../libs/monitoring/src/thresholds/threshold-settings.entity';
import { ThresholdsRepository } from '../libs/monitoring/src/thresholds/thresholds.repository';
import { wanLinksCsv } from '../libs/reports/src/reports/report-csv';
import { WanLinksReport } from '../libs/reports/src/wan-links/wan-links.service';

const LINKS = 1_000;
const DAYS = 90;
const RUNS = 5;
const NOW = new Date('2026-09-01T00:00:00Z');
const DAY_MS = 86_400_000;

/** 1,000 wan-link devices with one circuit each; a daily traffic curve with noise, some links running hot. */
async function seed(ds: DataSource): Promise<Record<string, number>> {
  await ds.query(
    `INSERT INTO devices (id, name, host, kind, status)
     SELECT gen_random_uuid(), 'wan-' || i, '10.' || (i / 250) || '.' || (i % 250) || '.1', 'wan-link', 'up'
       FROM generate_series(1, $1) AS i`,
    [LINKS],
  );
  await ds.query(
    `INSERT INTO device_interfaces (device_id, if_index, name, alias, admin_status, oper_status, oper_since, speed_bps,
                                    monitored, capacity_bps, provider, circuit_id, updated_at)
     SELECT id, 1, 'ge-0/0/1', 'WAN', 'up', 'up', now(), 1000000000, true,
            CASE WHEN row_number() OVER () % 2 = 0 THEN 100000000 END, 'ACME', 'C-' || name, now()
       FROM devices`,
  );
  // level(h) = capacity share: a daily curve peaking mid-afternoon, 10 % of links pushed near saturation.
  const curve = `(0.25 + 0.5 * greatest(0, sin(pi() * (extract(hour FROM b) - 6) / 12)) + 0.1 * random())
                 * (CASE WHEN abs(hashtext(d.id::text)) % 10 = 0 THEN 1.6 ELSE 1 END) * 100000000`;
  const insert = (table: string, step: string, days: number) =>
    ds.query(
      `INSERT INTO ${table} (device_id, if_index, bucket, in_bps_avg, in_bps_min, in_bps_max, in_bps_count,
              out_bps_avg, out_bps_min, out_bps_max, out_bps_count, in_errors_count, out_errors_count,
              in_discards_count, out_discards_count)
       SELECT d.id, 1, b, v, v * 0.5, v * 1.3, 12, v * 0.3, v * 0.1, v * 0.5, 12, 0, 0, 0, 0
         FROM devices d
        CROSS JOIN generate_series($1::timestamptz, $2::timestamptz - interval '${step}', interval '${step}') AS b
        CROSS JOIN LATERAL (SELECT ${curve} AS v) x`,
      [new Date(NOW.getTime() - days * DAY_MS), NOW],
    );
  await insert('interface_samples_1h', '1 hour', DAYS);
  await insert('interface_samples_5m', '5 minutes', 7);
  await ds.query('ANALYZE');
  const count = async (t: string) => Number((await ds.query(`SELECT count(*) AS n FROM ${t}`))[0].n);
  return { links: LINKS, hourly: await count('interface_samples_1h'), fiveMinute: await count('interface_samples_5m') };
}

async function main(): Promise<void> {
  const admin = process.env.DATABASE_URL;
  if (!admin) throw new Error('DATABASE_URL must name a PostgreSQL server the bench may create a database on');
  Logger.overrideLogger(false);
  // BENCH_WAN_KEEP_DB=name keeps (and reuses) a seeded database, for EXPLAIN ANALYZE by hand.
  const keep = process.env.BENCH_WAN_KEEP_DB;
  const name = keep ?? `nd_bench_wan_${process.pid}`;
  const adminClient = new Client({ connectionString: admin });
  await adminClient.connect();
  const exists = (await adminClient.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount;
  if (!exists) await adminClient.query(`CREATE DATABASE "${name}"`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const ds = await new DataSource({
    ...dataSourceOptions(url.toString(), 4),
    entities: [ThresholdSettingsEntity],
  }).initialize();
  try {
    await runMigrations(ds);
    if (!exists) {
      const started = Date.now();
      const counts = await seed(ds);
      console.log(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s:`, counts);
    }
    const config = loadConfig({});
    const clock = new FakeClock(NOW);
    const thresholds = new ThresholdsService(new ThresholdsRepository(ds), config, clock, new EventBus());
    const report = new WanLinksReport(new LinkStatisticsRepository(ds), thresholds, config, clock);
    const range = (days: number) => ({ from: new Date(NOW.getTime() - days * DAY_MS), to: NOW, now: NOW });
    const table: Record<string, string | number>[] = [];
    for (const [label, run] of [
      ['wan-links', (days: number) => report.build(range(days))],
      ['wan-links csv', async (days: number) => wanLinksCsv(await report.build(range(days)))],
    ] as const) {
      const row: Record<string, string | number> = { report: label };
      for (const days of [7, 30, 90]) {
        await run(days); // warm
        const times: number[] = [];
        let size = 0;
        for (let i = 0; i < RUNS; i++) {
          const t0 = performance.now();
          const out = await run(days);
          times.push(performance.now() - t0);
          size = Array.isArray(out) ? out.length : String(out).split('\n').length - 2;
        }
        times.sort((a, b) => a - b);
        row[`${days} d (ms)`] = Math.round(times[Math.floor(RUNS / 2)]);
        row[`${days} d rows`] = size;
      }
      table.push(row);
    }
    console.table(table);
  } finally {
    await ds.destroy();
    if (!keep) await adminClient.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await adminClient.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
