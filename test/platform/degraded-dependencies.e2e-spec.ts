import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTestDatabase } from '../support/test-database';
import { freePort, ServerProcess } from './server-process';

const ADMIN = { email: 'admin@degraded.test', password: 'degraded-pass-1' };
const asRoot = process.getuid?.() === 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Health {
  status: string;
  checks: Record<string, { status: string; [k: string]: unknown }>;
}

/**
 * What NetDesk depends on at run time besides its database: when fping is missing or crashes, or the
 * trap port is taken, the service starts and keeps monitoring, says what is wrong in one log line,
 * and /health shows it (degraded, still 200).
 */
describe('degraded run-time dependencies', () => {
  let db: { url: string; drop(): Promise<void> };
  const dirs: string[] = [];
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('degraded');
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop('SIGTERM')));
    await db?.drop();
    dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
  });

  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'netdesk-degraded-'));
    dirs.push(d);
    return d;
  };
  const start = async (env: Record<string, string>, prefix?: string[]) => {
    const server = ServerProcess.start(
      {
        PORT: String(await freePort()),
        DATABASE_URL: db.url,
        NETDESK_DATA_DIR: tmp(),
        NETDESK_ADMIN_EMAIL: ADMIN.email,
        NETDESK_ADMIN_PASSWORD: ADMIN.password,
        NETDESK_TRAP_BIND: '127.0.0.1',
        NETDESK_TRAP_PORT: String(await freePort()),
        LOG_LEVEL: 'info',
        ...env,
      },
      { prefix },
    );
    servers.push(server);
    await server.waitHealthy();
    return server;
  };
  const health = async (s: ServerProcess) => {
    const res = await fetch(`${s.url}/health`);
    return { code: res.status, body: (await res.json()) as Health };
  };
  /** A device on a loopback address, and whether the poller finds it up. */
  const deviceComesUp = async (s: ServerProcess, host: string) => {
    const login = await fetch(`${s.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` };
    const res = await fetch(`${s.url}/api/devices`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: `dev-${host}-${s.port}`, host, pollIntervalSec: 1 }),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    for (let i = 0; i < 75; i++) {
      const d = (await (await fetch(`${s.url}/api/devices/${id}`, { headers })).json()) as { status: string };
      if (d.status !== 'unknown') return d.status;
      await sleep(200);
    }
    return 'unknown';
  };

  it('trap port taken: one clear line, /health says so, polling runs', async () => {
    const port = await freePort();
    const busy = dgram.createSocket('udp4');
    await new Promise<void>((r) => busy.bind(port, '127.0.0.1', () => r()));
    try {
      const server = await start({ NETDESK_TRAP_PORT: String(port) });
      const lines = server.output.filter((l) => l.includes('trap receiver off'));
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]).msg).toMatch(
        new RegExp(`UDP port ${port} on 127\\.0\\.0\\.1 is already in use .*set NETDESK_TRAP_PORT`),
      );
      const { code, body } = await health(server);
      expect(code).toBe(200);
      expect(body.status).toBe('degraded');
      expect(body.checks.traps).toMatchObject({ status: 'degraded', error: expect.stringMatching(/already in use/) });
      expect(await deviceComesUp(server, '127.0.2.1')).toBe('up');
    } finally {
      busy.close();
    }
  });

  (asRoot ? it : it.skip)('fping missing: falls back to ping, says so in /health, devices still come up', async () => {
    // a private mount namespace where /usr/bin/fping is not an executable
    const server = await start({}, [
      'unshare',
      '-m',
      '--propagation',
      'private',
      'sh',
      '-c',
      'mount --bind /dev/null /usr/bin/fping && exec "$0" "$@"',
    ]);
    const { code, body } = await health(server);
    expect(code).toBe(200);
    expect(body.checks.icmp).toMatchObject({ status: 'degraded', mode: 'ping-fallback' });
    expect(await deviceComesUp(server, '127.0.2.2')).toBe('up');
  });

  (asRoot ? it : it.skip)(
    'fping crashing on every run: devices are not reported down, and ping takes over',
    async () => {
      // an fping that passes the start-up self-test, then dies of SIGSEGV on every polling run
      const dir = tmp();
      fs.copyFileSync('/usr/bin/fping', path.join(dir, 'fping-real'));
      fs.chmodSync(path.join(dir, 'fping-real'), 0o755);
      fs.writeFileSync(
        path.join(dir, 'fping'),
        `#!/bin/sh\ncase "$*" in *127.0.0.1*|-v) exec ${dir}/fping-real "$@";; esac\nkill -SEGV $$\n`,
        { mode: 0o755 },
      );
      const server = await start({}, [
        'unshare',
        '-m',
        '--propagation',
        'private',
        'sh',
        '-c',
        `mount --bind ${dir}/fping /usr/bin/fping && exec "$0" "$@"`,
      ]);
      expect((await health(server)).body.checks.icmp).toMatchObject({ status: 'ok', mode: 'fping' });
      expect(await deviceComesUp(server, '127.0.2.3')).toBe('up');
      let icmp: Health['checks'][string] | undefined;
      for (let i = 0; i < 50; i++) {
        icmp = (await health(server)).body.checks.icmp;
        if (icmp.mode === 'ping-fallback') break;
        await sleep(200);
      }
      expect(icmp).toMatchObject({
        status: 'degraded',
        mode: 'ping-fallback',
        reason: expect.stringMatching(/fping failed 3 runs in a row/),
      });
    },
  );
});
