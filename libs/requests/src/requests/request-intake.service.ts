import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { NetdeskConfig } from '@netdesk/config';
import { Clock, EventBus } from '@netdesk/core';
import { DeviceDirectory } from '@netdesk/inventory';
import {
  NewEvent,
  TICKETING_EVENTS,
  TicketChangedEvent,
  Ticket,
  TicketReader,
  TicketWriter,
  TicketsService,
  slaDueTimes,
} from '@netdesk/ticketing';
import { ContactRepository } from '../contacts/contact.repository';
import { chooseIncident, LinkDecision } from '../domain/linking';
import { followUpOutcome, isMailLoop, splitQuoted, ticketNumberInSubject } from '../domain/mail-classification';
import { InboundMail, MailRejected, parseInboundMail } from '../mail/inbound-mail.parser';
import { MailSender } from '../mail/mail-sender.service';
import { MailRepository } from '../mail/mail.repository';
import { incidentState } from './request-texts';

export interface ReceiptKey {
  mailbox: string;
  uidValidity: string;
  uid: string;
}

export type IntakeOutcome =
  | { outcome: 'opened' | 'threaded'; ticketId: string }
  | { outcome: 'duplicate' | 'already' }
  | { outcome: 'rejected'; reason: string };

/** More recipients than this is a mailing, not a person asking: stored, never answered. */
const BULK_RECIPIENTS = 50;
const LOOP_WINDOW_MS = 10 * 60_000;

interface AfterCommit {
  opened: Ticket[];
  updated: Ticket[];
  mailQueued: boolean;
}

/**
 * Turns one mail of the mailbox into help-desk work, exactly once: the ledger row (mailbox, UIDVALIDITY,
 * UID), the ticket or timeline event, the conversation entry and any automatic answer are written in
 * one transaction. A new mail opens a request (`source` `email`); a reply (In-Reply-To/References, or
 * `[#N]` in the subject) lands on its ticket; a request about a site or device with a live incident is
 * linked to it and answered; a reply to a resolved request decides the follow-up.
 */
@Injectable()
export class RequestIntake {
  private readonly logger = new Logger('mail-in');

  constructor(
    private readonly mail: MailRepository,
    private readonly contacts: ContactRepository,
    private readonly tickets: TicketWriter,
    private readonly ticketReader: TicketReader,
    private readonly devices: DeviceDirectory,
    private readonly ticketsService: TicketsService,
    private readonly sender: MailSender,
    private readonly config: NetdeskConfig,
    private readonly clock: Clock,
    private readonly bus: EventBus,
  ) {}

  /** Records a message the reader refused before reading it (too large), so it is not read again. */
  async reject(key: ReceiptKey, reason: string, messageId: string | null = null): Promise<IntakeOutcome> {
    const fresh = await this.tickets.transaction((m) =>
      this.mail.addReceipt(
        { ...key, messageId, outcome: 'rejected', reason: reason.slice(0, 500), ticketId: null, at: this.clock.now() },
        m,
      ),
    );
    if (fresh) this.logger.warn({ mailbox: key.mailbox, uid: key.uid, reason }, `mail rejected: ${reason}`);
    return fresh ? { outcome: 'rejected', reason } : { outcome: 'already' };
  }

  async accept(raw: Buffer, key: ReceiptKey): Promise<IntakeOutcome> {
    if (raw.length > this.config.mail.maxMessageBytes)
      return this.reject(
        key,
        `message of ${raw.length} bytes is over the limit of ${this.config.mail.maxMessageBytes}`,
      );
    let mail: InboundMail;
    try {
      mail = await parseInboundMail(
        raw,
        { maxAttachmentBytes: this.config.mail.maxAttachmentBytes },
        `<uid-${key.uidValidity}-${key.uid}@${key.mailbox}.netdesk.invalid>`,
      );
    } catch (e) {
      if (e instanceof MailRejected) return this.reject(key, e.message);
      throw e;
    }
    const log = { mailbox: key.mailbox, uid: key.uid, messageId: mail.messageId, from: mail.fromAddress };
    if (mail.removedFromHtml.length)
      this.logger.warn(
        { ...log, removed: mail.removedFromHtml },
        `HTML mail sanitised: removed ${mail.removedFromHtml.join(', ')}`,
      );
    if (mail.recipientCount > BULK_RECIPIENTS)
      this.logger.warn(
        { ...log, recipients: mail.recipientCount },
        `mail to ${mail.recipientCount} recipients: keeping the first ${mail.toAddresses.length}, no automatic answer`,
      );
    const skipped = mail.attachments.filter((a) => !a.content);
    if (skipped.length)
      this.logger.warn(
        { ...log, attachments: skipped.map((a) => `${a.filename} (${a.size} bytes)`) },
        `attachments over ${this.config.mail.maxAttachmentBytes} bytes listed without their content`,
      );

    const after: AfterCommit = { opened: [], updated: [], mailQueued: false };
    const result = await this.tickets.transaction(async (m): Promise<IntakeOutcome> => {
      const now = this.clock.now();
      const fresh = await this.mail.addReceipt(
        { ...key, messageId: mail.messageId, outcome: 'stored', reason: null, ticketId: null, at: now },
        m,
      );
      if (!fresh) return { outcome: 'already' };
      if ((await this.mail.findByMessageIds([mail.messageId], m)).length) {
        await this.mail.updateReceipt(key, { outcome: 'duplicate' }, m);
        return { outcome: 'duplicate' };
      }
      const target = await this.threadTarget(mail, m);
      const outcome = target ? await this.thread(target, mail, now, m, after) : await this.open(mail, now, m, after);
      if (outcome.outcome === 'rejected') {
        await this.mail.updateReceipt(key, { outcome: 'rejected', reason: outcome.reason }, m);
      } else if ('ticketId' in outcome) {
        await this.mail.updateReceipt(key, { ticketId: outcome.ticketId }, m);
      }
      return outcome;
    });
    if (result.outcome === 'rejected')
      this.logger.warn({ ...log, reason: result.reason }, `mail not stored: ${result.reason}`);
    if (result.outcome === 'duplicate') this.logger.log(log, 'mail already stored (same Message-ID): skipped');
    if ('ticketId' in result) this.logger.log({ ...log, ticketId: result.ticketId }, `mail ${result.outcome} a ticket`);
    for (const ticket of after.opened) this.bus.publish<TicketChangedEvent>(TICKETING_EVENTS.opened, { ticket });
    for (const ticket of after.updated) this.bus.publish<TicketChangedEvent>(TICKETING_EVENTS.updated, { ticket });
    if (after.mailQueued) this.sender.kick();
    return result;
  }

  /** The ticket a reply belongs to, locked: by its headers first, then by `[#N]` in the subject. */
  private async threadTarget(mail: InboundMail, m: EntityManager): Promise<Ticket | null> {
    const known = await this.mail.findByMessageIds(mail.threadIds, m);
    let ticketId: string | null = known[0]?.ticketId ?? null;
    if (!ticketId) {
      const number = ticketNumberInSubject(mail.subject);
      if (number !== null) ticketId = await this.ticketReader.idByNumber(number, m);
    }
    if (!ticketId) return null;
    const ticket = await this.tickets.lock(ticketId, m);
    return ticket && ticket.status !== 'closed' ? ticket : null;
  }

  private async store(
    ticket: Ticket,
    mail: InboundMail,
    kind: 'request' | 'reply' | 'auto_reply' | 'bounce',
    now: Date,
    m: EntityManager,
  ) {
    return this.mail.insertMessage(
      {
        ticketId: ticket.id,
        direction: 'in',
        kind,
        messageId: mail.messageId,
        inReplyTo: mail.inReplyTo,
        references: mail.threadIds.slice(0, 50),
        fromAddress: mail.fromAddress,
        fromName: mail.fromName,
        toAddresses: mail.toAddresses,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        at: now,
        status: 'received',
      },
      mail.attachments.map((a) => ({
        filename: a.filename,
        contentType: a.contentType,
        size: a.size,
        kept: a.content !== null,
        content: a.content,
      })),
      m,
    );
  }

  private async loopSuspected(mail: InboundMail, now: Date, m: EntityManager): Promise<boolean> {
    const recent = await this.mail.countFromSender(mail.fromAddress, new Date(now.getTime() - LOOP_WINDOW_MS), m);
    return isMailLoop({
      recentFromSender: recent,
      loopMax: this.config.mail.loopMax,
      fromOurselves: mail.loopMarker || mail.fromAddress === this.sender.ownAddress,
    });
  }

  private async thread(
    ticket: Ticket,
    mail: InboundMail,
    now: Date,
    m: EntityManager,
    after: AfterCommit,
  ): Promise<IntakeOutcome> {
    const kind = mail.nature === 'person' ? 'reply' : mail.nature;
    const stored = await this.store(ticket, mail, kind, now, m);
    const { fresh } = splitQuoted(mail.text);
    const events: NewEvent[] = [
      {
        at: now,
        type: 'email_received',
        actor: mail.fromAddress,
        message:
          mail.nature === 'person'
            ? (fresh || mail.subject).slice(0, 2000)
            : `${mail.nature === 'bounce' ? 'bounce' : 'automatic reply'} from ${mail.fromAddress}: ${mail.subject} (not answered)`,
        data: { mailMessageId: stored.id, kind },
      },
    ];
    if (
      mail.nature === 'person' &&
      !ticket.requesters.some((r) => r.email === mail.fromAddress) &&
      ticket.source === 'email'
    )
      ticket.requesters = [
        ...ticket.requesters,
        { email: mail.fromAddress, ...(mail.fromName && { name: mail.fromName }) },
      ];
    const withinFollowUp =
      ticket.status === 'resolved' &&
      ticket.resolvedAt !== null &&
      now.getTime() - ticket.resolvedAt.getTime() <= this.config.mail.followUpSec * 1000;
    if (mail.nature === 'person' && ticket.source === 'email' && withinFollowUp) {
      const outcome = followUpOutcome(fresh || mail.text);
      if (outcome === 'still_broken') {
        await this.ticketsService.restart(ticket, now, m);
        events.push({
          at: now,
          type: 'reopened',
          actor: mail.fromAddress,
          message: `reopened: ${mail.fromAddress} wrote back that it still does not work`,
          data: { followUp: 'still_broken' },
        });
        if (ticket.parentTicketId) {
          const parent = await this.tickets.lock(ticket.parentTicketId, m);
          if (parent) {
            await this.tickets.addEvents(
              parent.id,
              [
                {
                  at: now,
                  type: 'commented',
                  actor: 'system',
                  message: `request #${ticket.number}: ${mail.fromAddress} says it still does not work after this was resolved`,
                  data: { followUp: 'still_broken', requestId: ticket.id },
                },
              ],
              m,
            );
            after.updated.push(parent);
          }
        }
      } else {
        events.push({
          at: now,
          type: 'commented',
          actor: mail.fromAddress,
          message: `${mail.fromAddress} confirmed it works`,
          data: { followUp: 'confirmed' },
        });
      }
    }
    await this.tickets.save(ticket, m);
    await this.tickets.addEvents(ticket.id, events, m);
    after.updated.push(ticket);
    return { outcome: 'threaded', ticketId: ticket.id };
  }

  private async open(mail: InboundMail, now: Date, m: EntityManager, after: AfterCommit): Promise<IntakeOutcome> {
    if (mail.nature !== 'person')
      return {
        outcome: 'rejected',
        reason: `${mail.nature === 'bounce' ? 'bounce' : 'automatic reply'} from ${mail.fromAddress} to no known conversation: not stored, not answered`,
      };
    const loop = await this.loopSuspected(mail, now, m);
    const { fresh } = splitQuoted(mail.text);
    const title = mail.subject.slice(0, 200);
    const sla = slaDueTimes('P3', now);
    const ticket = await this.tickets.insert(
      {
        title,
        description: (fresh || mail.text).slice(0, 10_000) || null,
        status: 'open',
        priority: 'P3',
        source: 'email',
        deviceId: null,
        faultType: 'other',
        faultKey: null,
        team: this.config.ticketing.defaultTeam,
        openedAt: now,
        escalationAnchorAt: now,
        slaAckDueAt: sla.acknowledgeBy,
        slaResolveDueAt: sla.resolveBy,
        requesters: [{ email: mail.fromAddress, ...(mail.fromName && { name: mail.fromName }) }],
        parentTicketId: null,
      },
      m,
    );
    const stored = await this.store(ticket, mail, 'request', now, m);
    const events: NewEvent[] = [
      { at: now, type: 'opened', actor: mail.fromAddress, message: `opened by email from ${mail.fromAddress}` },
      {
        at: now,
        type: 'email_received',
        actor: mail.fromAddress,
        message: (fresh || mail.subject).slice(0, 2000),
        data: { mailMessageId: stored.id, kind: 'request' },
      },
    ];
    const link = await this.findIncident(mail, m);
    if (link) {
      ticket.parentTicketId = link.incident.ticketId;
      await this.tickets.save(ticket, m);
      events.push({
        at: now,
        type: 'linked',
        actor: 'system',
        message: `linked to incident #${link.incident.number}: ${link.reason}`,
        data: { parentTicketId: link.incident.ticketId },
      });
      const parent = await this.tickets.lock(link.incident.ticketId, m);
      if (parent) {
        await this.tickets.addEvents(
          parent.id,
          [
            {
              at: now,
              type: 'linked',
              actor: 'system',
              message: `request #${ticket.number} from ${mail.fromAddress} linked: ${link.reason}`,
              data: { requestId: ticket.id },
            },
          ],
          m,
        );
        after.updated.push(parent);
      }
    }
    await this.tickets.addEvents(ticket.id, events, m);
    if (loop) {
      this.logger.warn(
        { from: mail.fromAddress, ticketId: ticket.id },
        `mail loop suspected: ${mail.fromAddress} sent ${this.config.mail.loopMax} or more mails in 10 minutes (or it is our own mail); not answering`,
      );
    } else if (mail.recipientCount <= BULK_RECIPIENTS) {
      const parent = link ? await this.tickets.findById(link.incident.ticketId, m) : null;
      const text = parent
        ? incidentState(ticket, parent, this.config.mail.followUpSec)
        : `Hello,\n\nwe received your request and opened ticket #${ticket.number} ("${ticket.title}"). ` +
          `An agent will answer you here; replies to this mail go to the same ticket.\n\n-- NetDesk`;
      await this.sender.enqueue(ticket, { kind: 'auto_answer', to: [mail.fromAddress], text, actor: 'system' }, m);
      after.mailQueued = true;
    }
    after.opened.push(ticket);
    return { outcome: 'opened', ticketId: ticket.id };
  }

  private async findIncident(mail: InboundMail, m: EntityManager): Promise<LinkDecision | null> {
    const incidents = await this.ticketReader.openAutoIncidents(m);
    if (!incidents.length) return null;
    const { devices, sites } = await this.devices.names(m);
    return chooseIncident({
      text: `${mail.subject}\n${splitQuoted(mail.text).fresh}`,
      senderSiteIds: await this.contacts.sitesOfSender(mail.fromAddress, m),
      incidents,
      devices,
      sites: sites.map((x) => ({ ...x, siteId: x.id })),
    });
  }
}
