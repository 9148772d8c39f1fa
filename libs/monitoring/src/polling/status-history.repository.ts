import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { StatusHistoryEntity } from './status-history.entity';
import { StatusChange, StatusHistoryReader } from './status-history.port';

/** Monitoring's reads of `status_history` for other contexts (see `StatusHistoryReader`). */
@Injectable()
export class StatusHistoryRepository implements StatusHistoryReader {
  since(afterId: string, limit: number, m: EntityManager, upToId?: string): Promise<StatusChange[]> {
    const q = m.getRepository(StatusHistoryEntity).createQueryBuilder('h').where('h.id > :last', { last: afterId });
    if (upToId !== undefined) q.andWhere('h.id <= :upTo', { upTo: upToId });
    return q.orderBy('h.id', 'ASC').limit(limit).getMany();
  }

  lastOfKind(deviceId: string, kind: StatusChange['kind'], m: EntityManager): Promise<StatusChange | null> {
    return m.getRepository(StatusHistoryEntity).findOne({ where: { deviceId, kind }, order: { id: 'DESC' } });
  }

  countFlappingSince(deviceId: string, since: Date, m: EntityManager): Promise<number> {
    return m
      .getRepository(StatusHistoryEntity)
      .createQueryBuilder('h')
      .where(`h.device_id = :id AND h.kind = 'flapping' AND h.to_status = 'flapping' AND h.at > :since`, {
        id: deviceId,
        since,
      })
      .getCount();
  }

  lastThreshold(
    deviceId: string,
    faultType: string,
    ifIndex: number | null,
    m: EntityManager,
  ): Promise<StatusChange | null> {
    return m
      .getRepository(StatusHistoryEntity)
      .createQueryBuilder('h')
      .where(`h.device_id = :id AND h.kind = 'threshold' AND h.detail->>'faultType' = :type`, {
        id: deviceId,
        type: faultType,
      })
      .andWhere(ifIndex === null ? 'h.if_index IS NULL' : 'h.if_index = :ifIndex', { ifIndex })
      .orderBy('h.id', 'DESC')
      .getOne();
  }
}
