/**
 * A branch behind a WAN link that is cut: real NATS processes from config/nats (a hub with domain `hub`,
 * a branch leaf node with its own JetStream domain), the core in-process on the hub, a branch poller on
 * the leaf. The WAN is the leaf node's TCP link to the hub, carried through a relay the test can cut
 * (every connection reset, nothing accepted) and restore. A branch device is a local address on a dummy
 * interface (root) that the test takes down for 30 s during the cut.
 * The cut lasts NETDESK_TEST_CUT_SEC (default 60 s, shortened from the 5 minutes to save CI time).
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { IngestService } from '@netdesk/scale-out';
import { deviceFactory, siteFactory } from '../factories/device.factory';
import { startTestApp, TestApp } from '../support/test-app';
import { freePort, startPoller, stopProcess, until } from './nats-process';

const CUT_SEC = Number(process.env.NETDESK_TEST_CUT_SEC ?? 60);
const INTERVAL_SEC = 5;
const LEASE_SEC = 10;
const IFACE = 'ndwan0';
const PEER = 'ndwan1';
const NS = 'nd-branch-dev';
const FLAKY = '10.254.77.1';

jest.setTimeout((CUT_SEC + 240) * 1000);

/** The WAN: a TCP relay that can be cut and restored. */
class Wan {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  constructor(
    readonly port: number,
    private readonly target: number,
  ) {}
  up(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    return new Promise((r) => this.server!.listen(this.port, '127.0.0.1', () => r()));
  }
  async cut(): Promise<void> {
    const closed = new Promise((r) => (this.server ? this.server.close(r) : r(undefined)));
    for (const s of this.sockets) s.destroy();
    await closed;
    this.server = undefined;
  }
}

function natsServer(conf: string, env: Record<string, string>): ChildProcess {
  return spawn('nats-server', ['-c', path.join(__dirname, '../../config/nats', conf)], {
    env: { PATH: process.env.PATH, ...env },
    stdio: 'ignore',
  });
}

describe('a branch poller rides out a WAN cut', () => {
  let t: TestApp;
  let db: Client;
  const procs: ChildProcess[] = [];
  const dirs: string[] = [];
  let wan: Wan;
  const tmp = (label: string) => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), `${label}-`));
    dirs.push(d);
    return d;
  };

  beforeAll(async () => {
    // the branch device: a namespace behind a veth pair; taking its end down is the outage
    execFileSync('ip', ['netns', 'add', NS]);
    execFileSync('ip', ['link', 'add', IFACE, 'type', 'veth', 'peer', 'name', PEER]);
    execFileSync('ip', ['link', 'set', PEER, 'netns', NS]);
    execFileSync('ip', ['addr', 'add', '10.254.77.2/30', 'dev', IFACE]);
    execFileSync('ip', ['link', 'set', IFACE, 'up']);
    execFileSync('ip', ['netns', 'exec', NS, 'ip', 'addr', 'add', `${FLAKY}/30`, 'dev', PEER]);
    execFileSync('ip', ['netns', 'exec', NS, 'ip', 'link', 'set', PEER, 'up']);
    const [hubPort, leafnodePort, wanPort, leafPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    procs.push(
      natsServer('hub.conf', {
        NETDESK_NATS_PORT: String(hubPort),
        NETDESK_NATS_STORE: tmp('hub'),
        NETDESK_NATS_LEAFNODE_PORT: String(leafnodePort),
      }),
    );
    wan = new Wan(wanPort, leafnodePort);
    await wan.up();
    procs.push(
      natsServer('leaf.conf', {
        NETDESK_NATS_PORT: String(leafPort),
        NETDESK_NATS_STORE: tmp('leaf'),
        NETDESK_NATS_HUB: `nats-leaf://127.0.0.1:${wanPort}`,
        NETDESK_NATS_DOMAIN: 'branch1',
      }),
    );
    await new Promise((r) => setTimeout(r, 1500));
    t = await startTestApp('branch', {
      NATS_URL: `nats://127.0.0.1:${hubPort}`,
      NETDESK_POLLER_LEASE_SEC: String(LEASE_SEC),
      NETDESK_BACKFILL_PER_SEC: '200',
    });
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    const site = await siteFactory.create(t, { pollerGroup: 'branch1' });
    expect(site).toMatchObject({ pollerGroup: 'branch1' });
    await deviceFactory.create(t, { host: '127.0.4.1', siteId: site.id, pollIntervalSec: INTERVAL_SEC });
    await deviceFactory.create(t, { host: FLAKY, siteId: site.id, pollIntervalSec: INTERVAL_SEC, name: 'flaky' });
    const poller = startPoller({
      NATS_URL: `nats://127.0.0.1:${leafPort}`,
      NETDESK_POLLER_NAME: 'branch-poller',
      NETDESK_POLLER_GROUP: 'branch1',
      NETDESK_DATA_DIR: tmp('bp'),
      NETDESK_TRAP_PORT: String(await freePort()),
      NETDESK_TRAP_BIND: '127.0.0.1',
      NETDESK_POLLER_LEASE_SEC: String(LEASE_SEC),
    });
    procs.push(poller);
    await until(
      'branch devices up',
      async () =>
        Number((await db.query(`SELECT count(*) FROM devices WHERE status = 'up'`)).rows[0].count) === 2 && true,
      90_000,
    ).catch((e) => {
      throw new Error(`${e}\n${poller.output.join('').slice(-4000)}`);
    });
  });

  afterAll(async () => {
    for (const p of procs.reverse()) await stopProcess(p);
    await wan?.cut();
    await db?.end();
    await t?.close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    for (const cmd of [
      ['link', 'del', IFACE],
      ['netns', 'del', NS],
    ])
      try {
        execFileSync('ip', cmd);
      } catch {
        /* already gone */
      }
  });

  it('buffers during the cut, one group ticket, then applies the gap with its real times', async () => {
    const viewer = `Bearer ${await t.tokenFor('viewer')}`;
    const flaky = (await db.query(`SELECT id FROM devices WHERE name = 'flaky'`)).rows[0].id as string;
    const steady = (await db.query(`SELECT id FROM devices WHERE name <> 'flaky'`)).rows[0].id as string;
    const cutAt = new Date();
    await wan.cut();
    // the device fails 10 s into the cut, for 30 s
    await new Promise((r) => setTimeout(r, 10_000));
    const downAt = new Date();
    execFileSync('ip', ['netns', 'exec', NS, 'ip', 'link', 'set', PEER, 'down']);
    await new Promise((r) => setTimeout(r, 30_000));
    execFileSync('ip', ['netns', 'exec', NS, 'ip', 'link', 'set', PEER, 'up']);
    const upAt = new Date();
    // during the cut: the group's devices are stale, one ticket for the group
    const groupTickets = async () =>
      (
        (await t.http.get('/api/tickets?status=open,acknowledged,resolved').set('Authorization', viewer)).body as {
          faultType: string;
          status: string;
          deviceId: string | null;
          openedAt: string;
          resolvedAt: string | null;
        }[]
      ).filter((x) => x.faultType === 'poller_unreachable');
    const during = await groupTickets();
    expect(during).toHaveLength(1);
    expect(during[0].status).toBe('open');
    const devicesDuring = (await t.http.get('/api/devices').set('Authorization', viewer)).body as { stale: boolean }[];
    expect(devicesDuring.every((d) => d.stale)).toBe(true);
    // nothing of the outage reached the core yet
    expect((await db.query(`SELECT status FROM devices WHERE id = $1`, [flaky])).rows[0].status).toBe('up');
    const remaining = CUT_SEC * 1000 - (Date.now() - cutAt.getTime());
    if (remaining > 0) await new Promise((r) => setTimeout(r, remaining));
    const restoredAt = new Date();
    await wan.up();
    await until('the group ticket resolved', async () => (await groupTickets())[0]?.status === 'resolved', 60_000);
    // the outage, at its real times
    const history = await until(
      'the outage in the device history',
      async () => {
        const res = await t.http.get(`/api/devices/${flaky}/history`).set('Authorization', viewer);
        const rows = res.body as { kind: string; from: string; to: string; at: string }[];
        const down = rows.find((r) => r.kind === 'device_status' && r.to === 'down');
        const up = rows.find((r) => r.kind === 'device_status' && r.to === 'up' && r.from === 'down');
        return down && up && { down, up };
      },
      90_000,
    );
    const downMs = new Date(history.down.at).getTime();
    const upMs = new Date(history.up.at).getTime();
    expect(downMs).toBeGreaterThanOrEqual(downAt.getTime());
    expect(downMs).toBeLessThan(upAt.getTime());
    expect(upMs).toBeGreaterThanOrEqual(upAt.getTime());
    expect(upMs).toBeLessThan(restoredAt.getTime());
    // its ticket exists, already resolved
    const deviceTickets = (
      (await t.http.get('/api/tickets?status=open,acknowledged,resolved').set('Authorization', viewer)).body as {
        deviceId: string;
        faultType: string;
        status: string;
      }[]
    ).filter((x) => x.deviceId === flaky);
    expect(deviceTickets.map((x) => `${x.faultType}:${x.status}`)).toEqual(['device_down:resolved']);
    // every poll of the gap stored (one per interval for the steady device)
    await until(
      'the backlog ingested',
      async () => {
        const n = Number(
          (
            await db.query(`SELECT count(*) FROM device_samples WHERE device_id = $1 AND at BETWEEN $2 AND $3`, [
              steady,
              cutAt,
              restoredAt,
            ])
          ).rows[0].count,
        );
        return n >= Math.floor(CUT_SEC / INTERVAL_SEC) - 1;
      },
      60_000,
    );
    const ingest = t.app.get(IngestService, { strict: false });
    expect(ingest.counters.backfilled).toBeGreaterThan(0);
  });
});
