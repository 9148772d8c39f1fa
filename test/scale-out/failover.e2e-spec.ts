/**
 * Scale-out end to end with real processes: a nats-server of the test's own, the core in-process
 * (NATS_URL set, NETDESK_POLLER=false) and two pollers started as `apps/poller` processes (needs
 * `npm run build`). Devices are loopback addresses, which answer ping.
 *  - kill -9 one poller: its devices are polled by the other within lease TTL + one interval, no slot
 *    polled twice, no false down;
 *  - SIGSTOP a poller beyond its lease, SIGCONT: its stale results change no status (fencing);
 *  - the consumer fails between the commit and the acknowledgement: the redelivery changes nothing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { EventBus } from '@netdesk/core';
import { MONITORING_EVENTS } from '@netdesk/monitoring';
import { IngestService, STREAMS } from '@netdesk/scale-out';
import { CORE_CONSUMERS } from '../../libs/scale-out/src/transport/envelope';
import { pollOffsetMs } from '../../libs/monitoring/src/domain/poll-schedule';
import { deviceFactory } from '../factories/device.factory';
import { startTestApp, TestApp } from '../support/test-app';
import {
  DEAD_HOST,
  ensureDeadHostUnreachable,
  freePort,
  startNats,
  startPoller,
  stopProcess,
  until,
} from './nats-process';

const LEASE_SEC = 10;
const INTERVAL_SEC = 10;
const DEVICES = 12;

jest.setTimeout(420_000);

describe('poller groups over NATS JetStream', () => {
  let nats: Awaited<ReturnType<typeof startNats>>;
  let t: TestApp;
  let db: Client;
  const pollers = new Map<string, ReturnType<typeof startPoller>>();
  const dirs: string[] = [];
  let devices: { id: string; host: string }[] = [];

  const spawnPoller = async (name: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `poller-${name}-`));
    dirs.push(dir);
    const p = startPoller({
      NATS_URL: nats.url,
      NETDESK_POLLER_NAME: name,
      NETDESK_DATA_DIR: dir,
      NETDESK_TRAP_PORT: String(await freePort()),
      NETDESK_TRAP_BIND: '127.0.0.1',
      NETDESK_POLLER_LEASE_SEC: String(LEASE_SEC),
    });
    pollers.set(name, p);
    return p;
  };
  const fences = async () =>
    (await db.query(`SELECT device_id, poller_name, epoch::int AS epoch FROM device_poll_fences`)).rows as {
      device_id: string;
      poller_name: string;
      epoch: number;
    }[];
  /** The core's consumer of status changes has taken and acknowledged everything in its stream. */
  const eventsConsumed = async () => {
    const nc = await connect({ servers: nats.url.replace('nats://', '') });
    try {
      const info = await (await jetstreamManager(nc)).consumers.info(STREAMS.events.name, CORE_CONSUMERS.events);
      return info.num_pending === 0 && info.num_ack_pending === 0;
    } finally {
      await nc.close();
    }
  };
  const downs = async () =>
    Number(
      (await db.query(`SELECT count(*) FROM status_history WHERE kind = 'device_status' AND to_status <> 'up'`)).rows[0]
        .count,
    );

  beforeAll(async () => {
    await ensureDeadHostUnreachable();
    nats = await startNats('failover');
    t = await startTestApp('scaleout', { NATS_URL: nats.url, NETDESK_POLLER_LEASE_SEC: String(LEASE_SEC) });
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    for (let i = 1; i <= DEVICES; i++)
      devices.push(await deviceFactory.create(t, { host: `127.0.3.${i}`, pollIntervalSec: INTERVAL_SEC }));
    devices = devices.map((d) => ({ id: d.id, host: d.host }));
    await spawnPoller('p1');
    await spawnPoller('p2');
    await until(
      'both pollers to report every device up',
      async () => {
        const up = Number((await db.query(`SELECT count(*) FROM devices WHERE status = 'up'`)).rows[0].count);
        const names = new Set((await fences()).map((f) => f.poller_name));
        return up === DEVICES && names.has('p1') && names.has('p2');
      },
      // a poller process may take most of a minute just to start on a loaded machine
      180_000,
    ).catch(async (e) => {
      const statuses = (await db.query(`SELECT status, count(*) FROM devices GROUP BY status`)).rows;
      const out = (name: string) => pollers.get(name)!.output.join('').slice(-2000);
      throw new Error(
        `${e}\nstatuses ${JSON.stringify(statuses)} fences ${JSON.stringify(await fences())}\np1: ${out('p1')}\np2: ${out('p2')}`,
      );
    });
    // steady state: the join's rebalance and the first confirmations are over
    await new Promise((r) => setTimeout(r, 2 * INTERVAL_SEC * 1000));
  });

  afterAll(async () => {
    for (const p of pollers.values()) await stopProcess(p);
    await db?.end();
    await t?.close();
    await nats?.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('GET /api/pollers lists both pollers up, with their devices', async () => {
    const res = await t.http.get('/api/pollers').set('Authorization', `Bearer ${await t.tokenFor('viewer')}`);
    expect(res.status).toBe(200);
    if (!Array.isArray(res.body) || res.body.length < 2)
      throw new Error(JSON.stringify(res.body) + t.logs.filter((l) => l.includes('pollers')).join('\n'));
    const byName = Object.fromEntries((res.body as { name: string; devices: number }[]).map((p) => [p.name, p]));
    expect(byName.p1).toMatchObject({ group: 'default', status: 'up' });
    expect(byName.p2).toMatchObject({ group: 'default', status: 'up' });
    expect(byName.p1.devices + byName.p2.devices).toBe(DEVICES);
    const list = await t.http.get('/api/devices').set('Authorization', `Bearer ${await t.tokenFor('viewer')}`);
    const names = new Set(
      (list.body as { pollerName: string; stale: boolean }[]).map((d) => `${d.pollerName}:${d.stale}`),
    );
    expect([...names].sort()).toEqual(['p1:false', 'p2:false']);
  });

  it('kill -9 of one poller: the other polls its devices within lease TTL + one interval, once per slot, no false down', async () => {
    const ofP1 = (await fences()).filter((f) => f.poller_name === 'p1').map((f) => f.device_id);
    expect(ofP1.length).toBeGreaterThan(0);
    const killedAt = new Date();
    pollers.get('p1')!.kill('SIGKILL');
    const firstPolls = await until<{ device_id: string; at: Date }[]>(
      'p2 to poll every device of p1',
      async () => {
        const rows = (
          await db.query(
            `SELECT device_id, min(at) AS at FROM device_samples WHERE device_id = ANY($1) AND at > $2::timestamptz + interval '${LEASE_SEC / 2} seconds' GROUP BY device_id`,
            [ofP1, killedAt],
          )
        ).rows as { device_id: string; at: Date }[];
        const owners = new Map((await fences()).map((f) => [f.device_id, f.poller_name]));
        return rows.length === ofP1.length && ofP1.every((id) => owners.get(id) === 'p2') && rows;
      },
      (LEASE_SEC + INTERVAL_SEC) * 1000 + 20_000,
    ).catch(async (e) => {
      const rows = (await db.query(`SELECT device_id, max(at) AS at FROM device_samples GROUP BY device_id`)).rows;
      throw new Error(
        `${e}\nkilled ${killedAt.toISOString()} fences ${JSON.stringify(await fences())}\nlast ${JSON.stringify(rows)}\np2: ${pollers.get('p2')!.output.join('').slice(-3000)}`,
      );
    });
    // When the slot after the kill was polled again: never later than lease TTL + one interval (+ a probe's time).
    const delays = firstPolls.map((r) => new Date(r.at).getTime() - killedAt.getTime());
    expect(Math.max(...delays)).toBeLessThanOrEqual((LEASE_SEC + INTERVAL_SEC + 3) * 1000);
    // None twice in the same slot, around the failover (every device was up and steady: no confirmation re-probes).
    const samples = (
      await db.query(
        `SELECT device_id, at FROM device_samples WHERE device_id = ANY($1) AND at >= $2::timestamptz - interval '${INTERVAL_SEC} seconds' ORDER BY at`,
        [devices.map((d) => d.id), killedAt],
      )
    ).rows as { device_id: string; at: Date }[];
    const slots = new Set<string>();
    for (const s of samples) {
      const slot = Math.floor(
        (new Date(s.at).getTime() - pollOffsetMs(s.device_id, INTERVAL_SEC)) / (INTERVAL_SEC * 1000),
      );
      const key = `${s.device_id}:${slot}`;
      expect(
        slots.has(key)
          ? `${key} ${JSON.stringify(samples.filter((x) => x.device_id === s.device_id))} killed ${killedAt.toISOString()}`
          : null,
      ).toBeNull();
      slots.add(key);
    }
    expect(await downs()).toBe(0);
    const res = await t.http.get('/api/pollers').set('Authorization', `Bearer ${await t.tokenFor('viewer')}`);
    expect((res.body as { name: string; status: string }[]).find((p) => p.name === 'p1')?.status).toBe('down');
  });

  it('SIGSTOP beyond the lease, then SIGCONT: the stale poller’s results change no status', async () => {
    await spawnPoller('p1');
    await until('p1 back in the group', async () => (await fences()).some((f) => f.poller_name === 'p1'), 60_000);
    const p2 = pollers.get('p2')!;
    const staleEpoch = Math.max(...(await fences()).filter((f) => f.poller_name === 'p2').map((f) => f.epoch));
    const victim = (await fences()).find((f) => f.poller_name === 'p2')!.device_id;
    p2.kill('SIGSTOP');
    await until(
      'p1 to write every device under an epoch newer than p2’s',
      // p1 took some devices when it joined, under an epoch older than the one p2 took on seeing it join: only
      // once p1 wrote them again after its takeover epoch is a result of p2's newest epoch stale for every one
      async () => (await fences()).every((f) => f.poller_name === 'p1' && f.epoch > staleEpoch),
      (LEASE_SEC + INTERVAL_SEC) * 1000 + 20_000,
    );
    const ingest = t.app.get(IngestService, { strict: false });
    const fencedBefore = ingest.counters.fenced;
    // What a paused poller sends when it wakes: a change computed under its old lease.
    const nc = await connect({ servers: nats.url.replace('nats://', '') });
    const at = new Date();
    const forged = {
      v: 1,
      poller: 'p2',
      group: 'default',
      epoch: staleEpoch,
      kind: 'changes',
      deviceId: victim,
      at,
      changes: [{ kind: 'device_status', deviceId: victim, from: 'up', to: 'down', reason: 'stale', causes: [], at }],
    };
    await jetstream(nc).publish(`netdesk.events.default.${victim}`, JSON.stringify(forged), {
      msgID: `test-stale-${at.toISOString()}`,
    });
    await nc.close();
    p2.kill('SIGCONT');
    await until('the stale change to be refused', async () => ingest.counters.fenced > fencedBefore, 60_000).catch(
      async (e) => {
        const victimNow = (await db.query(`SELECT status FROM devices WHERE id = $1`, [victim])).rows[0];
        throw new Error(
          `${e}\ncounters ${JSON.stringify(ingest.counters)} victim ${JSON.stringify(victimNow)} events consumed ${await eventsConsumed()} stale epoch ${staleEpoch} fences ${JSON.stringify(await fences())}`,
        );
      },
    );
    await until('p2 to take a new lease', async () => p2.output.join('').includes('lease lost'), 60_000).catch((e) => {
      throw new Error(`${e}\np2: ${p2.output.join('').slice(-3000)}`);
    });
    // Whatever p2 probed before the pause was sent before its new results or not at all: once the core has
    // stored results of p2's new epoch and consumed every status change sent so far, all of it was judged.
    await until(
      'p2 to report under its new epoch',
      async () => (await fences()).some((f) => f.poller_name === 'p2' && f.epoch > staleEpoch),
      (LEASE_SEC + INTERVAL_SEC) * 1000 + 20_000,
    );
    await until('the core to consume every status change', eventsConsumed, 20_000);
    expect((await db.query(`SELECT status FROM devices WHERE id = $1`, [victim])).rows[0].status).toBe('up');
    expect(await downs()).toBe(0);
  });

  it('a consumer that fails between the commit and the acknowledgement applies nothing twice', async () => {
    const ingest = t.app.get(IngestService, { strict: false });
    const bus = t.app.get(EventBus, { strict: false });
    const published: string[] = [];
    const off = bus.subscribe<{ deviceId: string }>(MONITORING_EVENTS.deviceStatus, (e) => {
      published.push(e.deviceId);
    });
    let crashes = 0;
    ingest.afterCommit = () => {
      if (crashes++ === 0) throw new Error('killed after the commit, before the ack');
    };
    const duplicatesBefore = ingest.counters.duplicates;
    // a new device: its first status change (from unknown) is the change the consumer fails on
    const dead = await deviceFactory.create(t, { host: DEAD_HOST, pollIntervalSec: INTERVAL_SEC });
    await until(
      'the change to be redelivered after the ack wait',
      async () => ingest.counters.duplicates > duplicatesBefore,
      90_000,
    );
    ingest.afterCommit = undefined;
    off();
    const rows = (
      await db.query(`SELECT to_status FROM status_history WHERE device_id = $1 AND kind = 'device_status'`, [dead.id])
    ).rows;
    expect(rows).toHaveLength(1);
    // the failed consumer published nothing; the redelivery was recognised and published nothing either
    expect(published.filter((id) => id === dead.id)).toHaveLength(0);
    expect(crashes).toBe(1);
  });

  it('a group without a live poller: its devices are stale, one poller_unreachable ticket, resolved when a poller reports', async () => {
    const viewer = `Bearer ${await t.tokenFor('viewer')}`;
    for (const name of ['p1', 'p2']) pollers.get(name)!.kill('SIGKILL');
    const groupTickets = async () =>
      (
        (await t.http.get('/api/tickets?status=open,acknowledged,resolved').set('Authorization', viewer)).body as {
          faultType: string;
          status: string;
        }[]
      ).filter((x) => x.faultType === 'poller_unreachable');
    await until(
      'every device stale',
      async () => {
        const list = (await t.http.get('/api/devices').set('Authorization', viewer)).body as {
          stale: boolean;
          pollerName: string | null;
        }[];
        return list.every((d) => d.stale && d.pollerName === null);
      },
      (LEASE_SEC + 40) * 1000, // the leases expire LEASE_SEC after the last renewal; the rest is slack for a loaded machine
    );
    await until('the group ticket', async () => (await groupTickets()).length > 0, 30_000);
    await new Promise((r) => setTimeout(r, 5000));
    const open = await groupTickets();
    expect(open).toHaveLength(1);
    expect(open[0].status).toBe('open');
    await spawnPoller('p1');
    await until('the ticket resolved', async () => (await groupTickets())[0]?.status === 'resolved', 120_000); // a poller process takes a while to start on a loaded machine
    const list = (await t.http.get('/api/devices').set('Authorization', viewer)).body as {
      stale: boolean;
      pollerName: string | null;
    }[];
    expect(list.every((d) => !d.stale && d.pollerName === 'p1')).toBe(true);
  });
});
