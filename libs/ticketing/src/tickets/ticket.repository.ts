import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, FindOptionsWhere, In, LessThanOrEqual } from 'typeorm';
import { TicketEntity } from './ticket.entity';
import { EventData, TicketEventEntity } from './ticket-event.entity';
import type { TicketStatus } from '../ticketing.types';

export type NewEvent = Pick<TicketEventEntity, 'type' | 'actor' | 'message'> & { at: Date; data?: EventData | null };

export interface TicketFilter {
  status?: TicketStatus;
  deviceId?: string;
  priority?: TicketEntity['priority'];
  faultType?: TicketEntity['faultType'];
  team?: string;
  assigneeId?: string;
}

/** Tickets and their timelines. Every write goes through a transaction the caller opens with `transaction`. */
@Injectable()
export class TicketRepository {
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

  list(filter: TicketFilter, limit = 1000): Promise<TicketEntity[]> {
    const where: FindOptionsWhere<TicketEntity> = {};
    for (const [key, value] of Object.entries(filter))
      if (value !== undefined) (where as Record<string, unknown>)[key] = value;
    return this.dataSource
      .getRepository(TicketEntity)
      .find({ where, order: { openedAt: 'DESC', number: 'DESC' }, take: limit });
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
