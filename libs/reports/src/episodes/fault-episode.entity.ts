import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DeviceEntity } from '@netdesk/inventory/entities';
import type { EpisodeFaultType } from '../domain';

/**
 * One occurrence of a fault, materialised from monitoring's status history by the episode recorder
 * (a cursor moved in the same transaction). At most one open episode per fault key (partial unique index).
 */
@Entity('fault_episodes')
@Index('fault_episodes_started_idx', ['startedAt'])
@Index('fault_episodes_device_started_idx', ['deviceId', 'startedAt'])
@Index('fault_episodes_type_started_idx', ['faultType', 'startedAt'])
@Index('fault_episodes_ended_idx', ['endedAt'])
@Index('fault_episodes_open_key', ['faultKey'], { unique: true, where: 'ended_at IS NULL' })
export class FaultEpisodeEntity {
  /** bigint; returned by the driver as a string. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'device_id', type: 'uuid' })
  deviceId: string;

  @ManyToOne(() => DeviceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'device_id', foreignKeyConstraintName: 'fault_episodes_device_id_fkey' })
  device?: DeviceEntity;

  @Column({ name: 'fault_type', type: 'varchar', length: 20 })
  faultType: EpisodeFaultType;

  @Column({ name: 'if_index', type: 'int', nullable: true })
  ifIndex: number | null;

  /** `<deviceId>:<faultType>:<ifIndex or ->`, as tickets. */
  @Column({ name: 'fault_key', type: 'varchar', length: 100 })
  faultKey: string;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt: Date;

  /** null while the fault lasts; equal to `startedAt` for a reboot. */
  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  /** The ticket that tracked this occurrence (no FK: tickets and episodes live separately). */
  @Column({ name: 'ticket_id', type: 'uuid', nullable: true })
  ticketId: string | null;

  /** Started inside a maintenance window of the device or its site: planned, opened no ticket. */
  @Column({ name: 'in_maintenance', type: 'boolean', default: false })
  inMaintenance: boolean;

  @Column({ name: 'start_history_id', type: 'bigint' })
  startHistoryId: string;

  @Column({ name: 'end_history_id', type: 'bigint', nullable: true })
  endHistoryId: string | null;
}
