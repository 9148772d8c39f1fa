import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Device, DeviceDirectory } from '@netdesk/inventory';
import type { StatusChange } from '@netdesk/monitoring';
import { Fault, FaultChange, faultEffects } from '../domain';
import { MaintenanceWindows } from '../maintenance/maintenance-windows.service';
import { AutomationEffects } from './automation-effects';
import { FaultTicketLifecycle } from './fault-ticket-lifecycle.service';
import { FlappingTracker } from './flapping-tracker.service';
import { ImpactPropagator } from './impact-propagator.service';

/**
 * What one status-history row does to tickets, inside automatic ticketing's transaction: an unreachable
 * device is listed on its root cause's ticket, a change in flapping marks the device's tickets, and each
 * fault it opens or clears opens, reopens or resolves that fault's ticket (none inside maintenance).
 */
@Injectable()
export class StatusChangeHandler {
  private readonly logger = new Logger('ticket-automation');

  constructor(
    private readonly devices: DeviceDirectory,
    private readonly maintenance: MaintenanceWindows,
    private readonly faults: FaultTicketLifecycle,
    private readonly impact: ImpactPropagator,
    private readonly flapping: FlappingTracker,
  ) {}

  async handle(row: StatusChange, m: EntityManager, after: AutomationEffects): Promise<void> {
    const device = await this.devices.findById(row.deviceId, m);
    if (!device) return;
    const change = toFaultChange(row);
    if (!change) return;
    if (row.kind === 'device_status' && row.toStatus === 'unreachable')
      await this.impact.noteImpact(device, row, m, after);
    if (row.kind === 'flapping') await this.flapping.noteFlapping(device, row, m, after);
    const { opens, clears } = faultEffects(change);
    for (const fault of opens) {
      const window = await this.maintenance.activeFor(device, row.at, m);
      if (window) {
        this.logger.log(
          { deviceId: device.id, faultType: fault.faultType, window: window.name },
          'fault inside a maintenance window: no ticket',
        );
        continue;
      }
      await this.faults.open(device, fault, row, m, after);
    }
    for (const fault of clears) await this.faults.clear(device, fault, row, m, after);
  }
}

function toFaultChange(row: StatusChange): FaultChange | null {
  switch (row.kind) {
    case 'device_status':
      return {
        kind: 'device_status',
        to: row.toStatus as Device['status'],
        causes: (row.detail?.causes ?? []) as ('latency' | 'loss' | 'snmp' | 'interface')[],
      };
    case 'interface_status':
      return { kind: 'interface_status', ifIndex: row.ifIndex!, to: row.toStatus!, monitored: row.detail?.monitored };
    case 'device_rebooted':
      return { kind: 'device_rebooted' };
    case 'flapping':
      return { kind: 'flapping' };
    case 'threshold':
      return {
        kind: 'threshold',
        faultType: row.detail?.faultType as Fault['faultType'],
        ifIndex: row.ifIndex,
        breached: row.toStatus === 'breached',
      };
  }
}
