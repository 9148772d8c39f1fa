import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { MaintenanceWindowRecord } from '../domain';

/** A stored maintenance window and what it covers (a device or a site). */
export interface CoveringWindow extends MaintenanceWindowRecord {
  deviceId: string | null;
  siteId: string | null;
}

/** How other contexts (reports) read the maintenance windows, to take maintenance off their figures. */
export abstract class MaintenanceWindowReader {
  /** All windows, or those of a device and its site; in the caller's transaction when given. */
  abstract windows(manager?: EntityManager, device?: { id: string; siteId: string | null }): Promise<CoveringWindow[]>;
}

@Injectable()
export class MaintenanceWindowRepository implements MaintenanceWindowReader {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async windows(
    m: EntityManager = this.dataSource.manager,
    device?: { id: string; siteId: string | null },
  ): Promise<CoveringWindow[]> {
    const rows = await m.query(
      `SELECT device_id, site_id, starts_at, ends_at, weekly FROM maintenance_windows
        WHERE $1::uuid IS NULL OR device_id = $1 OR ($2::uuid IS NOT NULL AND site_id = $2)`,
      [device?.id ?? null, device?.siteId ?? null],
    );
    return rows.map((r: Record<string, unknown>) => ({
      deviceId: r.device_id as string | null,
      siteId: r.site_id as string | null,
      startsAt: r.starts_at as Date | null,
      endsAt: r.ends_at as Date | null,
      weekly: r.weekly as CoveringWindow['weekly'],
    }));
  }
}
