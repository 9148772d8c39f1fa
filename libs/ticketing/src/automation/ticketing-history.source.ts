import type { HistoryCursorSource } from '@netdesk/database';
import type { StatusChange, StatusHistoryReader } from '@netdesk/monitoring';
import { TicketingCursorEntity } from './ticketing-cursor.entity';

const CURSOR = 'status_history';

/** Automatic ticketing's cursor (the `ticketing_cursor` row) over monitoring's status history, read through its port. */
export function ticketingHistory(history: StatusHistoryReader): HistoryCursorSource<StatusChange> {
  return {
    async position(m) {
      await m.query(
        `INSERT INTO ticketing_cursor (name, last_history_id) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING`,
        [CURSOR],
      );
      const cursor = await m.getRepository(TicketingCursorEntity).findOneByOrFail({ name: CURSOR });
      return { last: cursor.lastHistoryId, upTo: null };
    },
    rowsAfter(m, after, _upTo, limit) {
      return history.since(after, limit, m);
    },
    async move(m, last) {
      await m.getRepository(TicketingCursorEntity).update({ name: CURSOR }, { lastHistoryId: last });
    },
  };
}
