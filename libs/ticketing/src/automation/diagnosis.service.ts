import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DeviceEntity } from '@netdesk/inventory';
import { DeviceInterfaceEntity, StatusHistoryEntity } from '@netdesk/monitoring';
import { THRESHOLD_FAULT_TYPES, type Fault } from '../domain';
import { NewEvent, TicketRepository } from '../tickets/ticket.repository';

const DAY_MS = 24 * 3600 * 1000;

/**
 * What an agent checks first, written on the ticket as it opens: the last RTT and loss, the parent's
 * status, interfaces down, the last reboot, recent flapping, and how the last tickets for this fault ended.
 */
@Injectable()
export class Diagnosis {
  constructor(private readonly tickets: TicketRepository) {}

  async at(device: DeviceEntity, fault: Fault, at: Date, m: EntityManager): Promise<NewEvent[]> {
    const lines: string[] = [];
    const rtt = device.lastRttMs !== null ? `${device.lastRttMs} ms` : 'no reply';
    lines.push(
      `last poll ${device.lastPollAt?.toISOString() ?? 'never'}: RTT ${rtt}, loss ${device.lastLossPct ?? '—'}%`,
    );
    if (device.parentId) {
      const parent = await m.getRepository(DeviceEntity).findOneBy({ id: device.parentId });
      if (parent)
        lines.push(
          `upstream ${parent.name} is ${parent.status}${parent.statusReason ? ` (${parent.statusReason})` : ''}`,
        );
    }
    const down = await m
      .getRepository(DeviceInterfaceEntity)
      .createQueryBuilder('i')
      .where(
        `i.device_id = :id AND i.admin_status = 'up' AND i.oper_status IN ('down', 'lowerLayerDown', 'notPresent')`,
        { id: device.id },
      )
      .getMany();
    if (down.length)
      lines.push(`interfaces down: ${down.map((i) => `${i.name}${i.alias ? ` (${i.alias})` : ''}`).join(', ')}`);
    const history = m.getRepository(StatusHistoryEntity);
    const reboot = await history.findOne({
      where: { deviceId: device.id, kind: 'device_rebooted' },
      order: { id: 'DESC' },
    });
    if (reboot) lines.push(`last reboot seen ${reboot.at.toISOString()}`);
    const flaps = await history
      .createQueryBuilder('h')
      .where(`h.device_id = :id AND h.kind = 'flapping' AND h.to_status = 'flapping' AND h.at > :since`, {
        id: device.id,
        since: new Date(at.getTime() - DAY_MS),
      })
      .getCount();
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
  private async measured(device: DeviceEntity, fault: Fault, m: EntityManager): Promise<string[]> {
    const lines: string[] = [];
    const breach = await m
      .getRepository(StatusHistoryEntity)
      .createQueryBuilder('h')
      .where(`h.device_id = :id AND h.kind = 'threshold' AND h.detail->>'faultType' = :type`, {
        id: device.id,
        type: fault.faultType,
      })
      .andWhere(fault.ifIndex === null ? 'h.if_index IS NULL' : 'h.if_index = :ifIndex', { ifIndex: fault.ifIndex })
      .orderBy('h.id', 'DESC')
      .getOne();
    if (breach?.reason) lines.push(`${device.name}: ${breach.reason}`);
    if (fault.ifIndex !== null) {
      const i = await m.getRepository(DeviceInterfaceEntity).findOneBy({ deviceId: device.id, ifIndex: fault.ifIndex });
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
