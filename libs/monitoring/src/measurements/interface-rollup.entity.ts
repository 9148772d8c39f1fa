import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { DeviceEntity } from '@netdesk/inventory/entities';

/** Per-metric aggregates of the interface samples in one bucket (see DeviceRollupColumns). */
export abstract class InterfaceRollupColumns {
  @Column({ name: 'in_bps_avg', type: 'double precision', nullable: true })
  inBpsAvg: number | null;

  @Column({ name: 'in_bps_min', type: 'double precision', nullable: true })
  inBpsMin: number | null;

  @Column({ name: 'in_bps_max', type: 'double precision', nullable: true })
  inBpsMax: number | null;

  @Column({ name: 'in_bps_count', type: 'int' })
  inBpsCount: number;

  @Column({ name: 'out_bps_avg', type: 'double precision', nullable: true })
  outBpsAvg: number | null;

  @Column({ name: 'out_bps_min', type: 'double precision', nullable: true })
  outBpsMin: number | null;

  @Column({ name: 'out_bps_max', type: 'double precision', nullable: true })
  outBpsMax: number | null;

  @Column({ name: 'out_bps_count', type: 'int' })
  outBpsCount: number;

  @Column({ name: 'in_errors_avg', type: 'double precision', nullable: true })
  inErrorsAvg: number | null;

  @Column({ name: 'in_errors_min', type: 'real', nullable: true })
  inErrorsMin: number | null;

  @Column({ name: 'in_errors_max', type: 'real', nullable: true })
  inErrorsMax: number | null;

  @Column({ name: 'in_errors_count', type: 'int' })
  inErrorsCount: number;

  @Column({ name: 'out_errors_avg', type: 'double precision', nullable: true })
  outErrorsAvg: number | null;

  @Column({ name: 'out_errors_min', type: 'real', nullable: true })
  outErrorsMin: number | null;

  @Column({ name: 'out_errors_max', type: 'real', nullable: true })
  outErrorsMax: number | null;

  @Column({ name: 'out_errors_count', type: 'int' })
  outErrorsCount: number;

  @Column({ name: 'in_discards_avg', type: 'double precision', nullable: true })
  inDiscardsAvg: number | null;

  @Column({ name: 'in_discards_min', type: 'real', nullable: true })
  inDiscardsMin: number | null;

  @Column({ name: 'in_discards_max', type: 'real', nullable: true })
  inDiscardsMax: number | null;

  @Column({ name: 'in_discards_count', type: 'int' })
  inDiscardsCount: number;

  @Column({ name: 'out_discards_avg', type: 'double precision', nullable: true })
  outDiscardsAvg: number | null;

  @Column({ name: 'out_discards_min', type: 'real', nullable: true })
  outDiscardsMin: number | null;

  @Column({ name: 'out_discards_max', type: 'real', nullable: true })
  outDiscardsMax: number | null;

  @Column({ name: 'out_discards_count', type: 'int' })
  outDiscardsCount: number;
}

/** Interface samples in 5-minute buckets (aligned to UTC), recomputed from raw samples. */
@Entity('interface_samples_5m')
@Index('interface_samples_5m_bucket_brin', ['bucket'], { type: 'brin' })
export class InterfaceRollup5mEntity extends InterfaceRollupColumns {
  @PrimaryColumn({ name: 'device_id', type: 'uuid', primaryKeyConstraintName: 'interface_samples_5m_pkey' })
  deviceId: string;

  @PrimaryColumn({ name: 'if_index', type: 'int', primaryKeyConstraintName: 'interface_samples_5m_pkey' })
  ifIndex: number;

  @PrimaryColumn({ type: 'timestamptz', primaryKeyConstraintName: 'interface_samples_5m_pkey' })
  bucket: Date;

  @ManyToOne(() => DeviceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'device_id', foreignKeyConstraintName: 'interface_samples_5m_device_id_fkey' })
  device?: DeviceEntity;
}

/** Interface samples in hourly buckets (aligned to UTC), recomputed from the 5-minute rollups. */
@Entity('interface_samples_1h')
@Index('interface_samples_1h_bucket_brin', ['bucket'], { type: 'brin' })
export class InterfaceRollup1hEntity extends InterfaceRollupColumns {
  @PrimaryColumn({ name: 'device_id', type: 'uuid', primaryKeyConstraintName: 'interface_samples_1h_pkey' })
  deviceId: string;

  @PrimaryColumn({ name: 'if_index', type: 'int', primaryKeyConstraintName: 'interface_samples_1h_pkey' })
  ifIndex: number;

  @PrimaryColumn({ type: 'timestamptz', primaryKeyConstraintName: 'interface_samples_1h_pkey' })
  bucket: Date;

  @ManyToOne(() => DeviceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'device_id', foreignKeyConstraintName: 'interface_samples_1h_device_id_fkey' })
  device?: DeviceEntity;
}
