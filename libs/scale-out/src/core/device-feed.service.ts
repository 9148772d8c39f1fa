import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CoalescingRunner, EventBus } from '@netdesk/core';
import { DeviceDirectory, INVENTORY_EVENTS, SnmpSecretCodec } from '@netdesk/inventory';
import { InterfaceReader, MONITORING_EVENTS } from '@netdesk/monitoring';
import type { DeviceInterface, MonitoredDevice } from '@netdesk/monitoring';
import { encodeRecord } from '../transport/device-record';
import { CoreNatsService } from './core-nats.service';

const RESYNC_MS = 15_000;

/**
 * Hands the inventory to the pollers: one record per device in the devices bucket (its poll settings,
 * credentials, last known status and its site's poller group), written when it changes.
 */
@Injectable()
export class DeviceFeedService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('device-feed');
  private readonly published = new Map<string, string>();
  private readonly runner = new CoalescingRunner(
    async () => {
      await this.sync();
      return false;
    },
    (err) =>
      this.logger[this.nats.quiet ? 'debug' : 'warn']({ err: String(err) }, 'could not publish devices to the pollers'),
  );
  private timer?: NodeJS.Timeout;
  private readonly off: (() => void)[] = [];

  constructor(
    private readonly nats: CoreNatsService,
    private readonly devices: DeviceDirectory,
    private readonly codec: SnmpSecretCodec,
    private readonly monitoring: InterfaceReader,
    private readonly bus: EventBus,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.nats.enabled) return;
    const again = () => void this.runner.kick();
    this.off.push(
      this.bus.subscribe(INVENTORY_EVENTS.deviceSaved, again),
      this.bus.subscribe(INVENTORY_EVENTS.deviceRemoved, again),
      this.bus.subscribe(MONITORING_EVENTS.deviceStatus, again),
    );
    this.timer = setInterval(again, RESYNC_MS);
    this.timer.unref();
    again();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    this.off.forEach((f) => f());
  }

  /** Publishes what changed since the last sync; removes devices that are gone. */
  async sync(): Promise<void> {
    const { devices: kv } = await this.nats.link();
    const all = await this.devices.list();
    const groups = await this.devices.pollerGroups();
    const ifs = new Map<string, DeviceInterface[]>();
    for (const i of await this.monitoring.all()) ifs.set(i.deviceId, [...(ifs.get(i.deviceId) ?? []), i]);
    const seen = new Set<string>();
    for (const d of all) {
      seen.add(d.id);
      let snmp: MonitoredDevice['snmp'] = null;
      try {
        snmp = this.codec.open(d);
      } catch {
        /* logged by the in-process poller's path; a remote poller pings only */
      }
      const interfaces = ifs.get(d.id) ?? [];
      const device: MonitoredDevice = {
        id: d.id,
        name: d.name,
        host: d.host,
        pollIntervalSec: d.pollIntervalSec,
        parentId: d.parentId,
        snmp,
        status: d.status,
        statusSince: d.statusSince,
        statusReason: d.statusReason,
        flapping: d.flapping,
        interfaceSelection: {
          include: interfaces.filter((i) => i.monitoredOverride === true).map((i) => i.ifIndex),
          exclude: interfaces.filter((i) => i.monitoredOverride === false).map((i) => i.ifIndex),
        },
        knownInterfaces: interfaces.map((i) => ({
          ifIndex: i.ifIndex,
          name: i.name,
          alias: i.alias,
          adminStatus: i.adminStatus,
          operStatus: i.operStatus,
        })),
      };
      const text = encodeRecord({ device, group: groups.get(d.id) || 'default' });
      if (this.published.get(d.id) === text) continue;
      await kv.put(d.id, text);
      this.published.set(d.id, text);
    }
    for (const id of [...this.published.keys()]) {
      if (seen.has(id)) continue;
      await kv.delete(id);
      this.published.delete(id);
    }
    // records left by an earlier core run for devices deleted meanwhile
    if (!this.swept) {
      this.swept = true;
      for await (const k of await kv.keys()) if (!seen.has(k)) await kv.delete(k);
    }
  }

  private swept = false;
}
