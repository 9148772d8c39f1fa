import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { DeviceEntity } from '@netdesk/inventory/entities';

/**
 * One interface poll, keyed by (device, ifIndex, time). Traffic in bits per second; errors and
 * discards as rates in events per second over the poll interval (see measurement.metrics.ts).
 */
@Entity('interface_samples')
@Index('interface_samples_at_brin', ['at'], { type: 'brin' })
export class InterfaceSampleEntity {
  @PrimaryColumn({ name: 'device_id', type: 'uuid', primaryKeyConstraintName: 'interface_samples_pkey' })
  deviceId: string;

  @PrimaryColumn({ name: 'if_index', type: 'int', primaryKeyConstraintName: 'interface_samples_pkey' })
  ifIndex: number;

  @PrimaryColumn({ type: 'timestamptz', primaryKeyConstraintName: 'interface_samples_pkey' })
  at: Date;

  @ManyToOne(() => DeviceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'device_id', foreignKeyConstraintName: 'interface_samples_device_id_fkey' })
  device?: DeviceEntity;

  @Column({ name: 'in_bps', type: 'double precision', nullable: true })
  inBps: number | null;

  @Column({ name: 'out_bps', type: 'double precision', nullable: true })
  outBps: number | null;

  @Column({ name: 'in_errors', type: 'real', nullable: true })
  inErrors: number | null;

  @Column({ name: 'out_errors', type: 'real', nullable: true })
  outErrors: number | null;

  @Column({ name: 'in_discards', type: 'real', nullable: true })
  inDiscards: number | null;

  @Column({ name: 'out_discards', type: 'real', nullable: true })
  outDiscards: number | null;
}
