import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { AuthModule } from '@netdesk/auth';
import { ConfigModule, NetdeskConfig } from '@netdesk/config';
import { Clock, CoreModule, DomainErrorFilter } from '@netdesk/core';
import { DatabaseModule } from '@netdesk/database';
import { InventoryModule } from '@netdesk/inventory';
import { MonitoringModule } from '@netdesk/monitoring';
import { TicketingModule } from '@netdesk/ticketing';
import { ObservabilityModule } from '@netdesk/observability';
import { ReportsModule } from '@netdesk/reports';
import { RealtimeModule } from '@netdesk/realtime';
import { RequestsModule } from '@netdesk/requests';
import { ScaleOutModule } from '@netdesk/scale-out';
import { KnowledgeModule } from '@netdesk/knowledge';

/** The whole service in one process: composes the libs, holds no logic of its own. */
@Module({})
export class AppModule {
  static forRoot(config: NetdeskConfig, databaseUrl: string, options: { clock?: Clock } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        ScheduleModule.forRoot(),
        CoreModule.forRoot(options),
        DatabaseModule.forRoot({ url: databaseUrl, poolSize: config.database.poolSize }),
        ObservabilityModule,
        AuthModule,
        InventoryModule,
        MonitoringModule,
        TicketingModule,
        ReportsModule,
        RealtimeModule,
        RequestsModule,
        ScaleOutModule,
        KnowledgeModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: DomainErrorFilter }],
    };
  }
}
