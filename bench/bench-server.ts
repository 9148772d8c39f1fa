import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig } from '@netdesk/config';
import { startDatabase } from '@netdesk/database';
import { createServerApp } from '../apps/server/src/server-app';

export interface BenchServer {
  app: NestExpressApplication;
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** Stops the app and its database and removes the data dir. */
  stop(): Promise<void>;
}

/**
 * The whole service for a benchmark, quiet, on 127.0.0.1 (a free port) with a fresh data dir: the
 * embedded PostgreSQL, or `DATABASE_URL` when set. `env` adds to the admin and data-dir settings.
 */
export async function startBenchServer(
  label: string,
  admin: { email: string; password: string },
  env: Record<string, string>,
): Promise<BenchServer> {
  Logger.overrideLogger(false);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `netdesk-${label}-bench-`));
  fs.chmodSync(dataDir, 0o755); // embedded PostgreSQL runs as another user when we are root
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined } as never;
  const db = await startDatabase({ url: process.env.DATABASE_URL, dataDir, log: quiet });
  const config = loadConfig({
    NETDESK_DATA_DIR: dataDir,
    NETDESK_ADMIN_EMAIL: admin.email,
    NETDESK_ADMIN_PASSWORD: admin.password,
    LOG_LEVEL: 'error',
    ...env,
  });
  const app = await createServerApp(config, db.url, false);
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  return {
    app,
    base,
    stop: async () => {
      await app.close();
      await db.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
