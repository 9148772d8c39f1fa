import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, NetdeskConfig } from '@netdesk/config';
import { CoreModule } from '@netdesk/core';
import { ScaleOutPollerModule } from '@netdesk/scale-out';

/** A poller alone: configuration, clock and the poller; no database, no HTTP. */
@Module({})
export class PollerAppModule {
  static forRoot(config: NetdeskConfig): DynamicModule {
    return {
      module: PollerAppModule,
      imports: [ConfigModule.forRoot(config), CoreModule.forRoot(), ScaleOutPollerModule],
    };
  }
}
