import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InventoryModule } from '@netdesk/inventory';
import { DeviceRollup1hEntity, DeviceRollup5mEntity } from './device-rollup.entity';
import { DeviceSampleEntity } from './device-sample.entity';
import { InterfaceDailySummaryEntity } from './interface-daily-summary.entity';
import { InterfaceRollup1hEntity, InterfaceRollup5mEntity } from './interface-rollup.entity';
import { InterfaceSampleHourEntity } from './interface-sample-hour.entity';
import { InterfaceSamplePollEntity } from './interface-sample-poll.entity';
import { LinkStatistics } from './link-statistics.port';
import { LinkStatisticsRepository } from './link-statistics.repository';
import { MeasurementRepository } from './measurement.repository';
import { MeasurementRollupScheduler } from './measurement-rollup.scheduler';
import { MeasurementRollupService } from './measurement-rollup.service';
import { MeasurementWriter } from './measurement-writer.service';
import { MeasurementsController } from './measurements.controller';
import { MeasurementsService } from './measurements.service';
import { RollupStateEntity } from './rollup-state.entity';

/**
 * Measurements for graphs: the writer the poller hands samples to, the rollup and retention job
 * (its `@Interval`s run once the application imports `ScheduleModule.forRoot()`), and the series API.
 */
@Module({
  imports: [
    InventoryModule,
    TypeOrmModule.forFeature([
      DeviceSampleEntity,
      InterfaceSamplePollEntity,
      InterfaceSampleHourEntity,
      DeviceRollup5mEntity,
      DeviceRollup1hEntity,
      InterfaceRollup5mEntity,
      InterfaceRollup1hEntity,
      InterfaceDailySummaryEntity,
      RollupStateEntity,
    ]),
  ],
  controllers: [MeasurementsController],
  providers: [
    MeasurementRepository,
    MeasurementWriter,
    MeasurementRollupService,
    MeasurementRollupScheduler,
    MeasurementsService,
    { provide: LinkStatistics, useClass: LinkStatisticsRepository },
  ],
  exports: [MeasurementWriter, MeasurementRollupService, LinkStatistics],
})
export class MeasurementsModule {}
