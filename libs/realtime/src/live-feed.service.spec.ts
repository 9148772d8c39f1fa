import { Logger } from '@nestjs/common';
import { FakeClock } from '@netdesk/core';
import type { AuthService } from '@netdesk/auth';
import { LiveClientInfo, LiveFeedService } from './live-feed.service';
import type { LiveDelta, LiveFrame, SnapshotMessage, SnapshotView } from './live.events';
import { LiveSnapshotSource, LiveTransport } from './live.ports';

const NO_STATES = { inMaintenance: false, maintenanceUntil: null, flapping: false, pollerName: null, stale: false };

class FakeTransport implements LiveTransport {
  readonly received = new Map<string, LiveFrame[]>();
  readonly backlogs = new Map<string, number>();
  readonly disconnected: string[] = [];
  sends = 0;

  send(clientIds: string[], frames: LiveFrame[]): void {
    this.sends += 1;
    for (const id of clientIds) this.received.set(id, [...(this.received.get(id) ?? []), ...frames]);
  }
  backlog(clientId: string): number {
    return this.backlogs.get(clientId) ?? 0;
  }
  disconnect(clientId: string): void {
    this.disconnected.push(clientId);
  }
  events(clientId: string): string[] {
    return (this.received.get(clientId) ?? []).map((f) => f.event);
  }
}

class FakeSnapshots extends LiveSnapshotSource {
  loads: (string | null)[] = [];
  views: SnapshotView[] = [];
  async load(siteId: string | null, view: SnapshotView): Promise<SnapshotMessage> {
    this.loads.push(siteId);
    this.views.push(view);
    return { devices: [], openTickets: [] };
  }
  async assertSite(): Promise<void> {}
}

const status = (deviceId: string, to: string, siteId: string | null = null): LiveDelta => ({
  event: 'device.status',
  siteId,
  data: { deviceId, status: to, previousStatus: 'up', at: '2026-06-01T08:00:00.000Z', ...NO_STATES },
});

describe('LiveFeedService', () => {
  const clock = new FakeClock(new Date('2026-06-01T08:00:00Z'));
  const hour = 3600_000;
  let transport: FakeTransport;
  let snapshots: FakeSnapshots;
  let feed: LiveFeedService;
  const info = (over: Partial<LiveClientInfo> = {}): LiveClientInfo => ({
    userId: 'u1',
    expiresAt: new Date(clock.now().getTime() + hour),
    siteId: null,
    batch: false,
    view: 'full',
    ...over,
  });
  /** Lets the snapshot promises settle, then runs due timers. */
  const settle = async (ms = 0) => {
    await jest.advanceTimersByTimeAsync(ms);
  };

  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(() => {
    jest.useFakeTimers();
    transport = new FakeTransport();
    snapshots = new FakeSnapshots();
    feed = new LiveFeedService({} as AuthService, snapshots, clock, {
      windowMs: 50,
      clientQueueCap: 5,
      maintenanceCheckMs: 60_000,
      audienceQueueCap: 100,
    });
    feed.attach(transport);
  });
  afterEach(() => {
    feed.onModuleDestroy();
    jest.useRealTimers();
  });

  it('reads each snapshot in the view the client asked for, also after a site change', async () => {
    feed.connect('board', info({ view: 'summary' }));
    feed.connect('script', info());
    await settle();
    await feed.subscribe('board', 'site-a');
    await settle();
    expect(snapshots.loads).toEqual([null, null, 'site-a']);
    expect(snapshots.views).toEqual(['summary', 'full', 'summary']);
  });

  it('sends the snapshot first, then one window of changes together, coalesced per device', async () => {
    feed.connect('c1', info());
    feed.accept(status('a', 'down')); // before the snapshot went out: waits behind it
    await settle();
    for (const s of ['down', 'up', 'degraded']) feed.accept(status('b', s));
    expect(transport.events('c1')).toEqual(['snapshot']);
    await settle(50);
    const frames = transport.received.get('c1')!;
    expect(frames.map((f) => f.event)).toEqual(['snapshot', 'device.status', 'device.status']);
    expect(frames.slice(1).map((f) => f.data)).toEqual([
      expect.objectContaining({ deviceId: 'a', status: 'down' }),
      expect.objectContaining({ deviceId: 'b', status: 'degraded' }),
    ]);
  });

  it('sends one batch frame per window to clients that asked for batches, and encodes once per audience', async () => {
    feed.connect('p1', info());
    feed.connect('p2', info());
    feed.connect('b1', info({ batch: true }));
    await settle();
    const before = transport.sends;
    for (let i = 0; i < 30; i++) feed.accept(status(`d${i % 10}`, i % 2 ? 'up' : 'down'));
    await settle(50);
    expect(transport.events('b1')).toEqual(['snapshot', 'batch']);
    expect((transport.received.get('b1')![1].data as LiveFrame[]).length).toBe(10);
    expect(transport.events('p1')).toHaveLength(11);
    expect(transport.sends - before).toBe(2); // one send for both plain clients, one for the batch client
  });

  it('filters by site, and a subscribe switches the view with a fresh snapshot', async () => {
    feed.connect('c1', info({ siteId: 's1' }));
    await settle();
    feed.accept(status('a', 'down', 's1'));
    feed.accept(status('b', 'down', 's2'));
    feed.accept(status('c', 'down', null));
    await settle(50);
    expect(
      transport.received
        .get('c1')!
        .slice(1)
        .map((f) => (f.data as { deviceId: string }).deviceId),
    ).toEqual(['a']);
    await feed.subscribe('c1', 's2');
    await settle();
    expect(snapshots.loads).toEqual(['s1', 's2']);
    feed.accept(status('a', 'up', 's1'));
    feed.accept(status('b', 'up', 's2'));
    await settle(50);
    expect(transport.events('c1')).toEqual(['snapshot', 'device.status', 'snapshot', 'device.status']);
  });

  it('holds changes for a client that is not keeping up, coalesced, and sends them once it is', async () => {
    feed.connect('slow', info());
    feed.connect('fast', info());
    await settle();
    transport.backlogs.set('slow', 3);
    feed.accept(status('a', 'down'));
    await settle(50);
    feed.accept(status('a', 'up'));
    feed.accept(status('b', 'down'));
    await settle(50);
    expect(transport.events('slow')).toEqual(['snapshot']);
    expect(transport.events('fast')).toEqual(['snapshot', 'device.status', 'device.status', 'device.status']);
    transport.backlogs.set('slow', 0);
    await settle(50);
    expect(
      transport.received
        .get('slow')!
        .slice(1)
        .map((f) => f.data),
    ).toEqual([
      expect.objectContaining({ deviceId: 'a', status: 'up', previousStatus: 'up' }),
      expect.objectContaining({ deviceId: 'b', status: 'down' }),
    ]);
  });

  it('drops the queue of a client past its cap and sends it a fresh snapshot when it catches up', async () => {
    feed.connect('slow', info());
    await settle();
    transport.backlogs.set('slow', 10);
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 4; i++) feed.accept(status(`r${round}-d${i}`, 'down'));
      await settle(50);
    }
    expect(feed.stats.overflows).toBe(1); // over the cap of 5 once; nothing more is queued after that
    expect(transport.events('slow')).toEqual(['snapshot']);
    transport.backlogs.set('slow', 0);
    await settle(50);
    expect(transport.events('slow')).toEqual(['snapshot', 'snapshot']);
    expect(snapshots.loads).toHaveLength(2);
    feed.accept(status('z', 'down'));
    await settle(50);
    expect(transport.events('slow')).toEqual(['snapshot', 'snapshot', 'device.status']);
  });

  it('ends the connection when its token expires, saying why', async () => {
    feed.connect('c1', info({ expiresAt: new Date(clock.now().getTime() + 60_000) }));
    await settle();
    clock.advance(59_999);
    await settle(59_999);
    expect(transport.disconnected).toEqual([]);
    clock.advance(1);
    await settle(1);
    expect(transport.disconnected).toEqual(['c1']);
    expect(transport.received.get('c1')!.at(-1)).toEqual({
      event: 'session.expired',
      data: { reason: 'token expired', expiredAt: '2026-06-01T08:01:00.000Z' },
    });
    expect(feed.connected).toBe(0);
  });

  it('re-arms the timer for tokens that outlive setTimeout (30 days)', async () => {
    const start = clock.now().getTime();
    feed.connect('c1', info({ expiresAt: new Date(start + 30 * 24 * hour) }));
    await settle();
    clock.advance(25 * 24 * hour);
    await settle(25 * 24 * hour);
    expect(transport.disconnected).toEqual([]);
    clock.advance(5 * 24 * hour);
    await settle(5 * 24 * hour);
    expect(transport.disconnected).toEqual(['c1']);
  });
});
