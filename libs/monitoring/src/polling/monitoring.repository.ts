import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DeviceStatusWriter, LastPollRow } from '@netdesk/inventory';
import { DeviceInterfaceEntity } from './device-interface.entity';
import { StatusHistoryEntity } from './status-history.entity';
import { IngestSink } from './ingest-sink.port';
import type { InterfaceReading, MonitoringChange } from './poll-engine.types';

/** What an operator sets on an interface (undefined: unchanged, null: cleared). */
export interface InterfaceSettings {
  monitored?: boolean | null;
  capacityBps?: number | null;
  provider?: string | null;
  circuitId?: string | null;
  utilisationPct?: number | null;
}

const truncate = (s: string | null, n: number) => (s === null ? null : s.slice(0, n));

@Injectable()
export class MonitoringRepository implements IngestSink {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly devices: DeviceStatusWriter,
  ) {}

  /**
   * Stores a device's changes and the state they lead to, in one transaction (the caller's, when given,
   * so that a consumer can record what it applied in the same commit); returns their history ids.
   */
  async commit(changes: MonitoringChange[], manager?: EntityManager): Promise<number[]> {
    const run = async (m: EntityManager) => {
      for (const change of changes) await this.apply(m, change);
      const inserted = await m.getRepository(StatusHistoryEntity).insert(changes.map(toHistoryRow));
      return inserted.identifiers.map((i) => Number(i.id));
    };
    return manager ? run(manager) : this.dataSource.transaction(run);
  }

  private async apply(m: EntityManager, c: MonitoringChange): Promise<void> {
    switch (c.kind) {
      case 'device_status':
        await this.devices.recordStatus({ deviceId: c.deviceId, status: c.to, since: c.at, reason: c.reason }, m);
        return;
      case 'interface_status':
        await m.query(
          `INSERT INTO device_interfaces (device_id, if_index, name, alias, admin_status, oper_status, oper_since, monitored, updated_at)
           VALUES ($1, $2, $3, $4, 'up', $5, $6, $7, $6)
           ON CONFLICT (device_id, if_index) DO UPDATE SET oper_status = EXCLUDED.oper_status, oper_since = EXCLUDED.oper_since, updated_at = EXCLUDED.updated_at`,
          [c.deviceId, c.ifIndex, truncate(c.name, 255), truncate(c.alias, 255), c.to, c.at, c.monitored],
        );
        return;
      case 'flapping':
        if (c.ifIndex === null) await this.devices.recordFlapping(c.deviceId, c.flapping, m);
        else
          await m.query(`UPDATE device_interfaces SET flapping = $3 WHERE device_id = $1 AND if_index = $2`, [
            c.deviceId,
            c.ifIndex,
            c.flapping,
          ]);
        return;
      case 'device_rebooted':
      case 'threshold':
        return;
    }
  }

  /** The latest poll of each device: inventory's columns, written by inventory. */
  writeLastPolls(rows: LastPollRow[]): Promise<void> {
    return this.devices.recordLastPolls(rows);
  }

  /** Upserts the latest reading of every interface of the given devices and drops interfaces they no longer have. */
  async writeInterfaces(byDevice: Map<string, { at: Date; readings: InterfaceReading[] }>): Promise<void> {
    if (!byDevice.size) return;
    const rows = [...byDevice].flatMap(([deviceId, { at, readings }]) => readings.map((r) => ({ deviceId, at, ...r })));
    const col = <T>(f: (r: (typeof rows)[number]) => T) => rows.map(f);
    await this.dataSource.transaction(async (m) => {
      await m.query(
        `DELETE FROM device_interfaces di
          WHERE di.device_id = ANY($1::uuid[])
            AND NOT EXISTS (SELECT 1 FROM unnest($2::uuid[], $3::int[]) AS k(device_id, if_index)
                             WHERE k.device_id = di.device_id AND k.if_index = di.if_index)`,
        [[...byDevice.keys()], col((r) => r.deviceId), col((r) => r.ifIndex)],
      );
      if (!rows.length) return;
      await m.query(
        `INSERT INTO device_interfaces AS di (device_id, if_index, name, alias, if_type, admin_status, oper_status, oper_since, speed_bps,
                in_bps, out_bps, in_errors, out_errors, in_discards, out_discards, monitored, flapping, updated_at)
         SELECT v.device_id, v.if_index, v.name, v.alias, v.if_type, v.admin_status, v.oper_status, v.at, v.speed_bps,
                v.in_bps, v.out_bps, v.in_errors, v.out_errors, v.in_discards, v.out_discards, v.monitored, v.flapping, v.at
           FROM unnest($1::uuid[], $2::int[], $3::varchar[], $4::varchar[], $5::int[], $6::varchar[], $7::varchar[], $8::timestamptz[],
                       $9::bigint[], $10::float8[], $11::float8[], $12::float8[], $13::float8[], $14::float8[], $15::float8[], $16::bool[], $17::bool[])
                AS v(device_id, if_index, name, alias, if_type, admin_status, oper_status, at, speed_bps, in_bps, out_bps,
                     in_errors, out_errors, in_discards, out_discards, monitored, flapping)
         ON CONFLICT (device_id, if_index) DO UPDATE SET
           name = EXCLUDED.name, alias = EXCLUDED.alias, if_type = EXCLUDED.if_type, admin_status = EXCLUDED.admin_status,
           oper_since = CASE WHEN di.oper_status = EXCLUDED.oper_status THEN di.oper_since ELSE EXCLUDED.oper_since END,
           oper_status = EXCLUDED.oper_status, speed_bps = EXCLUDED.speed_bps, in_bps = EXCLUDED.in_bps, out_bps = EXCLUDED.out_bps,
           in_errors = EXCLUDED.in_errors, out_errors = EXCLUDED.out_errors, in_discards = EXCLUDED.in_discards,
           out_discards = EXCLUDED.out_discards, monitored = EXCLUDED.monitored, flapping = EXCLUDED.flapping, updated_at = EXCLUDED.updated_at`,
        [
          col((r) => r.deviceId),
          col((r) => r.ifIndex),
          col((r) => truncate(r.name, 255)),
          col((r) => truncate(r.alias, 255)),
          col((r) => r.ifType),
          col((r) => r.adminStatus),
          col((r) => r.operStatus),
          col((r) => r.at),
          col((r) => r.speedBps),
          col((r) => r.inBps),
          col((r) => r.outBps),
          col((r) => r.inErrors),
          col((r) => r.outErrors),
          col((r) => r.inDiscards),
          col((r) => r.outDiscards),
          col((r) => r.monitored),
          col((r) => r.flapping),
        ],
      );
    });
  }

  interfacesOf(deviceIds: string[]): Promise<DeviceInterfaceEntity[]> {
    return this.dataSource
      .getRepository(DeviceInterfaceEntity)
      .find({ where: deviceIds.map((deviceId) => ({ deviceId })), order: { ifIndex: 'ASC' } });
  }

  /** The operator's settings of one interface; false when the device has no such interface. */
  async updateInterfaceSettings(deviceId: string, ifIndex: number, s: InterfaceSettings): Promise<boolean> {
    const repo = this.dataSource.getRepository(DeviceInterfaceEntity);
    const { monitored, ...circuit } = s;
    const values = { ...circuit, ...(monitored !== undefined && { monitoredOverride: monitored }) };
    if (!Object.keys(values).length) return repo.existsBy({ deviceId, ifIndex });
    const result = await repo.update({ deviceId, ifIndex }, values);
    return (result.affected ?? 0) > 0;
  }

  /** Threshold faults whose last stored change was a breach, per device. */
  async breachedThresholds(deviceIds: string[]): Promise<Map<string, { faultType: string; ifIndex: number | null }[]>> {
    const rows: { device_id: string; fault_type: string; if_index: number | null; to_status: string }[] =
      await this.dataSource.query(
        `SELECT DISTINCT ON (device_id, detail->>'faultType', if_index) device_id, detail->>'faultType' AS fault_type,
                if_index, to_status
           FROM status_history
          WHERE kind = 'threshold' AND device_id = ANY($1::uuid[])
          ORDER BY device_id, detail->>'faultType', if_index, id DESC`,
        [deviceIds],
      );
    const out = new Map<string, { faultType: string; ifIndex: number | null }[]>();
    for (const r of rows)
      if (r.to_status === 'breached')
        out.set(r.device_id, [...(out.get(r.device_id) ?? []), { faultType: r.fault_type, ifIndex: r.if_index }]);
    return out;
  }

  /** Circuits now: watched interfaces of wan-link devices and interfaces with a capacity, with the device's last RTT and jitter. */
  wanLinks(): Promise<Record<string, unknown>[]> {
    return this.dataSource.query(
      `SELECT di.device_id, d.name AS device_name, d.status, di.if_index, di.name, di.alias, di.oper_status, di.provider,
              di.circuit_id, di.capacity_bps, di.speed_bps, di.in_bps, di.out_bps, di.utilisation_pct, d.last_rtt_ms,
              d.last_loss_pct, s.jitter_ms
         FROM device_interfaces di
         JOIN devices d ON d.id = di.device_id
         LEFT JOIN LATERAL (SELECT jitter_ms FROM device_samples ds WHERE ds.device_id = d.id ORDER BY ds.at DESC LIMIT 1) s ON true
        WHERE (d.kind = 'wan-link' AND di.monitored) OR di.capacity_bps IS NOT NULL`,
    );
  }

  history(deviceId: string, limit: number): Promise<StatusHistoryEntity[]> {
    return this.dataSource
      .getRepository(StatusHistoryEntity)
      .find({ where: { deviceId }, order: { id: 'DESC' }, take: limit });
  }
}

function toHistoryRow(c: MonitoringChange): Partial<StatusHistoryEntity> {
  const base = { deviceId: c.deviceId, at: c.at };
  switch (c.kind) {
    case 'device_status':
      return {
        ...base,
        kind: c.kind,
        ifIndex: null,
        fromStatus: c.from,
        toStatus: c.to,
        reason: truncate(c.reason, 512),
        detail: { causes: c.causes },
      };
    case 'interface_status':
      return {
        ...base,
        kind: c.kind,
        ifIndex: c.ifIndex,
        fromStatus: c.from,
        toStatus: c.to,
        reason: truncate(`${c.name}${c.alias ? ` (${c.alias})` : ''} ${c.from} → ${c.to}`, 512),
        detail: { name: c.name, alias: c.alias, monitored: c.monitored },
      };
    case 'device_rebooted':
      return {
        ...base,
        kind: c.kind,
        ifIndex: null,
        fromStatus: null,
        toStatus: null,
        reason: truncate(c.reason, 512),
        detail: { estimatedBootAt: c.estimatedBootAt.toISOString() },
      };
    case 'flapping':
      return {
        ...base,
        kind: c.kind,
        ifIndex: c.ifIndex,
        fromStatus: c.flapping ? 'stable' : 'flapping',
        toStatus: c.flapping ? 'flapping' : 'stable',
        reason: `${Math.round(c.percentStateChange * 10) / 10}% state change over the last 21 polls`,
        detail: { percentStateChange: c.percentStateChange },
      };
    case 'threshold':
      return {
        ...base,
        kind: c.kind,
        ifIndex: c.ifIndex,
        fromStatus: c.breached ? 'ok' : 'breached',
        toStatus: c.breached ? 'breached' : 'ok',
        reason: truncate(c.reason, 512),
        detail: { ...c.detail },
      };
  }
}
