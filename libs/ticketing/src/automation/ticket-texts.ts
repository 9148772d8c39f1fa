import type { Device as InventoryDevice } from '@netdesk/inventory';
import type { DeviceInterface, StatusChange } from '@netdesk/monitoring';
import type { Fault, Priority } from '../domain';
import type { NewEvent } from '../tickets/ticket.repository';

/** A history row processed this long after it happened was learned late (results buffered behind a cut WAN). */
export const LEARNED_LATE_AFTER_MS = 30_000;

type Device = Pick<InventoryDevice, 'name'>;
type Row = Pick<StatusChange, 'kind' | 'reason' | 'toStatus' | 'detail'>;

export const HELD_WHILE_FLAPPING = 'notification held: the fault is flapping (summarised when flapping stops)';
export const FLAPPING_AT_OPENING = 'the device is flapping: one ticket tracks every occurrence';

function interfaceLabel(fault: Fault, row: Row): string {
  const name = row.detail?.name ?? `ifIndex ${fault.ifIndex}`;
  return row.detail?.alias ? `${name} (${row.detail.alias})` : name;
}

/** An automatic ticket's title, at most 200 characters. */
export function titleOf(device: Device, fault: Fault, row: Row): string {
  const titles: Record<Fault['faultType'], string> = {
    device_down: `${device.name} is down`,
    interface_down: `Interface ${interfaceLabel(fault, row)} down on ${device.name}`,
    device_rebooted: `${device.name} rebooted`,
    high_latency: `High latency to ${device.name}`,
    packet_loss: `Packet loss to ${device.name}`,
    link_utilisation: `${device.name}: ${row.reason}`,
    interface_errors: `${device.name}: ${row.reason}`,
    high_cpu: `${device.name}: ${row.reason}`,
    high_memory: `${device.name}: ${row.reason}`,
    high_jitter: `${device.name}: ${row.reason}`,
  };
  return titles[fault.faultType].slice(0, 200);
}

/**
 * The circuits a device terminates (interfaces with a provider or circuit id), named on its device-level
 * tickets: latency or jitter on a WAN link is the circuit's problem as much as the device's.
 */
export function circuitsSuffix(
  interfaces: Pick<DeviceInterface, 'provider' | 'circuitId' | 'name' | 'alias'>[],
): string {
  if (!interfaces.length) return '';
  const label = (i: (typeof interfaces)[number]) =>
    `${[i.provider, i.circuitId].filter(Boolean).join(' ')} on ${i.name}${i.alias ? ` (${i.alias})` : ''}`;
  return ` — circuit ${interfaces.map(label).join(', ')}`;
}

export function openedMessage(fault: Fault, row: Row, priorityExplanation: string): string {
  return `${row.reason ?? fault.faultType} — priority ${priorityExplanation}`;
}

export function reopenedMessage(fault: Fault, row: Row, occurrences: number): string {
  return `the fault is back (occurrence ${occurrences}): ${row.reason ?? fault.faultType}`;
}

export function recoveryMessage(device: Device, fault: Fault, row: Row): string {
  if (fault.faultType === 'device_rebooted')
    return `${device.name} is back after a reboot (${row.reason ?? 'sysUpTime reset'})`;
  if (fault.faultType === 'interface_down') return `interface ${interfaceLabel(fault, row)} is up again`;
  if (row.kind === 'threshold') return `recovered: ${device.name} ${row.reason ?? ''}`.trim();
  return `recovered: ${device.name} is ${row.toStatus}${row.reason ? ` (${row.reason})` : ''}`;
}

/**
 * A change that reaches the help desk long after it happened (a branch poller cut off and back) is applied at
 * its real time and says so on the timeline.
 */
export function lateNote(row: Pick<StatusChange, 'at'>, now: Date): NewEvent | null {
  const lateMs = now.getTime() - row.at.getTime();
  if (lateMs < LEARNED_LATE_AFTER_MS) return null;
  return {
    at: row.at,
    type: 'learned_late',
    actor: 'system',
    message: `learned late: this happened at ${row.at.toISOString()} and reached NetDesk ${Math.round(lateMs / 1000)} s later (its poller was cut off)`,
  };
}

export function impactMessage(device: Pick<InventoryDevice, 'name' | 'host'>): string {
  return `${device.name} (${device.host}) is unreachable behind it`;
}

export function priorityRaisedMessage(from: Priority, to: Priority): string {
  return `priority raised from ${from} to ${to}: more devices are cut off`;
}

/** The timeline line of a change in flapping. */
export function flappingEventMessage(flapping: boolean, reason: string | null): string {
  return flapping ? `flapping: ${reason}` : 'stopped flapping';
}

export function flappingStartedSummary(device: Device, reason: string | null): string {
  return `${device.name} is flapping (${reason}): further reopens and recoveries are held until it settles`;
}

export function flappingStoppedSummary(device: Device, held: number, recovered: boolean): string {
  const state = recovered ? 'recovered' : 'still present';
  return `${device.name} stopped flapping: ${held} reopen(s) held while it flapped; the fault is ${state}`;
}
