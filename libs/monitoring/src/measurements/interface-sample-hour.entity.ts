import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { DeviceEntity } from '@netdesk/inventory/entities';

/**
 * The raw samples of one interface in one UTC hour, packed: parallel arrays in time order, `offsets_ms`
 * the milliseconds from the hour's start. Values are `real` (7 significant digits). An error or discard
 * column that was 0 at every sample of the hour (the usual case) is stored as NULL; a null element is a
 * sample where the value was not measured.
 */
@Entity('interface_sample_hours')
export class InterfaceSampleHourEntity {
  @PrimaryColumn({ name: 'device_id', type: 'uuid', primaryKeyConstraintName: 'interface_sample_hours_pkey' })
  deviceId: string;

  @PrimaryColumn({ name: 'if_index', type: 'int', primaryKeyConstraintName: 'interface_sample_hours_pkey' })
  ifIndex: number;

  @PrimaryColumn({ type: 'timestamptz', primaryKeyConstraintName: 'interface_sample_hours_pkey' })
  hour: Date;

  @ManyToOne(() => DeviceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'device_id', foreignKeyConstraintName: 'interface_sample_hours_device_id_fkey' })
  device?: DeviceEntity;

  @Column({ name: 'offsets_ms', type: 'int', array: true })
  offsetsMs: number[];

  @Column({ name: 'in_bps', type: 'real', array: true })
  inBps: (number | null)[];

  @Column({ name: 'out_bps', type: 'real', array: true })
  outBps: (number | null)[];

  @Column({ name: 'in_errors', type: 'real', array: true, nullable: true })
  inErrors: (number | null)[] | null;

  @Column({ name: 'out_errors', type: 'real', array: true, nullable: true })
  outErrors: (number | null)[] | null;

  @Column({ name: 'in_discards', type: 'real', array: true, nullable: true })
  inDiscards: (number | null)[] | null;

  @Column({ name: 'out_discards', type: 'real', array: true, nullable: true })
  outDiscards: (number | null)[] | null;
}
