import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Device } from '@netdesk/inventory';
import type { StatusChange } from '@netdesk/monitoring';
import { TicketRepository } from '../tickets/ticket.repository';
import { AutomationEffects } from './automation-effects';
import { flappingEventMessage, flappingStartedSummary, flappingStoppedSummary } from './ticket-texts';

/**
 * A device started or stopped flapping: its tickets not yet closed say so, and their teams get one
 * summary at each end instead of a page per reopen and recovery.
 */
@Injectable()
export class FlappingTracker {
  constructor(private readonly tickets: TicketRepository) {}

  async noteFlapping(device: Device, row: StatusChange, m: EntityManager, after: AutomationEffects): Promise<void> {
    const flapping = row.toStatus === 'flapping';
    for (const ticket of await this.tickets.list({ deviceId: device.id })) {
      if (ticket.status === 'closed' || ticket.flapping === flapping) continue;
      const locked = (await this.tickets.lock(ticket.id, m))!;
      locked.flapping = flapping;
      await this.tickets.save(locked, m);
      let summary: string;
      if (flapping) {
        summary = flappingStartedSummary(device, row.reason);
      } else {
        const since = (await this.tickets.lastEvent(locked.id, 'flapping', m))?.at ?? locked.openedAt;
        const held = await this.tickets.countEvents(locked.id, 'suppressed', since, m);
        summary = flappingStoppedSummary(device, held, locked.status === 'resolved');
      }
      await this.tickets.addEvents(
        locked.id,
        [{ at: row.at, type: 'flapping', actor: 'system', message: flappingEventMessage(flapping, row.reason) }],
        m,
      );
      after.updated(locked);
      after.flapping.push({ ticket: locked, started: flapping, summary });
    }
  }
}
