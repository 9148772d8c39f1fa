import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { DeviceEntity } from '@netdesk/inventory/entities';

/**
 * Per-metric aggregates of the device samples in one bucket: average, minimum, maximum and how many
 * non-null samples they cover (the count weights averages when 5-minute buckets roll up into hours).
 */
export abstract class DeviceRollupColumns {
  @Column({ name: 'rtt_ms_avg', type: 'double precision', nullable: true })
  rttMsAvg: number | null;

  @Column({ name: 'rtt_ms_min', type: 'real', nullable: true })
  rttMsMin: number | null;

  @Column({ name: 'rtt_ms_max', type: 'real', nullable: true })
  rttMsMax: number | null;

  @Column({ name: 'rtt_ms_count', type: 'int' })
  rttMsCount: number;

  @Column({ name: 'loss_pct_avg', type: 'double precision', nullable: true })
  lossPctAvg: number | null;

  @Column({ name: 'loss_pct_min', type: 'real', nullable: true })
  lossPctMin: number | null;

  @Column({ name: 'loss_pct_max', type: 'real', nullable: true })
  lossPctMax: number | null;

  @Column({ name: 'loss_pct_count', type: 'int' })
  lossPctCount: number;

  @Column({ name: 'jitter_ms_avg', type: 'double precision', nullable: true })
  jitterMsAvg: number | null;

  @Column({ name: 'jitter_ms_min', type: 'real', nullable: true })
  jitterMsMin: number | null;

  @Column({ name: 'jitter_ms_max', type: 'real', nullable: true })
  jitterMsMax: number | null;

  @Column({ name: 'jitter_ms_count', type: 'int' })
  jitterMsCount: number;

  @Column({ name: 'cpu_pct_avg', type: 'double precision', nullable: true })
  cpuPctAvg: number | null;

  @Column({ name: 'cpu_pct_min', type: 'real', nullable: true })
  cpuPctMin: number | null;

  @Column({ name: 'cpu_pct_max', type: 'real', nullable: true })
  cpuPctMax: number | null;

  @Column({ name: 'cpu_pct_count', type: 'int' })
  cpuPctCount: number;

  @Column({ name: 'mem_pct_avg', type: 'double precision', nullable: true })
  memPctAvg: number | null;

  @Column({ name: 'mem_pct_min', type: 'real', nullable: true })
  memPctMin: number | null;

  @Column({ name: 'mem_pct_max', type: 'real', nullable: true })
  memPctMax: number | null;

  @Column({ name: 'mem_pct_count', type: 'int' })
  memPctCount: number;
}

/** Device samples in 5-minute buckets (aligned to UTC), recomputed from raw samples. */
@Entity('device_samples_5m')
@Index('device_samples_5m_bucket_brin', ['bucket'], { type: 'brin' })
export class DeviceRollup5mEntity extends DeviceRollupColumns {
  @PrimaryColumn({ name: 'device_id', type: 'uuid', primaryKeyConstraintName: 'device_samples_5m_pkey' })
  deviceId: string;

  @PrimaryColumn({ type: 'timestamptz', primaryKeyConstraintName: 'device_samples_5m_pkey' })
  bucket: Date;

  @ManyToOne(() => DeviceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'device_id', foreignKeyConstraintName: 'device_samples_5m_device_id_fkey' })
  device?: DeviceEntity;
}

/** Device samples in hourly buckets (aligned to UTC), recomputed from the 5-minute rollups. */
@Entity('device_samples_1h')
@Index('device_samples_1h_bucket_brin', ['bucket'], { type: 'brin' })
export class DeviceRollup1hEntity extends DeviceRollupColumns {
  @PrimaryColumn({ name: 'device_id', type: 'uuid', primaryKeyConstraintName: 'device_samples_1h_pkey' })
  deviceId: string;

  @PrimaryColumn({ type: 'timestamptz', primaryKeyConstraintName: 'device_samples_1h_pkey' })
  bucket: Date;

  @ManyToOne(() => DeviceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'device_id', foreignKeyConstraintName: 'device_samples_1h_device_id_fkey' })
  device?: DeviceEntity;
}
