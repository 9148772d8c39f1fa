import { Module } from '@nestjs/common';
import { InventoryModule } from '@netdesk/inventory';
import { TicketingModule } from '@netdesk/ticketing';
import { AuthModule } from '@netdesk/auth';
import { NetdeskConfig } from '@netdesk/config';
import { DeviceSiteIndex } from './device-site.index';
import { LiveEventSource } from './live-event.source';
import { LiveFeedService } from './live-feed.service';
import { LiveGateway } from './live.gateway';
import { DEFAULT_LIVE_OPTIONS, LIVE_OPTIONS } from './live.options';
import { LiveSnapshotSource } from './live.ports';
import { DatabaseSnapshotSource } from './live-snapshot.source';
import { RedisFanout } from './redis-fanout';

const providers = [
  LiveGateway,
  LiveFeedService,
  LiveEventSource,
  DeviceSiteIndex,
  RedisFanout,
  { provide: LiveSnapshotSource, useClass: DatabaseSnapshotSource },
];

/** The live feed: socket.io `/live` pushing status and ticket changes (see README "Live updates"). */
@Module({
  imports: [AuthModule, InventoryModule, TicketingModule],
  providers: [
    ...providers,
    {
      provide: LIVE_OPTIONS,
      inject: [NetdeskConfig],
      useFactory: (config: NetdeskConfig) => ({ ...DEFAULT_LIVE_OPTIONS, windowMs: config.live.windowMs }),
    },
  ],
  exports: [LiveFeedService],
})
export class RealtimeModule {}
