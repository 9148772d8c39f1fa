import type { EntityManager } from 'typeorm';
import type { DeviceEntity } from './device.entity';
import type { DeviceFilter, DeviceSummaryRow } from './device.repository';
import type { DeviceStatus } from './inventory.types';

/**
 * A device as other contexts read it. Type only: the entity class (the `devices` table) stays inside
 * inventory, so no other context can build a query on the table.
 */
export type Device = DeviceEntity;

/** What a maintenance check needs of a device. */
export interface DeviceState {
  id: string;
  siteId: string | null;
  status: DeviceStatus;
  flapping: boolean;
}

/** Every device's name, host and site, and every site's name: what a person's text can name. */
export interface InventoryNames {
  devices: { id: string; name: string; host: string; siteId: string | null }[];
  sites: { id: string; name: string }[];
}

/**
 * How other contexts read devices (inventory's `devices` table). Implemented by inventory's repository;
 * a caller inside a transaction passes its `EntityManager` so the read sees its own writes and locks.
 */
export abstract class DeviceDirectory {
  abstract findById(id: string, manager?: EntityManager): Promise<Device | null>;
  abstract findByIds(ids: string[], manager?: EntityManager): Promise<Device[]>;
  abstract list(filter?: DeviceFilter): Promise<Device[]>;
  /** The summary columns of a live board (everything, or one site), by name. */
  abstract listSummaries(siteId: string | null): Promise<DeviceSummaryRow[]>;
  /** Status and flapping of the devices among `ids` or in `siteIds`. */
  abstract listStates(ids: string[], siteIds: string[]): Promise<DeviceState[]>;
  /** Ids on the parent chain above `deviceId`, nearest first. */
  abstract ancestorIds(deviceId: string, manager?: EntityManager): Promise<string[]>;
  /** How many devices sit behind this one. */
  abstract countDescendants(deviceId: string, manager?: EntityManager): Promise<number>;
  /** The names of every device and site. */
  abstract names(manager?: EntityManager): Promise<InventoryNames>;
  /** How many devices name this escalation policy. */
  abstract countByEscalationPolicy(policyId: string, manager?: EntityManager): Promise<number>;
  /** Every device's poller group (its site's, or `default` without a site), by device id. */
  abstract pollerGroups(manager?: EntityManager): Promise<Map<string, string>>;
  /**
   * Locks the devices among `ids` that exist (`FOR UPDATE`, in id order so two transactions locking
   * overlapping sets cannot deadlock) and returns their ids; the lock lasts until `manager`'s transaction ends.
   */
  abstract lockExisting(ids: string[], manager: EntityManager): Promise<string[]>;
}
