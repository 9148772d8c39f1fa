import {
  DeviceState,
  EMPTY_FLAP_HISTORY,
  firstDueAt,
  FlapHistory,
  seedThresholdState,
  ThresholdState,
  UptimeSample,
} from '../domain';
import { InterfaceTracks, seedInterfaces } from './interface-readings';
import type { DevicePollReport, MonitoredDevice } from './poll-engine.types';

/** What the engine knows and plans of one watched device. */
export interface DeviceEntry {
  device: MonitoredDevice;
  state: DeviceState;
  flap: FlapHistory;
  interfaces: InterfaceTracks;
  /** Threshold tracks (streaks, breaches) between polls. */
  thresholds: ThresholdState;
  uptime?: UptimeSample;
  lastDueAt: Date;
  next: { at: number; kind: DevicePollReport['kind'] };
  inFlight: boolean;
  triggered: boolean;
  deferrals: number;
  /** When the pending down was first held back to check the path above (ms). */
  deferredSince: number;
  /** When this device's last poll finished (ms). */
  lastPolledAt: number;
  /** When this device's current or last poll started (ms): rechecks are spaced from it. */
  startedAt: number;
  /** The last poll got nothing back (no echo reply, no SNMP answer): its rechecks are quick ones. */
  silent: boolean;
  /** Commits for one device run one after another, in order. */
  commits: Promise<void>;
}

/** A device as first watched: its stored status, interfaces and breaches, due at its first slot. */
export function newDeviceEntry(device: MonitoredDevice, now: Date): DeviceEntry {
  const lastDueAt = firstDueAt(device.id, device.pollIntervalSec, now);
  return {
    device: { ...device },
    state: {
      status: device.status,
      statusSince: device.statusSince,
      consecutiveFailures: 0,
      consecutiveSuccesses: 0,
      reason: device.statusReason,
    },
    flap: { ...EMPTY_FLAP_HISTORY, isFlapping: device.flapping },
    interfaces: seedInterfaces(device),
    thresholds: seedThresholdState(device.breachedThresholds ?? [], now.getTime()),
    lastDueAt,
    next: { at: lastDueAt.getTime(), kind: 'scheduled' },
    inFlight: false,
    triggered: false,
    deferrals: 0,
    deferredSince: 0,
    lastPolledAt: 0,
    startedAt: 0,
    silent: false,
    commits: Promise.resolve(),
  };
}
