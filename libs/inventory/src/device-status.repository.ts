import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DeviceStatusWriter, LastPollRow, MeasuredStatus } from './device-status.port';

const truncate = (s: string | null, n: number) => (s === null ? null : s.slice(0, n));

/** Writes the measured columns of `devices` (status, flapping, last poll) for monitoring. */
@Injectable()
export class DeviceStatusRepository implements DeviceStatusWriter {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async recordStatus(s: MeasuredStatus, m: EntityManager): Promise<void> {
    await m.query(
      `UPDATE devices SET status = $2, status_since = $3, status_reason = $4, updated_at = now() WHERE id = $1`,
      [s.deviceId, s.status, s.since, truncate(s.reason, 512)],
    );
  }

  async recordFlapping(deviceId: string, flapping: boolean, m: EntityManager): Promise<void> {
    await m.query(`UPDATE devices SET flapping = $2 WHERE id = $1`, [deviceId, flapping]);
  }

  async recordLastPolls(rows: LastPollRow[]): Promise<void> {
    if (!rows.length) return;
    await this.dataSource.query(
      `UPDATE devices d SET last_poll_at = v.at, last_rtt_ms = v.rtt, last_loss_pct = v.loss,
              sys_name = COALESCE(v.sys_name, d.sys_name), sys_descr = COALESCE(v.sys_descr, d.sys_descr),
              sys_object_id = COALESCE(v.sys_object_id, d.sys_object_id), uptime_sec = COALESCE(v.uptime, d.uptime_sec)
         FROM unnest($1::uuid[], $2::timestamptz[], $3::real[], $4::real[], $5::varchar[], $6::varchar[], $7::varchar[], $8::bigint[])
              AS v(id, at, rtt, loss, sys_name, sys_descr, sys_object_id, uptime)
        WHERE d.id = v.id`,
      [
        rows.map((r) => r.deviceId),
        rows.map((r) => r.at),
        rows.map((r) => r.rttMs),
        rows.map((r) => r.lossPct),
        rows.map((r) => truncate(r.sysName, 255)),
        rows.map((r) => truncate(r.sysDescr, 1024)),
        rows.map((r) => truncate(r.sysObjectId, 255)),
        rows.map((r) => r.uptimeSec),
      ],
    );
  }
}
