import { Injectable } from '@nestjs/common';
import { DeviceRepository } from '@netdesk/inventory';

/**
 * Which site each device belongs to, so changes can be routed to site subscriptions without a
 * database read per change. Learnt from snapshots and on demand; forgotten when inventory changes.
 */
@Injectable()
export class DeviceSiteIndex {
  private readonly siteOf = new Map<string, string | null>();

  constructor(private readonly devices: DeviceRepository) {}

  has(deviceId: string): boolean {
    return this.siteOf.has(deviceId);
  }

  /** Only for ids `has` answered true for. */
  get(deviceId: string): string | null {
    return this.siteOf.get(deviceId) ?? null;
  }

  async resolve(deviceId: string): Promise<string | null> {
    if (!this.siteOf.has(deviceId)) {
      const [device] = await this.devices.findByIds([deviceId]);
      this.siteOf.set(deviceId, device?.siteId ?? null);
    }
    return this.siteOf.get(deviceId) ?? null;
  }

  learn(devices: { id: string; siteId: string | null }[]): void {
    for (const d of devices) this.siteOf.set(d.id, d.siteId);
  }

  forget(deviceIds: string[]): void {
    for (const id of deviceIds) this.siteOf.delete(id);
  }
}
