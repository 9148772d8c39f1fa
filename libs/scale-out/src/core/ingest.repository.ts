import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DeviceDirectory } from '@netdesk/inventory';
import { IngestSink } from '@netdesk/monitoring';
import type { MonitoringChange } from '@netdesk/monitoring';
import { isFenced } from '../domain/assignment';
import type { Origin } from '../transport/envelope';

export type ApplyOutcome =
  { applied: true; historyIds: number[] } | { applied: false; why: 'duplicate' | 'fenced' | 'unknown_device' };

/** One message of the events stream: a device's status changes, or a trap (no changes, only its key). */
export interface EventItem {
  msgId: string;
  origin: Origin;
  deviceId: string;
  changes: MonitoringChange[];
}

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
    private readonly devices: DeviceDirectory,
  ) {}

  /**
   * Applies a batch of messages (many devices, in stream order) in one transaction: each message's
   * idempotency key, the fences and the changes commit together, so a consumer killed after the commit and
   * before its acknowledgements finds every key on redelivery and applies nothing twice. A message whose key
   * is known is a duplicate; one from an older lease epoch than its device's fence (which the batch's own
   * earlier messages may have raised) is fenced. Outcomes come back in the order of `items`.
   */
  async applyBatch(items: EventItem[]): Promise<ApplyOutcome[]> {
    if (!items.length) return [];
    return this.dataSource.transaction(async (m) => {
      const fresh = new Set(
        (
          (await m.query(
            `INSERT INTO ingested_results (msg_id) SELECT DISTINCT unnest($1::varchar[]) ON CONFLICT DO NOTHING RETURNING msg_id`,
            [items.map((i) => i.msgId)],
          )) as { msg_id: string }[]
        ).map((r) => r.msg_id),
      );
      const deviceIds = [...new Set(items.filter((i) => fresh.has(i.msgId)).map((i) => i.deviceId))].sort();
      // locked in id order, so two core instances applying overlapping batches cannot deadlock
      const known = new Set(await this.devices.lockExisting(deviceIds, m));
      const fences = new Map(
        (
          (await m.query(`SELECT device_id, epoch FROM device_poll_fences WHERE device_id = ANY($1::uuid[])`, [
            deviceIds,
          ])) as { device_id: string; epoch: string }[]
        ).map((r) => [r.device_id, Number(r.epoch)]),
      );
      const raised = new Map<string, FenceRow>();
      const changes: MonitoringChange[] = [];
      const outcomes = items.map((item): ApplyOutcome | { applied: true; first: number } => {
        if (!fresh.delete(item.msgId)) return { applied: false, why: 'duplicate' };
        if (!known.has(item.deviceId)) return { applied: false, why: 'unknown_device' };
        if (isFenced(item.origin.epoch, fences.get(item.deviceId))) return { applied: false, why: 'fenced' };
        fences.set(item.deviceId, item.origin.epoch);
        raised.set(item.deviceId, {
          deviceId: item.deviceId,
          epoch: item.origin.epoch,
          pollerName: item.origin.poller,
          pollerGroup: item.origin.group,
        });
        changes.push(...item.changes);
        return { applied: true, first: changes.length - item.changes.length };
      });
      await this.raise(m, [...raised.values()]);
      const historyIds = changes.length ? await this.monitoring.commit(changes, m) : [];
      return outcomes.map((o, i) =>
        'first' in o ? { applied: true, historyIds: historyIds.slice(o.first, o.first + items[i].changes.length) } : o,
      );
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
    await this.raise(this.dataSource.manager, rows);
  }

  private async raise(m: { query: DataSource['query'] }, rows: FenceRow[]): Promise<void> {
    if (!rows.length) return;
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
