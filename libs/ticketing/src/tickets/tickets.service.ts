import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock, DomainError, EventBus } from '@netdesk/core';
import { DeviceDirectory } from '@netdesk/inventory';
import type { Principal } from '@netdesk/auth';
import { UsersService } from '@netdesk/auth';
import {
  AgentAction,
  applyAgentAction,
  EVENT_OF_ACTION,
  isIllegalTransition,
  resolveWaitsForRecovery,
  slaDueTimes,
} from '../domain';
import { TICKETING_EVENTS, TicketChangedEvent } from '../ticketing.events';
import { EscalationPolicies } from '../escalation/escalation-policies.service';
import { TicketEntity } from './ticket.entity';
import { AssignDto, CreateTicketDto, ListTicketsQueryDto } from './ticket.dto';
import { NewEvent, TicketFilter, TicketRepository } from './ticket.repository';
import { PeopleDirectory, Person } from './people.directory';
import { TicketEventEntity } from './ticket-event.entity';

/** What agents do with tickets. Every action locks the ticket, checks the lifecycle and writes its event. */
@Injectable()
export class TicketsService {
  constructor(
    private readonly tickets: TicketRepository,
    private readonly devices: DeviceDirectory,
    private readonly users: UsersService,
    private readonly policies: EscalationPolicies,
    private readonly clock: Clock,
    private readonly bus: EventBus,
    private readonly people: PeopleDirectory,
  ) {}

  /** Who can be given tickets (agents and above, by name) and the teams known anywhere. */
  async assignees(): Promise<{ people: (Person & { team: string | null })[]; teams: string[] }> {
    const users = await this.users.list();
    for (const u of users) this.people.remember(u);
    const people = users
      .filter((u) => u.role !== 'viewer')
      .map((u) => ({ id: u.id, name: u.name, email: u.email, team: u.team }))
      .sort((a, b) => (a.name ?? a.email).localeCompare(b.name ?? b.email));
    const teams = new Set<string>(users.map((u) => u.team).filter((t): t is string => !!t));
    for (const t of await this.tickets.knownTeams()) teams.add(t);
    return { people, teams: [...teams].sort((a, b) => a.localeCompare(b)) };
  }

  /** `queue=mine` is what is assigned to the caller, `queue=team` what is routed to the caller's team. */
  list(
    { queue, limit, offset, from, to, ...rest }: ListTicketsQueryDto,
    caller: Principal,
  ): Promise<{ tickets: TicketEntity[]; total: number }> {
    const filter: TicketFilter = { ...rest };
    if (from) filter.from = new Date(from);
    if (to) filter.to = new Date(to);
    if (filter.from && filter.to && filter.from >= filter.to) throw new DomainError('invalid', 'to must be after from');
    if (queue === 'mine') filter.assigneeId = caller.id;
    if (queue === 'team') {
      if (!caller.team) throw new DomainError('invalid', 'queue=team: you are not in a team');
      filter.team = caller.team;
    }
    return this.tickets.search(filter, limit ?? 1000, offset ?? 0);
  }

  async get(id: string): Promise<{ ticket: TicketEntity; events: TicketEventEntity[] }> {
    const ticket = await this.tickets.findById(id);
    if (!ticket) throw DomainError.notFound('ticket', id);
    return { ticket, events: await this.tickets.events(id) };
  }

  async createManual(dto: CreateTicketDto, actor: Principal): Promise<TicketEntity> {
    const device = dto.deviceId ? await this.devices.findById(dto.deviceId) : null;
    if (dto.deviceId && !device) throw new DomainError('invalid', `deviceId: device ${dto.deviceId} does not exist`);
    const now = this.clock.now();
    const priority = dto.priority ?? 'P3';
    const sla = slaDueTimes(priority, now);
    const ticket = await this.tickets.transaction(async (m) => {
      const created = await this.tickets.insert(
        {
          title: dto.title.trim(),
          description: dto.description ?? null,
          status: 'open',
          priority,
          source: 'manual',
          deviceId: device?.id ?? null,
          faultType: 'other',
          faultKey: null,
          team: device?.team ?? actor.team ?? null,
          openedAt: now,
          escalationAnchorAt: now,
          slaAckDueAt: sla.acknowledgeBy,
          slaResolveDueAt: sla.resolveBy,
        },
        m,
      );
      await this.tickets.addEvents(
        created.id,
        [{ at: now, type: 'opened', actor: actor.email, message: `opened by ${actor.email}` }],
        m,
      );
      return created;
    });
    this.bus.publish<TicketChangedEvent>(TICKETING_EVENTS.opened, { ticket });
    return ticket;
  }

  acknowledge(id: string, actor: Principal): Promise<TicketEntity> {
    return this.act(id, 'acknowledge', actor, (t, now) => {
      t.acknowledgedAt = now;
      t.acknowledgedBy = actor.id;
      t.nextEscalationAt = null;
      return [
        {
          at: now,
          type: 'acknowledged',
          actor: actor.email,
          message: `acknowledged by ${actor.email}; escalation stopped`,
        },
      ];
    });
  }

  /** Work begins (`in_progress`). From `open` it is also the acknowledgement: escalation stops there too. */
  start(id: string, actor: Principal): Promise<TicketEntity> {
    return this.act(id, 'start', actor, (t, now) => {
      const events: NewEvent[] = [];
      if (!t.acknowledgedAt) {
        t.acknowledgedAt = now;
        t.acknowledgedBy = actor.id;
        t.nextEscalationAt = null;
        events.push({
          at: now,
          type: 'acknowledged',
          actor: actor.email,
          message: `acknowledged by ${actor.email} on starting work; escalation stopped`,
        });
      }
      events.push({ at: now, type: 'started', actor: actor.email, message: `work started by ${actor.email}` });
      return events;
    });
  }

  comment(id: string, body: string, actor: Principal): Promise<TicketEntity> {
    return this.act(id, 'comment', actor, (_t, now) => [
      { at: now, type: 'commented', actor: actor.email, message: body },
    ]);
  }

  async assign(id: string, dto: AssignDto, actor: Principal): Promise<TicketEntity> {
    if (dto.assigneeId === undefined && dto.team === undefined)
      throw new DomainError('invalid', 'give assigneeId, team or both');
    const assignee = dto.assigneeId ? await this.users.get(dto.assigneeId).catch(() => null) : null;
    if (dto.assigneeId && !assignee)
      throw new DomainError('invalid', `assigneeId: user ${dto.assigneeId} does not exist`);
    if (assignee) this.people.remember(assignee);
    return this.act(id, 'assign', actor, (t, now) => {
      if (dto.assigneeId !== undefined) t.assigneeId = dto.assigneeId;
      if (dto.team !== undefined) t.team = dto.team;
      const parts = [
        dto.assigneeId !== undefined && `to ${assignee?.email ?? 'nobody'}`,
        dto.team !== undefined && `team ${dto.team ?? 'none'}`,
      ].filter(Boolean);
      return [
        { at: now, type: 'assigned', actor: actor.email, message: `assigned ${parts.join(', ')} by ${actor.email}` },
      ];
    });
  }

  resolve(id: string, resolution: string, actor: Principal): Promise<TicketEntity> {
    return this.act(id, 'resolve', actor, (t, now) => {
      if (resolveWaitsForRecovery(t)) {
        throw new DomainError(
          'illegal_transition',
          `the fault is still present (${t.faultType} on this device); it resolves by itself when it clears`,
        );
      }
      t.resolvedAt = now;
      t.resolution = resolution;
      t.nextEscalationAt = null;
      return [{ at: now, type: 'resolved', actor: actor.email, message: resolution }];
    });
  }

  close(id: string, actor: Principal): Promise<TicketEntity> {
    return this.act(id, 'close', actor, (t, now) => {
      t.closedAt = now;
      t.nextEscalationAt = null;
      return [{ at: now, type: 'closed', actor: actor.email, message: `closed by ${actor.email}` }];
    });
  }

  reopen(id: string, actor: Principal): Promise<TicketEntity> {
    return this.act(id, 'reopen', actor, async (t, now, m) => {
      await this.restart(t, now, m);
      return [{ at: now, type: 'reopened', actor: actor.email, message: `reopened by ${actor.email}` }];
    });
  }

  /** A reopened ticket is an unhandled incident again: escalation and SLA clocks restart from now. */
  async restart(t: TicketEntity, now: Date, m: EntityManager): Promise<void> {
    t.status = 'open';
    t.acknowledgedAt = null;
    t.acknowledgedBy = null;
    t.resolvedAt = null;
    t.escalationLevel = 0;
    t.escalationAnchorAt = now;
    t.nextEscalationAt = t.source === 'auto' ? await this.policies.firstStepAt(t, now, m) : null;
    const sla = slaDueTimes(t.priority, now);
    t.slaAckDueAt = sla.acknowledgeBy;
    t.slaResolveDueAt = sla.resolveBy;
    t.slaBreaches = [];
  }

  private async act(
    id: string,
    action: AgentAction,
    actor: Principal,
    apply: (t: TicketEntity, now: Date, m: EntityManager) => NewEvent[] | Promise<NewEvent[]>,
  ): Promise<TicketEntity> {
    const ticket = await this.tickets.transaction(async (m) => {
      const t = await this.tickets.lock(id, m);
      if (!t) throw DomainError.notFound('ticket', id);
      const next = applyAgentAction(action, t);
      if (isIllegalTransition(next)) throw new DomainError('illegal_transition', next.message);
      const now = this.clock.now();
      const events = await apply(t, now, m);
      if (EVENT_OF_ACTION[action] && t.status !== next) t.status = next;
      await this.tickets.save(t, m);
      await this.tickets.addEvents(t.id, events, m);
      return t;
    });
    await this.people.ensure([ticket.assigneeId, ticket.acknowledgedBy]); // the live feed names them
    this.bus.publish<TicketChangedEvent>(TICKETING_EVENTS.updated, { ticket });
    return ticket;
  }
}
