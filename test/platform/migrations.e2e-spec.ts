import { DataSource } from 'typeorm';
import { MIGRATIONS } from '@netdesk/database';
import { startTestApp, TestApp } from '../support/test-app';

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
