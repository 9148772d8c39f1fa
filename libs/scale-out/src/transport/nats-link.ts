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
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { KV } from '@nats-io/kv';
import { BUCKETS, CORE_CONSUMERS, STREAMS } from './envelope';

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
  private constructor(
    readonly nc: NatsConnection,
    readonly js: JetStreamClient,
    readonly jsm: JetStreamManager,
    readonly kvm: Kvm,
  ) {}

  static async connect(options: NatsLinkOptions): Promise<NatsLink> {
    const nc = await connect({
      servers: options.url.replace(/^nats:\/\//, ''),
      name: options.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1000,
      timeout: 5000,
    });
    const jsm = await jetstreamManager(nc, { timeout: 5000 });
    return new NatsLink(nc, jetstream(nc, { timeout: 5000 }), jsm, new Kvm(nc));
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
      await this.jsm.streams.info(s.name).then(
        () => undefined,
        () => this.jsm.streams.add(config),
      );
    }
    if (options.consumers) {
      for (const [stream, durable] of [
        [STREAMS.events.name, CORE_CONSUMERS.events],
        [STREAMS.observations.name, CORE_CONSUMERS.observations],
      ] as const) {
        await this.jsm.consumers.info(stream, durable).then(
          () => undefined,
          () =>
            this.jsm.consumers.add(stream, {
              durable_name: durable,
              ack_policy: AckPolicy.Explicit,
              deliver_policy: DeliverPolicy.All,
              ack_wait: 30 * 1e9,
              max_ack_pending: 20_000,
            }),
        );
      }
    }
    const devices = await this.kvm.create(BUCKETS.devices, { history: 1 });
    const leases = await this.kvm.create(BUCKETS.leases, { history: 1, ttl: options.leaseSec * 1000 });
    return { devices, leases };
  }

  async close(): Promise<void> {
    await this.nc.drain().catch(() => this.nc.close());
  }
}
