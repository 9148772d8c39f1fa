import type { EventBus } from '@netdesk/core';
import { TICKETING_EVENTS, TicketChangedEvent } from '../ticketing.events';
import type { TicketNotifier } from '../notify/ticket-notifier.service';
import type { TicketEntity } from '../tickets/ticket.entity';

/** What one batch of automatic ticketing publishes and notifies once its transaction has committed. */
export class AutomationEffects {
  readonly publish: { topic: string; ticket: TicketEntity }[] = [];
  readonly notify: { ticket: TicketEntity; event: 'opened' | 'reopened' }[] = [];
  readonly flapping: { ticket: TicketEntity; started: boolean; summary: string }[] = [];
  readonly recovered: { ticket: TicketEntity; summary: string }[] = [];

  opened(ticket: TicketEntity): void {
    this.publish.push({ topic: TICKETING_EVENTS.opened, ticket });
  }

  updated(ticket: TicketEntity): void {
    this.publish.push({ topic: TICKETING_EVENTS.updated, ticket });
  }

  flush(bus: EventBus, notifier: TicketNotifier): void {
    for (const { topic, ticket } of this.publish) bus.publish<TicketChangedEvent>(topic, { ticket });
    // A ticket whose flapping began in this batch gets the flapping summary instead of a page per reopen.
    const summarised = new Set(this.flapping.filter((f) => f.started).map((f) => f.ticket.id));
    for (const { ticket, event } of this.notify) if (!summarised.has(ticket.id)) notifier.onTicketEvent(ticket, event);
    for (const { ticket, started, summary } of this.flapping) notifier.onFlapping(ticket, started, summary);
    for (const { ticket, summary } of this.recovered) notifier.onRecovered(ticket, summary);
  }
}
