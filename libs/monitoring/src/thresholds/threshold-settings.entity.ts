import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The threshold defaults, one row (id 1): global values and values per device kind. */
@Entity('threshold_settings')
export class ThresholdSettingsEntity {
  @PrimaryColumn({ type: 'smallint' })
  id: number;

  @Column({ type: 'jsonb' })
  defaults: Record<string, number>;

  @Column({ name: 'by_kind', type: 'jsonb' })
  byKind: Record<string, Record<string, number>>;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
