import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { EmbeddedPostgres } from '../../libs/shared/database/src/embedded-postgres';

/**
 * One PostgreSQL server for the whole e2e run: the one TEST_DATABASE_URL (or DATABASE_URL) names,
 * otherwise a real embedded one started here. Each test file then creates its own database on it.
 */
export default async function globalSetup(): Promise<void> {
  // the e2e and medium projects share this setup: the first one to run starts the server for both
  if (process.env.NETDESK_TEST_ADMIN_URL) return;
  const external = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (external) {
    const client = new Client({ connectionString: external });
    await client.connect().catch((e: Error) => {
      throw new Error(
        `TEST_DATABASE_URL/DATABASE_URL (${external.replace(/:[^:@/]*@/, ':***@')}) is not reachable: ${e.message}`,
      );
    });
    await client.end();
    process.env.NETDESK_TEST_ADMIN_URL = external;
    return;
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'netdesk-test-pg-'));
  fs.chmodSync(dataDir, 0o755);
  const pg = await EmbeddedPostgres.start(dataDir, { info: () => undefined, warn: (o, m) => console.warn(m, o) });
  process.env.NETDESK_TEST_ADMIN_URL = pg.url.replace(/\/netdesk$/, '/postgres');
  (globalThis as Record<string, unknown>).__NETDESK_TEST_PG__ = { pg, dataDir };
}
