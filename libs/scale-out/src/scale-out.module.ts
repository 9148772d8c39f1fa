import { Global, Module } from '@nestjs/common';
import { DevicePollerViewSource } from '@netdesk/inventory';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InventoryModule } from '@netdesk/inventory';
import { MonitoringModule } from '@netdesk/monitoring';
import { CoreNatsService } from './core/core-nats.service';
import { DeviceFeedService } from './core/device-feed.service';
import { DevicePollFenceEntity, IngestedResultEntity } from './core/ingest.entities';
import { IngestRepository } from './core/ingest.repository';
import { IngestService } from './core/ingest.service';
import { PollerRegistryEntity } from './core/poller-registry.entity';
import { PollerRegistryRepository } from './core/poller-registry.repository';
import { PollersController } from './core/pollers.controller';
import { PollersService } from './core/pollers.service';
import { TrapIngest } from './core/trap-ingest.service';
import { ScaleOutPollerModule } from './poller/scale-out-poller.module';

/**
 * Scale-out in the core (active only with NATS_URL): hands devices to the pollers, ingests their results
 * from JetStream, watches their leases, and runs one poller in this process unless NETDESK_POLLER=false.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forFeature([IngestedResultEntity, DevicePollFenceEntity, PollerRegistryEntity]),
    InventoryModule,
    MonitoringModule,
    ScaleOutPollerModule,
  ],
  controllers: [PollersController],
  providers: [
    CoreNatsService,
    DeviceFeedService,
    IngestRepository,
    IngestService,
    PollersService,
    PollerRegistryRepository,
    TrapIngest,
    { provide: DevicePollerViewSource, useExisting: PollersService },
  ],
  exports: [PollersService, IngestService, DevicePollerViewSource],
})
export class ScaleOutModule {}
