/**
 * A branch behind a WAN link that is cut, in the network lab: the core side is the root namespace (hub
 * nats-server from config/nats/hub.conf, the core in-process); the branch is a namespace behind a WAN veth
 * (leaf nats-server from config/nats/leaf.conf with its own JetStream domain, and the branch poller); a branch
 * device sits in a third namespace behind the branch. The WAN is cut with `ip link set ... down`; the device
 * goes down for 30 s during the cut the same way.
 * The cut lasts NETDESK_TEST_CUT_SEC (default 300 s: the 5 minutes; shorten it locally when iterating).
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { IngestService } from '@netdesk/scale-out';
import { deviceFactory, siteFactory } from '../factories/device.factory';
import { startTestApp, TestApp } from '../support/test-app';
import { freePort, startPoller, stopProcess, until } from './nats-process';

const CUT_SEC = Number(process.env.NETDESK_TEST_CUT_SEC ?? 300);
const INTERVAL_SEC = 5;
const LEASE_SEC = 10;
const BRANCH_NS = 'ndb-branch';
const DEVICE_NS = 'ndb-dev';
const WAN = 'ndb-wan0';
const FLAKY = '10.254.77.1';
const STEADY = '10.254.76.2';
const ip = (...args: string[]) => execFileSync('ip', args);

jest.setTimeout((CUT_SEC + 240) * 1000);

function natsServer(conf: string, env: Record<string, string>, ns?: string): ChildProcess {
  const cmd = ['nats-server', '-c', path.join(__dirname, '../../config/nats', conf)];
  return spawn(ns ? 'ip' : cmd[0], ns ? ['netns', 'exec', ns, ...cmd] : cmd.slice(1), {
    env: { PATH: process.env.PATH, ...env },
    stdio: 'ignore',
  });
}

describe('a branch poller rides out a WAN cut', () => {
  let t: TestApp;
  let db: Client;
  const procs: ChildProcess[] = [];
  const dirs: string[] = [];
  let branchPoller: ReturnType<typeof startPoller>;
  const tmp = (label: string) => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), `${label}-`));
    dirs.push(d);
    return d;
  };

  beforeAll(async () => {
    // core side (root) <-WAN veth-> branch namespace <-veth-> device namespace
    ip('netns', 'add', BRANCH_NS);
    ip('netns', 'add', DEVICE_NS);
    ip('link', 'add', WAN, 'type', 'veth', 'peer', 'name', 'ndb-wan1');
    ip('link', 'set', 'ndb-wan1', 'netns', BRANCH_NS);
    ip('addr', 'add', '10.254.76.1/30', 'dev', WAN);
    ip('link', 'set', WAN, 'up');
    ip('netns', 'exec', BRANCH_NS, 'ip', 'addr', 'add', `${STEADY}/30`, 'dev', 'ndb-wan1');
    ip('netns', 'exec', BRANCH_NS, 'ip', 'link', 'set', 'ndb-wan1', 'up');
    ip('netns', 'exec', BRANCH_NS, 'ip', 'link', 'set', 'lo', 'up');
    ip('netns', 'exec', BRANCH_NS, 'ip', 'link', 'add', 'ndb-d0', 'type', 'veth', 'peer', 'name', 'ndb-d1');
    ip('netns', 'exec', BRANCH_NS, 'ip', 'link', 'set', 'ndb-d1', 'netns', DEVICE_NS);
    ip('netns', 'exec', BRANCH_NS, 'ip', 'addr', 'add', '10.254.77.2/30', 'dev', 'ndb-d0');
    ip('netns', 'exec', BRANCH_NS, 'ip', 'link', 'set', 'ndb-d0', 'up');
    ip('netns', 'exec', DEVICE_NS, 'ip', 'addr', 'add', `${FLAKY}/30`, 'dev', 'ndb-d1');
    ip('netns', 'exec', DEVICE_NS, 'ip', 'link', 'set', 'ndb-d1', 'up');
    const [hubPort, leafnodePort] = [await freePort(), await freePort()];
    const leafPort = 4222; // inside the branch namespace
    procs.push(
      natsServer('hub.conf', {
        NETDESK_NATS_PORT: String(hubPort),
        NETDESK_NATS_STORE: tmp('hub'),
        NETDESK_NATS_LEAFNODE_PORT: String(leafnodePort),
      }),
    );
    procs.push(
      natsServer(
        'leaf.conf',
        {
          NETDESK_NATS_PORT: String(leafPort),
          NETDESK_NATS_STORE: tmp('leaf'),
          NETDESK_NATS_HUB: `nats-leaf://10.254.76.1:${leafnodePort}`,
          NETDESK_NATS_DOMAIN: 'branch1',
        },
        BRANCH_NS,
      ),
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
    await deviceFactory.create(t, { host: STEADY, siteId: site.id, pollIntervalSec: INTERVAL_SEC });
    await deviceFactory.create(t, { host: FLAKY, siteId: site.id, pollIntervalSec: INTERVAL_SEC, name: 'flaky' });
    const poller = (branchPoller = startPoller({
      NATS_URL: `nats://127.0.0.1:${leafPort}`,
      NETDESK_NETNS: BRANCH_NS,
      NETDESK_POLLER_NAME: 'branch-poller',
      NETDESK_POLLER_GROUP: 'branch1',
      NETDESK_DATA_DIR: tmp('bp'),
      NETDESK_TRAP_PORT: String(await freePort()),
      NETDESK_TRAP_BIND: '127.0.0.1',
      NETDESK_POLLER_LEASE_SEC: String(LEASE_SEC),
    }));
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
    await db?.end();
    await t?.close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    for (const cmd of [
      ['link', 'del', WAN],
      ['netns', 'del', DEVICE_NS],
      ['netns', 'del', BRANCH_NS],
    ])
      try {
        ip(...cmd);
      } catch {
        /* already gone */
      }
  });

  it('buffers during the cut, one group ticket, then applies the gap with its real times', async () => {
    const viewer = `Bearer ${await t.tokenFor('viewer')}`;
    const flaky = (await db.query(`SELECT id FROM devices WHERE name = 'flaky'`)).rows[0].id as string;
    const steady = (await db.query(`SELECT id FROM devices WHERE name <> 'flaky'`)).rows[0].id as string;
    const cutAt = new Date();
    ip('link', 'set', WAN, 'down');
    // the device fails 10 s into the cut, for 30 s
    await new Promise((r) => setTimeout(r, 10_000));
    const downAt = new Date();
    ip('netns', 'exec', DEVICE_NS, 'ip', 'link', 'set', 'ndb-d1', 'down');
    await new Promise((r) => setTimeout(r, 30_000));
    ip('netns', 'exec', DEVICE_NS, 'ip', 'link', 'set', 'ndb-d1', 'up');
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
    if (during.length !== 1) {
      const pollers = (await t.http.get('/api/pollers').set('Authorization', viewer)).body;
      throw new Error(
        `group tickets ${JSON.stringify(during)} pollers ${JSON.stringify(pollers)}\n${branchPoller.output.join('').slice(-5000)}`,
      );
    }
    expect(during).toHaveLength(1);
    expect(during[0].status).toBe('open');
    const devicesDuring = (await t.http.get('/api/devices').set('Authorization', viewer)).body as { stale: boolean }[];
    expect(devicesDuring.every((d) => d.stale)).toBe(true);
    // nothing of the outage reached the core yet
    expect((await db.query(`SELECT status FROM devices WHERE id = $1`, [flaky])).rows[0].status).toBe('up');
    const remaining = CUT_SEC * 1000 - (Date.now() - cutAt.getTime());
    if (remaining > 0) await new Promise((r) => setTimeout(r, remaining));
    const restoredAt = new Date();
    ip('link', 'set', WAN, 'up');
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
    // its ticket exists, resolved (the automation may meet the recovery a batch after the failure: wait for it)
    const ticketsOfFlaky = async () =>
      (
        (await t.http.get('/api/tickets?status=open,acknowledged,resolved').set('Authorization', viewer)).body as {
          id: string;
          deviceId: string;
          faultType: string;
          status: string;
        }[]
      ).filter((x) => x.deviceId === flaky);
    await until('the device ticket resolved', async () => (await ticketsOfFlaky())[0]?.status === 'resolved', 60_000);
    const deviceTickets = await ticketsOfFlaky();
    expect(deviceTickets.map((x) => `${x.faultType}:${x.status}`)).toEqual(['device_down:resolved']);
    const detail = await t.http.get(`/api/tickets/${deviceTickets[0].id}`).set('Authorization', viewer);
    expect((detail.body.events as { type: string }[]).map((e) => e.type)).toContain('learned_late');
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
