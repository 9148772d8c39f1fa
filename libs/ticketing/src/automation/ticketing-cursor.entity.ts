import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * How far automatic ticketing has read monitoring's status history. Moved in the same transaction
 * as the tickets it leads to, so a crash never loses or repeats a change.
 */
@Entity('ticketing_cursor')
export class TicketingCursorEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  name: string;

  @Column({ name: 'last_history_id', type: 'bigint', default: 0 })
  lastHistoryId: string;
}
