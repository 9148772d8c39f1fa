import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import type { IncidentCandidate, NamedThing } from '../domain/linking';
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

  /** Open automatic tickets on devices, with where the device is: what a request may be about. */
  async openIncidents(m: EntityManager): Promise<IncidentCandidate[]> {
    const rows: {
      id: string;
      number: number;
      priority: IncidentCandidate['priority'];
      fault_type: string;
      opened_at: Date;
      device_id: string;
      name: string;
      host: string;
      site_id: string | null;
    }[] = await m.query(
      `SELECT t.id, t.number, t.priority, t.fault_type, t.opened_at, d.id AS device_id, d.name, d.host, d.site_id
         FROM tickets t JOIN devices d ON d.id = t.device_id
        WHERE t.source = 'auto' AND t.status IN ('open', 'acknowledged', 'in_progress')`,
    );
    return rows.map((r) => ({
      ticketId: r.id,
      number: r.number,
      priority: r.priority,
      faultType: r.fault_type,
      openedAt: r.opened_at,
      deviceId: r.device_id,
      deviceName: r.name,
      deviceHost: r.host,
      siteId: r.site_id,
    }));
  }

  async devicesAndSites(m: EntityManager): Promise<{ devices: NamedThing[]; sites: NamedThing[] }> {
    const devices: { id: string; name: string; host: string; site_id: string | null }[] = await m.query(
      `SELECT id, name, host, site_id FROM devices`,
    );
    const sites: { id: string; name: string }[] = await m.query(`SELECT id, name FROM sites`);
    return {
      devices: devices.map((d) => ({ id: d.id, name: d.name, host: d.host, siteId: d.site_id })),
      sites: sites.map((s) => ({ id: s.id, name: s.name, siteId: s.id })),
    };
  }

  /** Active requests linked to an incident that was resolved after they were opened or last reopened. */
  async requestsOfResolvedIncidents(limit: number): Promise<{ id: string; parentId: string }[]> {
    const rows: { id: string; parent_id: string }[] = await this.dataSource.query(
      `SELECT r.id, p.id AS parent_id FROM tickets r JOIN tickets p ON p.id = r.parent_ticket_id
        WHERE r.source = 'email' AND r.status IN ('open', 'acknowledged', 'in_progress')
          AND p.status IN ('resolved', 'closed') AND p.resolved_at IS NOT NULL
          AND p.resolved_at >= r.escalation_anchor_at
        LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ id: r.id, parentId: r.parent_id }));
  }
}
