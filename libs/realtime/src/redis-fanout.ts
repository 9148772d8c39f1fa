import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Namespace } from 'socket.io';
import { NetdeskConfig } from '@netdesk/config';
import type { LiveRelay, LiveRelayMessage } from './live.ports';

const RELAY_EVENT = 'netdesk:live';

/**
 * With `REDIS_URL`: the socket.io server uses the Redis adapter, and instances pass each other the
 * changes their own EventBus saw (`serverSideEmit`), so a client gets a change whichever instance it is
 * connected to. Without it: a single instance, nothing to do.
 */
@Injectable()
export class RedisFanout implements OnApplicationShutdown {
  private readonly logger = new Logger('live');
  private readonly clients: Redis[] = [];

  constructor(private readonly config: NetdeskConfig) {}

  attach(nsp: Namespace, receive: (message: LiveRelayMessage) => void): LiveRelay | null {
    if (!this.config.redisUrl) return null;
    const pub = new Redis(this.config.redisUrl, { maxRetriesPerRequest: null });
    const sub = pub.duplicate();
    for (const [role, client] of [
      ['publisher', pub],
      ['subscriber', sub],
    ] as const) {
      // ioredis reconnects by itself (backoff); one line when the connection is lost, one when it is back
      let lost = false;
      client.on('error', (err: Error) => {
        if (!lost) this.logger.warn({ role, err: err.message }, 'live: redis connection lost; reconnecting');
        lost = true;
      });
      client.on('ready', () => {
        if (lost) this.logger.log({ role }, 'live: redis connection back');
        lost = false;
      });
      this.clients.push(client);
    }
    nsp.server.adapter(createAdapter(pub, sub, { key: 'netdesk.live' }));
    (nsp as unknown as { on(event: string, listener: (message: LiveRelayMessage) => void): void }).on(
      RELAY_EVENT,
      receive,
    );
    this.logger.log('live: fan-out across instances through Redis');
    return { publish: (message) => nsp.serverSideEmit(RELAY_EVENT, message) };
  }

  /** After the socket.io server closed (Nest closes it before this hook). */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.clients.splice(0).map((c) => c.quit().catch(() => c.disconnect())));
  }
}
