import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ThresholdSettingsEntity } from './threshold-settings.entity';

const ROW = 1;

@Injectable()
export class ThresholdsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  find(): Promise<ThresholdSettingsEntity | null> {
    return this.dataSource.getRepository(ThresholdSettingsEntity).findOneBy({ id: ROW });
  }

  async save(defaults: Record<string, number>, byKind: Record<string, Record<string, number>>, at: Date) {
    await this.dataSource
      .getRepository(ThresholdSettingsEntity)
      .upsert({ id: ROW, defaults, byKind, updatedAt: at }, ['id']);
  }
}
