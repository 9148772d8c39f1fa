import { DynamicModule, Global, Module } from '@nestjs/common';
import { NetdeskConfig } from '@netdesk/config';
import { Clock, SystemClock } from './clock';
import { EventBus } from './event-bus';
import { MasterKey } from './master-key';

/** Cross-cutting providers: the clock, the event bus, and the master key that secrets and tokens derive from. */
@Global()
@Module({})
export class CoreModule {
  /** `clock` replaces the system clock (tests of timing rules). */
  static forRoot(options: { clock?: Clock } = {}): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        options.clock ? { provide: Clock, useValue: options.clock } : { provide: Clock, useClass: SystemClock },
        EventBus,
        {
          provide: MasterKey,
          useFactory: (config: NetdeskConfig) => MasterKey.resolve(config.secretKey, config.dataDir),
          inject: [NetdeskConfig],
        },
      ],
      exports: [Clock, MasterKey, EventBus],
    };
  }
}
