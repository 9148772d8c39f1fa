import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Device, DeviceDirectory } from '@netdesk/inventory';
import type { StatusChange } from '@netdesk/monitoring';
import { computePriority, faultKey, raisePriority } from '../domain';
import { NewEvent, TicketRepository } from '../tickets/ticket.repository';
import { AutomationEffects } from './automation-effects';
import { impactMessage, priorityRaisedMessage } from './ticket-texts';

/**
 * A device went unreachable: it is listed on the ticket of its nearest ancestor that is down (the root
 * cause), whose impact count and perhaps priority rise with the devices cut off behind it.
 */
@Injectable()
export class ImpactPropagator {
  constructor(
    private readonly tickets: TicketRepository,
    private readonly devices: DeviceDirectory,
  ) {}

  async noteImpact(device: Device, row: StatusChange, m: EntityManager, after: AutomationEffects): Promise<void> {
    for (const ancestorId of await this.devices.ancestorIds(device.id, m)) {
      const rootTicket = await this.tickets.lockByFaultKey(
        faultKey(ancestorId, { faultType: 'device_down', ifIndex: null }),
        m,
      );
      if (!rootTicket || rootTicket.status === 'resolved') continue;
      rootTicket.impactedCount = Math.max(rootTicket.impactedCount, await this.devices.countDescendants(ancestorId, m));
      const root = await this.devices.findById(ancestorId, m);
      const events: NewEvent[] = [{ at: row.at, type: 'impact', actor: 'system', message: impactMessage(device) }];
      if (root) {
        const raised = raisePriority(
          rootTicket.priority,
          computePriority({
            criticality: root.criticality,
            faultType: 'device_down',
            descendants: rootTicket.impactedCount,
          }).priority,
        );
        if (raised !== rootTicket.priority) {
          events.push({
            at: row.at,
            type: 'priority_changed',
            actor: 'system',
            message: priorityRaisedMessage(rootTicket.priority, raised),
          });
          rootTicket.priority = raised;
        }
      }
      await this.tickets.save(rootTicket, m);
      await this.tickets.addEvents(rootTicket.id, events, m);
      after.updated(rootTicket);
      return;
    }
  }
}
