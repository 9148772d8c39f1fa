import type { EntityManager } from 'typeorm';
import type { StatusHistoryEntity } from './status-history.entity';

/** One stored change, as other contexts read it (type only: the `status_history` table stays monitoring's). */
export type StatusChange = StatusHistoryEntity;

/**
 * How other contexts read monitoring's `status_history`: consumers follow it by id with a cursor of their own,
 * and ticketing's diagnosis asks for a device's recent facts. Reads take the caller's transaction.
 */
export abstract class StatusHistoryReader {
  /** Up to `limit` changes after id `afterId` (and up to `upToId` when given), oldest first. */
  abstract since(afterId: string, limit: number, manager: EntityManager, upToId?: string): Promise<StatusChange[]>;
  /** The device's last change of one kind. */
  abstract lastOfKind(
    deviceId: string,
    kind: StatusChange['kind'],
    manager: EntityManager,
  ): Promise<StatusChange | null>;
  /** How many times the device started flapping after `since`. */
  abstract countFlappingSince(deviceId: string, since: Date, manager: EntityManager): Promise<number>;
  /** The device's last threshold change for a fault type (and interface, or the device itself when null). */
  abstract lastThreshold(
    deviceId: string,
    faultType: string,
    ifIndex: number | null,
    manager: EntityManager,
  ): Promise<StatusChange | null>;
}
