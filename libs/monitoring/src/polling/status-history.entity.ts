import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DeviceEntity } from '@netdesk/inventory/entities';

export const HISTORY_KINDS = ['device_status', 'interface_status', 'device_rebooted', 'flapping', 'threshold'] as const;
export type HistoryKind = (typeof HISTORY_KINDS)[number];

export interface HistoryDetail {
  causes?: string[];
  name?: string;
  alias?: string;
  monitored?: boolean;
  estimatedBootAt?: string;
  percentStateChange?: number;
  /** A threshold change: the fault, what was measured and against what. */
  faultType?: string;
  metric?: string;
  value?: number;
  threshold?: number;
  direction?: string;
  capacityBps?: number | null;
  provider?: string | null;
  circuitId?: string | null;
}

/**
 * Every change the poller found, stored in the same transaction as the state it changed, in order
 * (`id` increases). It is the durable record consumers (tickets, reports) read from.
 */
@Entity('status_history')
@Index('status_history_device_at_idx', ['deviceId', 'at'])
@Index('status_history_at_idx', ['at'])
export class StatusHistoryEntity {
  /** bigint in the database; returned by the driver as a string. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'device_id', type: 'uuid' })
  deviceId: string;

  @ManyToOne(() => DeviceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'device_id', foreignKeyConstraintName: 'status_history_device_id_fkey' })
  device?: DeviceEntity;

  @Column({ type: 'enum', enum: HISTORY_KINDS, enumName: 'history_kind' })
  kind: HistoryKind;

  @Column({ name: 'if_index', type: 'int', nullable: true })
  ifIndex: number | null;

  @Column({ name: 'from_status', type: 'varchar', length: 20, nullable: true })
  fromStatus: string | null;

  @Column({ name: 'to_status', type: 'varchar', length: 20, nullable: true })
  toStatus: string | null;

  @Column({ type: 'varchar', length: 512, nullable: true })
  reason: string | null;

  /** Structured facts for consumers: causes of a degraded status, interface name/alias/monitored, flap %. */
  @Column({ type: 'jsonb', nullable: true })
  detail: HistoryDetail | null;

  @Column({ type: 'timestamptz' })
  at: Date;
}
