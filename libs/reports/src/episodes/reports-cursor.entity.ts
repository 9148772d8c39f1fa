import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How far the episode recorder has read the status history; moved in the same transaction as the episodes. */
@Entity('reports_cursor')
export class ReportsCursorEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  name: string;

  @Column({ name: 'last_history_id', type: 'bigint', default: 0 })
  lastHistoryId: string;
}
