import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTestDatabase } from '../support/test-database';
import { connectLive, LiveTestClient } from '../realtime/live-client';
import { freePort, ServerProcess } from './server-process';

const ADMIN = { email: 'admin@redis-restart.test', password: 'redis-restart-1' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Two instances joined by Redis (REDIS_URL); Redis is killed and started again on the same port:
 * both instances keep serving, reconnect by themselves, and live push across instances resumes,
 * with one log line when the connection is lost and one when it is back (not one per retry).
 */
describe('Redis going away and coming back (REDIS_URL)', () => {
  let db: { url: string; drop(): Promise<void> };
  let redis: ChildProcess | undefined;
  let redisPort: number;
  const servers: ServerProcess[] = [];
  const dirs: string[] = [];
  let client: LiveTestClient | undefined;

  const startRedis = async () => {
    redis = spawn(
      'redis-server',
      ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    for (let i = 0; i < 50; i++) {
      const up = await new Promise<boolean>((resolve) => {
        const s = net.connect(redisPort, '127.0.0.1');
        s.once('connect', () => (s.destroy(), resolve(true)));
        s.once('error', () => resolve(false));
      });
      if (up) return;
      await sleep(100);
    }
    throw new Error('redis-server did not start');
  };

  beforeAll(async () => {
    db = await createTestDatabase('redis_restart');
    redisPort = await freePort();
    await startRedis();
  });
  afterAll(async () => {
    client?.close();
    await Promise.all(servers.map((s) => s.stop('SIGTERM')));
    redis?.kill('SIGKILL');
    await db?.drop();
    dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
  });

  it('keeps serving, reconnects, and fan-out resumes', async () => {
    const secret = randomBytes(24).toString('hex');
    const start = async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'netdesk-redis-'));
      dirs.push(dataDir);
      const s = ServerProcess.start({
        PORT: String(await freePort()),
        DATABASE_URL: db.url,
        NETDESK_DATA_DIR: dataDir,
        NETDESK_SECRET_KEY: secret,
        NETDESK_POLLER: 'false',
        NETDESK_ADMIN_EMAIL: ADMIN.email,
        NETDESK_ADMIN_PASSWORD: ADMIN.password,
        REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        LOG_LEVEL: 'info',
      });
      servers.push(s);
      await s.waitHealthy();
      return s;
    };
    const a = await start();
    const b = await start();
    const login = await fetch(`${a.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` };
    const openTicket = async (title: string) => {
      const res = await fetch(`${a.url}/api/tickets`, { method: 'POST', headers, body: JSON.stringify({ title }) });
      expect(res.status).toBe(201);
    };
    client = await connectLive(b.url, { token: accessToken });
    await client.next('snapshot');
    const seen = (title: string) =>
      client!.of<{ ticket: { title: string } }>('ticket.opened').some((e) => e.ticket?.title === title);

    await openTicket('before the outage');
    await client.until(() => seen('before the outage'), 10_000, 'ticket from A on B');

    redis!.kill('SIGKILL');
    await new Promise((r) => redis!.once('exit', r));
    await sleep(3000); // both instances meet the missing Redis
    await openTicket('during the outage'); // A still serves
    expect((await fetch(`${b.url}/health`)).status).toBe(200);

    await startRedis();
    // fan-out resumes once both instances have reconnected
    const deadline = Date.now() + 20_000;
    let n = 0;
    while (Date.now() < deadline) {
      await openTicket(`after the outage ${++n}`);
      await sleep(500);
      if (seen(`after the outage ${n}`)) break;
    }
    expect(seen(`after the outage ${n}`)).toBe(true);
    console.info(`fan-out resumed after Redis came back (${n} tries)`);

    for (const s of [a, b]) {
      const log = s.output.join('\n');
      expect(log.match(/redis connection lost; reconnecting/g)?.length).toBeLessThanOrEqual(2); // publisher, subscriber
      expect(log).toMatch(/redis connection back/);
    }
  }, 90_000);
});
