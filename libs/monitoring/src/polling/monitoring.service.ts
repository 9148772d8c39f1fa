import { Injectable } from '@nestjs/common';
import { DomainError } from '@netdesk/core';
import { DeviceDirectory } from '@netdesk/inventory';
import { PingProber, PingResult } from '../probes';
import { DeviceInterfaceEntity } from './device-interface.entity';
import { utilisationPct } from '../domain';
import type { WanLinkLiveDto } from './monitoring.dto';
import { InterfaceSettings, MonitoringRepository } from './monitoring.repository';
import { PollerService } from './poller.service';
import { StatusHistoryEntity } from './status-history.entity';

/** What operators ask of monitoring directly: interfaces, history, an on-demand ping. */
@Injectable()
export class MonitoringService {
  private readonly pinger = new PingProber({ count: 4, timeoutMs: 1000 });

  constructor(
    private readonly devices: DeviceDirectory,
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

  /** Every circuit's live utilisation, RTT and jitter, worst first. */
  async wanLinks(): Promise<WanLinkLiveDto[]> {
    const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    const rows = (await this.repo.wanLinks()).map((r) => {
      const base = num(r.capacity_bps) ?? num(r.speed_bps);
      const inPct = utilisationPct(num(r.in_bps), base, null);
      const outPct = utilisationPct(num(r.out_bps), base, null);
      const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
      return {
        deviceId: r.device_id as string,
        deviceName: r.device_name as string,
        status: r.status as string,
        ifIndex: r.if_index as number,
        name: r.name as string,
        alias: r.alias as string,
        operStatus: r.oper_status as string,
        provider: (r.provider as string | null) ?? null,
        circuitId: (r.circuit_id as string | null) ?? null,
        capacityBps: num(r.capacity_bps),
        speedBps: num(r.speed_bps),
        inBps: num(r.in_bps),
        outBps: num(r.out_bps),
        inUtilisationPct: round(inPct),
        outUtilisationPct: round(outPct),
        utilisationPct: num(r.utilisation_pct),
        rttMs: num(r.last_rtt_ms),
        lossPct: num(r.last_loss_pct),
        jitterMs: num(r.jitter_ms),
      };
    });
    const worst = (l: WanLinkLiveDto) => Math.max(l.inUtilisationPct ?? -1, l.outUtilisationPct ?? -1);
    return rows.sort((a, b) => worst(b) - worst(a) || (b.rttMs ?? 0) - (a.rttMs ?? 0));
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
