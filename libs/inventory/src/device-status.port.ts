import type { EntityManager } from 'typeorm';
import type { DeviceStatus } from './inventory.types';

/** A device's measured status as the poller decided it. */
export interface MeasuredStatus {
  deviceId: string;
  status: DeviceStatus;
  since: Date;
  reason: string | null;
}

/** The latest poll of one device, written in batches (never one UPDATE per poll). */
export interface LastPollRow {
  deviceId: string;
  at: Date;
  rttMs: number | null;
  lossPct: number | null;
  sysName: string | null;
  sysDescr: string | null;
  sysObjectId: string | null;
  uptimeSec: number | null;
}

/**
 * How monitoring records what it measured on a device: inventory stays the only writer of `devices`.
 * The status and flapping writes join the caller's transaction (the history row commits with them).
 */
export abstract class DeviceStatusWriter {
  abstract recordStatus(status: MeasuredStatus, manager: EntityManager): Promise<void>;
  abstract recordFlapping(deviceId: string, flapping: boolean, manager: EntityManager): Promise<void>;
  abstract recordLastPolls(rows: LastPollRow[]): Promise<void>;
}
