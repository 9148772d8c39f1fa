import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DomainError, EventBus, inspectValue } from '@netdesk/core';
import { DeviceChangedEvent, INVENTORY_EVENTS } from './inventory.events';
import { DeviceEntity } from './device.entity';
import { DeviceRepository } from './device.repository';
import { CreateSiteDto, ImportDeviceRowDto } from './dto';
import { snmpProblems } from './devices.service';
import { ImportProblem, InventoryFormat, parseInventoryFile, RawRow } from './inventory-file.parser';
import { SiteRepository } from './site.repository';
import { SnmpSecretCodec } from './snmp-secret.codec';
import { flattenValidationErrors } from './validation-messages';

export interface ImportResult {
  sitesCreated: string[];
  devicesCreated: number;
  devicesUpdated: number;
}

type Row<T> = { line: number; dto: T };

async function validateRows<T extends object>(
  cls: new () => T,
  rows: RawRow[],
  problems: ImportProblem[],
): Promise<Row<T>[]> {
  const valid: Row<T>[] = [];
  for (const row of rows) {
    // NUL, lone surrogates (YAML escapes make both), prototype keys, deep values: before class-transformer
    const unsafe = inspectValue(row.values);
    if (unsafe.length) {
      unsafe.forEach((message) => problems.push({ line: row.line, field: message.split(/[ .[:]/)[0], message }));
      continue;
    }
    const dto = plainToInstance(cls, row.values);
    const errors = flattenValidationErrors(await validate(dto, { whitelist: true, forbidNonWhitelisted: true }));
    errors.forEach((e) => problems.push({ line: row.line, field: e.field, message: e.message }));
    if (!errors.length) valid.push({ line: row.line, dto });
  }
  return valid;
}

/**
 * Imports an inventory file (see config/inventory.example.yaml): sites, and devices matched by name
 * (new names are created, known names updated; fields a row omits keep their stored values). Every
 * row is checked first; if any is bad, every problem is reported with its line and nothing is written.
 */
@Injectable()
export class InventoryImportService {
  constructor(
    private readonly devices: DeviceRepository,
    private readonly sites: SiteRepository,
    private readonly snmp: SnmpSecretCodec,
    private readonly bus: EventBus,
  ) {}

  async import(content: string, format: InventoryFormat): Promise<ImportResult> {
    const parsed = parseInventoryFile(content, format);
    const problems = [...parsed.problems];
    const siteRows = await validateRows(CreateSiteDto, parsed.sites, problems);
    const deviceRows = await validateRows(ImportDeviceRowDto, parsed.devices, problems);
    deviceRows.forEach(({ line, dto }) =>
      snmpProblems(dto.snmp).forEach((message) => problems.push({ line, field: 'snmp', message })),
    );
    this.checkDuplicates(siteRows, (d) => d.name, 'site name', problems);
    this.checkDuplicates(deviceRows, (d) => d.name, 'device name', problems);
    this.checkDuplicates(deviceRows, (d) => d.host.toLowerCase(), 'host', problems);
    if (problems.length) throw this.rejection(problems);

    const result = await this.devices.inTopologyTransaction(async (manager) => {
      const names = deviceRows.map((r) => r.dto.name);
      const parentNames = deviceRows.flatMap((r) => (r.dto.parent ? [r.dto.parent] : []));
      const known = new Map(
        (await this.devices.findByNames([...new Set([...names, ...parentNames])], manager)).map((d) => [d.name, d]),
      );
      const knownHosts = new Map(
        (
          await manager.getRepository(DeviceEntity).findBy(deviceRows.map((r) => ({ host: r.dto.host.toLowerCase() })))
        ).map((d) => [d.host, d.name]),
      );
      for (const { line, dto } of deviceRows) {
        const owner = knownHosts.get(dto.host.toLowerCase());
        if (owner && owner !== dto.name)
          problems.push({ line, field: 'host', message: `host ${dto.host} already belongs to device "${owner}"` });
        if (dto.parent && dto.parent === dto.name)
          problems.push({ line, field: 'parent', message: 'a device cannot be its own parent' });
        else if (dto.parent && !names.includes(dto.parent) && !known.has(dto.parent)) {
          problems.push({
            line,
            field: 'parent',
            message: `parent "${dto.parent}" is neither in the file nor in the inventory`,
          });
        }
      }
      if (problems.length) throw this.rejection(problems);

      const siteNames = new Set([
        ...siteRows.map((r) => r.dto.name),
        ...deviceRows.flatMap((r) => (r.dto.site ? [r.dto.site] : [])),
      ]);
      const sites = new Map((await this.sites.findByNames([...siteNames], manager)).map((s) => [s.name, s]));
      const sitesCreated: string[] = [];
      for (const name of siteNames) {
        const declared = siteRows.find((r) => r.dto.name === name)?.dto;
        const existing = sites.get(name);
        if (existing && declared?.location !== undefined && existing.location !== declared.location) {
          sites.set(name, await this.sites.save({ ...existing, location: declared.location }, manager));
        } else if (!existing) {
          sites.set(name, await this.sites.save({ name, location: declared?.location ?? null }, manager));
          sitesCreated.push(name);
        }
      }

      let created = 0;
      const saved = new Map<string, DeviceEntity>();
      for (const { dto } of deviceRows) {
        const current = known.get(dto.name);
        if (!current) created++;
        const device = await this.devices.save(
          {
            ...current,
            name: dto.name,
            host: dto.host.toLowerCase(),
            siteId: dto.site ? sites.get(dto.site)!.id : (current?.siteId ?? null),
            kind: dto.kind ?? current?.kind ?? 'other',
            criticality: dto.criticality ?? current?.criticality ?? 'normal',
            pollIntervalSec: dto.pollIntervalSec ?? current?.pollIntervalSec ?? 30,
            tags: dto.tags ? [...new Set(dto.tags)] : (current?.tags ?? []),
            team: dto.team ?? current?.team ?? null,
            ...(dto.snmp !== undefined || !current ? this.snmp.seal(dto.snmp) : {}),
          },
          manager,
        );
        saved.set(device.name, device);
      }
      await this.linkParents(deviceRows, saved, known, manager, problems);
      if (problems.length) throw this.rejection(problems);
      return {
        sitesCreated,
        devicesCreated: created,
        devicesUpdated: deviceRows.length - created,
        deviceIds: [...saved.values()].map((d) => d.id),
      };
    });
    this.bus.publish<DeviceChangedEvent>(INVENTORY_EVENTS.deviceSaved, { deviceIds: result.deviceIds });
    return {
      sitesCreated: result.sitesCreated,
      devicesCreated: result.devicesCreated,
      devicesUpdated: result.devicesUpdated,
    };
  }

  /** Sets parents once every row exists, then rejects the whole import if the result has a cycle. */
  private async linkParents(
    rows: Row<ImportDeviceRowDto>[],
    saved: Map<string, DeviceEntity>,
    known: Map<string, DeviceEntity>,
    manager: Parameters<Parameters<DeviceRepository['inTopologyTransaction']>[0]>[0],
    problems: ImportProblem[],
  ): Promise<void> {
    for (const { dto } of rows) {
      if (!dto.parent) continue;
      const device = saved.get(dto.name)!;
      device.parentId = (saved.get(dto.parent) ?? known.get(dto.parent))!.id;
      await this.devices.save(device, manager);
    }
    for (const { line, dto } of rows) {
      if (!dto.parent) continue;
      const device = saved.get(dto.name)!;
      if ((await this.devices.ancestorIds(device.id, manager)).includes(device.id)) {
        problems.push({
          line,
          field: 'parent',
          message: `parent "${dto.parent}" makes a dependency cycle through "${dto.name}"`,
        });
      }
    }
  }

  private checkDuplicates<T>(rows: Row<T>[], key: (dto: T) => string, what: string, problems: ImportProblem[]): void {
    const first = new Map<string, number>();
    for (const { line, dto } of rows) {
      const k = key(dto);
      if (first.has(k)) problems.push({ line, message: `duplicate ${what} "${k}" (first on line ${first.get(k)})` });
      else first.set(k, line);
    }
  }

  private rejection(problems: ImportProblem[]): DomainError {
    const sorted = [...problems].sort((a, b) => a.line - b.line);
    return new DomainError(
      'invalid',
      sorted.map((p) => `line ${p.line}: ${p.message}`),
      { errors: sorted },
    );
  }
}
