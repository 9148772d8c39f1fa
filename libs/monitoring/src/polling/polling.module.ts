import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InventoryModule } from '@netdesk/inventory';
import { MeasurementsModule } from '../measurements/measurements.module';
import { SelfMonitoringModule } from '../self-monitoring/self-monitoring.module';
import { DeviceInterfaceEntity } from './device-interface.entity';
import { DeviceInterfaceRepository } from './device-interface.repository';
import { IngestSink } from './ingest-sink.port';
import { InterfaceReader } from './interface.port';
import { MonitoringController } from './monitoring.controller';
import { MonitoringRepository } from './monitoring.repository';
import { MonitoringService } from './monitoring.service';
import { MonitoringStore } from './monitoring-store';
import { PollerService } from './poller.service';
import { pollerProbeProviders } from './poller-probes.providers';
import { StatusHistoryEntity } from './status-history.entity';
import { StatusHistoryReader } from './status-history.port';
import { StatusHistoryRepository } from './status-history.repository';
import { ThresholdSettingsEntity } from '../thresholds/threshold-settings.entity';
import { ThresholdsController } from '../thresholds/thresholds.controller';
import { ThresholdsRepository } from '../thresholds/thresholds.repository';
import { ThresholdsService } from '../thresholds/thresholds.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([StatusHistoryEntity, DeviceInterfaceEntity, ThresholdSettingsEntity]),
    InventoryModule,
    MeasurementsModule,
    SelfMonitoringModule,
  ],
  controllers: [MonitoringController, ThresholdsController],
  providers: [
    MonitoringRepository,
    MonitoringStore,
    PollerService,
    ...pollerProbeProviders,
    MonitoringService,
    ThresholdsRepository,
    ThresholdsService,
    { provide: IngestSink, useExisting: MonitoringRepository },
    { provide: StatusHistoryReader, useClass: StatusHistoryRepository },
    { provide: InterfaceReader, useClass: DeviceInterfaceRepository },
  ],
  exports: [PollerService, ThresholdsService, MonitoringStore, IngestSink, StatusHistoryReader, InterfaceReader],
})
export class PollingModule {}
