import type { KV } from '@nats-io/kv';
import type { GroupMember } from '../domain/assignment';

/** What a poller says of itself in its lease (the Pollers page shows it). */
export interface LeaseValue {
  name: string;
  group: string;
  /** 0 in the first write: the epoch is then that write's revision. */
  epoch: number;
  startedAt: string;
  devices: number;
  lagMs: number;
  backlog: number;
  publishErrors: number;
  pollsPerSec: number;
}

export interface LeaseEntry extends LeaseValue {
  /** When the server stored the last renewal. */
  renewedAt: Date;
}

const enc = (v: LeaseValue) => JSON.stringify(v);

/** Reads the live leases of every group (the bucket's TTL removes those not renewed in time). */
export async function readLeases(kv: KV, group?: string): Promise<LeaseEntry[]> {
  const keys: string[] = [];
  for await (const k of await kv.keys(group ? `${group}.*` : undefined)) keys.push(k);
  const out: LeaseEntry[] = [];
  for (const key of keys) {
    const e = await kv.get(key);
    if (!e || e.operation !== 'PUT' || !e.value.length) continue;
    try {
      const v = JSON.parse(e.string()) as LeaseValue;
      out.push({ ...v, epoch: v.epoch || e.revision, renewedAt: e.created });
    } catch {
      /* not ours */
    }
  }
  return out;
}

export const membersOf = (leases: LeaseEntry[]): GroupMember[] => leases.map((l) => ({ name: l.name, epoch: l.epoch }));

/**
 * This poller's lease: taken with a put (its revision is the epoch, the fencing token every result
 * carries), renewed with a compare-and-set on the last revision. A renewal refused because the lease
 * expired or was taken means another member may own our devices now: the caller drops its state and
 * takes a new lease with a newer epoch.
 */
export class PollerLease {
  epoch = 0;
  private revision = 0;
  private readonly startedAt = new Date().toISOString();

  constructor(
    private readonly kv: KV,
    readonly group: string,
    readonly name: string,
  ) {}

  private get key() {
    return `${this.group}.${this.name}`;
  }

  /**
   * Takes the lease. `keepEpoch`: a poller alone in its group that was cut off (nobody took its devices) keeps
   * its epoch, so the results it buffered meanwhile are not fenced out by its own newer ones.
   */
  async acquire(stats: Omit<LeaseValue, 'name' | 'group' | 'epoch' | 'startedAt'>, keepEpoch = false): Promise<number> {
    const first = { name: this.name, group: this.group, epoch: 0, startedAt: this.startedAt, ...stats };
    this.revision = await this.kv.put(this.key, enc(keepEpoch && this.epoch ? { ...first, epoch: this.epoch } : first));
    if (!keepEpoch || !this.epoch) this.epoch = this.revision;
    this.revision = await this.kv.update(this.key, enc({ ...first, epoch: this.epoch }), this.revision);
    return this.epoch;
  }

  /** 'renewed', 'lost' (expired or taken: take a new lease), or throws when NATS cannot be reached. */
  async renew(stats: Omit<LeaseValue, 'name' | 'group' | 'epoch' | 'startedAt'>): Promise<'renewed' | 'lost'> {
    const value = { name: this.name, group: this.group, epoch: this.epoch, startedAt: this.startedAt, ...stats };
    try {
      this.revision = await this.kv.update(this.key, enc(value), this.revision);
      return 'renewed';
    } catch (err) {
      if (/wrong last sequence/i.test(String((err as Error)?.message))) return 'lost';
      throw err;
    }
  }

  async release(): Promise<void> {
    await this.kv.delete(this.key).catch(() => undefined);
  }
}
