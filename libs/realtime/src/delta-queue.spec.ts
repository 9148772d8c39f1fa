import { DeltaQueue } from './delta-queue';
import type { LiveDelta } from './live.events';

const NO_STATES = { inMaintenance: false, maintenanceUntil: null, flapping: false, pollerName: null, stale: false };

const status = (deviceId: string, previousStatus: string, status: string): LiveDelta => ({
  event: 'device.status',
  siteId: null,
  data: { deviceId, status, previousStatus, at: '2026-06-01T08:00:00.000Z', ...NO_STATES },
});
const ticket = (event: 'ticket.opened' | 'ticket.updated', id: string, status: string): LiveDelta =>
  ({ event, siteId: null, data: { ticket: { id, status } } }) as unknown as LiveDelta;

describe('DeltaQueue', () => {
  it('keeps one entry per device: the last status, with the status before the first change', () => {
    const q = new DeltaQueue(10);
    q.push(status('a', 'up', 'down'));
    q.push(status('b', 'up', 'degraded'));
    q.push(status('a', 'down', 'unreachable'));
    expect(q.drain().map((d) => d.data)).toEqual([
      expect.objectContaining({ deviceId: 'b', previousStatus: 'up', status: 'degraded' }),
      expect.objectContaining({ deviceId: 'a', previousStatus: 'up', status: 'unreachable' }),
    ]);
    expect(q.size).toBe(0);
  });

  it('keeps interfaces of one device apart', () => {
    const q = new DeltaQueue(10);
    for (const ifIndex of [1, 2, 1]) {
      q.push({
        event: 'interface.status',
        siteId: null,
        data: { deviceId: 'a', ifIndex, operStatus: 'down', previousOperStatus: 'up', at: '' },
      });
    }
    expect(q.size).toBe(2);
  });

  it('announces a ticket opened and updated within one window as opened, with its latest state', () => {
    const q = new DeltaQueue(10);
    q.push(ticket('ticket.opened', 't1', 'open'));
    q.push(ticket('ticket.updated', 't1', 'acknowledged'));
    q.push(ticket('ticket.updated', 't2', 'resolved'));
    expect(q.drain().map((d) => [d.event, (d.data as { ticket: { status: string } }).ticket.status])).toEqual([
      ['ticket.opened', 'acknowledged'],
      ['ticket.updated', 'resolved'],
    ]);
  });

  it('empties itself and says so when more distinct things than its cap are pending', () => {
    const q = new DeltaQueue(3);
    expect([1, 2, 3].map((i) => q.push(status(`d${i}`, 'up', 'down')))).toEqual([true, true, true]);
    expect(q.push(status('d1', 'down', 'up'))).toBe(true); // coalesced: still 3
    expect(q.push(status('d4', 'up', 'down'))).toBe(false);
    expect(q.size).toBe(0);
  });
});
