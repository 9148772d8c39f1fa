import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { KV } from '@nats-io/kv';
import { NetdeskConfig } from '@netdesk/config';
import { NatsLink } from '../transport/nats-link';

/** The core's one connection to NATS, opened on first use (and retried until NATS answers). */
@Injectable()
export class CoreNatsService implements OnApplicationShutdown {
  private readonly logger = new Logger('nats');
  private ready?: Promise<{ link: NatsLink; devices: KV; leases: KV }>;
  private closed = false;
  private current?: NatsLink;

  constructor(private readonly config: NetdeskConfig) {}

  /** See `NatsLink.quiet`: failures now belong to an outage already logged. */
  get quiet(): boolean {
    return this.current?.quiet ?? false;
  }

  get enabled(): boolean {
    return !!this.config.scaleOut;
  }

  link(): Promise<{ link: NatsLink; devices: KV; leases: KV }> {
    const so = this.config.scaleOut;
    if (!so) throw new Error('NATS_URL is not set');
    this.ready ??= (async () => {
      for (;;) {
        try {
          const link = await NatsLink.connect({
            url: so.natsUrl,
            name: `netdesk-core-${so.pollerName}`,
            leaseSec: so.leaseSec,
          });
          const buckets = await link.ensure({ leaseSec: so.leaseSec, consumers: true });
          this.current = link;
          this.logger.log({ url: so.natsUrl }, 'connected to NATS');
          return { link, ...buckets };
        } catch (err) {
          if (this.closed) throw err;
          this.logger.warn({ err: String(err) }, 'NATS not reachable; retrying');
          await new Promise((r) => setTimeout(r, 2000));
        }
      }
    })();
    return this.ready;
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    if (this.ready) await (await this.ready).link.close().catch(() => undefined);
  }
}
