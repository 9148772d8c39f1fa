import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Weekday } from '../domain';

/** A planned period for a device or a site: faults are recorded but open no ticket and notify no one. */
@Entity('maintenance_windows')
@Index('maintenance_windows_device_idx', ['deviceId'])
@Index('maintenance_windows_site_idx', ['siteId'])
export class MaintenanceWindowEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 128 })
  name: string;

  @Column({ name: 'device_id', type: 'uuid', nullable: true })
  deviceId: string | null;

  @Column({ name: 'site_id', type: 'uuid', nullable: true })
  siteId: string | null;

  @Column({ name: 'starts_at', type: 'timestamptz', nullable: true })
  startsAt: Date | null;

  @Column({ name: 'ends_at', type: 'timestamptz', nullable: true })
  endsAt: Date | null;

  /** Weekly recurrence: `{days, start, durationMinutes, timezone}`; null for a one-off window. */
  @Column({ type: 'jsonb', nullable: true })
  weekly: { days: Weekday[]; start: string; durationMinutes: number; timezone: string } | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
