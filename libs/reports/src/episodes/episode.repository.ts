import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DeviceDirectory } from '@netdesk/inventory';
import { StatusHistoryReader } from '@netdesk/monitoring';
import type { StatusChange } from '@netdesk/monitoring';
import { MaintenanceWindowReader, TicketReader, TicketWriter } from '@netdesk/ticketing';
import type { EpisodeFault, StoredMaintenanceWindow } from '../domain';
import { FaultEpisodeEntity } from './fault-episode.entity';

export type HistoryRow = Pick<StatusChange, 'id' | 'deviceId' | 'kind' | 'ifIndex' | 'toStatus' | 'detail' | 'at'> & {
  siteId: string | null;
  deviceKind: string;
  deviceName: string;
};

export interface EpisodeQuery {
  deviceId?: string;
  faultType?: string;
  from: Date;
  to: Date;
  limit: number;
}

export type EpisodeRow = FaultEpisodeEntity & { deviceName: string; siteId: string | null };

const CURSOR = 'status_history';

/**
 * Fault episodes (reports' own table) and the history they are read from. Writes go through `transaction`.
 * What belongs to other contexts (status history, devices, tickets, maintenance windows) is read through
 * their ports, in this transaction.
 */
@Injectable()
export class EpisodeRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly history: StatusHistoryReader,
    private readonly devices: DeviceDirectory,
    private readonly tickets: TicketReader,
    private readonly ticketWriter: TicketWriter,
    private readonly windows: MaintenanceWindowReader,
  ) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Where the recorder stopped, and how far ticketing has got (the recorder never overtakes it). */
  async cursors(m: EntityManager): Promise<{ last: string; ticketing: string }> {
    await m.query(`INSERT INTO reports_cursor (name, last_history_id) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING`, [
      CURSOR,
    ]);
    const [row] = await m.query(`SELECT last_history_id AS last FROM reports_cursor WHERE name = $1 FOR UPDATE`, [
      CURSOR,
    ]);
    return { last: String(row.last), ticketing: await this.tickets.historyCursor(m) };
  }

  async moveCursor(lastHistoryId: string, m: EntityManager): Promise<void> {
    await m.query(`UPDATE reports_cursor SET last_history_id = $2 WHERE name = $1`, [CURSOR, lastHistoryId]);
  }

  /** History rows in `(after, upTo]`, oldest first, with their device's site, kind and name. */
  async historyAfter(after: string, upTo: string, limit: number, m: EntityManager): Promise<HistoryRow[]> {
    const rows = await this.history.since(after, limit, m, upTo);
    const devices = new Map(
      (await this.devices.findByIds([...new Set(rows.map((r) => r.deviceId))], m)).map((d) => [d.id, d]),
    );
    return rows.flatMap((r) => {
      const d = devices.get(r.deviceId);
      if (!d) return [];
      const { id, deviceId, kind, ifIndex, toStatus, detail, at } = r;
      return [
        { id, deviceId, kind, ifIndex, toStatus, detail, at, siteId: d.siteId, deviceKind: d.kind, deviceName: d.name },
      ];
    });
  }

  /** Maintenance windows (ticketing's): all, or those of a device and its site. */
  maintenanceWindows(
    m: EntityManager = this.dataSource.manager,
    device?: { id: string; siteId: string | null },
  ): Promise<StoredMaintenanceWindow[]> {
    return this.windows.windows(m, device);
  }

  /** The ticket not yet closed for a fault key (ticketing has already handled the row). */
  activeTicketId(faultKey: string, m: EntityManager): Promise<string | null> {
    return this.tickets.activeIdByFaultKey(faultKey, m);
  }

  async hasOpen(faultKey: string, m: EntityManager): Promise<boolean> {
    const rows = await m.query(`SELECT 1 FROM fault_episodes WHERE fault_key = $1 AND ended_at IS NULL`, [faultKey]);
    return rows.length > 0;
  }

  async insert(
    e: Omit<FaultEpisodeEntity, 'id' | 'device' | 'endHistoryId'> & { endHistoryId?: string | null },
    m: EntityManager,
  ): Promise<FaultEpisodeEntity> {
    const repo = m.getRepository(FaultEpisodeEntity);
    return repo.save(repo.create({ ...e, endHistoryId: e.endHistoryId ?? null }));
  }

  async close(faultKey: string, at: Date, historyId: string, m: EntityManager): Promise<void> {
    await m.query(
      `UPDATE fault_episodes SET ended_at = $2, end_history_id = $3 WHERE fault_key = $1 AND ended_at IS NULL`,
      [faultKey, at, historyId],
    );
  }

  /** Episodes of one fault (not in maintenance) that started in `(after, until]`. */
  async sameFaultSince(
    faultKey: string,
    after: Date,
    until: Date,
    m: EntityManager,
  ): Promise<{ id: string; startedAt: Date; ticketId: string | null }[]> {
    const rows = await m.query(
      `SELECT id, started_at, ticket_id FROM fault_episodes
        WHERE fault_key = $1 AND NOT in_maintenance AND started_at > $2 AND started_at <= $3 ORDER BY started_at`,
      [faultKey, after, until],
    );
    return rows.map((r: Record<string, unknown>) => ({
      id: String(r.id),
      startedAt: r.started_at as Date,
      ticketId: r.ticket_id as string | null,
    }));
  }

  /** Episodes of a fault type on devices of a site or a kind (not in maintenance) that started in `(after, until]`. */
  async sameFaultTypeInGroup(
    group: { siteId: string } | { kind: string },
    fault: EpisodeFault,
    after: Date,
    until: Date,
    m: EntityManager,
  ): Promise<{ id: string; deviceId: string; startedAt: Date }[]> {
    const bySite = 'siteId' in group;
    const rows = await m.query(
      `SELECT e.id, e.device_id, e.started_at FROM fault_episodes e JOIN devices d ON d.id = e.device_id
        WHERE e.fault_type = $1 AND NOT e.in_maintenance AND e.started_at > $2 AND e.started_at <= $3
          AND ${bySite ? 'd.site_id = $4' : 'd.kind::text = $4'}
        ORDER BY e.started_at`,
      [fault.faultType, after, until, bySite ? group.siteId : group.kind],
    );
    return rows.map((r: Record<string, unknown>) => ({
      id: String(r.id),
      deviceId: r.device_id as string,
      startedAt: r.started_at as Date,
    }));
  }

  /** Marks tickets recurring (ticketing's column, written by ticketing); returns the ids that changed. */
  flagRecurring(ticketIds: string[], m: EntityManager): Promise<string[]> {
    return this.ticketWriter.flagRecurring(ticketIds, m);
  }

  /** Episodes overlapping `[from, to)`, newest first. */
  async list(q: EpisodeQuery): Promise<EpisodeRow[]> {
    const rows = await this.dataSource.query(
      `SELECT e.*, d.name AS device_name, d.site_id FROM fault_episodes e JOIN devices d ON d.id = e.device_id
        WHERE e.started_at < $2 AND (e.ended_at IS NULL OR e.ended_at > $1 OR (e.ended_at = e.started_at AND e.started_at >= $1))
          AND ($3::uuid IS NULL OR e.device_id = $3) AND ($4::text IS NULL OR e.fault_type = $4)
        ORDER BY e.started_at DESC, e.id DESC LIMIT $5`,
      [q.from, q.to, q.deviceId ?? null, q.faultType ?? null, q.limit],
    );
    return rows.map(toEpisodeRow);
  }

  async byIds(ids: string[]): Promise<EpisodeRow[]> {
    if (!ids.length) return [];
    const rows = await this.dataSource.query(
      `SELECT e.*, d.name AS device_name, d.site_id FROM fault_episodes e JOIN devices d ON d.id = e.device_id
        WHERE e.id = ANY($1::bigint[]) ORDER BY e.started_at, e.id`,
      [ids],
    );
    return rows.map(toEpisodeRow);
  }
}

export function toEpisodeRow(r: Record<string, unknown>): EpisodeRow {
  return {
    id: String(r.id),
    deviceId: r.device_id as string,
    faultType: r.fault_type as EpisodeRow['faultType'],
    ifIndex: r.if_index as number | null,
    faultKey: r.fault_key as string,
    startedAt: r.started_at as Date,
    endedAt: r.ended_at as Date | null,
    ticketId: r.ticket_id as string | null,
    inMaintenance: r.in_maintenance as boolean,
    startHistoryId: String(r.start_history_id),
    endHistoryId: r.end_history_id == null ? null : String(r.end_history_id),
    deviceName: r.device_name as string,
    siteId: r.site_id as string | null,
  };
}
