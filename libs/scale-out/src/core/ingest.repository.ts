import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { IngestSink } from '@netdesk/monitoring';
import type { MonitoringChange } from '@netdesk/monitoring';
import { isFenced } from '../domain/assignment';
import type { Origin } from '../transport/envelope';

export type ApplyOutcome =
  { applied: true; historyIds: number[] } | { applied: false; why: 'duplicate' | 'fenced' | 'unknown_device' };

export interface FenceRow {
  deviceId: string;
  epoch: number;
  pollerName: string;
  pollerGroup: string;
}

@Injectable()
export class IngestRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly monitoring: IngestSink,
  ) {}

  /**
   * Applies one device's changes exactly once: the idempotency key, the fence and the changes are written
   * in one transaction, so a consumer killed after the commit and before its acknowledgement finds the key
   * on redelivery and applies nothing twice.
   */
  async applyChanges(
    msgId: string,
    origin: Origin,
    deviceId: string,
    changes: MonitoringChange[],
  ): Promise<ApplyOutcome> {
    return this.dataSource.transaction(async (m) => {
      const fresh = (await m.query(
        `INSERT INTO ingested_results (msg_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING msg_id`,
        [msgId],
      )) as unknown[];
      if (!fresh.length) return { applied: false, why: 'duplicate' } as const;
      const device = (await m.query(`SELECT id FROM devices WHERE id = $1 FOR UPDATE`, [deviceId])) as unknown[];
      if (!device.length) return { applied: false, why: 'unknown_device' } as const;
      const fence = (await m.query(`SELECT epoch FROM device_poll_fences WHERE device_id = $1`, [deviceId])) as {
        epoch: string;
      }[];
      if (isFenced(origin.epoch, fence.length ? Number(fence[0].epoch) : undefined))
        return { applied: false, why: 'fenced' } as const;
      await this.raise(m, [{ deviceId, epoch: origin.epoch, pollerName: origin.poller, pollerGroup: origin.group }]);
      const historyIds = await this.monitoring.commit(changes, m);
      return { applied: true, historyIds } as const;
    });
  }

  async fences(deviceIds: string[]): Promise<FenceRow[]> {
    if (!deviceIds.length) return [];
    const rows = (await this.dataSource.query(
      `SELECT device_id, epoch, poller_name, poller_group FROM device_poll_fences WHERE device_id = ANY($1::uuid[])`,
      [deviceIds],
    )) as { device_id: string; epoch: string; poller_name: string; poller_group: string }[];
    return rows.map((r) => ({
      deviceId: r.device_id,
      epoch: Number(r.epoch),
      pollerName: r.poller_name,
      pollerGroup: r.poller_group,
    }));
  }

  async allFences(): Promise<FenceRow[]> {
    const rows = (await this.dataSource.query(
      `SELECT device_id, epoch, poller_name, poller_group FROM device_poll_fences`,
    )) as { device_id: string; epoch: string; poller_name: string; poller_group: string }[];
    return rows.map((r) => ({
      deviceId: r.device_id,
      epoch: Number(r.epoch),
      pollerName: r.poller_name,
      pollerGroup: r.poller_group,
    }));
  }

  /** Raises fences (never lowers them); devices deleted meanwhile are skipped. */
  async raiseFences(rows: FenceRow[]): Promise<void> {
    if (rows.length) await this.raise(this.dataSource.manager, rows);
  }

  private async raise(m: { query: DataSource['query'] }, rows: FenceRow[]): Promise<void> {
    await m.query(
      `INSERT INTO device_poll_fences AS f (device_id, epoch, poller_name, poller_group, updated_at)
       SELECT v.device_id, v.epoch, v.poller_name, v.poller_group, now()
         FROM unnest($1::uuid[], $2::bigint[], $3::varchar[], $4::varchar[]) AS v(device_id, epoch, poller_name, poller_group)
        WHERE EXISTS (SELECT 1 FROM devices d WHERE d.id = v.device_id)
       ON CONFLICT (device_id) DO UPDATE SET epoch = EXCLUDED.epoch, poller_name = EXCLUDED.poller_name,
              poller_group = EXCLUDED.poller_group, updated_at = now()
        WHERE f.epoch <= EXCLUDED.epoch`,
      [
        rows.map((r) => r.deviceId),
        rows.map((r) => r.epoch),
        rows.map((r) => r.pollerName),
        rows.map((r) => r.pollerGroup),
      ],
    );
  }

  /** Keys older than JetStream keeps messages can never be redelivered. */
  async pruneKeys(olderThan: Date): Promise<void> {
    await this.dataSource.query(`DELETE FROM ingested_results WHERE ingested_at < $1`, [olderThan]);
  }
}
