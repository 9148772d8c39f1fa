import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { DeviceEntity } from '@netdesk/inventory/entities';

/**
 * One device poll: latency, loss and jitter from the ping probe, CPU and memory from SNMP (each
 * null when not measured). One narrow row per device and poll, keyed by (device, time); a BRIN
 * index on `at` serves the rollup and retention scans, which go by time across every device.
 */
@Entity('device_samples')
@Index('device_samples_at_brin', ['at'], { type: 'brin' })
export class DeviceSampleEntity {
  @PrimaryColumn({ name: 'device_id', type: 'uuid', primaryKeyConstraintName: 'device_samples_pkey' })
  deviceId: string;

  @PrimaryColumn({ type: 'timestamptz', primaryKeyConstraintName: 'device_samples_pkey' })
  at: Date;

  @ManyToOne(() => DeviceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'device_id', foreignKeyConstraintName: 'device_samples_device_id_fkey' })
  device?: DeviceEntity;

  @Column({ name: 'rtt_ms', type: 'real', nullable: true })
  rttMs: number | null;

  @Column({ name: 'loss_pct', type: 'real', nullable: true })
  lossPct: number | null;

  @Column({ name: 'jitter_ms', type: 'real', nullable: true })
  jitterMs: number | null;

  @Column({ name: 'cpu_pct', type: 'real', nullable: true })
  cpuPct: number | null;

  @Column({ name: 'mem_pct', type: 'real', nullable: true })
  memPct: number | null;
}
