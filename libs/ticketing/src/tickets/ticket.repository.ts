import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, FindOptionsWhere, In, LessThanOrEqual, MoreThanOrEqual } from 'typeorm';
import { TicketEntity } from './ticket.entity';
import type { OpenIncident, TicketReader, TicketWriter } from './ticket.ports';
import { EventData, TicketEventEntity } from './ticket-event.entity';
import type { TicketStatus } from '../ticketing.types';

export type NewEvent = Pick<TicketEventEntity, 'type' | 'actor' | 'message'> & { at: Date; data?: EventData | null };

export interface TicketFilter {
  status?: TicketStatus | TicketStatus[];
  /** Text in the number, title, description, device name or comments. */
  q?: string;
  /** Opened at or after. */
  from?: Date;
  /** Opened before. */
  to?: Date;
  deviceId?: string;
  priority?: TicketEntity['priority'];
  faultType?: TicketEntity['faultType'];
  team?: string;
  assigneeId?: string;
  parentTicketId?: string;
}

/** Tickets and their timelines. Every write goes through a transaction the caller opens with `transaction`. */
@Injectable()
export class TicketRepository implements TicketReader, TicketWriter {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  findById(id: string, m: EntityManager = this.dataSource.manager): Promise<TicketEntity | null> {
    return m.getRepository(TicketEntity).findOneBy({ id });
  }

  /** Locks the ticket row for the rest of the transaction (writers of one ticket queue up). */
  lock(id: string, m: EntityManager): Promise<TicketEntity | null> {
    return m.getRepository(TicketEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** The ticket not yet closed for a fault, locked. */
  lockByFaultKey(faultKey: string, m: EntityManager): Promise<TicketEntity | null> {
    return m
      .getRepository(TicketEntity)
      .createQueryBuilder('t')
      .setLock('pessimistic_write')
      .where('t.fault_key = :faultKey AND t.status <> :closed', { faultKey, closed: 'closed' })
      .getOne();
  }

  async activeIdByFaultKey(faultKey: string, m: EntityManager): Promise<string | null> {
    const [row] = await m.query(`SELECT id FROM tickets WHERE fault_key = $1 AND status <> 'closed' LIMIT 1`, [
      faultKey,
    ]);
    return row?.id ?? null;
  }

  /** How far ticket automation has followed the status history (its cursor row, 0 before it started). */
  async historyCursor(m: EntityManager): Promise<string> {
    const [row] = await m.query(
      `SELECT coalesce((SELECT last_history_id FROM ticketing_cursor WHERE name = 'status_history'), 0) AS last`,
    );
    return String(row.last);
  }

  async idByNumber(num: number, m: EntityManager): Promise<string | null> {
    const rows: { id: string }[] = await m.query('SELECT id FROM tickets WHERE number = $1', [num]);
    return rows[0]?.id ?? null;
  }

  /** Open automatic tickets on devices, with where the device is: what a request may be about. */
  async openAutoIncidents(m: EntityManager): Promise<OpenIncident[]> {
    const rows: {
      id: string;
      number: number;
      priority: OpenIncident['priority'];
      fault_type: string;
      opened_at: Date;
      device_id: string;
      name: string;
      host: string;
      site_id: string | null;
    }[] = await m.query(
      `SELECT t.id, t.number, t.priority, t.fault_type, t.opened_at, d.id AS device_id, d.name, d.host, d.site_id
         FROM tickets t JOIN devices d ON d.id = t.device_id
        WHERE t.source = 'auto' AND t.status IN ('open', 'acknowledged', 'in_progress')`,
    );
    return rows.map((r) => ({
      ticketId: r.id,
      number: r.number,
      priority: r.priority,
      faultType: r.fault_type,
      openedAt: r.opened_at,
      deviceId: r.device_id,
      deviceName: r.name,
      deviceHost: r.host,
      siteId: r.site_id,
    }));
  }

  /** Active requests linked to an incident that was resolved after they were opened or last reopened. */
  async requestsOfResolvedIncidents(limit: number): Promise<{ id: string; parentId: string }[]> {
    const rows: { id: string; parent_id: string }[] = await this.dataSource.query(
      `SELECT r.id, p.id AS parent_id FROM tickets r JOIN tickets p ON p.id = r.parent_ticket_id
        WHERE r.source = 'email' AND r.status IN ('open', 'acknowledged', 'in_progress')
          AND p.status IN ('resolved', 'closed') AND p.resolved_at IS NOT NULL
          AND p.resolved_at >= r.escalation_anchor_at
        LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ id: r.id, parentId: r.parent_id }));
  }

  async summary(
    ticketIds: string[],
    m: EntityManager = this.dataSource.manager,
  ): Promise<{ numbers: number[]; priority: string | null }> {
    if (!ticketIds.length) return { numbers: [], priority: null };
    const rows: { number: number; priority: string }[] = await m.query(
      `SELECT number, priority FROM tickets WHERE id = ANY($1::uuid[]) ORDER BY number`,
      [ticketIds],
    );
    const priority = rows.map((r) => r.priority).sort()[0] ?? null;
    return { numbers: rows.map((r) => r.number), priority };
  }

  async flagRecurring(ticketIds: string[], m: EntityManager): Promise<string[]> {
    if (!ticketIds.length) return [];
    const rows = await m.query(
      `UPDATE tickets SET recurring = true WHERE id = ANY($1::uuid[]) AND NOT recurring RETURNING id`,
      [ticketIds],
    );
    return (rows[0] as { id: string }[] | undefined)?.map((r) => r.id) ?? [];
  }

  list(filter: TicketFilter, limit = 1000): Promise<TicketEntity[]> {
    const where: FindOptionsWhere<TicketEntity> = {};
    for (const [key, value] of Object.entries(filter))
      if (value !== undefined) (where as Record<string, unknown>)[key] = value;
    return this.dataSource
      .getRepository(TicketEntity)
      .find({ where, order: { openedAt: 'DESC', number: 'DESC' }, take: limit });
  }

  /** A page of `list`'s answer for a filter that may search text and dates, with the number of all matches. */
  async search(
    filter: TicketFilter,
    limit: number,
    offset: number,
  ): Promise<{ tickets: TicketEntity[]; total: number }> {
    const qb = this.dataSource.getRepository(TicketEntity).createQueryBuilder('t');
    const { status, q, from, to, ...equal } = filter;
    for (const [key, value] of Object.entries(equal))
      if (value !== undefined) qb.andWhere(`t.${key} = :${key}`, { [key]: value });
    if (status !== undefined) qb.andWhere('t.status IN (:...status)', { status: [status].flat() });
    if (from) qb.andWhere('t.opened_at >= :from', { from });
    if (to) qb.andWhere('t.opened_at < :to', { to });
    const text = q?.trim();
    if (text) {
      const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const number = /^#?(\d{1,9})$/.exec(text);
      qb.andWhere(
        `(${number ? 't.number = :number OR ' : ''}t.title ILIKE :like OR t.description ILIKE :like
          OR EXISTS (SELECT 1 FROM devices d WHERE d.id = t.device_id AND d.name ILIKE :like)
          OR EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id
                       AND e.type IN ('commented', 'resolved') AND e.message ILIKE :like))`,
        { like, number: number ? Number(number[1]) : undefined },
      );
    }
    const [tickets, total] = await qb
      .orderBy('t.opened_at', 'DESC')
      .addOrderBy('t.number', 'DESC')
      .take(limit)
      .skip(offset)
      .getManyAndCount();
    return { tickets, total };
  }

  /** Teams named on tickets, devices and escalation steps. */
  async knownTeams(): Promise<string[]> {
    const rows: { team: string }[] = await this.dataSource.query(
      `SELECT team FROM tickets WHERE team IS NOT NULL
       UNION SELECT team FROM devices WHERE team IS NOT NULL
       UNION SELECT step->>'team' FROM escalation_policies, jsonb_array_elements(steps) step WHERE step ? 'team'`,
    );
    return rows.map((r) => r.team).filter(Boolean);
  }

  listOpen(): Promise<TicketEntity[]> {
    return this.dataSource.getRepository(TicketEntity).find({
      where: { status: In(['open', 'acknowledged', 'in_progress']) },
      order: { priority: 'ASC', openedAt: 'ASC' },
    });
  }

  events(ticketId: string): Promise<TicketEventEntity[]> {
    return this.dataSource.getRepository(TicketEventEntity).find({ where: { ticketId }, order: { id: 'ASC' } });
  }

  async insert(ticket: Partial<TicketEntity>, m: EntityManager): Promise<TicketEntity> {
    const repo = m.getRepository(TicketEntity);
    return repo.save(repo.create(ticket));
  }

  save(ticket: TicketEntity, m: EntityManager): Promise<TicketEntity> {
    return m.getRepository(TicketEntity).save(ticket);
  }

  async addEvents(ticketId: string, events: NewEvent[], m: EntityManager = this.dataSource.manager): Promise<void> {
    if (!events.length) return;
    await m.getRepository(TicketEventEntity).insert(events.map((e) => ({ ...e, ticketId, data: e.data ?? null })));
  }

  /** How many events of a type the ticket has at or after `since` (held notifications while flapping). */
  async countEvents(ticketId: string, type: TicketEventEntity['type'], since: Date, m: EntityManager): Promise<number> {
    return m.getRepository(TicketEventEntity).count({ where: { ticketId, type, at: MoreThanOrEqual(since) } });
  }

  /** The latest event of a type on a ticket, or null. */
  lastEvent(ticketId: string, type: TicketEventEntity['type'], m: EntityManager): Promise<TicketEventEntity | null> {
    return m.getRepository(TicketEventEntity).findOne({ where: { ticketId, type }, order: { at: 'DESC', id: 'DESC' } });
  }

  /** Whether anyone was told about this ticket (a delivered `notified` event). */
  async wasNotified(ticketId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM ticket_events WHERE ticket_id = $1 AND type = 'notified' AND (data->>'ok')::boolean LIMIT 1`,
      [ticketId],
    );
    return rows.length > 0;
  }

  /** Tickets whose next escalation step is due, locked; rows another instance holds are skipped. */
  dueForEscalation(now: Date, limit: number, m: EntityManager): Promise<TicketEntity[]> {
    return m
      .getRepository(TicketEntity)
      .createQueryBuilder('t')
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .where('t.next_escalation_at <= :now', { now })
      .orderBy('t.next_escalation_at', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** Tickets with an SLA target passed and not yet recorded as breached, locked (skip locked). */
  dueForSla(now: Date, limit: number, m: EntityManager): Promise<TicketEntity[]> {
    return m
      .getRepository(TicketEntity)
      .createQueryBuilder('t')
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .where(
        `t.status IN ('open', 'acknowledged', 'in_progress') AND (
           (t.acknowledged_at IS NULL AND t.sla_ack_due_at <= :now AND NOT ('ack' = ANY(t.sla_breaches)))
        OR (t.sla_resolve_due_at <= :now AND NOT ('resolve' = ANY(t.sla_breaches))))`,
        { now },
      )
      .limit(limit)
      .getMany();
  }

  dueForAutoClose(resolvedBefore: Date, limit: number, m: EntityManager): Promise<TicketEntity[]> {
    return m.getRepository(TicketEntity).find({
      where: { status: 'resolved', resolvedAt: LessThanOrEqual(resolvedBefore) },
      take: limit,
      lock: { mode: 'pessimistic_write', onLocked: 'skip_locked' },
    });
  }

  /**
   * The earliest time any ticket clock may be due (escalation step, SLA target, auto-close after
   * `stableSec` resolved), by the same conditions as the three `dueFor…` reads; null when none can be.
   */
  async nextTimerDue(stableSec: number): Promise<Date | null> {
    const [row]: { due: Date | null }[] = await this.dataSource.query(
      `SELECT LEAST(
         (SELECT min(next_escalation_at) FROM tickets WHERE next_escalation_at IS NOT NULL),
         (SELECT min(sla_ack_due_at) FROM tickets
           WHERE status IN ('open', 'acknowledged', 'in_progress') AND acknowledged_at IS NULL
             AND NOT ('ack' = ANY(sla_breaches))),
         (SELECT min(sla_resolve_due_at) FROM tickets
           WHERE status IN ('open', 'acknowledged', 'in_progress') AND NOT ('resolve' = ANY(sla_breaches))),
         (SELECT min(resolved_at) + make_interval(secs => $1) FROM tickets WHERE status = 'resolved')
       ) AS due`,
      [stableSec],
    );
    return row?.due ?? null;
  }

  /** The last closed tickets for a fault type on a device, or on devices of a kind, with their resolutions. */
  async previousResolutions(
    deviceId: string,
    kind: string,
    faultType: string,
    limit = 3,
  ): Promise<{ number: number; deviceName: string; resolution: string; closedAt: Date }[]> {
    const rows: { number: number; name: string; resolution: string; closed_at: Date }[] = await this.dataSource.query(
      `SELECT t.number, d.name, t.resolution, t.closed_at
         FROM tickets t JOIN devices d ON d.id = t.device_id
        WHERE t.status = 'closed' AND t.fault_type = $3 AND t.resolution IS NOT NULL
          AND (t.device_id = $1 OR d.kind = $2)
        ORDER BY (t.device_id = $1) DESC, t.closed_at DESC
        LIMIT $4`,
      [deviceId, kind, faultType, limit],
    );
    return rows.map((r) => ({ number: r.number, deviceName: r.name, resolution: r.resolution, closedAt: r.closed_at }));
  }
}
