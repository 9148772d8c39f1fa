/**
 * The core's side of scale-out against a real nats-server of the test's own, with the test playing the
 * pollers (publishing results and leases as they do; no poller process): status changes of many devices
 * applied in batches, once each and in order per device; traps forwarded by a poller and turned into a
 * poll-now request to the device's own poller; pollerName and stale pushed on the live feed; and the
 * pollers registry kept across a restart of the core; a branch's paced backlog not delaying live results. No poller runs, so no device is ever probed.
 */
import { Client } from 'pg';
import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import type { MonitoringChange } from '@netdesk/monitoring';
import { IngestService } from '@netdesk/scale-out';
import { JetStreamPollSink } from '../../libs/scale-out/src/poller/jetstream-poll-sink';
import { PollerLease } from '../../libs/scale-out/src/poller/poller-lease';
import { TrapForwarder } from '../../libs/scale-out/src/poller/trap-forwarder';
import {
  branchStreams,
  CORE_CONSUMERS,
  encodeResult,
  pollNowSubject,
  STREAMS,
  subjectOf,
} from '../../libs/scale-out/src/transport/envelope';
import type { ResultMessage } from '../../libs/scale-out/src/transport/envelope';
import { NatsLink } from '../../libs/scale-out/src/transport/nats-link';
import { deviceFactory } from '../factories/device.factory';
import { connectLive, listen } from '../realtime/live-client';
import { startTestApp, TestApp } from '../support/test-app';
import { startNats, until } from './nats-process';

const LEASE_SEC = 4;
/** Pacing of a branch's backlog: the test's backlog takes at least BACKLOG / BACKFILL_PER_SEC seconds. */
const BACKFILL_PER_SEC = 250;
const STATS = { devices: 0, lagMs: 0, backlog: 0, publishErrors: 0, pollsPerSec: 0 };

jest.setTimeout(120_000);

describe('scale-out core: batched ingest, traps, live fields, pollers registry', () => {
  let nats: Awaited<ReturnType<typeof startNats>>;
  let t: TestApp;
  let db: Client;
  let link: NatsLink;
  let leases: KV;

  beforeAll(async () => {
    nats = await startNats('core-ingest');
    t = await startTestApp('coreingest', {
      NATS_URL: nats.url,
      NETDESK_POLLER_LEASE_SEC: String(LEASE_SEC),
      NETDESK_BACKFILL_PER_SEC: String(BACKFILL_PER_SEC),
    });
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    link = await NatsLink.connect({ url: nats.url, name: 'test-poller', leaseSec: LEASE_SEC });
    ({ leases } = await link.ensure({ leaseSec: LEASE_SEC, consumers: false }));
  });

  afterAll(async () => {
    await link?.close();
    await db?.end();
    await t?.close();
    await nats?.stop();
  });

  /**
   * A branch's own stream as its leaf node holds it, sourced by the hub's NETDESK_OBS (as
   * NatsLink.linkBranchToHub does across JetStream domains); idempotent.
   */
  const linkTestBranch = async (domain: string) => {
    const b = branchStreams(domain);
    await link.jsm.streams.add({ name: b.observations.name, subjects: [...b.observations.subjects] });
    const hub = await link.jsm.streams.info(STREAMS.observations.name);
    if (!(hub.config.sources ?? []).some((s) => s.name === b.observations.name))
      await link.jsm.streams.update(STREAMS.observations.name, {
        ...hub.config,
        sources: [...(hub.config.sources ?? []), { name: b.observations.name }],
      });
    return b;
  };

  const statusChange = (deviceId: string, from: string, to: string, at: Date): MonitoringChange =>
    ({ kind: 'device_status', deviceId, from, to, reason: 'test', causes: [], at }) as MonitoringChange;

  it('a burst of status changes from many devices is applied once each, in order per device; repeats and stale epochs change nothing', async () => {
    const ingest = t.app.get(IngestService, { strict: false });
    const devices = await Promise.all(
      Array.from({ length: 20 }, () => deviceFactory.create(t, { pollIntervalSec: 60 })),
    );
    const sinkOf = (epoch: number) =>
      new JetStreamPollSink(
        () => link.js,
        () => ({ poller: 'p-burst', group: 'default', epoch }),
      );
    const sink = sinkOf(5);
    const t0 = Date.now() - 60_000;
    const steps: [string, string][] = [
      ['unknown', 'down'],
      ['down', 'up'],
      ['up', 'down'],
    ];
    const before = { ...ingest.counters };
    // devices in parallel (one burst), each device's changes in order, as one poller publishes them
    await Promise.all(
      devices.map(async (d, n) => {
        for (const [i, [from, to]] of steps.entries())
          await sink.commit([statusChange(d.id, from, to, new Date(t0 + i * 1000 + n))]);
      }),
    );
    // a redelivery the stream could not recognise (no message id): the core's key must
    const first: ResultMessage = {
      poller: 'p-burst',
      group: 'default',
      epoch: 5,
      kind: 'changes',
      deviceId: devices[0].id,
      at: new Date(t0),
      changes: [statusChange(devices[0].id, 'unknown', 'down', new Date(t0))],
    };
    await link.js.publish(subjectOf(first), encodeResult(first));
    // a poller that lost its lease (older epoch) reporting after the newer one
    await sinkOf(3).commit([statusChange(devices[1].id, 'down', 'up', new Date(t0 + 10_000))]);

    const ids = devices.map((d) => d.id);
    const rows = async () =>
      (
        await db.query(
          `SELECT device_id, to_status, at, id FROM status_history WHERE device_id = ANY($1::uuid[]) AND kind = 'device_status' ORDER BY device_id, id`,
          [ids],
        )
      ).rows as { device_id: string; to_status: string; at: Date; id: string }[];
    await until('every change applied', async () => (await rows()).length >= 60, 60_000);
    await until(
      'the repeat and the stale result to be recognised',
      async () => ingest.counters.duplicates > before.duplicates && ingest.counters.fenced > before.fenced,
      30_000,
    );
    const history = await rows();
    expect(history).toHaveLength(60);
    for (const [n, d] of devices.entries()) {
      const mine = history.filter((r) => r.device_id === d.id);
      // applied in the order they happened (ids grow with the application order)
      expect(mine.map((r) => r.to_status)).toEqual(['down', 'up', 'down']);
      expect(mine.map((r) => r.at.getTime())).toEqual(steps.map((_s, i) => t0 + i * 1000 + n));
    }
    const statuses = (await db.query(`SELECT status FROM devices WHERE id = ANY($1::uuid[])`, [ids])).rows;
    expect(statuses.every((r) => r.status === 'down')).toBe(true);
    expect(ingest.counters.applied - before.applied).toBe(60);
  });

  it('pollerName and stale reach the live feed by push; a trap another poller received gets the device polled by its own', async () => {
    const device = await deviceFactory.create(t, { pollIntervalSec: 60 });
    const live = await connectLive(await listen(t), { token: await t.tokenFor('viewer') });
    try {
      const snapshot = await live.next<{ devices: { id: string; pollerName: string | null; stale: boolean }[] }>(
        'snapshot',
      );
      expect(snapshot.devices.find((d) => d.id === device.id)).toMatchObject({ pollerName: null });
      const lease = new PollerLease(leases, 'default', 'p-live', LEASE_SEC * 1000);
      const epoch = await lease.acquire(STATS);
      const renew = setInterval(() => void lease.renew(STATS).catch(() => undefined), 1000);
      type StatusPush = { deviceId: string; pollerName: string | null; stale: boolean };
      const pushes = () => live.of<StatusPush>('device.status').filter((e) => e.deviceId === device.id);
      try {
        await live.until(
          () => pushes().some((e) => e.pollerName === 'p-live' && !e.stale),
          15_000,
          'the device assigned to p-live',
        );
        const res = await t.http
          .get(`/api/devices/${device.id}`)
          .set('Authorization', `Bearer ${await t.tokenFor('viewer')}`)
          .expect(200);
        expect(res.body).toMatchObject({ pollerName: 'p-live', stale: false });

        // a trap from the device reaches poller p-other, which forwards it (twice: a repeat changes nothing)
        const asked: string[] = [];
        const sub = link.nc.subscribe(pollNowSubject('default', 'p-live'), {
          callback: (_err, msg) => void asked.push(msg.string()),
        });
        const forwarder = new TrapForwarder(
          () => link,
          () => ({ poller: 'p-other', group: 'default', epoch }),
          () => [{ device: { ...device, host: '127.0.0.1' } as never, group: 'default' }],
        );
        const trap = {
          source: '127.0.0.1',
          kind: 'linkDown' as const,
          ifIndex: 2,
          receivedAt: new Date(),
          version: '2c' as const,
          trapOid: '1.3.6.1.6.3.1.1.5.3',
        };
        forwarder.forward(trap);
        forwarder.forward(trap);
        await until('the core to ask p-live to poll the device', async () => asked.includes(device.id), 15_000);
        const metrics = await until('the trap to be counted', async () => {
          const text = (await t.http.get('/metrics')).text;
          return /netdesk_forwarded_traps_total\{[^}]*result="repoll"[^}]*\} 1/.test(text) && text;
        });
        // forwarded twice, applied once
        expect(metrics).toMatch(/netdesk_forwarded_traps_total\{[^}]*result="repoll"[^}]*\} 1\n/);
        expect(asked.filter((id) => id === device.id)).toHaveLength(1);
        sub.unsubscribe();
      } finally {
        clearInterval(renew);
      }
      await lease.release();
      await live.until(() => pushes().some((e) => e.stale), 15_000, 'the device shown stale');
      expect(pushes().at(-1)).toMatchObject({ stale: true, pollerName: null });
    } finally {
      live.close();
    }
  });

  it("a branch's backlog after a WAN cut is paced without delaying the hub's own live results", async () => {
    const BACKLOG = 5000;
    const branchDevices = await Promise.all(Array.from({ length: 10 }, () => deviceFactory.create(t, {})));
    const liveDevice = await deviceFactory.create(t, {});
    const report = (deviceId: string, at: Date, group: string): ResultMessage => ({
      poller: `p-${group}`,
      group,
      epoch: 1,
      kind: 'report',
      deviceId,
      at,
      report: {
        deviceId,
        at,
        dueAt: at,
        kind: 'scheduled',
        icmp: {
          host: '127.0.0.1',
          sent: 1,
          received: 1,
          lossPct: 0,
          rttsMs: [1.5],
          rttMs: 1.5,
          minMs: 1.5,
          maxMs: 1.5,
          jitterMs: null,
        },
        snmp: null,
        interfaces: null,
        status: 'up',
      },
    });
    // the branch's backlog, from an hour ago
    const b = await linkTestBranch('bkf');
    const t0 = Date.now() - 3600_000;
    const backlog = Array.from({ length: BACKLOG }, (_v, i) =>
      report(branchDevices[i % branchDevices.length].id, new Date(t0 + i * 100), 'bkf'),
    );
    for (let i = 0; i < backlog.length; i += 250)
      await Promise.all(backlog.slice(i, i + 250).map((m) => link.js.publish(subjectOf(m, b.prefix), encodeResult(m))));
    // the branch's own live results, measured after the link came back: they queue behind the backlog
    // (longer than two leases at this pace) but are not backlog, so they are not paced themselves
    const branchLive = branchDevices.map((d) => report(d.id, new Date(), 'bkf'));
    for (const m of branchLive) await link.js.publish(subjectOf(m, b.prefix), encodeResult(m));
    const branchIds = branchDevices.map((d) => d.id);
    const backlogRows = async () =>
      Number(
        (await db.query(`SELECT count(*) AS n FROM device_samples WHERE device_id = ANY($1::uuid[])`, [branchIds]))
          .rows[0].n,
      );
    await until('the branch backlog to start being applied', async () => (await backlogRows()) > 0, 60_000);

    // a live result of a hub-local poller, published while the backlog is being applied
    const liveAt = new Date();
    const liveResult = report(liveDevice.id, liveAt, 'default');
    await link.js.publish(subjectOf(liveResult), encodeResult(liveResult));
    await until(
      'the live result committed',
      async () =>
        (await db.query(`SELECT 1 FROM device_samples WHERE device_id = $1 AND at = $2`, [liveDevice.id, liveAt]))
          .rowCount === 1,
      30_000,
    );
    // ...while the branch's backlog is still being applied behind its pacing
    const appliedWhenLiveCommitted = await backlogRows();
    expect(appliedWhenLiveCommitted).toBeLessThan(BACKLOG);
    const branchConsumer = await link.jsm.consumers.info(STREAMS.observations.name, CORE_CONSUMERS.branchObservations);
    expect(branchConsumer.num_pending + branchConsumer.num_ack_pending).toBeGreaterThan(0);

    // and the whole backlog arrives, every result stored at its original time
    await until(
      'the whole backlog and the live results behind it applied',
      async () => (await backlogRows()) === BACKLOG + branchLive.length,
      120_000,
    );
    const ingest = t.app.get(IngestService, { strict: false });
    expect(ingest.counters.backfilled).toBe(BACKLOG);
    const first = await db.query(`SELECT min(at) AS at FROM device_samples WHERE device_id = ANY($1::uuid[])`, [
      branchIds,
    ]);
    expect(new Date(first.rows[0].at).getTime()).toBe(t0);
  });

  it('upgrading from the single observations consumer: the two that replace it start where it left off', async () => {
    const obs = STREAMS.observations.name;
    const device = await deviceFactory.create(t, {});
    await linkTestBranch('bkf');
    // the state an earlier version leaves: its one consumer, having applied everything up to the stream's end
    for (const durable of [CORE_CONSUMERS.observations, CORE_CONSUMERS.branchObservations])
      await link.jsm.consumers.delete(obs, durable);
    await link.jsm.consumers.add(obs, {
      durable_name: CORE_CONSUMERS.legacyObservations,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.Last,
    });
    const legacy = await link.js.consumers.get(obs, CORE_CONSUMERS.legacyObservations);
    const last = await legacy.next({ expires: 5000 });
    expect(last).not.toBeNull();
    await last!.ackAck();
    const floor = (await link.jsm.consumers.info(obs, CORE_CONSUMERS.legacyObservations)).ack_floor.stream_seq;
    expect(floor).toBe(last!.seq);
    // a result it has not seen yet, then the new version starts
    const at = new Date();
    const m: ResultMessage = {
      poller: 'p-upgrade',
      group: 'default',
      epoch: 1,
      kind: 'report',
      deviceId: device.id,
      at,
      report: {
        deviceId: device.id,
        at,
        dueAt: at,
        kind: 'scheduled',
        icmp: null,
        snmp: null,
        interfaces: null,
        status: 'up',
      },
    };
    await link.js.publish(subjectOf(m), encodeResult(m));
    await t.restart();
    await until(
      'the unseen result committed',
      async () =>
        (await db.query(`SELECT 1 FROM device_samples WHERE device_id = $1 AND at = $2`, [device.id, at])).rowCount ===
        1,
      30_000,
    );
    const names = [];
    for await (const c of link.jsm.consumers.list(obs)) names.push(c.name);
    expect(names).not.toContain(CORE_CONSUMERS.legacyObservations);
    for (const durable of [CORE_CONSUMERS.observations, CORE_CONSUMERS.branchObservations])
      expect((await link.jsm.consumers.info(obs, durable)).config).toMatchObject({
        deliver_policy: DeliverPolicy.StartSequence,
        opt_start_seq: floor + 1,
      });
  });

  it('GET /api/pollers remembers a poller that is down across a restart of the core', async () => {
    const viewer = async () => `Bearer ${await t.tokenFor('viewer')}`;
    const lease = new PollerLease(leases, 'g-restart', 'p-restart', LEASE_SEC * 1000);
    await lease.acquire(STATS);
    const seen = await until('p-restart up', async () => {
      const res = await t.http.get('/api/pollers').set('Authorization', await viewer());
      return (res.body as { name: string; status: string; lastSeenAt: string }[]).find(
        (p) => p.name === 'p-restart' && p.status === 'up',
      );
    });
    await lease.release();
    await t.restart();
    const res = await t.http
      .get('/api/pollers')
      .set('Authorization', await viewer())
      .expect(200);
    const after = (res.body as { name: string; group: string; status: string; lastSeenAt: string }[]).find(
      (p) => p.name === 'p-restart',
    );
    expect(after).toMatchObject({ group: 'g-restart', status: 'down', devices: 0 });
    expect(new Date(after!.lastSeenAt).getTime()).toBeGreaterThanOrEqual(new Date(seen.lastSeenAt).getTime());
  });
});
