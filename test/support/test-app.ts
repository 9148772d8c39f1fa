import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { loadConfig } from '@netdesk/config';
import type { Clock } from '@netdesk/core';
import { createRootLogger, PinoLoggerService } from '@netdesk/observability';
import { createServerApp } from '../../apps/server/src/server-app';
import { createTestDatabase } from './test-database';

export const ADMIN = { email: 'admin@netdesk.test', password: 'admin-password-1' };

export interface TestApp {
  app: NestExpressApplication;
  http: ReturnType<typeof request>;
  databaseUrl: string;
  dataDir: string;
  /** Every log line the app wrote, as raw JSON text. */
  logs: string[];
  /** A bearer token for a signed-in user of that role (the admin, or a user made on first use). */
  tokenFor(role: 'viewer' | 'agent' | 'manager' | 'admin'): Promise<string>;
  /** Stops the app and starts a new one on the same database and data dir (a service restart). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** The whole service in-process, on its own fresh database with the real migrations. */
export async function startTestApp(
  label: string,
  env: Record<string, string> = {},
  options: { clock?: Clock } = {},
): Promise<TestApp> {
  const db = await createTestDatabase(label);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `netdesk-${label}-`));
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const config = loadConfig({
    NETDESK_DATA_DIR: dataDir,
    NETDESK_ADMIN_EMAIL: ADMIN.email,
    NETDESK_ADMIN_PASSWORD: ADMIN.password,
    NETDESK_POLLER: 'false',
    LOG_LEVEL: 'debug',
    ...env,
  });
  const boot = async () => {
    const app = await createServerApp(config, db.url, new PinoLoggerService(createRootLogger('debug', sink)), options);
    await app.init();
    return app;
  };
  const app = await boot();
  const tokens = new Map<string, Promise<string>>();
  const login = async (email: string, password: string) => {
    const res = await testApp.http.post('/api/auth/login').send({ email, password }).expect(200);
    return res.body.accessToken as string;
  };
  const tokenFor: TestApp['tokenFor'] = (role) => {
    if (!tokens.has(role)) {
      tokens.set(
        role,
        (async () => {
          if (role === 'admin') return login(ADMIN.email, ADMIN.password);
          const admin = await tokenFor('admin');
          const user = { email: `${role}@netdesk.test`, password: `${role}-password-1`, role };
          await testApp.http.post('/api/users').set('Authorization', `Bearer ${admin}`).send(user).expect(201);
          return login(user.email, user.password);
        })(),
      );
    }
    return tokens.get(role)!;
  };
  const testApp: TestApp = {
    app,
    http: request(app.getHttpServer()),
    databaseUrl: db.url,
    dataDir,
    logs,
    tokenFor,
    restart: async () => {
      await testApp.app.close();
      testApp.app = await boot();
      testApp.http = request(testApp.app.getHttpServer());
    },
    close: async () => {
      await testApp.app.close();
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return testApp;
}
