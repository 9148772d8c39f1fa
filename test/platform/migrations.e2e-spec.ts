import { DataSource } from 'typeorm';
import { dataSourceOptions, MIGRATIONS } from '@netdesk/database';
import { rawInterfaceSamplesSql } from '../../libs/monitoring/src/measurements/interface-samples.sql';
import { MeasurementRepository } from '../../libs/monitoring/src/measurements/measurement.repository';
import { PackedInterfaceSamples1796400000000 } from '../../libs/shared/database/src/migrations/1796400000000-PackedInterfaceSamples';
import { startTestApp, TestApp } from '../support/test-app';
import { createTestDatabase } from '../support/test-database';

/** The committed migrations are the schema: they build it from empty, match every entity, and undo cleanly. */
describe('migrations', () => {
  let t: TestApp;
  let ds: DataSource;
  beforeAll(async () => {
    t = await startTestApp('migrations');
    ds = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  it('ran every committed migration on the empty database at start-up', async () => {
    const rows: { name: string }[] = await ds.query('SELECT name FROM migrations ORDER BY id');
    expect(rows.map((r) => r.name)).toEqual(MIGRATIONS.map((m) => m.name));
  });

  it('leaves no difference between the entities and the schema (generate a migration if this fails)', async () => {
    const pending = await ds.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('reverts every migration with its down() and applies them again', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration({ transaction: 'each' });
    const tables: { tablename: string }[] = await ds.query(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`,
    );
    expect(tables.map((r) => r.tablename)).toEqual(['migrations']);
    await ds.runMigrations({ transaction: 'each' });
    expect((await ds.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
  });
});

/** Migration 1796400000000 on data stored in the layout before it: the samples survive `up()` and `down()`. */
describe('migration PackedInterfaceSamples1796400000000 on stored samples', () => {
  const packed = MIGRATIONS.findIndex((m) => m === PackedInterfaceSamples1796400000000);
  let db: { url: string; drop(): Promise<void> };
  let ds: DataSource;
  beforeAll(async () => {
    db = await createTestDatabase('packed_migration');
    ds = new DataSource({
      ...dataSourceOptions(db.url, 2),
      migrations: MIGRATIONS.slice(0, packed),
      logging: ['error'],
    });
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  type Sample = [
    ifIndex: number,
    at: string,
    inBps: number | null,
    outBps: number,
    inErrors: number | null,
    outDiscards: number,
  ];
  const migrate = (step: 'up' | 'down') =>
    ds.transaction((m) => new PackedInterfaceSamples1796400000000()[step](m.queryRunner!));
  const oldRows = (deviceId: string) =>
    ds.query(
      `SELECT if_index, at, in_bps, out_bps, in_errors, out_errors, in_discards, out_discards FROM interface_samples
        WHERE device_id = $1 ORDER BY if_index, at`,
      [deviceId],
    );
  const row = ([ifIndex, at, inBps, outBps, inErrors, outDiscards]: Sample) => ({
    if_index: ifIndex,
    at: new Date(at),
    in_bps: inBps,
    out_bps: outBps,
    in_errors: inErrors,
    out_errors: 0,
    in_discards: 0,
    out_discards: outDiscards,
  });

  it('packs the rows stored per sample into hours readable as before, and down() puts them back', async () => {
    const [d, other] = await ds.query(
      `INSERT INTO devices (name, host) VALUES ('pack-a', 'pack-a.example'), ('pack-b', 'pack-b.example') RETURNING id`,
    );
    const samples: Sample[] = [
      [1, '2026-03-01T10:00:00.250Z', 1_000_000, 2_000, 0, 0], // hour 10: errors 0 throughout (stored as NULL)
      [1, '2026-03-01T10:20:00.500Z', null, 3_000, 0, 0], // no inbound reading
      [1, '2026-03-01T10:59:59.999Z', 5_000_000, 4_000, 0, 0],
      [1, '2026-03-01T11:00:00.000Z', 6_000_000, 5_000, 1.5, 0], // hour 11: one error rate, one not measured
      [1, '2026-03-01T11:30:00.000Z', 7_000_000, 6_000, null, 2.25],
      [2, '2026-03-01T10:00:00.250Z', 123_456_789, 8_000, 0, 0], // not exact as a real: kept to 7 digits
    ];
    const bps = (v: number | null) => (v === null ? null : Math.fround(v));
    await ds.query(
      `INSERT INTO interface_samples (device_id, if_index, at, in_bps, out_bps, in_errors, out_errors, in_discards, out_discards)
       SELECT $1::uuid, u.i, u.at, u.in_bps, u.out_bps, u.in_errors, 0, 0, u.out_discards
         FROM unnest($2::int[], $3::timestamptz[], $4::float8[], $5::float8[], $6::real[], $7::real[])
           AS u(i, at, in_bps, out_bps, in_errors, out_discards)
       UNION ALL SELECT $8::uuid, 1, '2026-03-01T10:05:00Z', 42, 43, 0, 0, 0, 0`,
      [d.id, ...[0, 1, 2, 3, 4, 5].map((k) => samples.map((s) => s[k])), other.id],
    );
    expect(await oldRows(d.id)).toEqual(samples.map(row));

    await migrate('up');
    const hours = await ds.query(
      `SELECT if_index, hour, offsets_ms, in_errors IS NULL AS no_errors FROM interface_sample_hours
        WHERE device_id = $1 ORDER BY if_index, hour`,
      [d.id],
    );
    expect(hours).toEqual([
      { if_index: 1, hour: new Date('2026-03-01T10:00:00Z'), offsets_ms: [250, 1_200_500, 3_599_999], no_errors: true },
      { if_index: 1, hour: new Date('2026-03-01T11:00:00Z'), offsets_ms: [0, 1_800_000], no_errors: false },
      { if_index: 2, hour: new Date('2026-03-01T10:00:00Z'), offsets_ms: [250], no_errors: true },
    ]);
    // read back through the product's reader, as charts and rollups read them
    const repo = new MeasurementRepository(ds);
    const series = await repo.series({
      deviceId: d.id,
      metric: 'inBps',
      ifIndex: 1,
      resolution: 'raw',
      from: new Date('2026-03-01T10:00:00Z'),
      to: new Date('2026-03-01T12:00:00Z'),
    });
    expect(series.map((p) => [p.at, p.avg])).toEqual(
      samples.filter((s) => s[0] === 1 && s[2] !== null).map((s) => [new Date(s[1]), bps(s[2])]),
    );
    const unpacked = await ds.query(
      `SELECT if_index, at, in_bps, out_bps, in_errors, out_errors, in_discards, out_discards
         FROM (${rawInterfaceSamplesSql({ polls: 'p.device_id = $1', hours: 'h.device_id = $1' })}) raw ORDER BY if_index, at`,
      [d.id],
    );
    const asPacked = samples.map((s) => ({ ...row(s), in_bps: bps(s[2]), out_bps: bps(s[3]) }));
    expect(unpacked).toEqual(asPacked);
    // a poll written after the upgrade, still in the poll rows, is restored by down() too
    await repo.insertInterfaceSamples([
      {
        deviceId: d.id,
        ifIndex: 3,
        at: new Date('2026-03-01T12:00:00.125Z'),
        inBps: 9,
        outBps: 10,
        inErrors: 0,
        outErrors: 0,
        inDiscards: 0,
        outDiscards: 0,
      },
    ]);

    await migrate('down');
    expect(await oldRows(d.id)).toEqual([...asPacked, row([3, '2026-03-01T12:00:00.125Z', 9, 10, 0, 0])]);
    expect(await oldRows(other.id)).toEqual([row([1, '2026-03-01T10:05:00Z', 42, 43, 0, 0])]);
    const [{ n }] = await ds.query(
      `SELECT count(*)::int AS n FROM pg_tables WHERE tablename IN ('interface_sample_polls', 'interface_sample_hours')`,
    );
    expect(n).toBe(0);
  });
});
