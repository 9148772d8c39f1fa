import type { DeviceStatus } from '@netdesk/inventory';

export const FAULT_TYPES = [
  'device_down',
  'interface_down',
  'device_rebooted',
  'high_latency',
  'packet_loss',
  'link_utilisation',
  'interface_errors',
  'high_cpu',
  'high_memory',
  'high_jitter',
] as const;
/** Faults monitoring raises from thresholds on what it measures (see monitoring's domain/thresholds). */
export const THRESHOLD_FAULT_TYPES: readonly FaultType[] = [
  'link_utilisation',
  'interface_errors',
  'high_cpu',
  'high_memory',
  'high_jitter',
];
export type FaultType = (typeof FAULT_TYPES)[number];

/** A fault on a device, without the device: `ifIndex` is set for interface faults only. */
export interface Fault {
  faultType: FaultType;
  ifIndex: number | null;
}

/** What makes a reachable device degraded, as monitoring reports it. */
export type DegradedCause = 'latency' | 'loss' | 'snmp' | 'interface';

/** The monitoring changes tickets react to; monitoring's `MonitoringChange` fits this shape. */
export type FaultChange =
  | { kind: 'device_status'; to: DeviceStatus; causes?: readonly DegradedCause[] }
  | { kind: 'interface_status'; ifIndex: number; to: string; monitored?: boolean }
  | { kind: 'device_rebooted' }
  | { kind: 'flapping' }
  | { kind: 'threshold'; faultType: FaultType; ifIndex: number | null; breached: boolean };

/**
 * Faults a change opens (or reopens, or finds already open) and faults it clears. Apply `opens` before
 * `clears`. Both are idempotent: a fault already open is not opened twice, clearing a fault with no
 * active ticket does nothing, so replaying a change after a restart is harmless.
 */
export interface FaultEffects {
  opens: Fault[];
  clears: Fault[];
}

const DEVICE_FAULTS: readonly FaultType[] = ['device_down', 'high_latency', 'packet_loss'];
const PERFORMANCE_FAULTS: ReadonlyMap<DegradedCause, FaultType> = new Map([
  ['latency', 'high_latency'],
  ['loss', 'packet_loss'],
]);
/** IF-MIB operStatus values that mean a link is not passing traffic (as monitoring's interface state). */
const INTERFACE_FAULT_STATUSES: ReadonlySet<string> = new Set(['down', 'lowerLayerDown', 'notPresent']);
const NONE: FaultEffects = { opens: [], clears: [] };

/**
 * Decisions:
 * - Device status changes are read as the device's whole state: `down` means device_down and nothing
 *   else (latency and loss are meaningless when nothing answers, so their tickets resolve); `degraded`
 *   means one fault per latency/loss cause; `up` means none. Causes `snmp` and `interface` open no
 *   device-level fault: interfaces have their own faults, and an SNMP agent not answering is shown on the
 *   device but is not a contract fault type.
 * - `unreachable` and `unknown` open and clear nothing: the device cannot be observed, so whatever was
 *   open stays open and the root cause is the upstream device's own ticket.
 * - An interface fault needs a monitored interface going down/lowerLayerDown/notPresent; the interface
 *   coming `up` clears it whether or not it is still monitored. Other states (testing, dormant) change nothing.
 * - A reboot is an event, not a state: it opens device_rebooted and clears it in the same step, so its
 *   ticket is resolved by the system at once. It records the reboot, reopens (occurrences + 1) when the
 *   device reboots again within the auto-close period, and feeds the recurring-faults report; an agent can
 *   reopen it to investigate.
 */
export function faultEffects(change: FaultChange): FaultEffects {
  switch (change.kind) {
    case 'device_status': {
      if (change.to === 'unreachable' || change.to === 'unknown') return NONE;
      const active = activeDeviceFaults(change.to, change.causes ?? []);
      return {
        opens: active.map(deviceFault),
        clears: DEVICE_FAULTS.filter((f) => !active.includes(f)).map(deviceFault),
      };
    }
    case 'interface_status': {
      const fault: Fault = { faultType: 'interface_down', ifIndex: change.ifIndex };
      if (INTERFACE_FAULT_STATUSES.has(change.to))
        return change.monitored === false ? NONE : { opens: [fault], clears: [] };
      return change.to === 'up' ? { opens: [], clears: [fault] } : NONE;
    }
    case 'device_rebooted': {
      const fault = deviceFault('device_rebooted');
      return { opens: [fault], clears: [fault] };
    }
    case 'flapping':
      return NONE;
    case 'threshold': {
      if (!THRESHOLD_FAULT_TYPES.includes(change.faultType)) return NONE;
      const fault: Fault = { faultType: change.faultType, ifIndex: change.ifIndex };
      return change.breached ? { opens: [fault], clears: [] } : { opens: [], clears: [fault] };
    }
  }
}

/** The dedup key: one ticket not yet closed per (device, fault type, interface or none). */
export function faultKey(deviceId: string, fault: Fault): string {
  return `${deviceId}:${fault.faultType}:${fault.ifIndex ?? '-'}`;
}

function activeDeviceFaults(status: 'up' | 'degraded' | 'down', causes: readonly DegradedCause[]): FaultType[] {
  if (status === 'down') return ['device_down'];
  if (status === 'up') return [];
  return causes.flatMap((cause) => PERFORMANCE_FAULTS.get(cause) ?? []);
}

function deviceFault(faultType: FaultType): Fault {
  return { faultType, ifIndex: null };
}
