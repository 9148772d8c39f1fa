export const TICKET_STATUSES = ['open', 'acknowledged', 'in_progress', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** `email`: a person's request read from the help desk's mailbox (see libs/requests). */
export const TICKET_SOURCES = ['auto', 'manual', 'email'] as const;
export type TicketSource = (typeof TICKET_SOURCES)[number];

/** The contract's event types, plus `started` (an agent took an open or acknowledged ticket in hand). */
export const TICKET_EVENT_TYPES = [
  'opened',
  'escalated',
  'acknowledged',
  'started',
  'assigned',
  'commented',
  'notified',
  'resolved',
  'reopened',
  'closed',
] as const;
export type TicketEventType = (typeof TICKET_EVENT_TYPES)[number];

export const AGENT_ACTIONS = ['acknowledge', 'start', 'assign', 'comment', 'resolve', 'close', 'reopen'] as const;
export type AgentAction = (typeof AGENT_ACTIONS)[number];

/** The event each agent action records. */
export const EVENT_OF_ACTION: Record<AgentAction, TicketEventType> = {
  acknowledge: 'acknowledged',
  start: 'started',
  assign: 'assigned',
  comment: 'commented',
  resolve: 'resolved',
  close: 'closed',
  reopen: 'reopened',
};

/** What an action refused in the ticket's current status returns; the API answers 409. */
export interface IllegalTransition {
  code: 'illegal_transition';
  message: string;
  action: AgentAction;
  status: TicketStatus;
}

export interface LifecycleTicket {
  status: TicketStatus;
  source: TicketSource;
  /** An auto ticket's fault is still present (only then does it matter). */
  faultActive?: boolean;
}

const ACTIVE: readonly TicketStatus[] = ['open', 'acknowledged', 'in_progress'];
const NOT_CLOSED: readonly TicketStatus[] = [...ACTIVE, 'resolved'];

/**
 * Statuses each action is allowed from, and the status it leads to (`null`: the status does not change).
 *
 * Decisions:
 * - `comment` is allowed in every status, closed included: a note (a post-mortem finding, a link) changes
 *   nothing but the history, and history is worth adding to after the fact.
 * - `assign` is allowed until the ticket is closed and never changes the status: assigning is not
 *   acknowledging, so an assigned open ticket keeps escalating until someone acknowledges it.
 * - `close` is allowed from `resolved`; a manual ticket may also be closed straight from an active status
 *   (withdrawn: raised by mistake, a duplicate). An auto ticket must be resolved first, by the system on
 *   recovery or by an agent: closing it while its fault persists would hide a live fault, and the next
 *   occurrence would open a fresh ticket instead of reopening this one.
 * - `reopen` is allowed from `resolved` only. `closed` is final: a fault recurring after its ticket was
 *   closed opens a new ticket (the recurring-faults report links them by device and fault), which keeps
 *   closed tickets, their SLA records and the one-open-ticket-per-fault index stable.
 * - `start` from `open` also counts as acknowledging: the service sets `acknowledgedAt` if unset.
 */
const RULES: Record<
  AgentAction,
  { from: (ticket: LifecycleTicket) => readonly TicketStatus[]; to: TicketStatus | null }
> = {
  acknowledge: { from: () => ['open'], to: 'acknowledged' },
  start: { from: () => ['open', 'acknowledged'], to: 'in_progress' },
  assign: { from: () => NOT_CLOSED, to: null },
  comment: { from: () => TICKET_STATUSES, to: null },
  resolve: { from: () => ACTIVE, to: 'resolved' },
  close: { from: (t) => (t.source !== 'auto' ? NOT_CLOSED : ['resolved']), to: 'closed' },
  reopen: { from: () => ['resolved'], to: 'open' },
};

/**
 * The status after an agent's action, or why the action is refused. Reopening (agent or system) also
 * clears `acknowledgedAt` and `resolvedAt` and sets `escalationLevel` to 0: the reopened ticket is an
 * unhandled incident again, whose escalation and SLA clocks count from the reopening (see escalation, sla).
 */
export function applyAgentAction(action: AgentAction, ticket: LifecycleTicket): TicketStatus | IllegalTransition {
  const rule = RULES[action];
  if (!rule.from(ticket).includes(ticket.status)) {
    return {
      code: 'illegal_transition',
      message: `cannot ${action} a ${ticket.status} ${ticket.source} ticket`,
      action,
      status: ticket.status,
    };
  }
  return rule.to ?? ticket.status;
}

export function isIllegalTransition(result: TicketStatus | IllegalTransition): result is IllegalTransition {
  return typeof result === 'object';
}

/** An auto ticket resolves by itself when its fault clears; an agent cannot resolve it while the fault lasts. */
export function resolveWaitsForRecovery(ticket: LifecycleTicket): boolean {
  return ticket.source === 'auto' && ticket.faultActive === true;
}

/** The actions an agent may take on the ticket now (the ticket representation's `allowedActions`). */
export function allowedActions(ticket: LifecycleTicket): AgentAction[] {
  return AGENT_ACTIONS.filter(
    (action) =>
      RULES[action].from(ticket).includes(ticket.status) && !(action === 'resolve' && resolveWaitsForRecovery(ticket)),
  );
}

/**
 * Recovery of the ticket's fault: an active ticket becomes `resolved` (event `resolved`, actor `system`).
 * Null when there is nothing to do: the ticket is already resolved or closed.
 */
export function systemResolve(ticket: { status: TicketStatus }): 'resolved' | null {
  return ACTIVE.includes(ticket.status) ? 'resolved' : null;
}

/**
 * The ticket's fault occurred again. A resolved ticket reopens (event `reopened`, `occurrences` + 1).
 * Null when it does not: an active ticket already tracks the fault (detection is idempotent), and a
 * closed ticket is final — the service opens a new ticket instead.
 */
export function systemReopen(ticket: {
  status: TicketStatus;
  occurrences: number;
}): { status: 'open'; occurrences: number } | null {
  return ticket.status === 'resolved' ? { status: 'open', occurrences: ticket.occurrences + 1 } : null;
}

export const DEFAULT_AUTO_CLOSE_AFTER_SECONDS = 3600;

/**
 * A resolved ticket closes by itself (event `closed`, actor `system`) once it has stayed resolved for the
 * stable period. A recurrence in the meantime reopened it, so "still resolved" is "did not recur". This
 * applies to manual tickets too: an agent who resolved one has the same period to reopen it.
 */
export function autoCloseDue(
  ticket: { status: TicketStatus; resolvedAt: Date | null },
  now: Date,
  stableSeconds = DEFAULT_AUTO_CLOSE_AFTER_SECONDS,
): boolean {
  return (
    ticket.status === 'resolved' &&
    ticket.resolvedAt !== null &&
    now.getTime() - ticket.resolvedAt.getTime() >= stableSeconds * 1000
  );
}
