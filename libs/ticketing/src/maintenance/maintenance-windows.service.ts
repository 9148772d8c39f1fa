import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '@netdesk/core';
import { DeviceEntity, DeviceRepository, SitesService } from '@netdesk/inventory';
import { activeWindowAt, MaintenanceWindow, validateMaintenanceWindow } from '../domain';
import { MaintenanceWindowEntity } from './maintenance-window.entity';
import { CreateMaintenanceWindowDto } from './maintenance-window.dto';

@Injectable()
export class MaintenanceWindows {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly devices: DeviceRepository,
    private readonly sites: SitesService,
  ) {}

  list(): Promise<MaintenanceWindowEntity[]> {
    return this.dataSource.getRepository(MaintenanceWindowEntity).find({ order: { createdAt: 'DESC' } });
  }

  async create(dto: CreateMaintenanceWindowDto): Promise<MaintenanceWindowEntity> {
    const problems: string[] = [];
    if (!dto.deviceId === !dto.siteId) problems.push('give exactly one of deviceId and siteId');
    const oneOff = dto.startsAt !== undefined || dto.endsAt !== undefined;
    if (oneOff === (dto.weekly !== undefined))
      problems.push('give either startsAt and endsAt (one-off) or weekly (recurring)');
    if (oneOff && (!dto.startsAt || !dto.endsAt)) problems.push('a one-off window needs both startsAt and endsAt');
    if (problems.length) throw new DomainError('invalid', problems);
    const window: MaintenanceWindow = dto.weekly
      ? dto.weekly
      : { startsAt: new Date(dto.startsAt!), endsAt: new Date(dto.endsAt!) };
    const invalid = validateMaintenanceWindow(window).map((e) =>
      dto.weekly && !e.field.startsWith('weekly') && 'days' in window ? `weekly.${e.message}` : e.message,
    );
    if (invalid.length) throw new DomainError('invalid', invalid);
    if (dto.deviceId && !(await this.devices.findById(dto.deviceId)))
      throw new DomainError('invalid', `deviceId: device ${dto.deviceId} does not exist`);
    if (dto.siteId)
      await this.sites
        .get(dto.siteId)
        .catch(() => Promise.reject(new DomainError('invalid', `siteId: site ${dto.siteId} does not exist`)));
    const repo = this.dataSource.getRepository(MaintenanceWindowEntity);
    return repo.save(
      repo.create({
        name: dto.name.trim(),
        deviceId: dto.deviceId ?? null,
        siteId: dto.siteId ?? null,
        startsAt: dto.startsAt ? new Date(dto.startsAt) : null,
        endsAt: dto.endsAt ? new Date(dto.endsAt) : null,
        weekly: dto.weekly ?? null,
      }),
    );
  }

  async remove(id: string): Promise<void> {
    const result = await this.dataSource.getRepository(MaintenanceWindowEntity).delete({ id });
    if (!result.affected) throw DomainError.notFound('maintenance window', id);
  }

  /** The window covering a device (directly or through its site) at a moment, if any. */
  async activeFor(device: DeviceEntity, at: Date, m: EntityManager): Promise<MaintenanceWindowEntity | null> {
    const candidates = await m.getRepository(MaintenanceWindowEntity).find({
      where: [{ deviceId: device.id }, ...(device.siteId ? [{ siteId: device.siteId }] : [])],
    });
    const windows = candidates.map((w) => ({
      entity: w,
      ...(w.weekly ?? { startsAt: w.startsAt!, endsAt: w.endsAt! }),
    }));
    return activeWindowAt(windows as (MaintenanceWindow & { entity: MaintenanceWindowEntity })[], at)?.entity ?? null;
  }
}
