import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The ledger of the mailbox: one row per message read (mailbox, UIDVALIDITY, UID), written in the same
 * transaction as what the message became. A message with a row is done, whatever the server's flags say:
 * after a crash between the commit and the flag, the reader only flags it again.
 */
@Entity('mailbox_receipts')
export class MailboxReceiptEntity {
  @PrimaryColumn({ type: 'varchar', length: 200 })
  mailbox: string;

  @PrimaryColumn({ name: 'uid_validity', type: 'bigint' })
  uidValidity: string;

  @PrimaryColumn({ type: 'bigint' })
  uid: string;

  @Column({ name: 'message_id', type: 'varchar', length: 998, nullable: true })
  messageId: string | null;

  /** `stored` (a ticket or an event), `duplicate` (same Message-ID seen before), `rejected` (see reason). */
  @Column({ type: 'varchar', length: 12 })
  outcome: 'stored' | 'duplicate' | 'rejected';

  @Column({ type: 'varchar', length: 500, nullable: true })
  reason: string | null;

  @Column({ name: 'ticket_id', type: 'uuid', nullable: true })
  ticketId: string | null;

  @Column({ type: 'timestamptz' })
  at: Date;
}
