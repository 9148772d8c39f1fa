import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { DeviceEntity } from '@netdesk/inventory/entities';

const bigintAsNumber = { to: (v?: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

/** The last reading of each interface of a device, and whether the operator watches it. */
@Entity('device_interfaces')
export class DeviceInterfaceEntity {
  @PrimaryColumn({ name: 'device_id', type: 'uuid' })
  deviceId: string;

  @PrimaryColumn({ name: 'if_index', type: 'int' })
  ifIndex: number;

  @ManyToOne(() => DeviceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'device_id', foreignKeyConstraintName: 'device_interfaces_device_id_fkey' })
  device?: DeviceEntity;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  @Column({ type: 'varchar', length: 255, default: '' })
  alias: string;

  @Column({ name: 'if_type', type: 'int', nullable: true })
  ifType: number | null;

  @Column({ name: 'admin_status', type: 'varchar', length: 20 })
  adminStatus: string;

  @Column({ name: 'oper_status', type: 'varchar', length: 20 })
  operStatus: string;

  @Column({ name: 'oper_since', type: 'timestamptz' })
  operSince: Date;

  @Column({ name: 'speed_bps', type: 'bigint', nullable: true, transformer: bigintAsNumber })
  speedBps: number | null;

  @Column({ name: 'in_bps', type: 'double precision', nullable: true })
  inBps: number | null;

  @Column({ name: 'out_bps', type: 'double precision', nullable: true })
  outBps: number | null;

  @Column({ name: 'in_errors', type: 'double precision', nullable: true })
  inErrors: number | null;

  @Column({ name: 'out_errors', type: 'double precision', nullable: true })
  outErrors: number | null;

  @Column({ name: 'in_discards', type: 'double precision', nullable: true })
  inDiscards: number | null;

  @Column({ name: 'out_discards', type: 'double precision', nullable: true })
  outDiscards: number | null;

  /** Watched by default rule (admin-up with an alias) or by the operator's choice. */
  @Column({ type: 'boolean', default: false })
  monitored: boolean;

  /** The operator's choice: true (always watch), false (never), null (default rule). */
  @Column({ name: 'monitored_override', type: 'boolean', nullable: true })
  monitoredOverride: boolean | null;

  @Column({ type: 'boolean', default: false })
  flapping: boolean;

  /** A circuit's contracted rate: utilisation is measured against it instead of ifSpeed. */
  @Column({ name: 'capacity_bps', type: 'bigint', nullable: true, transformer: bigintAsNumber })
  capacityBps: number | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  provider: string | null;

  @Column({ name: 'circuit_id', type: 'varchar', length: 100, nullable: true })
  circuitId: string | null;

  /** This interface's own utilisation threshold (%). */
  @Column({ name: 'utilisation_pct', type: 'real', nullable: true })
  utilisationPct: number | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
