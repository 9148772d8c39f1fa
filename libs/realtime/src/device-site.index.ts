import { Injectable } from '@nestjs/common';
import { DeviceDirectory } from '@netdesk/inventory';

/** What the live feed remembers of a device to route and complete its changes. */
export interface DeviceLiveState {
  siteId: string | null;
  /** As the device representation spells it. */
  status: string;
  flapping: boolean;
}

/**
 * Which site each device belongs to, with its last known status and flapping flag, so changes can be
 * routed to site subscriptions and `device.status` completed without a database read per change.
 * Learnt from snapshots and on demand; forgotten when inventory changes.
 */
@Injectable()
export class DeviceSiteIndex {
  private readonly known = new Map<string, DeviceLiveState>();

  constructor(private readonly devices: DeviceDirectory) {}

  has(deviceId: string): boolean {
    return this.known.has(deviceId);
  }

  /** Only for ids `has` answered true for. */
  get(deviceId: string): string | null {
    return this.known.get(deviceId)?.siteId ?? null;
  }

  /** Only for ids `has` answered true for. */
  state(deviceId: string): DeviceLiveState | undefined {
    return this.known.get(deviceId);
  }

  async resolve(deviceId: string): Promise<string | null> {
    if (!this.known.has(deviceId)) {
      const [device] = await this.devices.findByIds([deviceId]);
      if (!device) return null;
      this.learn([device]);
    }
    return this.get(deviceId);
  }

  learn(devices: readonly { id: string; siteId: string | null; status: string; flapping: boolean }[]): void {
    for (const d of devices) this.known.set(d.id, { siteId: d.siteId, status: d.status, flapping: d.flapping });
  }

  /** A change seen on the bus, for a device already known (unknown ones are read when next needed). */
  update(deviceId: string, change: Partial<Pick<DeviceLiveState, 'status' | 'flapping'>>): void {
    const state = this.known.get(deviceId);
    if (state) Object.assign(state, change);
  }

  forget(deviceIds: string[]): void {
    for (const id of deviceIds) this.known.delete(id);
  }
}
