import type { TicketEntity } from './tickets/ticket.entity';

/** What ticketing publishes on the EventBus after a change committed (payload: the ticket). */
export const TICKETING_EVENTS = {
  opened: 'ticketing.ticket.opened',
  updated: 'ticketing.ticket.updated',
  /** A maintenance window was created or removed (payload: `{}`): device representations may change. */
  maintenanceChanged: 'ticketing.maintenance.changed',
  /**
   * Automatic ticketing moved its cursor over status history (payload: `{}`), whether or not a ticket
   * changed: consumers that never read past that cursor (episodes) may go on.
   */
  historyProcessed: 'ticketing.history.processed',
} as const;

export interface TicketChangedEvent {
  ticket: TicketEntity;
}
