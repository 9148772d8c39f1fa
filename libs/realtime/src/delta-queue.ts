import type { LiveDelta } from './live.events';

/** The identity a delta coalesces on: a later change of the same thing replaces an earlier one. */
export function deltaKey(delta: LiveDelta): string {
  switch (delta.event) {
    case 'device.status':
      return `d:${delta.data.deviceId}`;
    case 'interface.status':
      return `i:${delta.data.deviceId}:${delta.data.ifIndex}`;
    case 'wan.reading':
      return `w:${delta.data.deviceId}:${delta.data.ifIndex}`;
    default:
      return `t:${delta.data.ticket.id}`;
  }
}

/**
 * Folds a later delta of the same thing into an earlier one. The result carries the later state and
 * the earlier "previous" state, so a client sees one consistent transition from what it last saw to
 * what is true now; a ticket opened and then updated in the same window is still announced as opened.
 */
export function mergeDeltas(earlier: LiveDelta, later: LiveDelta): LiveDelta {
  if (earlier.event === 'device.status' && later.event === 'device.status') {
    return { ...later, data: { ...later.data, previousStatus: earlier.data.previousStatus } };
  }
  if (earlier.event === 'interface.status' && later.event === 'interface.status') {
    return { ...later, data: { ...later.data, previousOperStatus: earlier.data.previousOperStatus } };
  }
  if (earlier.event === 'ticket.opened' && later.event === 'ticket.updated') {
    return { ...later, event: 'ticket.opened' };
  }
  return later;
}

/**
 * The pending changes for one audience or one client: at most one entry per device, interface and
 * ticket and WAN circuit reading (the latest), in the order of their latest change, and never more than `cap` entries. Pure
 * logic, no timers: the feed decides when to drain.
 */
export class DeltaQueue {
  private readonly pending = new Map<string, LiveDelta>();

  constructor(private readonly cap: number) {}

  get size(): number {
    return this.pending.size;
  }

  /**
   * Adds a change, replacing an earlier one of the same thing. Returns false when the queue would
   * exceed its cap: it is then emptied, and the owner must send a fresh snapshot instead.
   */
  push(delta: LiveDelta): boolean {
    const key = deltaKey(delta);
    const earlier = this.pending.get(key);
    if (earlier) this.pending.delete(key);
    this.pending.set(key, earlier ? mergeDeltas(earlier, delta) : delta);
    if (this.pending.size > this.cap) {
      this.pending.clear();
      return false;
    }
    return true;
  }

  drain(): LiveDelta[] {
    const all = [...this.pending.values()];
    this.pending.clear();
    return all;
  }

  clear(): void {
    this.pending.clear();
  }
}
