import { TicketEntity } from './ticket.entity';
import { TicketEventEntity } from './ticket-event.entity';
import { PersonDto, TicketEventDto, TicketResponseDto } from './ticket.dto';
import type { PeopleLookup } from './people.directory';
import { allowedActions } from '../domain';

const iso = (d: Date | null) => (d ? { value: d.toISOString() } : undefined);

const person = (id: string | null, people?: PeopleLookup): PersonDto | null =>
  id === null ? null : (people?.get(id) ?? { id, name: null, email: null });

/** `people` names the assignee and the acknowledger (without it, or for a deleted user, only their id). */
export function toTicketResponse(t: TicketEntity, people?: PeopleLookup): TicketResponseDto {
  return {
    id: t.id,
    number: t.number,
    title: t.title,
    ...(t.description !== null && { description: t.description }),
    status: t.status,
    priority: t.priority,
    source: t.source,
    deviceId: t.deviceId,
    ...(t.ifIndex !== null && { ifIndex: t.ifIndex }),
    faultType: t.faultType,
    escalationLevel: t.escalationLevel,
    ...(t.assigneeId !== null && { assigneeId: t.assigneeId }),
    assignee: person(t.assigneeId, people),
    acknowledgedBy: person(t.acknowledgedBy, people),
    ...(t.team !== null && { team: t.team }),
    recurring: t.recurring,
    flapping: t.flapping,
    occurrences: t.occurrences,
    faultActive: t.faultActive,
    openedAt: t.openedAt.toISOString(),
    ...(iso(t.acknowledgedAt) && { acknowledgedAt: iso(t.acknowledgedAt)!.value }),
    ...(iso(t.resolvedAt) && { resolvedAt: iso(t.resolvedAt)!.value }),
    ...(iso(t.closedAt) && { closedAt: iso(t.closedAt)!.value }),
    ...(t.resolution !== null && { resolution: t.resolution }),
    ...(iso(t.slaAckDueAt) && { slaAcknowledgeDueAt: iso(t.slaAckDueAt)!.value }),
    ...(iso(t.slaResolveDueAt) && { slaResolveDueAt: iso(t.slaResolveDueAt)!.value }),
    slaBreaches: t.slaBreaches,
    requesters: (t.requesters ?? []).map((r) => ({ email: r.email, ...(r.name && { name: r.name }) })),
    parentTicketId: t.parentTicketId ?? null,
    allowedActions: allowedActions(t),
  };
}

export function toEventResponse(e: TicketEventEntity): TicketEventDto {
  return { at: e.at.toISOString(), type: e.type, actor: e.actor, message: e.message };
}
