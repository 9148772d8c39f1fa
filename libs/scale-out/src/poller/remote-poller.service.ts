import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { KV } from '@nats-io/kv';
import { NetdeskConfig } from '@netdesk/config';
import { Clock } from '@netdesk/core';
import { firstDueAt, nestProbeLogger, PollEngine, SnmpClient, TrapReceiver } from '@netdesk/monitoring';
import type { IcmpProber, TrapEvent } from '@netdesk/monitoring';
import { ownerOf } from '../domain/assignment';
import { decodeRecord, DeviceRecord } from '../transport/device-record';
import type { Origin } from '../transport/envelope';
import { NatsLink } from '../transport/nats-link';
import { DeviceCache } from './device-cache';
import { JetStreamPollSink, SinkCounters } from './jetstream-poll-sink';
import { createPollEngine, createProbes } from './poller-engine.factory';
import { LeaseEntry, membersOf, PollerLease, readLeases } from './poller-lease';
import { fenceVerdict } from './result-fence';
import { TrapForwarder } from './trap-forwarder';

/**
 * A poller on its own (apps/poller) or embedded in a core with NATS_URL: takes a lease in its group,
 * polls the devices of its group that rendezvous hashing gives it, and publishes every result to
 * JetStream. Without NATS it keeps polling what it last owned, from its sealed cache. Each lease term
 * (from taking the lease to learning it was lost) has a poll engine of its own, so every result is fenced
 * by the term its probe began in (result-fence.ts).
 */
@Injectable()
export class RemotePollerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('poller');
  private readonly probeLogger = nestProbeLogger('poller');
  private link?: NatsLink;
  private lease?: PollerLease;
  private engine?: PollEngine;
  /** The lease term the current engine polls in (see result-fence.ts). */
  private term = 0;
  private icmp?: IcmpProber;
  private snmp?: SnmpClient;
  private traps?: TrapReceiver;
  private readonly counters: SinkCounters = { published: 0, publishErrors: 0, inFlight: 0 };
  private beating?: { run: Promise<void>; since: number };
  private cache?: DeviceCache;
  private readonly records = new Map<string, DeviceRecord>();
  private readonly owned = new Set<string>();
  /** When each member of the group last renewed (server time, ms), to know which slots a dead one missed. */
  private readonly lastSeen = new Map<string, number>();
  private heartbeat?: NodeJS.Timeout;
  private stopped = false;
  private connecting?: Promise<void>;
  private lastPolls = 0;
  private lastPollsAt = Date.now();
  private pollsPerSec = 0;
  private lagMs = 0;
  private saveTimer?: NodeJS.Timeout;
  private readonly forwarder = new TrapForwarder(
    () => this.link,
    () => this.trapOrigin(),
    () => this.records.values(),
  );

  constructor(
    private readonly config: NetdeskConfig,
    private readonly clock: Clock,
  ) {}

  private get heartbeatMs(): number {
    return Math.max(500, ((this.config.scaleOut?.leaseSec ?? 10) * 1000) / 4);
  }

  get enabled(): boolean {
    return !!this.config.scaleOut?.embeddedPoller;
  }

  async onApplicationBootstrap(): Promise<void> {
    const so = this.config.scaleOut;
    if (!so || !so.embeddedPoller) return;
    ({ icmp: this.icmp, snmp: this.snmp } = createProbes(this.config, this.probeLogger));
    this.newTerm();
    this.cache = new DeviceCache(this.config.dataDir, this.config.secretKey);
    try {
      const cached = this.cache.load();
      cached.records.forEach((r) => this.records.set(r.device.id, r));
      for (const id of cached.owned) this.take(id, false);
      if (cached.owned.length)
        this.logger.log({ devices: cached.owned.length }, 'polling the devices cached from last run');
    } catch (err) {
      this.logger.warn({ err: String(err) }, 'the device cache cannot be read; waiting for the core');
    }
    await this.startTraps();
    this.connecting = this.connect();
    this.heartbeat = setInterval(() => void this.beat(), this.heartbeatMs);
    this.heartbeat.unref();
    this.logger.log({ name: so.pollerName, group: so.group, nats: so.natsUrl }, 'poller started');
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeat);
    clearTimeout(this.saveTimer);
    await this.traps?.stop().catch(() => undefined);
    await this.engine?.stop();
    this.saveCache();
    await this.lease?.release();
    await this.link?.close();
    this.snmp?.closeAll();
  }

  /** For GET /api/pollers in the same process and for the metrics. */
  stats() {
    return {
      name: this.config.scaleOut?.pollerName,
      devices: this.owned.size,
      epoch: this.lease?.epoch ?? 0,
      published: this.counters.published,
      publishErrors: this.counters.publishErrors,
      backlog: this.counters.inFlight,
      lagMs: this.lagMs,
      pollsPerSec: this.pollsPerSec,
    };
  }

  /**
   * Starts a lease term: a new poll engine and sink. The previous engine stops; the polls it has under way
   * finish, and their results are dropped since they began in an ended term.
   */
  private newTerm(): void {
    const term = ++this.term;
    const previous = this.engine;
    const sink = new JetStreamPollSink(
      () => this.link?.js ?? null,
      (deviceId) => this.originOf(term, deviceId),
      this.counters,
      (err) => this.logger[this.link?.quiet ? 'debug' : 'warn']({ err: String(err) }, 'could not publish a result'),
      () => this.link?.prefix ?? 'netdesk.',
    );
    this.engine = createPollEngine(this.config, {
      icmp: this.icmp!,
      snmp: this.snmp!,
      sink,
      clock: this.clock,
      logger: this.probeLogger,
      onLag: (lagMs) => (this.lagMs = lagMs),
    });
    this.engine.start();
    this.lastPolls = 0;
    void previous?.stop();
  }

  /** Traps are sent under the lease held now (a trap is news of the present, not a probe that may span a pause). */
  private trapOrigin(): Origin | null {
    const so = this.config.scaleOut;
    if (!so || !this.lease?.epoch) return null;
    return { poller: so.pollerName, group: so.group, epoch: this.lease.epoch };
  }

  /** The origin a result of `term` for a device is sent under, or null to drop it (result-fence.ts). */
  private async originOf(term: number, deviceId: string): Promise<Origin | null> {
    const so = this.config.scaleOut!;
    if (!this.owned.has(deviceId)) return null;
    let verdict = fenceVerdict(term, this.lease?.view(this.term), performance.now());
    if (verdict === 'confirm') {
      // our timers say the lease may have run out (were we stopped?): ask the store before sending
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.beat(), new Promise((r) => (timer = setTimeout(r, this.heartbeatMs)))]);
      clearTimeout(timer);
      verdict = fenceVerdict(term, this.lease?.view(this.term), performance.now());
    }
    if (verdict !== 'send' || !this.owned.has(deviceId)) return null;
    return { poller: so.pollerName, group: so.group, epoch: this.lease!.epoch };
  }

  private async connect(): Promise<void> {
    const so = this.config.scaleOut!;
    while (!this.stopped && !this.link) {
      try {
        const link = await NatsLink.connect({
          url: so.natsUrl,
          name: `netdesk-poller-${so.pollerName}`,
          leaseSec: so.leaseSec,
        });
        await link.ensureBranch();
        this.link = link;
        this.forwarder.listen(link, so.group, so.pollerName, (id) => this.engine?.pollNow(id));
        if (link.branch) this.logger.log({ domain: link.branch }, 'branch poller: results buffered in the leaf node');
      } catch (err) {
        this.logger.warn({ err: String(err) }, 'NATS not reachable yet; polling from the cache and retrying');
        await new Promise((r) => setTimeout(r, 2000));
      }
    }
    // the hub (leases, devices) may be out of reach (a branch behind a cut WAN): keep trying
    while (!this.stopped && this.link) {
      try {
        const { devices, leases } = await this.link.ensure({ leaseSec: so.leaseSec, consumers: false });
        await this.link.linkBranchToHub();
        // not renewed by the heartbeat before it is taken
        const lease = new PollerLease(leases, so.group, so.pollerName, so.leaseSec * 1000);
        await lease.acquire(this.leaseStats());
        this.lease = lease;
        this.logger.log({ epoch: this.lease.epoch }, 'lease taken');
        await this.watchDevices(devices);
        await this.rebalance(leases);
        return;
      } catch (err) {
        this.logger.warn({ err: String(err) }, 'the hub is not reachable yet; polling from the cache and retrying');
        await new Promise((r) => setTimeout(r, 2000));
      }
    }
  }

  private async watchDevices(kv: KV): Promise<void> {
    const watch = await kv.watch();
    let initial = true;
    const first = new Promise<void>((resolve) => {
      void (async () => {
        for await (const e of watch) {
          if (e.operation === 'PUT') {
            try {
              const r = decodeRecord(e.string());
              this.records.set(r.device.id, r);
              if (this.owned.has(r.device.id)) {
                if (r.group !== this.config.scaleOut!.group) this.drop(r.device.id);
                else this.engine?.upsert(r.device);
              }
            } catch (err) {
              this.logger.warn({ key: e.key, err: String(err) }, 'unreadable device record ignored');
            }
          } else {
            this.records.delete(e.key);
            this.drop(e.key);
          }
          if (initial && e.delta === 0) {
            initial = false;
            resolve();
          }
          this.scheduleSave();
        }
      })();
      // an empty bucket sends nothing
      setTimeout(resolve, 1500).unref();
    });
    await first;
    // devices that vanished while we were away
    const keys = new Set<string>();
    for await (const k of await kv.keys()) keys.add(k);
    for (const id of [...this.records.keys()])
      if (!keys.has(id)) {
        this.records.delete(id);
        this.drop(id);
      }
  }

  private leaseStats() {
    const engine = this.engine?.stats();
    const now = Date.now();
    if (engine && now - this.lastPollsAt >= 1000) {
      this.pollsPerSec = ((engine.pollsCompleted - this.lastPolls) * 1000) / (now - this.lastPollsAt);
      this.lastPolls = engine.pollsCompleted;
      this.lastPollsAt = now;
    }
    return {
      devices: this.owned.size,
      lagMs: Math.round(this.lagMs),
      backlog: this.counters.inFlight,
      publishErrors: this.counters.publishErrors,
      pollsPerSec: Math.round(this.pollsPerSec * 10) / 10,
    };
  }

  /**
   * Renews the lease. The heartbeat and the fence may both ask: a renewal under way is joined (two at once
   * would race on the revision), unless it has run longer than a heartbeat, as one stuck across a pause may.
   */
  private beat(): Promise<void> {
    const now = performance.now();
    if (!this.beating || now - this.beating.since > this.heartbeatMs) {
      const run: Promise<void> = this.renew().finally(() => {
        if (this.beating?.run === run) this.beating = undefined;
      });
      this.beating = { run, since: now };
    }
    return this.beating.run;
  }

  private async renew(): Promise<void> {
    if (!this.lease || !this.link) return;
    try {
      const renewed = await this.lease.renew(this.leaseStats());
      const kv = await this.link.kvm.open('netdesk_pollers');
      if (renewed === 'lost') {
        const others = (await readLeases(kv, this.lease.group)).filter((l) => l.name !== this.lease!.name);
        if (others.length) {
          // We slept or were cut off past the lease and others may poll our devices now: forget our state and
          // start again under a newer epoch, from what the core knows.
          this.logger.warn({ epoch: this.lease.epoch }, 'lease lost; taking a new one');
          for (const id of [...this.owned]) this.drop(id);
          this.view = undefined;
          // Nothing probed so far is sent any more, even under the new epoch: a probe under way may have
          // spanned the pause.
          this.newTerm();
          await this.lease.acquire(this.leaseStats());
        } else {
          // Alone in the group (a branch back from a WAN cut): nobody polled our devices meanwhile; keep our
          // state and epoch so the results buffered during the cut apply in order.
          this.logger.warn({ epoch: this.lease.epoch }, 'lease lost while alone in the group; taking it again');
          await this.lease.acquire(this.leaseStats(), true);
        }
        this.logger.log({ epoch: this.lease.epoch }, 'lease taken');
        await this.link.linkBranchToHub().catch(() => undefined);
      }
      await this.rebalance(kv);
    } catch (err) {
      this.logger.debug({ err: String(err) }, 'heartbeat failed; keeping the devices we poll');
    }
  }

  private async rebalance(kv: KV): Promise<void> {
    const so = this.config.scaleOut!;
    const leases: LeaseEntry[] = await readLeases(kv, so.group);
    for (const l of leases) this.lastSeen.set(l.name, l.renewedAt.getTime());
    const members = membersOf(leases);
    if (!members.some((m) => m.name === so.pollerName)) return; // our own lease not visible yet
    const view = members
      .map((m) => m.name)
      .sort()
      .join(',');
    const mine = (r: DeviceRecord) => r.group === so.group && ownerOf(r.device.id, members) === so.pollerName;
    let changed = false;
    // Devices that are no longer ours are dropped before a new epoch is taken: nothing of theirs may be sent
    // under it, or it would outrank their new owner's results at the core.
    for (const r of this.records.values())
      if (!mine(r) && this.owned.has(r.device.id)) {
        this.drop(r.device.id);
        changed = true;
      }
    if (this.view !== undefined && view !== this.view && this.lease) {
      // The group changed: take a newer epoch before acting on it, so that whatever we write for devices we
      // take over outranks what their previous owner wrote (fencing must grow with every change of owner).
      await this.lease.acquire(this.leaseStats());
      this.logger.log({ epoch: this.lease.epoch, members: view }, 'group changed; new epoch');
    }
    this.view = view;
    for (const r of this.records.values()) {
      const id = r.device.id;
      if (mine(r) && !this.owned.has(id)) {
        const from = this.ownerBefore.get(id);
        const fromSeen = from ? this.lastSeen.get(from) : undefined;
        this.take(id, fromSeen !== undefined && from !== so.pollerName ? fromSeen : undefined);
        changed = true;
      }
    }
    this.ownerBefore = new Map(
      [...this.records.values()].map((r) => [r.device.id, ownerOf(r.device.id, members) ?? '']),
    );
    if (changed) {
      this.logger.log({ devices: this.owned.size, members: members.map((m) => m.name) }, 'assignment changed');
      this.scheduleSave();
    }
  }

  private ownerBefore = new Map<string, string>();
  private view?: string;

  /**
   * Starts polling a device. Taken over from a member that last renewed at `ownerLastSeen`: that member may
   * have polled until its next renewal was due (it died somewhere in between), so only if the device's
   * current slot began after two heartbeats past that did nobody poll it, and it is polled now; otherwise
   * at its next slot (never twice in one slot; still within lease TTL + one interval).
   */
  private take(id: string, ownerLastSeen: number | false | undefined): void {
    const r = this.records.get(id);
    if (!r || !this.engine) return;
    this.engine.upsert(r.device);
    this.owned.add(id);
    if (typeof ownerLastSeen === 'number') {
      const now = this.clock.now();
      const intervalMs = r.device.pollIntervalSec * 1000;
      const slotStart = firstDueAt(id, r.device.pollIntervalSec, now).getTime() - intervalMs;
      if (slotStart > ownerLastSeen + 2 * this.heartbeatMs) this.engine.pollNow(id);
    }
  }

  private drop(id: string): void {
    if (!this.owned.delete(id)) return;
    this.engine?.remove(id);
  }

  private scheduleSave(): void {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.saveCache();
    }, 1000);
    this.saveTimer.unref();
  }

  private saveCache(): void {
    try {
      this.cache?.save(this.records.values(), this.owned);
    } catch (err) {
      this.logger.warn({ err: String(err) }, 'could not write the device cache');
    }
  }

  private async startTraps(): Promise<void> {
    this.traps = new TrapReceiver({
      port: this.config.trapPort,
      address: this.config.polling.trapBind,
      logger: this.probeLogger,
      onTrap: (trap: TrapEvent) => {
        const id = this.forwarder.forward(trap);
        if (id && this.owned.has(id)) this.engine?.pollNow(id);
      },
    });
    try {
      await this.traps.start();
    } catch (err) {
      this.logger.error(
        { err: String(err), port: this.config.trapPort },
        'trap receiver could not start; continuing without traps',
      );
      this.traps = undefined;
    }
  }
}
