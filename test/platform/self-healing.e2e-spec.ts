import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmbeddedPostgres } from '@netdesk/database';
import { freePort, ServerProcess } from './server-process';

const ADMIN = { email: 'admin@healing.test', password: 'healing-pass-1' };
const asRoot = process.getuid?.() === 0;
/** An extra address on this host's loopback: it answers pings until the test removes it. */
const LINK = 'lo';
const ADDRESS = `198.18.${(process.pid % 200) + 20}.1`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The embedded PostgreSQL killed with SIGKILL (as the OOM killer would) under polling load: NetDesk
 * restarts it, the pool reconnects, and a device that went down while the database was away has its
 * `down` stored with the time it happened, and its ticket opens.
 */
(asRoot ? describe : describe.skip)('self-healing: the embedded PostgreSQL killed under polling load', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'netdesk-heal-'));
  fs.chmodSync(dataDir, 0o755);
  let server: ServerProcess | undefined;
  let blocker: net.Server | undefined;

  beforeAll(() => {
    execFileSync('ip', ['addr', 'add', `${ADDRESS}/32`, 'dev', LINK]);
  });
  afterAll(async () => {
    blocker?.close();
    await server?.stop('SIGKILL');
    try {
      execFileSync('ip', ['addr', 'del', `${ADDRESS}/32`, 'dev', LINK], { stdio: 'ignore' });
    } catch {
      /* already gone */
    }
    const cluster = EmbeddedPostgres.clusterDir(dataDir);
    // a SIGKILLed service leaves its PostgreSQL running: stop it before removing its files
    try {
      const pid = Number(fs.readFileSync(path.join(cluster, 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (pid) process.kill(pid, 'SIGKILL');
    } catch {
      /* not running */
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('restarts it, /health is 200 again within 30 s, the down keeps its time and its ticket opens', async () => {
    server = ServerProcess.start({
      PORT: String(await freePort()),
      NETDESK_DATA_DIR: dataDir,
      NETDESK_ADMIN_EMAIL: ADMIN.email,
      NETDESK_ADMIN_PASSWORD: ADMIN.password,
      NETDESK_TRAP_PORT: String(await freePort()),
      NETDESK_TRAP_BIND: '127.0.0.1',
      NETDESK_DOWN_AFTER: '2',
      NETDESK_RECHECK_MS: '200',
      NETDESK_PING_COUNT: '1',
      NETDESK_PING_TIMEOUT_MS: '300',
      NETDESK_TICKETING_SWEEP_MS: '500',
      LOG_LEVEL: 'info',
    });
    await server.waitHealthy();
    const url = server.url;
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` };
    const api = async <T>(p: string): Promise<T> => (await (await fetch(`${url}${p}`, { headers })).json()) as T;
    const create = async (name: string, host: string) => {
      const res = await fetch(`${url}/api/devices`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ name, host, pollIntervalSec: 1, criticality: 'high' }),
      });
      expect(res.status).toBe(201);
      return ((await res.json()) as { id: string }).id;
    };
    const target = await create('goes-down-in-outage', ADDRESS);
    for (let i = 0; i < 60; i++) await create(`load-${i}`, `127.0.1.${i + 1}`); // polling load
    const deviceStatus = async () => (await api<{ status: string }>(`/api/devices/${target}`)).status;
    for (let i = 0; i < 100 && (await deviceStatus()) !== 'up'; i++) await sleep(200);
    expect(await deviceStatus()).toBe('up');

    // kill -9 the postmaster, and keep its port taken for 6 s so that the outage certainly spans the
    // detection (the restarts meanwhile fail and back off)
    const cluster = EmbeddedPostgres.clusterDir(dataDir);
    const [pid, , , port] = fs.readFileSync(path.join(cluster, 'postmaster.pid'), 'utf8').split('\n');
    const killedAt = Date.now();
    process.kill(Number(pid), 'SIGKILL');
    blocker = net.createServer((s) => s.destroy());
    await new Promise<void>((resolve) => {
      const tryListen = () => {
        blocker!.once('error', () => setTimeout(tryListen, 20));
        blocker!.listen(Number(port), '127.0.0.1', () => resolve());
      };
      tryListen();
    });
    execFileSync('ip', ['addr', 'del', `${ADDRESS}/32`, 'dev', LINK]); // the device goes down now
    const wentDownAt = Date.now();

    await sleep(1500);
    const during = await fetch(`${url}/health`);
    expect(during.status).toBe(503);
    const duringBody = (await during.json()) as { checks: { embeddedDatabase: { state: string; reason: string } } };
    expect(duringBody.checks.embeddedDatabase).toMatchObject({ state: 'restarting', reason: /killed by SIGKILL/ });

    await sleep(Math.max(0, killedAt + 6000 - Date.now()));
    const releasedAt = Date.now();
    await new Promise<void>((r) => blocker!.close(() => r()));
    blocker = undefined;

    let healthyAt = 0;
    while (Date.now() - killedAt < 30_000) {
      const res = await fetch(`${url}/health`).catch(() => undefined);
      if (res?.status === 200) {
        healthyAt = Date.now();
        break;
      }
      await sleep(200);
    }
    console.info(
      `postmaster killed; healthy again after ${healthyAt - killedAt} ms (port released after ${releasedAt - killedAt} ms)`,
    );
    expect(healthyAt).toBeGreaterThan(0);

    // the down detected during the outage is stored with its own time, not the time the database came back
    let history: { kind: string; to: string; at: string }[] = [];
    for (let i = 0; i < 50; i++) {
      history = await api(`/api/devices/${target}/history`);
      if (history.some((h) => h.to === 'down')) break;
      await sleep(200);
    }
    const down = history.find((h) => h.kind === 'device_status' && h.to === 'down');
    expect(down).toBeDefined();
    const downAt = new Date(down!.at).getTime();
    expect(downAt).toBeGreaterThanOrEqual(wentDownAt - 1000);
    expect(downAt).toBeLessThan(releasedAt);
    expect(await deviceStatus()).toBe('down');

    // and its ticket opens
    let tickets: { deviceId: string; status: string }[] = [];
    for (let i = 0; i < 50 && !tickets.length; i++) {
      tickets = await api(`/api/tickets?deviceId=${target}`);
      if (!tickets.length) await sleep(200);
    }
    expect(tickets).toEqual([expect.objectContaining({ deviceId: target, status: 'open' })]);

    // what was logged while the database was away, by subsystem and message
    const complaints = new Map<string, number>();
    for (const l of server.output.filter((x) => /"level":"(warn|error)"/.test(x))) {
      const { context, msg } = JSON.parse(l) as { context?: string; msg: string };
      const key = `${context ?? '-'}: ${msg.slice(0, 90)}`;
      complaints.set(key, (complaints.get(key) ?? 0) + 1);
    }
    console.info([...complaints].map(([k, n]) => `${n} × ${k}`).join('\n'));
    // each subsystem says it once (restart attempts are events of their own), not once per retry
    expect([...complaints].filter(([k, n]) => n > 2 && !/restart failed/.test(k))).toEqual([]);
    // counted in /metrics, one log line per event (not one per second per subsystem)
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/netdesk_embedded_postgres_restarts_total\{[^}]*\} 1\b/);
    const log = server.output.join('\n');
    expect(log.match(/embedded PostgreSQL killed by SIGKILL; restarting it/g)).toHaveLength(1);
    expect(log.match(/embedded PostgreSQL is back after/g)).toHaveLength(1);
    expect(log.match(/could not write the latest poll results/g)?.length ?? 0).toBeLessThanOrEqual(1);
    expect(log.match(/could not write measurements/g)?.length ?? 0).toBeLessThanOrEqual(1);
    expect(log).toMatch(/database back: wrote \d+ held status changes with their original times/);

    // and it still shuts down cleanly
    const { code } = await server.stop('SIGTERM');
    expect(code).toBe(0);
    server = undefined;
  }, 120_000);
  it('shuts down within the bound while the database is down, cleanly', async () => {
    server = ServerProcess.start({
      PORT: String(await freePort()),
      NETDESK_DATA_DIR: dataDir,
      NETDESK_ADMIN_EMAIL: ADMIN.email,
      NETDESK_ADMIN_PASSWORD: ADMIN.password,
      NETDESK_TRAP_PORT: String(await freePort()),
      NETDESK_TRAP_BIND: '127.0.0.1',
      LOG_LEVEL: 'info',
    });
    await server.waitHealthy();
    const cluster = EmbeddedPostgres.clusterDir(dataDir);
    const [pid, , , port] = fs.readFileSync(path.join(cluster, 'postmaster.pid'), 'utf8').split('\n');
    process.kill(Number(pid), 'SIGKILL');
    blocker = net.createServer((s) => s.destroy()); // it cannot come back while the test holds its port
    await new Promise<void>((resolve) => {
      const tryListen = () => {
        blocker!.once('error', () => setTimeout(tryListen, 20));
        blocker!.listen(Number(port), '127.0.0.1', () => resolve());
      };
      tryListen();
    });
    await sleep(2000); // polls, status writes and measurement flushes meet the dead database
    const { code, ms } = await server.stop('SIGTERM');
    console.info(`SIGTERM with the database down: exit ${code} in ${ms} ms`);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(10_000);
    const lines = server.output.filter((l) => l.startsWith('{'));
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ msg: 'stopped' });
    expect(server.output.join('\n')).not.toMatch(/shutdown took too long/);
    server = undefined;
    await new Promise<void>((r) => blocker!.close(() => r()));
    blocker = undefined;
  }, 60_000);
  it('when it cannot come back (its cluster is gone), /health says why and the service exits non-zero after 60 s', async () => {
    server = ServerProcess.start({
      PORT: String(await freePort()),
      NETDESK_DATA_DIR: dataDir,
      NETDESK_ADMIN_EMAIL: ADMIN.email,
      NETDESK_ADMIN_PASSWORD: ADMIN.password,
      NETDESK_POLLER: 'false',
      LOG_LEVEL: 'info',
    });
    await server.waitHealthy();
    const cluster = EmbeddedPostgres.clusterDir(dataDir);
    const pid = Number(fs.readFileSync(path.join(cluster, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const killedAt = Date.now();
    process.kill(pid, 'SIGKILL');
    fs.renameSync(cluster, `${cluster}.gone`);
    try {
      await sleep(3000);
      const res = await fetch(`${server.url}/health`);
      expect(res.status).toBe(503);
      const body = (await res.json()) as { checks: { embeddedDatabase: { state: string; reason: string } } };
      expect(body.checks.embeddedDatabase).toMatchObject({
        state: 'restarting',
        reason: expect.stringMatching(/killed by SIGKILL; last restart attempt: .*(does not exist|No such file)/),
      });
      const { code } = await server.waitExit();
      const ms = Date.now() - killedAt;
      console.info(`embedded PostgreSQL gone for good: exit ${code} after ${ms} ms`);
      expect(code).toBe(1);
      expect(ms).toBeGreaterThanOrEqual(55_000);
      expect(ms).toBeLessThan(75_000);
      const log = server.output.join('\n');
      expect(log).toMatch(/the embedded PostgreSQL did not come back within 60 s/);
      expect(JSON.parse(server.output.filter((l) => l.startsWith('{')).at(-1)!)).toMatchObject({
        msg: 'stopped',
        exitCode: 1,
      });
      server = undefined;
    } finally {
      fs.renameSync(`${cluster}.gone`, cluster);
    }
  }, 110_000);
});
