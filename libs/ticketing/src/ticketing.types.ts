import { FAULT_TYPES as MONITORED_FAULT_TYPES, TICKET_EVENT_TYPES } from './domain';

export { TICKET_STATUSES, TICKET_SOURCES } from './domain';
export type { TicketStatus, TicketSource } from './domain';

export { PRIORITIES } from './domain';
export type { Priority } from './domain';

/** The monitored faults, `other` for a manual ticket, and `poller_unreachable` (one per poller group without a live poller). */
export const FAULT_TYPES = [...MONITORED_FAULT_TYPES, 'other', 'poller_unreachable'] as const;
export type FaultType = (typeof FAULT_TYPES)[number];

/** The lifecycle's events, plus what the system writes on the timeline as it works. */
export const TIMELINE_EVENT_TYPES = [
  ...TICKET_EVENT_TYPES,
  'priority_changed',
  'diagnosis',
  'impact',
  'sla_breached',
  'flapping',
  'suppressed',
  // people's requests (libs/requests): mail in and out, a request linked to or unlinked from its incident
  'email_received',
  'email_sent',
  'linked',
  'unlinked',
  'learned_late',
] as const;
export type TimelineEventType = (typeof TIMELINE_EVENT_TYPES)[number];
