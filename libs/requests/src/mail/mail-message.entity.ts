import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { TicketEntity } from '@netdesk/ticketing/entities';

export const MAIL_DIRECTIONS = ['in', 'out'] as const;
export type MailDirection = (typeof MAIL_DIRECTIONS)[number];

/**
 * What a mail was: a person's request or reply, a machine's auto-reply or bounce (stored, never
 * answered), or what NetDesk sent (an agent's reply, an automatic answer, a resolution notice).
 */
export const MAIL_KINDS = [
  'request',
  'reply',
  'auto_reply',
  'bounce',
  'agent_reply',
  'auto_answer',
  'resolution_notice',
] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

/** `received` for mail in; mail out waits `pending` in this table (the outbox) until `sent` or `failed`. */
export const MAIL_STATUSES = ['received', 'pending', 'sent', 'failed'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

/** One email of a ticket's conversation, in or out. The Message-ID is unique: the same mail is stored once. */
@Entity('mail_messages')
@Unique('mail_messages_message_id_key', ['messageId'])
@Index('mail_messages_ticket_idx', ['ticketId', 'at'])
@Index('mail_messages_outbox_idx', ['nextAttemptAt'], { where: `status = 'pending'` })
@Index('mail_messages_sender_idx', ['fromAddress', 'at'])
export class MailMessageEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'ticket_id', type: 'uuid' })
  ticketId: string;

  @ManyToOne(() => TicketEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id', foreignKeyConstraintName: 'mail_messages_ticket_id_fkey' })
  ticket?: TicketEntity;

  @Column({ type: 'varchar', length: 3 })
  direction: MailDirection;

  @Column({ type: 'varchar', length: 20 })
  kind: MailKind;

  @Column({ name: 'message_id', type: 'varchar', length: 998 })
  messageId: string;

  @Column({ name: 'in_reply_to', type: 'varchar', length: 998, nullable: true })
  inReplyTo: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  references: string[];

  @Column({ name: 'from_address', type: 'varchar', length: 320 })
  fromAddress: string;

  @Column({ name: 'from_name', type: 'varchar', length: 200, nullable: true })
  fromName: string | null;

  /** Recipients (To and Cc), at most the first 100. */
  @Column({ name: 'to_addresses', type: 'text', array: true, default: () => "'{}'" })
  toAddresses: string[];

  @Column({ type: 'varchar', length: 998 })
  subject: string;

  @Column({ type: 'text' })
  text: string;

  /** The HTML part after sanitising (no scripts, handlers, styles or remote frames); null for plain text. */
  @Column({ type: 'text', nullable: true })
  html: string | null;

  @Column({ type: 'timestamptz' })
  at: Date;

  @Column({ type: 'varchar', length: 10 })
  status: MailStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;
}
