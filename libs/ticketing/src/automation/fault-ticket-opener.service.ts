import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@netdesk/core';
import { Device, DeviceDirectory } from '@netdesk/inventory';
import { InterfaceReader } from '@netdesk/monitoring';
import type { StatusChange } from '@netdesk/monitoring';
import { computePriority, Fault, slaDueTimes } from '../domain';
import { EscalationPolicies } from '../escalation/escalation-policies.service';
import { RoutingRules } from '../routing/routing-rules.service';
import { NewEvent, TicketRepository } from '../tickets/ticket.repository';
import { AutomationEffects } from './automation-effects';
import { Diagnosis } from './diagnosis.service';
import { circuitsSuffix, FLAPPING_AT_OPENING, lateNote, openedMessage, titleOf } from './ticket-texts';

/**
 * Opens the ticket of a new fault: priority from the device's criticality and the devices behind it,
 * team from the routing rules, escalation policy and SLA times, and a timeline that starts with the
 * diagnosis of what monitoring knew at that moment.
 */
@Injectable()
export class FaultTicketOpener {
  constructor(
    private readonly tickets: TicketRepository,
    private readonly devices: DeviceDirectory,
    private readonly interfaces: InterfaceReader,
    private readonly policies: EscalationPolicies,
    private readonly routing: RoutingRules,
    private readonly diagnosis: Diagnosis,
    private readonly clock: Clock,
  ) {}

  async create(
    device: Device,
    fault: Fault,
    key: string,
    row: StatusChange,
    m: EntityManager,
    after: AutomationEffects,
  ): Promise<void> {
    const descendants = await this.devices.countDescendants(device.id, m);
    const { priority, explanation } = computePriority({
      criticality: device.criticality,
      faultType: fault.faultType,
      descendants,
    });
    const route = await this.routing.teamFor(device, m);
    const policy = await this.policies.forDevice(device.escalationPolicyId, m);
    const sla = slaDueTimes(priority, row.at);
    const circuits = fault.ifIndex === null ? await this.circuitsOf(device, m) : '';
    const ticket = await this.tickets.insert(
      {
        title: `${titleOf(device, fault, row)}${circuits}`.slice(0, 200),
        status: 'open',
        priority,
        source: 'auto',
        deviceId: device.id,
        ifIndex: fault.ifIndex,
        faultType: fault.faultType,
        faultKey: key,
        faultActive: true,
        team: route.team,
        escalationPolicyId: policy?.id ?? null,
        escalationAnchorAt: row.at,
        impactedCount: descendants,
        flapping: device.flapping,
        openedAt: row.at,
        slaAckDueAt: sla.acknowledgeBy,
        slaResolveDueAt: sla.resolveBy,
      },
      m,
    );
    ticket.nextEscalationAt = await this.policies.firstStepAt(ticket, row.at, m);
    await this.tickets.save(ticket, m);
    const events: NewEvent[] = [
      { at: row.at, type: 'opened', actor: 'system', message: openedMessage(fault, row, explanation) },
      { at: row.at, type: 'assigned', actor: 'system', message: route.explanation },
      ...(await this.diagnosis.at(device, fault, row.at, m)),
    ];
    if (device.flapping) events.push({ at: row.at, type: 'flapping', actor: 'system', message: FLAPPING_AT_OPENING });
    const late = lateNote(row, this.clock.now());
    if (late) events.push(late);
    await this.tickets.addEvents(ticket.id, events, m);
    after.opened(ticket);
    after.notify.push({ ticket, event: 'opened' });
  }

  /** The interfaces with a provider or circuit id, named on the device-level ticket's title. */
  private async circuitsOf(device: Device, m: EntityManager): Promise<string> {
    return circuitsSuffix(await this.interfaces.circuits(device.id, m));
  }
}
