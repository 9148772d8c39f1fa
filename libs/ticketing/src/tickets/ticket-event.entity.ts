import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { TIMELINE_EVENT_TYPES, TimelineEventType } from '../ticketing.types';
import { TicketEntity } from './ticket.entity';

/** Structured facts an event carries (a delivery outcome, an SLA breach). */
export type EventData = Record<string, string | number | boolean | null | string[]>;

/** One line of a ticket's timeline: who did what, when. Never updated, never deleted with the ticket alive. */
@Entity('ticket_events')
@Index('ticket_events_ticket_idx', ['ticketId', 'id'])
export class TicketEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'ticket_id', type: 'uuid' })
  ticketId: string;

  @ManyToOne(() => TicketEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id', foreignKeyConstraintName: 'ticket_events_ticket_id_fkey' })
  ticket?: TicketEntity;

  @Column({ type: 'timestamptz' })
  at: Date;

  @Column({ type: 'enum', enum: TIMELINE_EVENT_TYPES, enumName: 'ticket_event_type' })
  type: TimelineEventType;

  /** A user's email, or `system`. */
  @Column({ type: 'varchar', length: 254 })
  actor: string;

  @Column({ type: 'text' })
  message: string;

  @Column({ type: 'jsonb', nullable: true })
  data: EventData | null;
}
