import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { DeviceEntity } from '@netdesk/inventory/entities';

/**
 * One UTC day of an interface's hourly rollups, kept by the rollup job beside them: every hourly
 * average of the day (in bucket order, one element per hourly row, null where the hour had no
 * reading) and the day's peaks. Reports read windows of whole days from here instead of scanning
 * 24 hourly rows per link and day; percentiles stay exactly those of the hourly averages. Hourly traffic
 * charts read them too: the UTC hour of each element and the hourly minimum and maximum, aligned with the
 * averages.
 */
@Entity('interface_daily_summaries')
export class InterfaceDailySummaryEntity {
  @PrimaryColumn({ name: 'device_id', type: 'uuid', primaryKeyConstraintName: 'interface_daily_summaries_pkey' })
  deviceId: string;

  @PrimaryColumn({ name: 'if_index', type: 'int', primaryKeyConstraintName: 'interface_daily_summaries_pkey' })
  ifIndex: number;

  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'interface_daily_summaries_pkey' })
  day: string;

  @Column({ name: 'in_bps_avgs', type: 'double precision', array: true })
  inBpsAvgs: (number | null)[];

  @Column({ name: 'out_bps_avgs', type: 'double precision', array: true })
  outBpsAvgs: (number | null)[];

  /** UTC hour (0-23) of the hourly row each element of the arrays comes from. */
  @Column({ type: 'smallint', array: true })
  hours: number[];

  @Column({ name: 'in_bps_mins', type: 'double precision', array: true })
  inBpsMins: (number | null)[];

  @Column({ name: 'in_bps_maxs', type: 'double precision', array: true })
  inBpsMaxs: (number | null)[];

  @Column({ name: 'out_bps_mins', type: 'double precision', array: true })
  outBpsMins: (number | null)[];

  @Column({ name: 'out_bps_maxs', type: 'double precision', array: true })
  outBpsMaxs: (number | null)[];

  @Column({ name: 'in_bps_peak', type: 'double precision', nullable: true })
  inBpsPeak: number | null;

  @Column({ name: 'out_bps_peak', type: 'double precision', nullable: true })
  outBpsPeak: number | null;

  @ManyToOne(() => DeviceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'device_id', foreignKeyConstraintName: 'interface_daily_summaries_device_id_fkey' })
  device?: DeviceEntity;
}
