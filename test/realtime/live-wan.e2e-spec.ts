import type { DevicePollReport, InterfaceReading } from '@netdesk/monitoring';
import { MonitoringStore } from '../../libs/monitoring/src/polling/monitoring-store';
import { deviceFactory, siteFactory } from '../factories/device.factory';
import { startTestApp, TestApp } from '../support/test-app';
import { connectLive, listen, LiveTestClient } from './live-client';

/**
 * `wan.reading` on the live feed: a poll's WAN circuit readings handed to the real MonitoringStore (where
 * the poll engine hands them) reach socket.io clients, coalesced per circuit within the window, per site.
 */
type WanReading = {
  deviceId: string;
  ifIndex: number;
  inBps: number | null;
  outBps: number | null;
  inUtilisationPct: number | null;
  outUtilisationPct: number | null;
  rttMs: number | null;
  jitterMs: number | null;
  at: string;
};

describe('live WAN readings (/live wan.reading)', () => {
  let t: TestApp;
  let url: string;
  let viewer: string;
  let store: MonitoringStore;
  const clients: LiveTestClient[] = [];

  beforeAll(async () => {
    t = await startTestApp('live-wan');
    url = await listen(t);
    viewer = await t.tokenFor('viewer');
    store = t.app.get(MonitoringStore);
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  afterAll(() => t?.close());

  const live = async (auth: Record<string, unknown>) => {
    const c = await connectLive(url, auth);
    clients.push(c);
    await c.next('snapshot');
    return c;
  };
  const reading = (ifIndex: number, inBps: number, outBps: number): InterfaceReading => ({
    ifIndex,
    name: `ge-0/0/${ifIndex}`,
    alias: '',
    ifType: 6,
    adminStatus: 'up',
    operStatus: 'up',
    speedBps: 1e9,
    inBps,
    outBps,
    inErrors: 0,
    outErrors: 0,
    inDiscards: 0,
    outDiscards: 0,
    counterBits: 64,
    monitored: true,
    flapping: false,
  });
  /** One poll's report as the engine hands it to the store: circuit 1 (100 Mb/s contracted), port 2 not a circuit. */
  const poll = (deviceId: string, inBps: number, rttMs = 12.5): DevicePollReport =>
    ({
      deviceId,
      at: new Date(),
      dueAt: new Date(),
      kind: 'scheduled',
      icmp: { host: '192.0.2.1', sent: 3, received: 3, lossPct: 0, rttsMs: [rttMs], rttMs, jitterMs: 1.5 },
      snmp: null,
      interfaces: [reading(1, inBps, 2e7), reading(2, 5e8, 5e8)],
      status: 'up',
      wanLinks: [{ ifIndex: 1, capacityBps: 1e8 }],
    }) as DevicePollReport;

  it('pushes a circuit reading with its utilisation against the contracted capacity, and nothing for other ports', async () => {
    const device = await deviceFactory.create(t, { kind: 'wan-link' });
    const plain = await live({ token: viewer });
    store.observe(poll(device.id, 9.45e7));
    const got = await plain.next<WanReading>('wan.reading');
    expect(got).toEqual({
      deviceId: device.id,
      ifIndex: 1,
      inBps: 9.45e7,
      outBps: 2e7,
      inUtilisationPct: 94.5,
      outUtilisationPct: 20,
      rttMs: 12.5,
      jitterMs: 1.5,
      at: expect.any(String),
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(plain.of<WanReading>('wan.reading').filter((r) => r.ifIndex === 2)).toEqual([]);
  });

  it('coalesces a burst of readings of one circuit to the latest, in batch frames too', async () => {
    const device = await deviceFactory.create(t, { kind: 'wan-link' });
    const plain = await live({ token: viewer });
    const batched = await live({ token: viewer, batch: true });
    for (let i = 1; i <= 20; i++) store.observe(poll(device.id, i * 1e6, i));
    const mine = (rs: WanReading[]) => rs.filter((r) => r.deviceId === device.id);
    const batchedReadings = () =>
      batched
        .of<{ event: string; data: WanReading }[]>('batch')
        .flat()
        .filter((f) => f.event === 'wan.reading')
        .map((f) => f.data);
    await plain.until(() => mine(plain.of<WanReading>('wan.reading')).some((r) => r.rttMs === 20), 5000, 'last');
    await batched.until(() => mine(batchedReadings()).some((r) => r.rttMs === 20), 5000, 'last (batch)');
    const seen = mine(plain.of<WanReading>('wan.reading'));
    expect(seen.length).toBeLessThan(20);
    expect(seen.at(-1)).toMatchObject({ inBps: 2e7, inUtilisationPct: 20, rttMs: 20 });
    expect(mine(batchedReadings()).length).toBeLessThan(20);
    expect(batched.of('wan.reading')).toEqual([]);
  });

  it('goes to the device site and to everyone, not to another site', async () => {
    const [site, other] = [await siteFactory.create(t), await siteFactory.create(t)];
    const device = await deviceFactory.create(t, { kind: 'wan-link', siteId: site.id });
    const here = await live({ token: viewer, siteId: site.id });
    const elsewhere = await live({ token: viewer, siteId: other.id });
    store.observe(poll(device.id, 5e7));
    expect(await here.next<WanReading>('wan.reading')).toMatchObject({ deviceId: device.id, inUtilisationPct: 50 });
    await new Promise((r) => setTimeout(r, 300));
    expect(elsewhere.of('wan.reading')).toEqual([]);
  });
});
