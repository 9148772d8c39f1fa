import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import {
  CRITICALITIES,
  Criticality,
  DEVICE_KINDS,
  DEVICE_STATUSES,
  DeviceKind,
  DeviceStatus,
  SNMP_VERSIONS,
  SnmpVersion,
} from './inventory.types';
import { SiteEntity } from './site.entity';

/**
 * A monitored device and its last known state. Inventory owns the row; the monitoring lib writes
 * the state columns through `DeviceRepository.recordState`.
 */
@Entity('devices')
@Index('devices_parent_id_idx', ['parentId'])
@Index('devices_site_id_idx', ['siteId'])
@Unique('devices_name_key', ['name'])
@Unique('devices_host_key', ['host'])
export class DeviceEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 128 })
  name: string;

  @Column({ type: 'varchar', length: 253 })
  host: string;

  @Column({ name: 'site_id', type: 'uuid', nullable: true })
  siteId: string | null;

  @ManyToOne(() => SiteEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'site_id', foreignKeyConstraintName: 'devices_site_id_fkey' })
  site?: SiteEntity;

  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId: string | null;

  @ManyToOne(() => DeviceEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'parent_id', foreignKeyConstraintName: 'devices_parent_id_fkey' })
  parent?: DeviceEntity;

  @Column({ type: 'enum', enum: DEVICE_KINDS, enumName: 'device_kind', default: 'other' })
  kind: DeviceKind;

  @Column({ type: 'enum', enum: CRITICALITIES, enumName: 'device_criticality', default: 'normal' })
  criticality: Criticality;

  @Column({ name: 'poll_interval_sec', type: 'int', default: 30 })
  pollIntervalSec: number;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags: string[];

  @Column({ type: 'varchar', length: 64, nullable: true })
  team: string | null;

  /** Ticketing's escalation policy for this device; null: the default policy. */
  @Column({ name: 'escalation_policy_id', type: 'uuid', nullable: true })
  escalationPolicyId: string | null;

  @Column({ name: 'snmp_version', type: 'enum', enum: SNMP_VERSIONS, enumName: 'snmp_version', nullable: true })
  snmpVersion: SnmpVersion | null;

  @Column({ name: 'snmp_port', type: 'int', nullable: true })
  snmpPort: number | null;

  /** The credentials (community, or v3 user and keys) as AES-GCM ciphertext; see SecretBox. */
  @Column({ name: 'snmp_secret', type: 'text', nullable: true })
  snmpSecret: string | null;

  @Column({ type: 'enum', enum: DEVICE_STATUSES, enumName: 'device_status', default: 'unknown' })
  status: DeviceStatus;

  @Column({ name: 'status_since', type: 'timestamptz', default: () => 'now()' })
  statusSince: Date;

  @Column({ name: 'status_reason', type: 'varchar', length: 512, nullable: true })
  statusReason: string | null;

  @Column({ type: 'boolean', default: false })
  flapping: boolean;

  /** This device's own thresholds (utilisationPct, errorsPerMin, cpuPct, …), over its kind's defaults. */
  @Column({ type: 'jsonb', nullable: true })
  thresholds: Record<string, number> | null;

  @Column({ name: 'last_poll_at', type: 'timestamptz', nullable: true })
  lastPollAt: Date | null;

  @Column({ name: 'last_rtt_ms', type: 'real', nullable: true })
  lastRttMs: number | null;

  @Column({ name: 'last_loss_pct', type: 'real', nullable: true })
  lastLossPct: number | null;

  @Column({ name: 'sys_name', type: 'varchar', length: 255, nullable: true })
  sysName: string | null;

  @Column({ name: 'sys_descr', type: 'varchar', length: 1024, nullable: true })
  sysDescr: string | null;

  @Column({ name: 'sys_object_id', type: 'varchar', length: 255, nullable: true })
  sysObjectId: string | null;

  @Column({
    name: 'uptime_sec',
    type: 'bigint',
    nullable: true,
    transformer: { to: (v?: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) },
  })
  uptimeSec: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
