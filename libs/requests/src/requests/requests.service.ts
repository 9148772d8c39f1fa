import { Injectable } from '@nestjs/common';
import { Clock, DomainError, EventBus } from '@netdesk/core';
import type { Principal } from '@netdesk/auth';
import { TICKETING_EVENTS, TicketChangedEvent, Ticket, TicketWriter } from '@netdesk/ticketing';
import { MailSender } from '../mail/mail-sender.service';
import { MailRepository } from '../mail/mail.repository';
import { MailMessageEntity } from '../mail/mail-message.entity';
import { MailAttachmentEntity } from '../mail/mail-attachment.entity';

/** What agents do with requests: answer by email, link to an incident, unlink. */
@Injectable()
export class RequestsService {
  constructor(
    private readonly tickets: TicketWriter,
    private readonly mail: MailRepository,
    private readonly sender: MailSender,
    private readonly clock: Clock,
    private readonly bus: EventBus,
  ) {}

  async reply(id: string, body: string, actor: Principal): Promise<Ticket> {
    if (!this.sender.enabled)
      throw new DomainError('conflict', 'email is off: NETDESK_SMTP_URL is not set, so a reply cannot be sent');
    const ticket = await this.tickets.transaction(async (m) => {
      const t = await this.tickets.lock(id, m);
      if (!t) throw DomainError.notFound('ticket', id);
      if (!t.requesters.length) throw new DomainError('invalid', 'this ticket has no requesters to email');
      if (t.status === 'closed') throw new DomainError('illegal_transition', 'cannot reply on a closed ticket');
      await this.sender.enqueue(
        t,
        { kind: 'agent_reply', to: t.requesters.map((r) => r.email), text: body, actor: actor.email },
        m,
      );
      return t;
    });
    this.sender.kick();
    return ticket;
  }

  async link(id: string, parentTicketId: string, actor: Principal): Promise<Ticket> {
    if (id === parentTicketId) throw new DomainError('invalid', 'parentTicketId: a ticket cannot be linked to itself');
    const changed: Ticket[] = [];
    const ticket = await this.tickets.transaction(async (m) => {
      const t = await this.tickets.lock(id, m);
      if (!t) throw DomainError.notFound('ticket', id);
      const parent = await this.tickets.lock(parentTicketId, m);
      if (!parent) throw new DomainError('invalid', `parentTicketId: ticket ${parentTicketId} does not exist`);
      if (parent.parentTicketId)
        throw new DomainError('invalid', `parentTicketId: #${parent.number} is itself linked to another incident`);
      if (t.status === 'closed') throw new DomainError('illegal_transition', 'cannot link a closed ticket');
      if (t.parentTicketId === parent.id) return t;
      const now = this.clock.now();
      if (t.parentTicketId) {
        const old = await this.tickets.findById(t.parentTicketId, m);
        if (old) {
          await this.tickets.addEvents(
            old.id,
            [
              {
                at: now,
                type: 'unlinked',
                actor: actor.email,
                message: `request #${t.number} unlinked by ${actor.email}`,
              },
            ],
            m,
          );
          changed.push(old);
        }
      }
      t.parentTicketId = parent.id;
      await this.tickets.save(t, m);
      await this.tickets.addEvents(
        t.id,
        [
          {
            at: now,
            type: 'linked',
            actor: actor.email,
            message: `linked to incident #${parent.number} by ${actor.email}`,
            data: { parentTicketId: parent.id },
          },
        ],
        m,
      );
      await this.tickets.addEvents(
        parent.id,
        [
          {
            at: now,
            type: 'linked',
            actor: actor.email,
            message: `request #${t.number} linked by ${actor.email}`,
            data: { requestId: t.id },
          },
        ],
        m,
      );
      changed.push(parent, t);
      return t;
    });
    for (const c of changed) this.bus.publish<TicketChangedEvent>(TICKETING_EVENTS.updated, { ticket: c });
    return ticket;
  }

  async unlink(id: string, actor: Principal): Promise<Ticket> {
    const changed: Ticket[] = [];
    const ticket = await this.tickets.transaction(async (m) => {
      const t = await this.tickets.lock(id, m);
      if (!t) throw DomainError.notFound('ticket', id);
      if (!t.parentTicketId) throw new DomainError('illegal_transition', 'the ticket is not linked to an incident');
      const now = this.clock.now();
      const parent = await this.tickets.findById(t.parentTicketId, m);
      t.parentTicketId = null;
      await this.tickets.save(t, m);
      await this.tickets.addEvents(
        t.id,
        [
          {
            at: now,
            type: 'unlinked',
            actor: actor.email,
            message: `unlinked from incident #${parent?.number ?? '?'} by ${actor.email}`,
          },
        ],
        m,
      );
      if (parent) {
        await this.tickets.addEvents(
          parent.id,
          [
            {
              at: now,
              type: 'unlinked',
              actor: actor.email,
              message: `request #${t.number} unlinked by ${actor.email}`,
            },
          ],
          m,
        );
        changed.push(parent);
      }
      changed.push(t);
      return t;
    });
    for (const c of changed) this.bus.publish<TicketChangedEvent>(TICKETING_EVENTS.updated, { ticket: c });
    return ticket;
  }

  async conversation(id: string): Promise<{ messages: MailMessageEntity[]; attachments: MailAttachmentEntity[] }> {
    if (!(await this.tickets.findById(id))) throw DomainError.notFound('ticket', id);
    const messages = await this.mail.conversation(id);
    return { messages, attachments: await this.mail.attachmentsOf(messages.map((mm) => mm.id)) };
  }
}
