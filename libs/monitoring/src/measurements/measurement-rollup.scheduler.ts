import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { MeasurementRollupService } from './measurement-rollup.service';

/** Thin adapter: runs the rollup every minute and retention every 15 minutes (needs `ScheduleModule.forRoot()`). */
@Injectable()
export class MeasurementRollupScheduler {
  private readonly logger = new Logger('measurements');

  constructor(private readonly rollups: MeasurementRollupService) {}

  @Interval('measurements-rollup', 60_000)
  async rollUp(): Promise<void> {
    await this.rollups.rollUp().catch((err) => this.logger.warn({ err }, 'measurement rollup failed'));
  }

  @Interval('measurements-retention', 15 * 60_000)
  async applyRetention(): Promise<void> {
    await this.rollups.applyRetention().catch((err) => this.logger.warn({ err }, 'measurement retention failed'));
  }
}
