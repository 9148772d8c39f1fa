import { Injectable, Optional } from '@nestjs/common';
import { EscalationPolicyLookup } from './escalation-policy.lookup';
import { EntityManager } from 'typeorm';
import { Clock, DomainError, EventBus } from '@netdesk/core';
import { MaintenanceCalendarSource } from './maintenance-calendar.port';
import { DevicePollerView, DevicePollerViewSource, NO_POLLER_VIEW } from './poller-view.port';
import { DeviceEntity } from './device.entity';
import { DeviceFilter, DeviceRepository } from './device.repository';
import { CreateDeviceDto, SnmpCredentialsDto, UpdateDeviceDto } from './dto/device.dto';
import { SiteRepository } from './site.repository';
import { SnmpSecretCodec } from './snmp-secret.codec';
import { DeviceChangedEvent, INVENTORY_EVENTS } from './inventory.events';

/** Rules the field validators cannot express: which SNMP fields go with which version. */
export function snmpProblems(snmp: SnmpCredentialsDto | null | undefined): string[] {
  if (!snmp) return [];
  if (snmp.version === '3') {
    return snmp.community !== undefined
      ? ['snmp.community is for versions 1 and 2c; version 3 uses username and keys']
      : [];
  }
  const v3Only = (['username', 'authProtocol', 'authKey', 'privProtocol', 'privKey'] as const).filter(
    (k) => snmp[k] !== undefined,
  );
  return v3Only.map((k) => `snmp.${k} is only for version 3`);
}

@Injectable()
export class DevicesService {
  constructor(
    private readonly devices: DeviceRepository,
    private readonly sites: SiteRepository,
    private readonly snmp: SnmpSecretCodec,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    @Optional() private readonly policies?: EscalationPolicyLookup,
    @Optional() private readonly maintenance?: MaintenanceCalendarSource,
    @Optional() private readonly pollerView?: DevicePollerViewSource,
  ) {}

  /** The poller of a device and whether its status is stale (scale-out only). */
  pollerOf(deviceId: string): DevicePollerView {
    return this.pollerView?.viewOf(deviceId) ?? NO_POLLER_VIEW;
  }

  /** For each of `devices`, when the maintenance covering it now ends (absent: none covers it). */
  async maintenanceOf(devices: readonly DeviceEntity[]): Promise<Map<string, Date>> {
    const until = new Map<string, Date>();
    if (!this.maintenance || devices.length === 0) return until;
    const calendar = await this.maintenance.calendar();
    const now = this.clock.now();
    for (const d of devices) {
      const end = calendar.until(d, now);
      if (end) until.set(d.id, end);
    }
    return until;
  }

  list(filter: DeviceFilter): Promise<DeviceEntity[]> {
    return this.devices.list(filter);
  }

  async get(id: string): Promise<DeviceEntity> {
    const device = await this.devices.findById(id);
    if (!device) throw DomainError.notFound('device', id);
    return device;
  }

  async create(dto: CreateDeviceDto): Promise<DeviceEntity> {
    this.assertSnmp(dto.snmp);
    await this.assertSite(dto.siteId);
    await this.assertPolicy(dto.escalationPolicyId);
    const device = await this.devices.inTopologyTransaction(async (manager) => {
      if (dto.parentId) await this.assertParent(undefined, dto.parentId, manager);
      return this.devices.save(
        {
          name: dto.name.trim(),
          host: dto.host.toLowerCase(),
          siteId: dto.siteId ?? null,
          parentId: dto.parentId ?? null,
          kind: dto.kind ?? 'other',
          criticality: dto.criticality ?? 'normal',
          pollIntervalSec: dto.pollIntervalSec ?? 30,
          tags: [...new Set(dto.tags ?? [])],
          team: dto.team ?? null,
          escalationPolicyId: dto.escalationPolicyId ?? null,
          thresholds: mergeThresholds(null, dto.thresholds ?? null),
          ...this.snmp.seal(dto.snmp),
        },
        manager,
      );
    });
    this.bus.publish<DeviceChangedEvent>(INVENTORY_EVENTS.deviceSaved, { deviceIds: [device.id] });
    return device;
  }

  async update(id: string, dto: UpdateDeviceDto): Promise<DeviceEntity> {
    this.assertSnmp(dto.snmp);
    await this.assertSite(dto.siteId);
    await this.assertPolicy(dto.escalationPolicyId);
    const saved = await this.devices.inTopologyTransaction(async (manager) => {
      const device = await this.devices.findById(id, manager);
      if (!device) throw DomainError.notFound('device', id);
      if (dto.parentId) await this.assertParent(id, dto.parentId, manager);
      if (dto.name !== undefined) device.name = dto.name.trim();
      if (dto.host !== undefined) device.host = dto.host.toLowerCase();
      if (dto.siteId !== undefined) device.siteId = dto.siteId;
      if (dto.parentId !== undefined) device.parentId = dto.parentId;
      if (dto.kind !== undefined) device.kind = dto.kind;
      if (dto.criticality !== undefined) device.criticality = dto.criticality;
      if (dto.pollIntervalSec !== undefined) device.pollIntervalSec = dto.pollIntervalSec;
      if (dto.tags !== undefined) device.tags = [...new Set(dto.tags)];
      if (dto.team !== undefined) device.team = dto.team;
      if (dto.escalationPolicyId !== undefined) device.escalationPolicyId = dto.escalationPolicyId;
      if (dto.snmp !== undefined) Object.assign(device, this.snmp.seal(dto.snmp));
      if (dto.thresholds !== undefined) device.thresholds = mergeThresholds(device.thresholds, dto.thresholds);
      return this.devices.save(device, manager);
    });
    this.bus.publish<DeviceChangedEvent>(INVENTORY_EVENTS.deviceSaved, { deviceIds: [saved.id] });
    return saved;
  }

  /** Devices that depended on a removed one keep monitoring, without a parent. */
  async remove(id: string): Promise<void> {
    if (!(await this.devices.delete(id))) throw DomainError.notFound('device', id);
    this.bus.publish<DeviceChangedEvent>(INVENTORY_EVENTS.deviceRemoved, { deviceIds: [id] });
  }

  private assertSnmp(snmp: SnmpCredentialsDto | null | undefined): void {
    const problems = snmpProblems(snmp);
    if (problems.length) throw new DomainError('invalid', problems);
  }

  private async assertSite(siteId: string | null | undefined): Promise<void> {
    if (siteId && !(await this.sites.findById(siteId)))
      throw new DomainError('invalid', `siteId: site ${siteId} does not exist`);
  }

  private async assertPolicy(policyId: string | null | undefined): Promise<void> {
    if (policyId && this.policies && !(await this.policies.exists(policyId))) {
      throw new DomainError('invalid', `escalationPolicyId: escalation policy ${policyId} does not exist`);
    }
  }

  /** The parent must exist, and must not be the device itself or below it (a dependency cycle). */
  private async assertParent(deviceId: string | undefined, parentId: string, manager: EntityManager): Promise<void> {
    if (parentId === deviceId) throw new DomainError('invalid', 'parentId: a device cannot be its own parent');
    if (!(await this.devices.findById(parentId, manager)))
      throw new DomainError('invalid', `parentId: device ${parentId} does not exist`);
    if (deviceId && (await this.devices.ancestorIds(parentId, manager)).includes(deviceId)) {
      throw new DomainError(
        'invalid',
        `parentId: device ${parentId} depends on this device; that would make a dependency cycle`,
      );
    }
  }
}

/** A PATCH merges key by key: a number sets an override, null removes it; `thresholds: null` removes all. */
function mergeThresholds(current: Record<string, number> | null, patch: object | null): Record<string, number> | null {
  if (patch === null) return null;
  const next: Record<string, number> = { ...(current ?? {}) };
  for (const [key, value] of Object.entries(patch) as [string, number | null | undefined][]) {
    if (value === null) delete next[key];
    else if (value !== undefined) next[key] = value;
  }
  return Object.keys(next).length ? next : null;
}
