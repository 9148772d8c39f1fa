import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, FindOptionsWhere, In, Repository, ArrayContains } from 'typeorm';
import { DomainError } from '@netdesk/core';
import { foreignKeyViolation, uniqueViolation } from '@netdesk/database';
import { DeviceEntity } from './device.entity';
import { DeviceDirectory, DeviceState, InventoryNames } from './device-directory.port';
import { DeviceKind, DeviceStatus } from './inventory.types';

const TOPOLOGY_LOCK = 0x6e64_746f; // 'ndto': serialises parent changes so two writers cannot close a cycle

/** The columns of a device summary (see `toDeviceSummary`), as the database returns them. */
export interface DeviceSummaryRow {
  id: string;
  name: string;
  host: string;
  site_id: string | null;
  parent_id: string | null;
  kind: DeviceKind;
  status: DeviceStatus;
  /** ISO 8601 in UTC, formatted by PostgreSQL (no Date round trip). */
  status_since: string;
  status_reason: string | null;
  flapping: boolean;
  tags: string[];
  sys_name: string | null;
}

export interface DeviceFilter {
  siteId?: string;
  status?: DeviceStatus;
  kind?: DeviceKind;
  tag?: string;
}

@Injectable()
export class DeviceRepository implements DeviceDirectory {
  constructor(
    @InjectRepository(DeviceEntity) private readonly repo: Repository<DeviceEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  private of(manager?: EntityManager): Repository<DeviceEntity> {
    return manager?.getRepository(DeviceEntity) ?? this.repo;
  }

  findById(id: string, manager?: EntityManager): Promise<DeviceEntity | null> {
    return this.of(manager).findOneBy({ id });
  }

  findByIds(ids: string[], manager?: EntityManager): Promise<DeviceEntity[]> {
    return ids.length ? this.of(manager).findBy({ id: In(ids) }) : Promise.resolve([]);
  }

  findByNames(names: string[], manager?: EntityManager): Promise<DeviceEntity[]> {
    return this.of(manager).findBy({ name: In(names) });
  }

  list(filter: DeviceFilter = {}): Promise<DeviceEntity[]> {
    const where: FindOptionsWhere<DeviceEntity> = {};
    if (filter.siteId) where.siteId = filter.siteId;
    if (filter.status) where.status = filter.status;
    if (filter.kind) where.kind = filter.kind;
    if (filter.tag) where.tags = ArrayContains([filter.tag]);
    return this.repo.find({ where, order: { name: 'ASC' } });
  }

  /** Status and flapping of the devices among `ids` or in `siteIds` (what a maintenance check needs). */
  async listStates(ids: string[], siteIds: string[]): Promise<DeviceState[]> {
    if (ids.length === 0 && siteIds.length === 0) return [];
    const rows: { id: string; site_id: string | null; status: DeviceStatus; flapping: boolean }[] =
      await this.dataSource.query(
        `SELECT id, site_id, status, flapping FROM devices WHERE id = ANY($1::uuid[]) OR site_id = ANY($2::uuid[])`,
        [ids, siteIds],
      );
    return rows.map((r) => ({ id: r.id, siteId: r.site_id, status: r.status, flapping: r.flapping }));
  }

  /**
   * The devices of a live board (everything, or one site), by name: only the summary columns, read
   * without entity hydration. At 10,000 devices this is several times faster than `list()`.
   */
  listSummaries(siteId: string | null): Promise<DeviceSummaryRow[]> {
    return this.dataSource.query(
      `SELECT id, name, host, site_id, parent_id, kind, status,
              to_char(status_since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS status_since,
              status_reason, flapping, tags, sys_name
         FROM devices
        WHERE $1::uuid IS NULL OR site_id = $1
        ORDER BY name`,
      [siteId],
    );
  }

  /** Ids on the parent chain above `deviceId`, nearest first; a chain that loops ends with the id it looped back to. */
  async ancestorIds(deviceId: string, manager?: EntityManager): Promise<string[]> {
    const rows: { id: string }[] = await (manager ?? this.dataSource.manager).query(
      `WITH RECURSIVE chain(id, parent_id, depth, path, cycle) AS (
         SELECT id, parent_id, 0, ARRAY[id], false FROM devices WHERE id = $1
         UNION ALL
         SELECT d.id, d.parent_id, c.depth + 1, c.path || d.id, d.id = ANY(c.path)
           FROM devices d JOIN chain c ON d.id = c.parent_id
          WHERE NOT c.cycle
       )
       SELECT id FROM chain WHERE depth > 0 ORDER BY depth`,
      [deviceId],
    );
    return rows.map((r) => r.id);
  }

  /** How many devices sit behind this one (their parent chain passes through it). */
  async countDescendants(deviceId: string, manager?: EntityManager): Promise<number> {
    const [{ count }] = await (manager ?? this.dataSource.manager).query(
      `WITH RECURSIVE below(id, path) AS (
         SELECT id, ARRAY[id] FROM devices WHERE parent_id = $1
         UNION ALL
         SELECT d.id, b.path || d.id FROM devices d JOIN below b ON d.parent_id = b.id WHERE NOT d.id = ANY(b.path)
       )
       SELECT count(DISTINCT id)::int AS count FROM below WHERE id <> $1`,
      [deviceId],
    );
    return count;
  }

  async names(manager?: EntityManager): Promise<InventoryNames> {
    const m = manager ?? this.dataSource.manager;
    const devices: { id: string; name: string; host: string; site_id: string | null }[] = await m.query(
      `SELECT id, name, host, site_id FROM devices`,
    );
    const sites: { id: string; name: string }[] = await m.query(`SELECT id, name FROM sites`);
    return { devices: devices.map((d) => ({ id: d.id, name: d.name, host: d.host, siteId: d.site_id })), sites };
  }

  countByEscalationPolicy(policyId: string, manager?: EntityManager): Promise<number> {
    return this.of(manager).count({ where: { escalationPolicyId: policyId } });
  }

  async pollerGroups(manager?: EntityManager): Promise<Map<string, string>> {
    const rows: { id: string; grp: string }[] = await (manager ?? this.dataSource.manager).query(
      `SELECT d.id, COALESCE(s.poller_group, 'default') AS grp FROM devices d LEFT JOIN sites s ON s.id = d.site_id`,
    );
    return new Map(rows.map((r) => [r.id, r.grp]));
  }

  async lockExisting(ids: string[], manager: EntityManager): Promise<string[]> {
    const rows: { id: string }[] = await manager.query(
      `SELECT id FROM devices WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
      [ids],
    );
    return rows.map((r) => r.id);
  }

  /** Runs `work` in one transaction holding the topology lock. */
  inTopologyTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [TOPOLOGY_LOCK]);
      return work(manager);
    });
  }

  async save(device: Partial<DeviceEntity>, manager?: EntityManager): Promise<DeviceEntity> {
    const repo = this.of(manager);
    try {
      return await repo.save(repo.create(device));
    } catch (e) {
      const unique = uniqueViolation(e);
      if (unique === 'devices_name_key')
        throw new DomainError('conflict', `name: a device named "${device.name}" already exists`);
      if (unique === 'devices_host_key')
        throw new DomainError('conflict', `host: a device with host "${device.host}" already exists`);
      if (unique) throw new DomainError('conflict', 'the device conflicts with an existing one');
      const fk = foreignKeyViolation(e);
      if (fk)
        throw new DomainError('invalid', fk.includes('site') ? 'siteId: no such site' : 'parentId: no such device');
      throw e;
    }
  }

  async delete(id: string): Promise<boolean> {
    return ((await this.repo.delete({ id })).affected ?? 0) > 0;
  }
}
