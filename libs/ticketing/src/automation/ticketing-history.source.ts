import type { HistoryCursorSource } from '@netdesk/database';
import { StatusHistoryEntity } from '@netdesk/monitoring';
import { TicketingCursorEntity } from './ticketing-cursor.entity';

const CURSOR = 'status_history';

/** Automatic ticketing's cursor over monitoring's status history (the `ticketing_cursor` row). */
export const TICKETING_HISTORY: HistoryCursorSource<StatusHistoryEntity> = {
  async position(m) {
    await m.query(`INSERT INTO ticketing_cursor (name, last_history_id) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING`, [
      CURSOR,
    ]);
    const cursor = await m.getRepository(TicketingCursorEntity).findOneByOrFail({ name: CURSOR });
    return { last: cursor.lastHistoryId, upTo: null };
  },
  rowsAfter(m, after, _upTo, limit) {
    return m
      .getRepository(StatusHistoryEntity)
      .createQueryBuilder('h')
      .where('h.id > :last', { last: after })
      .orderBy('h.id', 'ASC')
      .limit(limit)
      .getMany();
  },
  async move(m, last) {
    await m.getRepository(TicketingCursorEntity).update({ name: CURSOR }, { lastHistoryId: last });
  },
};
