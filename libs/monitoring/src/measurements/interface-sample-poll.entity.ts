import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { DeviceEntity } from '@netdesk/inventory/entities';

/**
 * The interfaces of one device poll not yet packed into hours: one row per poll, one array element per
 * interface (parallel arrays, in ifIndex order). Traffic in bits per second; errors and discards as rates
 * in events per second over the poll interval (see measurement.metrics.ts); null where not measured. The
 * rollup job moves every complete hour from here into `interface_sample_hours`.
 */
@Entity('interface_sample_polls')
export class InterfaceSamplePollEntity {
  @PrimaryColumn({ name: 'device_id', type: 'uuid', primaryKeyConstraintName: 'interface_sample_polls_pkey' })
  deviceId: string;

  @PrimaryColumn({ type: 'timestamptz', primaryKeyConstraintName: 'interface_sample_polls_pkey' })
  at: Date;

  @ManyToOne(() => DeviceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'device_id', foreignKeyConstraintName: 'interface_sample_polls_device_id_fkey' })
  device?: DeviceEntity;

  @Column({ name: 'if_indexes', type: 'int', array: true })
  ifIndexes: number[];

  @Column({ name: 'in_bps', type: 'double precision', array: true })
  inBps: (number | null)[];

  @Column({ name: 'out_bps', type: 'double precision', array: true })
  outBps: (number | null)[];

  @Column({ name: 'in_errors', type: 'real', array: true })
  inErrors: (number | null)[];

  @Column({ name: 'out_errors', type: 'real', array: true })
  outErrors: (number | null)[];

  @Column({ name: 'in_discards', type: 'real', array: true })
  inDiscards: (number | null)[];

  @Column({ name: 'out_discards', type: 'real', array: true })
  outDiscards: (number | null)[];
}
