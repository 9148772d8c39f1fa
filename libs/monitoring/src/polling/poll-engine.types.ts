import type {
  DeviceStatus,
  DegradedCause,
  InterfaceSelection,
  OperStatus,
  AdminStatus,
  PerformanceThresholds,
  CircuitSettings,
  ResolvedThresholds,
  ThresholdFaultType,
} from '../domain';
import type { PingResult, SnmpCredentials, SnmpHostResources, SnmpSystemInfo } from '../probes';

/** What the engine needs to know about a device to poll it. */
export interface MonitoredDevice {
  id: string;
  name: string;
  host: string;
  pollIntervalSec: number;
  parentId: string | null;
  snmp: SnmpCredentials | null;
  status: DeviceStatus;
  statusSince: Date;
  statusReason: string | null;
  flapping: boolean;
  interfaceSelection: InterfaceSelection;
  thresholds?: PerformanceThresholds;
  /** The device's resolved thresholds (device > kind > defaults), loaded with it; none: not judged. */
  limits?: ResolvedThresholds;
  /** Circuits and own thresholds of interfaces, by ifIndex. */
  circuits?: Record<number, CircuitSettings>;
  /** Every interface of the device is judged against thresholds (a `wan-link` device). */
  judgeAllInterfaces?: boolean;
  /** Threshold faults breached when last stored (a restart resumes them instead of forgetting them). */
  breachedThresholds?: { faultType: ThresholdFaultType; ifIndex: number | null }[];
  /** Interfaces as last stored, so a change that happened while NetDesk was stopped is still seen. */
  knownInterfaces?: { ifIndex: number; name: string; alias: string; adminStatus: string; operStatus: string }[];
}

/** One interface as read in one poll, with rates computed from the previous reading. */
export interface InterfaceReading {
  ifIndex: number;
  name: string;
  alias: string;
  ifType: number | null;
  adminStatus: AdminStatus;
  operStatus: OperStatus;
  speedBps: number | null;
  inBps: number | null;
  outBps: number | null;
  /** Errors and discards per second over the last poll interval. */
  inErrors: number | null;
  outErrors: number | null;
  inDiscards: number | null;
  outDiscards: number | null;
  counterBits: 64 | 32 | null;
  monitored: boolean;
  flapping: boolean;
}

/** Everything one poll of one device observed. */
export interface DevicePollReport {
  deviceId: string;
  at: Date;
  /** The slot the poll was planned for, for lag measurement. */
  dueAt: Date;
  kind: 'scheduled' | 'recheck' | 'triggered';
  icmp: PingResult | null;
  snmp: {
    answered: boolean;
    error?: string;
    system?: SnmpSystemInfo;
    hostResources?: SnmpHostResources | null;
  } | null;
  interfaces: InterfaceReading[] | null;
  status: DeviceStatus;
  /**
   * The polled interfaces the WAN view lists (watched interfaces of a `wan-link` device, and interfaces
   * with a contracted capacity), with what their utilisation is measured against.
   */
  wanLinks?: { ifIndex: number; capacityBps: number | null }[];
}

/** A change of state that must be stored durably and published, in order, per device. */
export type MonitoringChange =
  | {
      kind: 'device_status';
      deviceId: string;
      from: DeviceStatus;
      /** Equal to `from` when only the causes of a degraded status changed. */
      to: DeviceStatus;
      reason: string | null;
      causes: DegradedCause[];
      at: Date;
    }
  | {
      kind: 'interface_status';
      deviceId: string;
      ifIndex: number;
      name: string;
      alias: string;
      monitored: boolean;
      from: OperStatus;
      to: OperStatus;
      at: Date;
    }
  | { kind: 'device_rebooted'; deviceId: string; at: Date; estimatedBootAt: Date; reason: string }
  | {
      kind: 'flapping';
      deviceId: string;
      ifIndex: number | null;
      flapping: boolean;
      percentStateChange: number;
      at: Date;
    }
  | {
      kind: 'threshold';
      deviceId: string;
      ifIndex: number | null;
      breached: boolean;
      reason: string;
      detail: ThresholdChangeDetail;
      at: Date;
    };

/** A threshold breached or cleared (see domain/thresholds). */
export interface ThresholdChangeDetail {
  faultType: ThresholdFaultType;
  metric: string;
  value: number;
  threshold: number;
  direction?: 'in' | 'out';
  name?: string;
  alias?: string;
  capacityBps?: number | null;
  provider?: string | null;
  circuitId?: string | null;
}

/** Where the engine's results go: the Nest layer persists them, the benchmark counts them. */
export interface PollSink {
  /** Stores the changes durably before resolving; called for one device at a time, in order. */
  commit(changes: MonitoringChange[]): Promise<void>;
  /** Every completed poll (measurements, last-poll columns); must not block. */
  observe(report: DevicePollReport): void;
}
