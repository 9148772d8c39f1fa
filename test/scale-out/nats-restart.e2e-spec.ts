/**
 * NATS going away and coming back (issue 16): the core in-process (NATS_URL set, NETDESK_POLLER=false), one
 * poller process (`apps/poller` from dist: run `npm run build` first) and a nats-server with JetStream of
 * the test's own. The nats-server is killed with SIGKILL, kept down ~10 s and started again on the same port
 * and store dir. Both sides reconnect by themselves; a status change that happens after the restart is
 * stored and its ticket opens; GET /api/pollers shows the poller up again; each side logs one line for the
 * loss and one for the recovery, not one per retry.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { deviceFactory } from '../factories/device.factory';
import { startTestApp, TestApp } from '../support/test-app';
import { DEAD_HOST, ensureDeadHostUnreachable, freePort, startPoller, stopProcess, until } from './nats-process';

const LEASE_SEC = 6;
const INTERVAL_SEC = 2;
const OUTAGE_MS = 10_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

jest.setTimeout(120_000);

describe('NATS going away and coming back (NATS_URL)', () => {
  let port: number;
  let store: string;
  let nats: ChildProcess | undefined;
  let t: TestApp;
  let db: Client;
  let poller: ReturnType<typeof startPoller> | undefined;
  const dirs: string[] = [];

  const startNats = async () => {
    nats = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', store], {
      stdio: ['ignore', 'ignore', process.env.NATS_RESTART_LOGS ? 'inherit' : 'ignore'],
    });
    for (let i = 0; i < 100; i++) {
      const up = await new Promise<boolean>((r) => {
        const c = net.connect(port, '127.0.0.1', () => (c.end(), r(true)));
        c.once('error', () => r(false));
      });
      if (up) return;
      await sleep(100);
    }
    throw new Error(`nats-server did not listen on ${port}`);
  };

  beforeAll(async () => {
    await ensureDeadHostUnreachable();
    port = await freePort();
    store = fs.mkdtempSync(path.join(os.tmpdir(), 'nats-restart-'));
    dirs.push(store);
    await startNats();
    const url = `nats://127.0.0.1:${port}`;
    t = await startTestApp('natsrestart', { NATS_URL: url, NETDESK_POLLER_LEASE_SEC: String(LEASE_SEC) });
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'poller-natsrestart-'));
    dirs.push(dir);
    poller = startPoller({
      NATS_URL: url,
      NETDESK_POLLER_NAME: 'p1',
      NETDESK_DATA_DIR: dir,
      NETDESK_TRAP_PORT: String(await freePort()),
      NETDESK_TRAP_BIND: '127.0.0.1',
      NETDESK_POLLER_LEASE_SEC: String(LEASE_SEC),
      ...(process.env.NATS_RESTART_LOGS ? { LOG_LEVEL: 'debug' } : {}),
    });
  });

  afterAll(async () => {
    if (process.env.NATS_RESTART_LOGS) {
      fs.writeFileSync(`${process.env.NATS_RESTART_LOGS}-core.log`, t?.logs.join('\n') ?? '');
      fs.writeFileSync(`${process.env.NATS_RESTART_LOGS}-poller.log`, poller?.output.join('') ?? '');
    }
    if (poller) await stopProcess(poller);
    await db?.end();
    await t?.close();
    if (nats) await stopProcess(nats);
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('both sides reconnect, a later status change is stored and ticketed, one log line per loss and recovery', async () => {
    const viewer = `Bearer ${await t.tokenFor('viewer')}`;
    const admin = `Bearer ${await t.tokenFor('admin')}`;
    const devices = [];
    for (let i = 1; i <= 3; i++)
      devices.push(await deviceFactory.create(t, { host: `127.0.7.${i}`, pollIntervalSec: INTERVAL_SEC }));
    const status = async (id: string) =>
      (await db.query(`SELECT status FROM devices WHERE id = $1`, [id])).rows[0]?.status as string;
    await until(
      'every device up, polled by p1',
      async () => {
        const up = Number((await db.query(`SELECT count(*) FROM devices WHERE status = 'up'`)).rows[0].count);
        return up === devices.length;
      },
      40_000,
    );
    const pollerStatus = async () =>
      ((await t.http.get('/api/pollers').set('Authorization', viewer)).body as { name: string; status: string }[]).find(
        (p) => p.name === 'p1',
      )?.status;
    await until('p1 up in GET /api/pollers', async () => (await pollerStatus()) === 'up', 20_000);
    const coreLogs = () => t.logs.join('\n');
    const pollerLogs = () => poller!.output.join('');
    const coreBefore = t.logs.length;
    const pollerBefore = poller!.output.length;

    // the outage
    nats!.kill('SIGKILL');
    await new Promise((r) => nats!.once('exit', r));
    await sleep(OUTAGE_MS);
    expect((await t.http.get('/health')).status).toBe(200); // the core keeps serving
    const restartedAt = Date.now();
    await startNats();

    // both reconnect by themselves
    await until('the core to say NATS is back', async () => /NATS connection back/.test(coreLogs()), 30_000);
    await until('the poller to say NATS is back', async () => /NATS connection back/.test(pollerLogs()), 30_000);
    await until('p1 up again in GET /api/pollers', async () => (await pollerStatus()) === 'up', 30_000);
    const samplesAfter = async () =>
      Number(
        (
          await db.query(`SELECT count(*) FROM device_samples WHERE at > $1::timestamptz`, [
            new Date(restartedAt).toISOString(),
          ])
        ).rows[0].count,
      );
    await until('observations flowing again', async () => (await samplesAfter()) > 0, 20_000);

    // a status change after the restart: the device's host stops answering (an address the lab's guard
    // route rejects locally, so no probe leaves the machine)
    const victim = devices[0];
    const patched = await t.http
      .patch(`/api/devices/${victim.id}`)
      .set('Authorization', admin)
      .send({ host: DEAD_HOST });
    expect(patched.status).toBe(200);
    await until('the down stored', async () => (await status(victim.id)) === 'down', 30_000).catch((e) => {
      throw new Error(`${e}\npoller: ${pollerLogs().slice(-3000)}`);
    });
    const history = (
      await db.query(
        `SELECT to_status, at FROM status_history WHERE device_id = $1 AND kind = 'device_status' ORDER BY at DESC LIMIT 1`,
        [victim.id],
      )
    ).rows;
    expect(history[0].to_status).toBe('down');
    expect(new Date(history[0].at).getTime()).toBeGreaterThan(restartedAt);
    const tickets = await until(
      'its ticket',
      async () => {
        const list = (await t.http.get(`/api/tickets?deviceId=${victim.id}`).set('Authorization', viewer)).body as {
          deviceId: string;
          status: string;
        }[];
        return list.length > 0 && list;
      },
      15_000,
    );
    expect(tickets).toEqual([expect.objectContaining({ deviceId: victim.id, status: 'open' })]);
    for (const d of devices.slice(1)) expect(await status(d.id)).toBe('up');
    expect((await t.http.get('/health')).status).toBe(200);

    // one line for the loss, one for the recovery, on each side (not one per retry)
    const coreSince = t.logs.slice(coreBefore).join('\n');
    const pollerSince = poller!.output.slice(pollerBefore).join('');
    for (const [side, log] of [
      ['core', coreSince],
      ['poller', pollerSince],
    ]) {
      expect(`${side}: ${log.match(/NATS connection lost/g)?.length ?? 0}`).toBe(`${side}: 1`);
      expect(`${side}: ${log.match(/NATS connection back/g)?.length ?? 0}`).toBe(`${side}: 1`);
      const retries = log
        .split('\n')
        .filter(
          (l) =>
            /"level":"(warn|error)"/.test(l) && /retrying|could not publish|could not read|consumer failed/i.test(l),
        );
      expect(`${side}: ${retries.join('\n')}`).toBe(`${side}: `);
    }
  });
});
