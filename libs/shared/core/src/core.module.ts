import { Global, Module } from '@nestjs/common';
import { NetdeskConfig } from '@netdesk/config';
import { Clock, SystemClock } from './clock';
import { EventBus } from './event-bus';
import { MasterKey } from './master-key';

/** Cross-cutting providers: the clock and the master key that secrets and tokens derive from. */
@Global()
@Module({
  providers: [
    { provide: Clock, useClass: SystemClock },
    EventBus,
    {
      provide: MasterKey,
      useFactory: (config: NetdeskConfig) => MasterKey.resolve(config.secretKey, config.dataDir),
      inject: [NetdeskConfig],
    },
  ],
  exports: [Clock, MasterKey, EventBus],
})
export class CoreModule {}
