import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Device, DeviceDirectory } from '@netdesk/inventory';
import { InterfaceReader, StatusHistoryReader } from '@netdesk/monitoring';
import { THRESHOLD_FAULT_TYPES, type Fault } from '../domain';
import { NewEvent, TicketRepository } from '../tickets/ticket.repository';

const DAY_MS = 24 * 3600 * 1000;

/**
 * What an agent checks first, written on the ticket as it opens: the last RTT and loss, the parent's
 * status, interfaces down, the last reboot, recent flapping, and how the last tickets for this fault ended.
 */
@Injectable()
export class Diagnosis {
  constructor(
    private readonly tickets: TicketRepository,
    private readonly devices: DeviceDirectory,
    private readonly history: StatusHistoryReader,
    private readonly interfaces: InterfaceReader,
  ) {}

  async at(device: Device, fault: Fault, at: Date, m: EntityManager): Promise<NewEvent[]> {
    const lines: string[] = [];
    const rtt = device.lastRttMs !== null ? `${device.lastRttMs} ms` : 'no reply';
    lines.push(
      `last poll ${device.lastPollAt?.toISOString() ?? 'never'}: RTT ${rtt}, loss ${device.lastLossPct ?? '—'}%`,
    );
    if (device.parentId) {
      const parent = await this.devices.findById(device.parentId, m);
      if (parent)
        lines.push(
          `upstream ${parent.name} is ${parent.status}${parent.statusReason ? ` (${parent.statusReason})` : ''}`,
        );
    }
    const down = await this.interfaces.down(device.id, m);
    if (down.length)
      lines.push(`interfaces down: ${down.map((i) => `${i.name}${i.alias ? ` (${i.alias})` : ''}`).join(', ')}`);
    const reboot = await this.history.lastOfKind(device.id, 'device_rebooted', m);
    if (reboot) lines.push(`last reboot seen ${reboot.at.toISOString()}`);
    const flaps = await this.history.countFlappingSince(device.id, new Date(at.getTime() - DAY_MS), m);
    if (flaps) lines.push(`flapped ${flaps} time(s) in the last 24 h`);
    if (device.uptimeSec !== null) lines.push(`uptime ${Math.round(device.uptimeSec / 3600)} h`);
    if (THRESHOLD_FAULT_TYPES.includes(fault.faultType)) lines.unshift(...(await this.measured(device, fault, m)));
    const events: NewEvent[] = [{ at, type: 'diagnosis', actor: 'system', message: lines.join('; ') }];
    for (const previous of await this.tickets.previousResolutions(device.id, device.kind, fault.faultType)) {
      events.push({
        at,
        type: 'diagnosis',
        actor: 'system',
        message: `last time (#${previous.number} on ${previous.deviceName}, closed ${previous.closedAt.toISOString()}): ${previous.resolution}`,
      });
    }
    return events;
  }

  /** For a threshold fault: what was measured against what, and the circuit it concerns. */
  private async measured(device: Device, fault: Fault, m: EntityManager): Promise<string[]> {
    const lines: string[] = [];
    const breach = await this.history.lastThreshold(device.id, fault.faultType, fault.ifIndex, m);
    if (breach?.reason) lines.push(`${device.name}: ${breach.reason}`);
    if (fault.ifIndex !== null) {
      const i = await this.interfaces.get(device.id, fault.ifIndex, m);
      if (i) {
        const circuit = [i.provider && `provider ${i.provider}`, i.circuitId && `circuit ${i.circuitId}`];
        const capacity = i.capacityBps
          ? `contracted ${i.capacityBps / 1e6} Mb/s`
          : i.speedBps
            ? `ifSpeed ${i.speedBps / 1e6} Mb/s (no contracted capacity set)`
            : null;
        lines.push(
          [`interface ${i.name}${i.alias ? ` (${i.alias})` : ''} ifIndex ${i.ifIndex}`, ...circuit, capacity]
            .filter(Boolean)
            .join(', '),
        );
      }
    }
    return lines;
  }
}
