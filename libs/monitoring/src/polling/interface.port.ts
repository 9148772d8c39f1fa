import type { EntityManager } from 'typeorm';
import type { DeviceInterfaceEntity } from './device-interface.entity';

/** An interface's last reading and settings, as other contexts read it (type only). */
export type DeviceInterface = DeviceInterfaceEntity;

/** How other contexts read monitoring's `device_interfaces`. */
export abstract class InterfaceReader {
  /** Every interface of every device. */
  abstract all(): Promise<DeviceInterface[]>;
  /** One interface, or null. */
  abstract get(deviceId: string, ifIndex: number, manager?: EntityManager): Promise<DeviceInterface | null>;
  /** Interfaces administratively up but not operating (down, lowerLayerDown, notPresent). */
  abstract down(deviceId: string, manager?: EntityManager): Promise<DeviceInterface[]>;
  /** Interfaces that terminate a circuit (a provider or circuit id set), by ifIndex. */
  abstract circuits(deviceId: string, manager?: EntityManager): Promise<DeviceInterface[]>;
}
