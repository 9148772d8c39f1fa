import { randomUUID } from 'node:crypto';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createTransport } from 'nodemailer';
import type { Transporter } from 'nodemailer';
import { EntityManager } from 'typeorm';
import { NetdeskConfig } from '@netdesk/config';
import { Clock, CoalescingRunner, EventBus } from '@netdesk/core';
import { Ticket, TicketWriter } from '@netdesk/ticketing';
import { addressOf, domainOf } from '../domain/mail-classification';
import { MailKind, MailMessageEntity } from './mail-message.entity';
import { MailRepository } from './mail.repository';
import { quietWhileDatabaseDown } from '@netdesk/database';

const OUTBOX_TOPIC = 'requests.outbox';
const BATCH = 20;
const MAX_ATTEMPTS = 5;
const SWEEP_MS = 5000;

export interface OutgoingMail {
  kind: MailKind;
  to: string[];
  text: string;
  /** Who wrote it (an agent's email, or `system`), for the timeline. */
  actor: string;
}

/** `[#42] Title`, with `Re: ` once: the number lets a reply thread even when a client drops the headers. */
export function replySubject(ticket: Pick<Ticket, 'number' | 'title'>): string {
  const title = ticket.title.replace(/^\s*((re|aw|fwd?|wg)\s*:\s*)+/i, '').replace(/\[#\d+\]\s*/g, '');
  return `Re: [#${ticket.number}] ${title}`.slice(0, 998);
}

/**
 * Mail out through an outbox: `enqueue` writes the message (with its Message-ID, In-Reply-To and
 * References, so the requester's client shows one conversation) in the caller's transaction; after
 * the commit a sender sends what is due through `NETDESK_SMTP_URL`, retrying transient failures, and
 * writes `email_sent` on the ticket once the server accepted it. A crash between the send and the
 * mark sends that one mail again; nothing is ever lost.
 */
@Injectable()
export class MailSender implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('mail-out');
  private readonly transporter: Transporter | null;
  private readonly fromAddress: string;
  private readonly runner = new CoalescingRunner(
    async () => (await this.sendDue()) === BATCH,
    quietWhileDatabaseDown((err, suppressed) =>
      this.logger.error({ err, suppressed }, 'sending mail failed; will retry'),
    ),
  );

  constructor(
    private readonly mail: MailRepository,
    private readonly tickets: TicketWriter,
    private readonly config: NetdeskConfig,
    private readonly clock: Clock,
    private readonly bus: EventBus,
  ) {
    this.fromAddress = addressOf(config.smtpFrom) ?? 'netdesk@localhost';
    this.transporter = config.smtpUrl
      ? createTransport({
          url: config.smtpUrl,
          connectionTimeout: 10_000,
          greetingTimeout: 10_000,
          socketTimeout: 20_000,
          logger: false,
        })
      : null;
  }

  get enabled(): boolean {
    return this.transporter !== null;
  }

  /** The help desk's own address: mail from it is our own coming back. */
  get ownAddress(): string {
    return this.fromAddress;
  }

  onApplicationBootstrap(): void {
    if (this.transporter) this.runner.start(this.bus, [OUTBOX_TOPIC], SWEEP_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
    this.transporter?.close();
  }

  /** Wakes the sender after the transaction that enqueued mail committed. */
  kick(): void {
    if (this.transporter) this.bus.publish(OUTBOX_TOPIC, {});
  }

  idle(): Promise<void> {
    return this.runner.idle();
  }

  async enqueue(ticket: Ticket, out: OutgoingMail, m: EntityManager): Promise<MailMessageEntity | null> {
    const to = [...new Set(out.to.map((a) => a.toLowerCase()))].filter((a) => a !== this.fromAddress);
    if (!to.length) return null;
    const thread = await this.mail.threadOf(ticket.id, m);
    const lastIn = [...thread].reverse().find((t) => t.direction === 'in');
    const now = this.clock.now();
    return this.mail.insertMessage(
      {
        ticketId: ticket.id,
        direction: 'out',
        kind: out.kind,
        messageId: `<netdesk.${ticket.number}.${randomUUID()}@${domainOf(this.fromAddress)}>`,
        inReplyTo: lastIn?.messageId ?? thread.at(-1)?.messageId ?? null,
        references: thread.map((t) => t.messageId),
        fromAddress: this.fromAddress,
        fromName: out.actor === 'system' ? 'NetDesk' : null,
        toAddresses: to,
        subject: replySubject(ticket),
        text: out.text,
        html: null,
        at: now,
        status: this.transporter ? 'pending' : 'failed',
        nextAttemptAt: this.transporter ? now : null,
        lastError: this.transporter ? null : 'email is off (NETDESK_SMTP_URL is not set)',
        attempts: 0,
      },
      [],
      m,
    );
  }

  /** Sends up to BATCH due mails, one transaction each; returns how many it handled. */
  async sendDue(): Promise<number> {
    if (!this.transporter) return 0;
    let handled = 0;
    for (let i = 0; i < BATCH; i++) {
      const done = await this.tickets.transaction(async (m) => {
        const [message] = await this.mail.lockDue(this.clock.now(), 1, m);
        if (!message) return false;
        await this.sendOne(message, m);
        return true;
      });
      if (!done) break;
      handled++;
    }
    return handled;
  }

  private async sendOne(message: MailMessageEntity, m: EntityManager): Promise<void> {
    const now = this.clock.now();
    message.attempts += 1;
    try {
      await this.transporter!.sendMail({
        from: this.config.smtpFrom,
        to: message.toAddresses,
        subject: message.subject,
        text: message.text,
        messageId: message.messageId,
        ...(message.inReplyTo && { inReplyTo: message.inReplyTo }),
        ...(message.references.length && { references: message.references }),
        headers: {
          'X-NetDesk-Loop': domainOf(this.fromAddress),
          // RFC 3834: our automatic answers say so, so that well-behaved responders do not answer them
          ...(message.kind !== 'agent_reply' && { 'Auto-Submitted': 'auto-replied' }),
          'X-Auto-Response-Suppress': 'All',
        },
      });
      message.status = 'sent';
      message.sentAt = now;
      message.nextAttemptAt = null;
      message.lastError = null;
      await this.mail.saveMessage(message, m);
      await this.tickets.addEvents(
        message.ticketId,
        [
          {
            at: now,
            type: 'email_sent',
            actor: 'system',
            message: `${describeKind(message.kind)} sent to ${message.toAddresses.join(', ')}`,
            data: { mailMessageId: message.id, kind: message.kind, to: message.toAddresses },
          },
        ],
        m,
      );
      this.logger.log({ ticketId: message.ticketId, mailMessageId: message.id, kind: message.kind }, 'mail sent');
    } catch (e) {
      const err = e as { responseCode?: number; code?: string; response?: string };
      const permanent = typeof err.responseCode === 'number' && err.responseCode >= 500;
      const reason = (err.response ?? err.code ?? 'SMTP error').toString().replace(/\s+/g, ' ').slice(0, 300);
      message.lastError = reason;
      if (permanent || message.attempts >= MAX_ATTEMPTS) {
        message.status = 'failed';
        message.nextAttemptAt = null;
        await this.tickets.addEvents(
          message.ticketId,
          [
            {
              at: now,
              type: 'notified',
              actor: 'system',
              message: `email to ${message.toAddresses.join(', ')} failed: ${reason}`,
              data: { mailMessageId: message.id, ok: false },
            },
          ],
          m,
        );
      } else {
        message.nextAttemptAt = new Date(now.getTime() + 2 ** message.attempts * 1000);
      }
      await this.mail.saveMessage(message, m);
      this.logger.warn({ ticketId: message.ticketId, mailMessageId: message.id, reason }, 'mail not sent');
    }
  }
}

function describeKind(kind: MailKind): string {
  switch (kind) {
    case 'auto_answer':
      return 'automatic answer';
    case 'resolution_notice':
      return 'resolution notice';
    case 'agent_reply':
      return 'reply';
    default:
      return 'mail';
  }
}
