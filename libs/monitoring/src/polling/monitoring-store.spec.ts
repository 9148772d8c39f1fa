import { EventBus } from '@netdesk/core';
import type { MeasurementWriter } from '../measurements';
import type { MonitoringRepository } from './monitoring.repository';
import { MONITORING_EVENTS } from './monitoring.events';
import { MAX_HELD_CHANGE_BATCHES, MonitoringStore } from './monitoring-store';
import type { MonitoringChange } from './poll-engine.types';

/** A repository whose database can be switched off: it then fails the way pg does (ECONNREFUSED). */
class FakeRepo {
  down = false;
  stored: MonitoringChange[] = [];
  async commit(changes: MonitoringChange[]): Promise<number[]> {
    if (this.down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    this.stored.push(...changes);
    return changes.map((_, i) => this.stored.length - changes.length + i + 1);
  }
  async writeLastPolls(): Promise<void> {
    if (this.down) throw new Error('Connection terminated unexpectedly');
  }
  async writeInterfaces(): Promise<void> {}
}

const change = (deviceId: string, to: 'up' | 'down', at: string): MonitoringChange => ({
  kind: 'device_status',
  deviceId,
  from: to === 'down' ? 'up' : 'down',
  to,
  reason: null,
  causes: [],
  at: new Date(at),
});

describe('MonitoringStore while the database is unavailable', () => {
  let repo: FakeRepo;
  let bus: EventBus;
  let store: MonitoringStore;
  let published: { deviceId: string; to: string; at: Date }[];

  beforeEach(() => {
    repo = new FakeRepo();
    bus = new EventBus();
    published = [];
    bus.subscribe<{ deviceId: string; to: string; at: Date }>(MONITORING_EVENTS.deviceStatus, (e) => {
      published.push({ deviceId: e.deviceId, to: e.to, at: e.at });
    });
    store = new MonitoringStore(repo as unknown as MonitoringRepository, bus, {} as MeasurementWriter);
  });

  it('holds changes in order, publishes nothing until stored, then writes them with their original times', async () => {
    repo.down = true;
    await store.commit([change('a', 'down', '2026-01-01T00:00:01Z')]);
    await store.commit([change('b', 'down', '2026-01-01T00:00:02Z')]);
    repo.down = false; // back: a new change must still go after the held ones
    await store.commit([change('a', 'up', '2026-01-01T00:00:03Z')]);
    expect(published).toEqual([]);
    expect(store.heldChanges).toBe(3);

    await store.writeHeld();
    expect(repo.stored.map((c) => `${c.deviceId}:${(c as { to: string }).to}@${c.at.toISOString()}`)).toEqual([
      'a:down@2026-01-01T00:00:01.000Z',
      'b:down@2026-01-01T00:00:02.000Z',
      'a:up@2026-01-01T00:00:03.000Z',
    ]);
    expect(published.map((p) => p.deviceId + p.to)).toEqual(['adown', 'bdown', 'aup']);
    expect(store.heldChanges).toBe(0);
  });

  it('keeps the oldest when the hold is full and refuses newer changes (the poller finds them again)', async () => {
    repo.down = true;
    for (let i = 0; i < MAX_HELD_CHANGE_BATCHES; i++)
      await store.commit([change(`d${i}`, 'down', '2026-01-01T00:00:00Z')]);
    await expect(store.commit([change('late', 'down', '2026-01-01T00:01:00Z')])).rejects.toThrow(/hold is full/);
    repo.down = false;
    await store.writeHeld();
    expect(repo.stored).toHaveLength(MAX_HELD_CHANGE_BATCHES);
    expect(repo.stored[0].deviceId).toBe('d0');
    expect(repo.stored.some((c) => c.deviceId === 'late')).toBe(false);
  });

  it('still throws errors that are not about availability (the engine rolls back and re-polls)', async () => {
    repo.commit = async () => {
      throw Object.assign(new Error('invalid input'), { code: '22P02' });
    };
    await expect(store.commit([change('a', 'down', '2026-01-01T00:00:00Z')])).rejects.toThrow('invalid input');
    expect(store.heldChanges).toBe(0);
  });

  afterEach(async () => {
    await store.onModuleDestroy();
  });
});
