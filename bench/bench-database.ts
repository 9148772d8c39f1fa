/** What the database benches share: a fresh, migrated database of their own, and seeded devices. */
import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations } from '@netdesk/database';

/**
 * Creates the database `name` on the server DATABASE_URL names, runs the migrations on it and hands it to
 * `run`; afterwards drops it (unless `keep`). Nest's logger is silenced for the bench's output.
 */
export async function withBenchDatabase(
  name: string,
  run: (ds: DataSource) => Promise<void>,
  opts: { keep?: boolean } = {},
): Promise<void> {
  const admin = process.env.DATABASE_URL;
  if (!admin) throw new Error('DATABASE_URL must name a PostgreSQL server the bench may create a database on');
  Logger.overrideLogger(false);
  const adminClient = new Client({ connectionString: admin });
  await adminClient.connect();
  await adminClient.query(`CREATE DATABASE "${name}"`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const ds = await new DataSource(dataSourceOptions(url.toString(), 4)).initialize();
  try {
    await runMigrations(ds);
    await run(ds);
  } finally {
    await ds.destroy();
    if (!opts.keep) await adminClient.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await adminClient.end();
  }
}

/** Inserts `count` devices named bench-1… (host bench-N.example); returns their ids in order. */
export async function seedBenchDevices(ds: DataSource, count: number): Promise<string[]> {
  return (
    await ds.query(
      `INSERT INTO devices (name, host)
         SELECT 'bench-' || i, 'bench-' || i || '.example' FROM generate_series(1, $1) i RETURNING id`,
      [count],
    )
  ).map((r: { id: string }) => r.id);
}
