import type { TicketEntity } from './tickets/ticket.entity';

/** What ticketing publishes on the EventBus after a change committed (payload: the ticket). */
export const TICKETING_EVENTS = {
  opened: 'ticketing.ticket.opened',
  updated: 'ticketing.ticket.updated',
} as const;

export interface TicketChangedEvent {
  ticket: TicketEntity;
}
