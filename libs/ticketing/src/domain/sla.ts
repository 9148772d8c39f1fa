import type { Priority } from './priority';

export interface SlaTarget {
  acknowledgeSeconds: number;
  resolveSeconds: number;
}

export type SlaTargets = Record<Priority, SlaTarget>;

export const DEFAULT_SLA_TARGETS: SlaTargets = {
  P1: { acknowledgeSeconds: 5 * 60, resolveSeconds: 3600 },
  P2: { acknowledgeSeconds: 15 * 60, resolveSeconds: 4 * 3600 },
  P3: { acknowledgeSeconds: 3600, resolveSeconds: 24 * 3600 },
  P4: { acknowledgeSeconds: 4 * 3600, resolveSeconds: 3 * 24 * 3600 },
};

export type SlaKind = 'ack' | 'resolve';

/**
 * The SLA view of a ticket. `openedAt` is the latest (re)opening; the priority is the current one, so a
 * raised priority tightens the targets. Resolving also meets the acknowledge target: a fault that
 * recovered before anyone looked did not wait for an acknowledgement.
 */
export interface SlaTicket {
  priority: Priority;
  openedAt: Date;
  acknowledgedAt?: Date | null;
  resolvedAt?: Date | null;
}

export interface SlaBreach {
  kind: SlaKind;
  /** When the target passed: the moment the breach happened, whenever it is recorded. */
  dueAt: Date;
}

export function slaDueTimes(
  priority: Priority,
  openedAt: Date,
  targets: SlaTargets = DEFAULT_SLA_TARGETS,
): { acknowledgeBy: Date; resolveBy: Date } {
  const { acknowledgeSeconds, resolveSeconds } = targets[priority];
  return {
    acknowledgeBy: new Date(openedAt.getTime() + acknowledgeSeconds * 1000),
    resolveBy: new Date(openedAt.getTime() + resolveSeconds * 1000),
  };
}

/**
 * Breaches to record now, each kind at most once per ticket: a target is breached when it was met late
 * or is still unmet after its due time (meeting it exactly on time is in time).
 */
export function slaBreaches(
  ticket: SlaTicket & { alreadyRecorded: ReadonlySet<SlaKind> },
  now: Date,
  targets: SlaTargets = DEFAULT_SLA_TARGETS,
): SlaBreach[] {
  return targetsOf(ticket, targets).flatMap(({ kind, dueAt, metAt }) => {
    const late = (metAt ?? now).getTime() > dueAt.getTime();
    return late && !ticket.alreadyRecorded.has(kind) ? [{ kind, dueAt }] : [];
  });
}

function targetsOf(ticket: SlaTicket, targets: SlaTargets): { kind: SlaKind; dueAt: Date; metAt: Date | null }[] {
  const { acknowledgeBy, resolveBy } = slaDueTimes(ticket.priority, ticket.openedAt, targets);
  const resolvedAt = ticket.resolvedAt ?? null;
  return [
    { kind: 'ack', dueAt: acknowledgeBy, metAt: earliest(ticket.acknowledgedAt ?? null, resolvedAt) },
    { kind: 'resolve', dueAt: resolveBy, metAt: resolvedAt },
  ];
}

function earliest(a: Date | null, b: Date | null): Date | null {
  if (a === null || b === null) return a ?? b;
  return a.getTime() <= b.getTime() ? a : b;
}
