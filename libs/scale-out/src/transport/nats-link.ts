import { Logger } from '@nestjs/common';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import type { ConsumerConfig, JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { KV } from '@nats-io/kv';
import { branchStreams, BUCKETS, CORE_CONSUMERS, HUB_DOMAIN, OBSERVATION_FILTERS, STREAMS } from './envelope';

export interface NatsLinkOptions {
  url: string;
  name: string;
  /** Lease time to live: a poller that stops renewing disappears from its group after it. */
  leaseSec: number;
}

const DAY_NS = 24 * 3600 * 1e9;

/**
 * One connection to NATS with the streams, consumers and buckets NetDesk uses, created if missing
 * (idempotent, so the core and every poller can call `ensure` at start-up). Reconnects forever.
 */
export class NatsLink {
  private readonly logger = new Logger('nats');
  /** False from a lost connection until the client is back. */
  up = true;
  private backAt = 0;

  /**
   * `js` publishes results: into the branch's own JetStream domain when connected to a branch leaf node
   * (`branch` set), which buffers them on disk while the WAN is down; `hubJsm`/`kvm` reach the hub (streams,
   * leases, devices), and simply fail while the WAN is cut.
   */
  private constructor(
    readonly nc: NatsConnection,
    readonly js: JetStreamClient,
    readonly jsm: JetStreamManager,
    readonly hubJsm: JetStreamManager,
    readonly kvm: Kvm,
    readonly branch: string | null,
  ) {
    void this.watchStatus();
  }

  /** One log line when the connection is lost and one when it is back, whatever the retries in between. */
  private async watchStatus(): Promise<void> {
    for await (const s of this.nc.status()) {
      if (s.type === 'disconnect' && this.up) {
        this.up = false;
        this.logger.warn({ server: s.server }, 'NATS connection lost; reconnecting');
      } else if (s.type === 'reconnect') {
        this.backAt = Date.now();
        if (!this.up) this.logger.log({ server: s.server }, 'NATS connection back');
        this.up = true;
      }
    }
  }

  /**
   * NATS is away, or came back less than 15 s ago (requests sent while it was away time out after it is
   * back): failures now are the outage the link already logged, worth only a debug line each.
   */
  get quiet(): boolean {
    return !this.up || Date.now() - this.backAt < 15_000;
  }

  /** Subject prefix for results published through this link. */
  get prefix(): string {
    return this.branch ? branchStreams(this.branch).prefix : 'netdesk.';
  }

  static async connect(options: NatsLinkOptions): Promise<NatsLink> {
    const nc = await connect({
      servers: options.url.replace(/^nats:\/\//, ''),
      name: options.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1000,
      timeout: 5000,
    });
    const jsm = await jetstreamManager(nc, { timeout: 5000 });
    const domain = (await jsm.getAccountInfo()).domain;
    const branch = domain && domain !== HUB_DOMAIN ? domain : null;
    if (!branch) return new NatsLink(nc, jetstream(nc, { timeout: 5000 }), jsm, jsm, new Kvm(nc), null);
    const hubJs = jetstream(nc, { timeout: 5000, domain: HUB_DOMAIN });
    const hubJsm = await jetstreamManager(nc, { timeout: 5000, domain: HUB_DOMAIN, checkAPI: false });
    return new NatsLink(nc, jetstream(nc, { timeout: 5000 }), jsm, hubJsm, new Kvm(hubJs), branch);
  }

  /** A branch's own streams, in its leaf node (reachable while the WAN is cut). */
  async ensureBranch(): Promise<void> {
    if (!this.branch) return;
    const b = branchStreams(this.branch);
    for (const s of [b.events, b.observations]) {
      await this.jsm.streams.info(s.name).then(
        () => undefined,
        () =>
          this.jsm.streams.add({
            name: s.name,
            subjects: [...s.subjects],
            retention: RetentionPolicy.Limits,
            storage: StorageType.File,
            max_age: 7 * DAY_NS,
            duplicate_window: 2 * 60 * 1e9,
          }),
      );
    }
  }

  /** Makes the hub's streams source from this branch's streams (once the hub is reachable). */
  async linkBranchToHub(): Promise<void> {
    if (!this.branch) return;
    const b = branchStreams(this.branch);
    for (const [hub, local] of [
      [STREAMS.events.name, b.events.name],
      [STREAMS.observations.name, b.observations.name],
    ] as const) {
      const info = await this.hubJsm.streams.info(hub);
      if ((info.config.sources ?? []).some((s) => s.name === local)) continue;
      await this.hubJsm.streams.update(hub, {
        ...info.config,
        sources: [...(info.config.sources ?? []), { name: local, external: { api: `$JS.${this.branch}.API` } }],
      });
    }
  }

  /** The streams and buckets (the core also creates its consumers). */
  async ensure(options: { leaseSec: number; consumers: boolean }): Promise<{ devices: KV; leases: KV }> {
    for (const s of [STREAMS.events, STREAMS.observations]) {
      const config = {
        name: s.name,
        subjects: [...s.subjects],
        retention: RetentionPolicy.Limits,
        storage: StorageType.File,
        max_age: 7 * DAY_NS,
        discard: DiscardPolicy.Old,
        duplicate_window: 2 * 60 * 1e9,
      };
      await this.hubJsm.streams.info(s.name).then(
        () => undefined,
        () => this.hubJsm.streams.add(config),
      );
    }
    if (options.consumers) {
      await this.addConsumer(STREAMS.events.name, CORE_CONSUMERS.events);
      await this.ensureObservationConsumers();
    }
    const devices = await this.kvm.create(BUCKETS.devices, { history: 1 });
    const leases = await this.kvm.create(BUCKETS.leases, { history: 1, ttl: options.leaseSec * 1000 });
    return { devices, leases };
  }

  /**
   * The two observation consumers (hub-local and branch results). An earlier version's single consumer is
   * replaced where it left off (after its acknowledged floor; the few acknowledged beyond it are redelivered
   * and rewrite the same rows), then deleted.
   */
  private async ensureObservationConsumers(): Promise<void> {
    const stream = STREAMS.observations.name;
    const legacy = await this.jsm.consumers.info(stream, CORE_CONSUMERS.legacyObservations).catch(() => null);
    const from: Partial<ConsumerConfig> = legacy
      ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: legacy.ack_floor.stream_seq + 1 }
      : {};
    await this.addConsumer(stream, CORE_CONSUMERS.observations, {
      filter_subject: OBSERVATION_FILTERS[CORE_CONSUMERS.observations],
      ...from,
    });
    await this.ensureBranchConsumer(from);
    if (legacy) {
      await this.jsm.consumers.delete(stream, CORE_CONSUMERS.legacyObservations);
      this.logger.log({ from: from.opt_start_seq }, 'observations consumer split into hub-local and branch');
    }
  }

  /**
   * The branch observations consumer; false while no branch is linked: nats-server 2.9 refuses a filter
   * outside the stream's own subjects until the stream sources a branch. No results of a branch are in the
   * stream before then, so a consumer added later from the start misses nothing.
   */
  async ensureBranchConsumer(from: Partial<ConsumerConfig> = {}): Promise<boolean> {
    const stream = STREAMS.observations.name;
    const durable = CORE_CONSUMERS.branchObservations;
    if (
      await this.jsm.consumers.info(stream, durable).then(
        () => true,
        () => false,
      )
    )
      return true;
    if (!(await this.jsm.streams.info(stream)).config.sources?.length) return false;
    await this.addConsumer(stream, durable, { filter_subject: OBSERVATION_FILTERS[durable], ...from });
    return true;
  }

  private async addConsumer(stream: string, durable: string, config: Partial<ConsumerConfig> = {}): Promise<void> {
    await this.jsm.consumers.info(stream, durable).then(
      () => undefined,
      () =>
        this.jsm.consumers.add(stream, {
          durable_name: durable,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: DeliverPolicy.All,
          ack_wait: 30 * 1e9,
          max_ack_pending: 20_000,
          ...config,
        }),
    );
  }

  async close(): Promise<void> {
    await this.nc.drain().catch(() => this.nc.close());
  }
}
