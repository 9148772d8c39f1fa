import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@netdesk/core';
import type { Device } from '@netdesk/inventory';
import type { StatusChange } from '@netdesk/monitoring';
import { Fault, faultKey, systemReopen, systemResolve } from '../domain';
import { TicketRepository } from '../tickets/ticket.repository';
import { TicketsService } from '../tickets/tickets.service';
import { AutomationEffects } from './automation-effects';
import { FaultTicketOpener } from './fault-ticket-opener.service';
import { HELD_WHILE_FLAPPING, lateNote, recoveryMessage, reopenedMessage } from './ticket-texts';

/**
 * One ticket per fault: opened the first time (by `FaultTicketOpener`), reopened when the fault recurs
 * before the ticket is closed, resolved by the system when it recovers. While the ticket is flapping its
 * reopen and recovery pages are held (the flapping summary covers them).
 */
@Injectable()
export class FaultTicketLifecycle {
  constructor(
    private readonly tickets: TicketRepository,
    private readonly service: TicketsService,
    private readonly opener: FaultTicketOpener,
    private readonly clock: Clock,
  ) {}

  async open(
    device: Device,
    fault: Fault,
    row: StatusChange,
    m: EntityManager,
    after: AutomationEffects,
  ): Promise<void> {
    const key = faultKey(device.id, fault);
    const existing = await this.tickets.lockByFaultKey(key, m);
    if (!existing) return this.opener.create(device, fault, key, row, m, after);
    if (existing.status === 'resolved') {
      const reopened = systemReopen(existing)!;
      await this.service.restart(existing, row.at, m);
      existing.occurrences = reopened.occurrences;
      existing.faultActive = true;
      await this.tickets.save(existing, m);
      await this.tickets.addEvents(
        existing.id,
        [{ at: row.at, type: 'reopened', actor: 'system', message: reopenedMessage(fault, row, existing.occurrences) }],
        m,
      );
      after.updated(existing);
      if (existing.flapping)
        await this.tickets.addEvents(
          existing.id,
          [{ at: row.at, type: 'suppressed', actor: 'system', message: HELD_WHILE_FLAPPING }],
          m,
        );
      else after.notify.push({ ticket: existing, event: 'reopened' });
    } else if (!existing.faultActive) {
      existing.faultActive = true;
      await this.tickets.save(existing, m);
      after.updated(existing);
    }
  }

  async clear(
    device: Device,
    fault: Fault,
    row: StatusChange,
    m: EntityManager,
    after: AutomationEffects,
  ): Promise<void> {
    const existing = await this.tickets.lockByFaultKey(faultKey(device.id, fault), m);
    if (!existing) return;
    existing.faultActive = false;
    if (systemResolve(existing)) {
      existing.status = 'resolved';
      existing.resolvedAt = row.at;
      existing.nextEscalationAt = null;
      const message = recoveryMessage(device, fault, row);
      const late = lateNote(row, this.clock.now());
      await this.tickets.addEvents(
        existing.id,
        [{ at: row.at, type: 'resolved', actor: 'system', message }, ...(late ? [late] : [])],
        m,
      );
      // While flapping, recoveries are held like reopens: the summary at the end of flapping covers them.
      if (!existing.flapping) after.recovered.push({ ticket: existing, summary: message });
    }
    await this.tickets.save(existing, m);
    after.updated(existing);
  }
}
