import * as fs from 'node:fs';
import type { EmbeddedPostgres } from '../../libs/shared/database/src/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const started = (globalThis as Record<string, unknown>).__NETDESK_TEST_PG__ as
    { pg: EmbeddedPostgres; dataDir: string } | undefined;
  if (!started) return;
  delete (globalThis as Record<string, unknown>).__NETDESK_TEST_PG__; // shared by the e2e and medium projects
  await started.pg.stop();
  fs.rmSync(started.dataDir, { recursive: true, force: true });
}
