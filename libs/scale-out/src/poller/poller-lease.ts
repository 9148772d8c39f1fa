import type { KV } from '@nats-io/kv';
import type { GroupMember } from '../domain/assignment';
import type { LeaseView } from './result-fence';

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
 * takes a new lease with a newer epoch. How long the lease surely holds is kept on the monotonic clock
 * (`validUntil`, see result-fence.ts): from when the last successful write was sent, so never later than
 * the store's own expiry of the key.
 */
export class PollerLease {
  epoch = 0;
  /** Monotonic ms: the lease holds at least until then. */
  validUntil = 0;
  /** Monotonic ms of the last renewal that failed for want of the store (not refused by it). */
  unreachableAt = 0;
  private revision = 0;
  private readonly startedAt = new Date().toISOString();

  constructor(
    private readonly kv: KV,
    readonly group: string,
    readonly name: string,
    private readonly ttlMs: number,
    private readonly monotonic: () => number = () => performance.now(),
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
    const sentAt = this.monotonic();
    this.revision = await this.kv.put(this.key, enc(keepEpoch && this.epoch ? { ...first, epoch: this.epoch } : first));
    if (!keepEpoch || !this.epoch) this.epoch = this.revision;
    this.revision = await this.kv.update(this.key, enc({ ...first, epoch: this.epoch }), this.revision);
    this.validUntil = sentAt + this.ttlMs;
    return this.epoch;
  }

  /** What the fence judges results by, in the caller's lease `term`. */
  view(term: number): LeaseView {
    return { term, epoch: this.epoch, validUntil: this.validUntil, unreachableAt: this.unreachableAt };
  }

  /** 'renewed', 'lost' (expired or taken: take a new lease), or throws when NATS cannot be reached. */
  async renew(stats: Omit<LeaseValue, 'name' | 'group' | 'epoch' | 'startedAt'>): Promise<'renewed' | 'lost'> {
    const value = { name: this.name, group: this.group, epoch: this.epoch, startedAt: this.startedAt, ...stats };
    const sentAt = this.monotonic();
    try {
      this.revision = await this.kv.update(this.key, enc(value), this.revision);
      this.validUntil = sentAt + this.ttlMs;
      return 'renewed';
    } catch (err) {
      if (/wrong last sequence/i.test(String((err as Error)?.message))) {
        this.validUntil = 0;
        this.unreachableAt = 0;
        return 'lost';
      }
      this.unreachableAt = this.monotonic();
      throw err;
    }
  }

  async release(): Promise<void> {
    await this.kv.delete(this.key).catch(() => undefined);
  }
}
