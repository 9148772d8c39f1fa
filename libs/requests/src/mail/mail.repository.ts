import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { MailAttachmentEntity } from './mail-attachment.entity';
import { MailMessageEntity } from './mail-message.entity';
import { MailboxReceiptEntity } from './mailbox-receipt.entity';

/** Mail in and out, the mailbox ledger, and the reads linking needs. */
@Injectable()
export class MailRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /** Records a message of the mailbox as read; false when it already was (another run got there first). */
  async addReceipt(receipt: MailboxReceiptEntity, m: EntityManager): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `INSERT INTO mailbox_receipts (mailbox, uid_validity, uid, message_id, outcome, reason, ticket_id, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING uid`,
      [
        receipt.mailbox,
        receipt.uidValidity,
        receipt.uid,
        receipt.messageId,
        receipt.outcome,
        receipt.reason,
        receipt.ticketId,
        receipt.at,
      ],
    );
    return rows.length > 0;
  }

  async updateReceipt(
    key: Pick<MailboxReceiptEntity, 'mailbox' | 'uidValidity' | 'uid'>,
    patch: Partial<MailboxReceiptEntity>,
    m: EntityManager,
  ): Promise<void> {
    await m.getRepository(MailboxReceiptEntity).update(key, patch);
  }

  async hasReceipt(mailbox: string, uidValidity: string, uid: string): Promise<boolean> {
    return this.dataSource.getRepository(MailboxReceiptEntity).existsBy({ mailbox, uidValidity, uid });
  }

  findByMessageIds(ids: string[], m: EntityManager = this.dataSource.manager): Promise<MailMessageEntity[]> {
    if (!ids.length) return Promise.resolve([]);
    return m.getRepository(MailMessageEntity).find({ where: { messageId: In(ids) }, order: { at: 'DESC' } });
  }

  async insertMessage(
    message: Partial<MailMessageEntity>,
    attachments: Pick<MailAttachmentEntity, 'filename' | 'contentType' | 'size' | 'kept' | 'content'>[],
    m: EntityManager,
  ): Promise<MailMessageEntity> {
    const repo = m.getRepository(MailMessageEntity);
    const saved = await repo.save(repo.create(message));
    if (attachments.length)
      await m.getRepository(MailAttachmentEntity).insert(attachments.map((a) => ({ ...a, mailMessageId: saved.id })));
    return saved;
  }

  /** Mails stored from one sender since `since` (for loop detection). */
  countFromSender(address: string, since: Date, m: EntityManager): Promise<number> {
    return m
      .getRepository(MailMessageEntity)
      .createQueryBuilder('mm')
      .where('mm.from_address = :address AND mm.at >= :since AND mm.direction = :in', { address, since, in: 'in' })
      .getCount();
  }

  conversation(ticketId: string): Promise<MailMessageEntity[]> {
    return this.dataSource.getRepository(MailMessageEntity).find({ where: { ticketId }, order: { at: 'ASC' } });
  }

  attachmentsOf(messageIds: string[]): Promise<MailAttachmentEntity[]> {
    if (!messageIds.length) return Promise.resolve([]);
    return this.dataSource
      .getRepository(MailAttachmentEntity)
      .find({ where: { mailMessageId: In(messageIds) }, order: { filename: 'ASC' } });
  }

  /** The Message-IDs of a ticket's conversation, oldest first (for References), at most `limit`. */
  async threadOf(ticketId: string, m: EntityManager, limit = 20): Promise<{ messageId: string; direction: string }[]> {
    const rows: { message_id: string; direction: string }[] = await m.query(
      `SELECT message_id, direction FROM (
         SELECT message_id, direction, at FROM mail_messages WHERE ticket_id = $1 ORDER BY at DESC LIMIT $2
       ) x ORDER BY at ASC`,
      [ticketId, limit],
    );
    return rows.map((r) => ({ messageId: r.message_id, direction: r.direction }));
  }

  /** Mail out waiting to be sent, locked (rows another sender holds are skipped). */
  lockDue(now: Date, limit: number, m: EntityManager): Promise<MailMessageEntity[]> {
    return m
      .getRepository(MailMessageEntity)
      .createQueryBuilder('mm')
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .where(`mm.status = 'pending' AND mm.next_attempt_at <= :now`, { now })
      .orderBy('mm.next_attempt_at', 'ASC')
      .limit(limit)
      .getMany();
  }

  saveMessage(message: MailMessageEntity, m: EntityManager): Promise<MailMessageEntity> {
    return m.getRepository(MailMessageEntity).save(message);
  }
}
