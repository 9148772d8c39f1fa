import { EventBus } from '@netdesk/core';
import { MONITORING_EVENTS, type MonitoringChange } from '@netdesk/monitoring';
import { LiveFeedService } from '@netdesk/realtime';
import { MonitoringStore } from '../../libs/monitoring/src/polling/monitoring-store';
import { deviceFactory, siteFactory } from '../factories/device.factory';
import { startTestApp, TestApp } from '../support/test-app';
import { connectLive, listen, LiveTestClient } from './live-client';

/**
 * The live feed end to end: socket.io-client against the whole app listening on a random port.
 * Status changes go through the real MonitoringStore (stored, then published on the bus), tickets
 * through the REST API; bursts are published on the bus directly, as the poller's store does.
 */
type Device = { id: string; status: string; siteId: string | null };
type Ticket = { id: string; status: string; deviceId: string | null };
type Snapshot = { devices: Device[]; openTickets: Ticket[] };
type DeviceStatus = { deviceId: string; status: string; previousStatus: string; at: string };

describe('live updates (/live)', () => {
  let t: TestApp;
  let url: string;
  let admin: string;
  let viewer: string;
  let agent: string;
  let store: MonitoringStore;
  let bus: EventBus;
  const clients: LiveTestClient[] = [];

  beforeAll(async () => {
    t = await startTestApp('live');
    url = await listen(t);
    admin = await t.tokenFor('admin');
    viewer = await t.tokenFor('viewer');
    agent = await t.tokenFor('agent');
    store = t.app.get(MonitoringStore);
    bus = t.app.get(EventBus);
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  afterAll(async () => {
    await t?.close();
  });

  const live = async (auth: Record<string, unknown>, query?: Record<string, string>) => {
    const c = await connectLive(url, auth, { query });
    clients.push(c);
    return c;
  };
  const statusChange = (deviceId: string, from: string, to: string): MonitoringChange =>
    ({
      kind: 'device_status',
      deviceId,
      from,
      to,
      reason: `${from} → ${to}`,
      causes: [],
      at: new Date(),
    }) as MonitoringChange;
  const rest = async (path: string) =>
    (await t.http.get(path).set('Authorization', `Bearer ${admin}`).expect(200)).body;

  describe('handshake', () => {
    it('refuses a connection without a token, with a bad token, or with a malformed site', async () => {
      await expect(connectLive(url, {})).rejects.toThrow(/missing bearer token/);
      await expect(connectLive(url, { token: 'not-a-jwt' })).rejects.toThrow(/invalid or expired token/);
      await expect(connectLive(url, { token: `${viewer}x` })).rejects.toThrow(/invalid or expired token/);
      const bad = await connectLive(url, { token: viewer, siteId: 'nope' }).catch((e) => e);
      expect(bad.message).toMatch(/siteId must be a UUID/);
      expect(bad.data).toMatchObject({ statusCode: 400 });
      const unknownSite = await connectLive(url, {
        token: viewer,
        siteId: '00000000-0000-4000-8000-000000000000',
      }).catch((e) => e);
      expect(unknownSite.data).toMatchObject({
        statusCode: 404,
        message: [expect.stringMatching(/site .* not found/)],
      });
    });

    it('accepts any signed-in role, even the lowest', async () => {
      const c = await live({ token: viewer });
      await c.next('snapshot');
    });
  });

  describe('snapshot', () => {
    it('holds the devices as GET /api/devices returns them and the open tickets as GET /api/tickets does', async () => {
      const d1 = await deviceFactory.create(t);
      await deviceFactory.create(t);
      const agentAuth = `Bearer ${agent}`;
      const open = await t.http
        .post('/api/tickets')
        .set('Authorization', agentAuth)
        .send({ title: 'open one', deviceId: d1.id });
      const done = await t.http.post('/api/tickets').set('Authorization', agentAuth).send({ title: 'resolved one' });
      await t.http
        .post(`/api/tickets/${done.body.id}/resolve`)
        .set('Authorization', agentAuth)
        .send({ resolution: 'fixed' })
        .expect(200);

      const c = await live({ token: admin });
      const snapshot = await c.next<Snapshot>('snapshot');
      const devices = await rest('/api/devices');
      const tickets = (await rest('/api/tickets')) as Ticket[];
      expect(snapshot.devices).toEqual(devices);
      expect(snapshot.openTickets).toEqual(tickets.filter((x) => !['resolved', 'closed'].includes(x.status)));
      expect(snapshot.openTickets.map((x) => x.id)).toContain(open.body.id);
      expect(snapshot.openTickets.map((x) => x.id)).not.toContain(done.body.id);
      expect(c.events[0].event).toBe('snapshot');
    });

    it('holds device summaries, the same devices in the same order, for a client asking view: summary', async () => {
      const site = await siteFactory.create(t);
      const parent = await deviceFactory.create(t, { siteId: site.id, tags: ['core'] });
      await deviceFactory.create(t, { siteId: site.id, parentId: parent.id });
      await store.commit([statusChange(parent.id, 'unknown', 'down')]);

      const c = await live({ token: viewer, view: 'summary' });
      const snapshot = await c.next<{ devices: Record<string, unknown>[] }>('snapshot');
      const full = (await rest('/api/devices')) as Record<string, unknown>[];
      const keys = ['id', 'name', 'host', 'siteId', 'parentId', 'kind', 'status', 'statusSince'];
      const pick = (d: Record<string, unknown>) => ({
        ...Object.fromEntries(
          [...keys, 'statusReason', 'flapping', 'inMaintenance', 'maintenanceUntil', 'pollerName', 'stale', 'tags'].map(
            (k) => [k, d[k]],
          ),
        ),
        ...(d.sysName !== undefined && { sysName: d.sysName }),
      });
      expect(snapshot.devices).toEqual(full.map(pick));
      expect(snapshot.devices.find((d) => d.id === parent.id)).toMatchObject({ status: 'down', tags: ['core'] });
      expect(snapshot.devices[0]).not.toHaveProperty('criticality');
      expect(snapshot.devices[0]).not.toHaveProperty('lastPoll');

      const bad = await connectLive(url, { token: viewer, view: 'tiny' }).catch((e) => e);
      expect(bad.data).toMatchObject({ statusCode: 400, message: ['view must be one of: full, summary'] });
    });
  });

  describe('deltas', () => {
    it('pushes device.status when monitoring stores a status change', async () => {
      const d = await deviceFactory.create(t);
      const c = await live({ token: viewer });
      await c.next('snapshot');
      await store.commit([statusChange(d.id, 'unknown', 'up')]);
      await store.commit([statusChange(d.id, 'up', 'degraded')]);
      await c.until(() =>
        c.of<DeviceStatus>('device.status').some((e) => e.deviceId === d.id && e.status === 'degraded'),
      );
      const mine = c.of<DeviceStatus>('device.status').filter((e) => e.deviceId === d.id);
      expect(mine[mine.length - 1]).toEqual({
        deviceId: d.id,
        status: 'degraded',
        previousStatus: mine.length === 1 ? 'unknown' : 'up',
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
        inMaintenance: false,
        maintenanceUntil: null,
        flapping: false,
        pollerName: null,
        stale: false,
      });
      const [device] = (await rest('/api/devices')).filter((x: Device) => x.id === d.id);
      expect(device.status).toBe('degraded');
    });

    it('pushes interface.status when an interface changes', async () => {
      const d = await deviceFactory.create(t);
      const c = await live({ token: viewer });
      await c.next('snapshot');
      await store.commit([
        {
          kind: 'interface_status',
          deviceId: d.id,
          ifIndex: 7,
          name: 'Gi0/7',
          alias: 'uplink',
          monitored: true,
          from: 'up',
          to: 'down',
          at: new Date(),
        },
      ]);
      expect(await c.next('interface.status')).toEqual({
        deviceId: d.id,
        ifIndex: 7,
        operStatus: 'down',
        previousOperStatus: 'up',
        at: expect.any(String),
      });
    });

    it('pushes ticket.opened and ticket.updated with the ticket as the REST API represents it', async () => {
      const d = await deviceFactory.create(t);
      const c = await live({ token: viewer });
      await c.next('snapshot');
      const auth = `Bearer ${agent}`;
      const created = await t.http
        .post('/api/tickets')
        .set('Authorization', auth)
        .send({ title: 'fan noise', deviceId: d.id, priority: 'P3' })
        .expect(201);
      // the previous test's interface fault may open its own ticket meanwhile: look for this one
      await c.until(() => c.of<{ ticket: Ticket }>('ticket.opened').some((e) => e.ticket.id === created.body.id));
      const opened = c.of<{ ticket: Ticket }>('ticket.opened').find((e) => e.ticket.id === created.body.id);
      expect(opened).toEqual({ ticket: created.body });
      const acked = await t.http
        .post(`/api/tickets/${created.body.id}/acknowledge`)
        .set('Authorization', auth)
        .expect(200);
      await c.until(() =>
        c
          .of<{ ticket: Ticket }>('ticket.updated')
          .some((e) => e.ticket.id === acked.body.id && e.ticket.status === 'acknowledged'),
      );
      const updated = c.of<{ ticket: Ticket }>('ticket.updated').filter((e) => e.ticket.status === 'acknowledged');
      expect(updated[updated.length - 1]).toEqual({ ticket: acked.body });
    });
  });

  describe('site subscription', () => {
    it('sends only the subscribed site’s devices and changes, from the handshake or a subscribe message', async () => {
      const [siteA, siteB] = [await siteFactory.create(t), await siteFactory.create(t)];
      const a = await deviceFactory.create(t, { siteId: siteA.id });
      const b = await deviceFactory.create(t, { siteId: siteB.id });
      const ticketB = await t.http
        .post('/api/tickets')
        .set('Authorization', `Bearer ${agent}`)
        .send({ title: 'in B', deviceId: b.id })
        .expect(201);

      const c = await live({ token: viewer, siteId: siteA.id });
      const viaQuery = await live({ token: viewer }, { siteId: siteA.id });
      const everyone = await live({ token: viewer });
      const snapshot = await c.next<Snapshot>('snapshot');
      expect(snapshot.devices.map((x) => x.id)).toEqual([a.id]);
      expect(snapshot.openTickets).toEqual([]);
      expect((await viaQuery.next<Snapshot>('snapshot')).devices.map((x) => x.id)).toEqual([a.id]);
      await everyone.next('snapshot');

      await store.commit([statusChange(b.id, 'unknown', 'up')]);
      await store.commit([statusChange(a.id, 'unknown', 'up')]);
      await everyone.until(
        () => everyone.of<DeviceStatus>('device.status').filter((e) => [a.id, b.id].includes(e.deviceId)).length === 2,
      );
      await c.next('device.status');
      await new Promise((r) => setTimeout(r, 150));
      expect(c.of<DeviceStatus>('device.status').map((e) => e.deviceId)).toEqual([a.id]);
      expect(viaQuery.of<DeviceStatus>('device.status').map((e) => e.deviceId)).toEqual([a.id]);

      // a malformed subscribe is refused like any invalid body; the subscription stays
      const refused = await c.socket.emitWithAck('subscribe', { siteId: 'x' });
      expect(refused).toMatchObject({ ok: false, statusCode: 400, message: ['siteId must be a UUID'] });
      const unknownField = await c.socket.emitWithAck('subscribe', { siteId: siteB.id, extra: 1 });
      expect(unknownField).toMatchObject({ ok: false, statusCode: 400, message: ['property extra should not exist'] });

      // switching to site B: a fresh snapshot of B, then only B's changes
      expect(await c.socket.emitWithAck('subscribe', { siteId: siteB.id })).toEqual({ ok: true, siteId: siteB.id });
      const second = await c.next<Snapshot>('snapshot', 2);
      expect(second.devices.map((x) => x.id)).toEqual([b.id]);
      expect(second.openTickets.map((x) => x.id)).toEqual([ticketB.body.id]);
      await store.commit([statusChange(a.id, 'up', 'down')]);
      await store.commit([statusChange(b.id, 'up', 'down')]);
      await c.until(() => c.of<DeviceStatus>('device.status').some((e) => e.deviceId === b.id));
      expect(c.of<DeviceStatus>('device.status').map((e) => e.deviceId)).toEqual([a.id, b.id]);

      // and back to every site
      expect(await c.socket.emitWithAck('subscribe', { siteId: null })).toEqual({ ok: true, siteId: null });
      const all = await c.next<Snapshot>('snapshot', 3);
      expect(all.devices.map((x) => x.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    });
  });

  describe('coalescing', () => {
    it('a burst of 1,000 changes for 100 devices arrives as few frames, ending at each device’s last status', async () => {
      const devices = await Promise.all(Array.from({ length: 100 }, () => deviceFactory.create(t)));
      const plain = await live({ token: viewer });
      const batched = await live({ token: viewer, batch: true });
      await plain.next('snapshot');
      await batched.next('snapshot');
      const frames = { plain: 0, batched: 0 };
      plain.socket.io.engine.on('packet', () => (frames.plain += 1));
      batched.socket.io.engine.on('packet', () => (frames.batched += 1));

      const cycle = ['up', 'degraded', 'down', 'unreachable'];
      const last = new Map<string, string>();
      for (let i = 0; i < 1000; i++) {
        const d = devices[i % 100];
        const from = last.get(d.id) ?? 'unknown';
        const k = Math.floor(i / 100) + (i % 7);
        const to = cycle[k % 4] === from ? cycle[(k + 1) % 4] : cycle[k % 4];
        bus.publish(MONITORING_EVENTS.deviceStatus, { ...statusChange(d.id, from, to), historyId: i });
        last.set(d.id, to);
      }

      const finalOf = (events: DeviceStatus[]) => {
        const m = new Map<string, string>();
        for (const e of events) m.set(e.deviceId, e.status);
        return m;
      };
      const batchedStatuses = () =>
        batched
          .of<{ event: string; data: DeviceStatus }[]>('batch')
          .flat()
          .filter((f) => f.event === 'device.status')
          .map((f) => f.data);
      const settled = (events: () => DeviceStatus[]) => () => {
        const m = finalOf(events());
        return devices.every((d) => m.get(d.id) === last.get(d.id));
      };
      await plain.until(
        settled(() => plain.of<DeviceStatus>('device.status')),
        5000,
        'every last status (plain)',
      );
      await batched.until(settled(batchedStatuses), 5000, 'every last status (batch)');
      await new Promise((r) => setTimeout(r, 200));

      expect(finalOf(plain.of<DeviceStatus>('device.status'))).toEqual(last);
      expect(finalOf(batchedStatuses())).toEqual(last);
      // intermediate states of a device are dropped within a window, its last one never
      expect(plain.of('device.status').length).toBeLessThanOrEqual(300);
      expect(frames.plain).toBeLessThanOrEqual(300);
      expect(frames.batched).toBeLessThanOrEqual(10);
      expect(batched.of('device.status')).toEqual([]);
    });
  });

  describe('slow clients', () => {
    it('caps what a client that stopped reading costs, then sends it a fresh snapshot when it reads again', async () => {
      const feed = t.app.get(LiveFeedService);
      const d = await deviceFactory.create(t);
      const slow = await live({ token: viewer });
      await slow.next('snapshot');
      const ws = (slow.socket.io.engine.transport as unknown as { ws: { _socket: NodeJS.ReadableStream } }).ws;
      ws._socket.pause();
      const overflowsBefore = feed.stats.overflows;
      const rss = process.memoryUsage().rss;
      // 40 windows of 2,000 distinct interface changes (~250 kB each): far more than the socket buffers hold
      for (let round = 0; round < 40 && feed.stats.overflows === overflowsBefore; round++) {
        for (let i = 0; i < 2000; i++) {
          bus.publish(MONITORING_EVENTS.interfaceStatus, {
            kind: 'interface_status',
            deviceId: d.id,
            ifIndex: i,
            name: `port-${i}-${'x'.repeat(40)}`,
            alias: '',
            monitored: false,
            from: round % 2 ? 'down' : 'up',
            to: round % 2 ? 'up' : 'down',
            at: new Date(),
            historyId: round * 2000 + i,
          });
        }
        await new Promise((r) => setTimeout(r, 80));
      }
      expect(feed.stats.overflows).toBeGreaterThan(overflowsBefore);
      expect(process.memoryUsage().rss - rss).toBeLessThan(200 * 1024 * 1024);

      await store.commit([statusChange(d.id, 'unknown', 'down')]);
      ws._socket.resume();
      // it catches up with a fresh snapshot that already holds the latest status
      const fresh = await slow.next<Snapshot>('snapshot', 2, 15000);
      expect(fresh.devices.find((x) => x.id === d.id)?.status).toBe('down');
    });
  });
});
