import { Injectable } from '@nestjs/common';
import { DomainError } from '@netdesk/core';
import { DeviceRepository } from '@netdesk/inventory';
import { PingProber, PingResult } from '../probes';
import { DeviceInterfaceEntity } from './device-interface.entity';
import { InterfaceSettings, MonitoringRepository } from './monitoring.repository';
import { PollerService } from './poller.service';
import { StatusHistoryEntity } from './status-history.entity';

/** What operators ask of monitoring directly: interfaces, history, an on-demand ping. */
@Injectable()
export class MonitoringService {
  private readonly pinger = new PingProber({ count: 4, timeoutMs: 1000 });

  constructor(
    private readonly devices: DeviceRepository,
    private readonly repo: MonitoringRepository,
    private readonly poller: PollerService,
  ) {}

  async interfaces(deviceId: string): Promise<DeviceInterfaceEntity[]> {
    await this.device(deviceId);
    return this.repo.interfacesOf([deviceId]);
  }

  /** Sets whether an interface is watched, its circuit and own threshold; the poller applies it at once. */
  async updateInterface(deviceId: string, ifIndex: number, change: InterfaceSettings): Promise<DeviceInterfaceEntity> {
    const device = await this.device(deviceId);
    const patch: InterfaceSettings = {};
    for (const key of ['capacityBps', 'provider', 'circuitId', 'utilisationPct'] as const)
      if (change[key] !== undefined) (patch as Record<string, unknown>)[key] = change[key];
    if (typeof patch.provider === 'string') patch.provider = patch.provider.trim() || null;
    if (typeof patch.circuitId === 'string') patch.circuitId = patch.circuitId.trim() || null;
    if (change.monitored !== undefined) patch.monitored = change.monitored;
    if (!(await this.repo.updateInterfaceSettings(deviceId, ifIndex, patch)))
      throw DomainError.notFound('interface', `${ifIndex} of device ${deviceId}`);
    this.poller.reload(device);
    return (await this.repo.interfacesOf([deviceId])).find((i) => i.ifIndex === ifIndex)!;
  }

  async history(deviceId: string, limit: number): Promise<StatusHistoryEntity[]> {
    await this.device(deviceId);
    return this.repo.history(deviceId, limit);
  }

  async ping(deviceId: string): Promise<PingResult> {
    const device = await this.device(deviceId);
    return this.pinger.ping(device.host);
  }

  private async device(id: string) {
    const device = await this.devices.findById(id);
    if (!device) throw DomainError.notFound('device', id);
    return device;
  }
}
