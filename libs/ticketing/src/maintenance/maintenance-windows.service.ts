import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, EventBus } from '@netdesk/core';
import {
  Device,
  DeviceRef,
  DeviceDirectory,
  MaintenanceCalendar,
  MaintenanceCalendarSource,
  SitesService,
} from '@netdesk/inventory';
import {
  activeWindowAt,
  MaintenanceWindow,
  maintenanceUntil,
  toMaintenanceWindow,
  validateMaintenanceWindow,
} from '../domain';
import { TICKETING_EVENTS } from '../ticketing.events';
import { MaintenanceWindowEntity } from './maintenance-window.entity';
import { CreateMaintenanceWindowDto, UpdateMaintenanceWindowDto } from './maintenance-window.dto';

/** How long a loaded calendar answers before the windows are read again (other instances may change them). */
const CALENDAR_TTL_MS = 5_000;

/** The windows by device and by site, as a pure lookup. */
export function calendarOf(entities: readonly MaintenanceWindowEntity[]): MaintenanceCalendar {
  const byDevice = new Map<string, MaintenanceWindow[]>();
  const bySite = new Map<string, MaintenanceWindow[]>();
  for (const w of entities) {
    const [map, key] = w.deviceId ? [byDevice, w.deviceId] : [bySite, w.siteId!];
    map.set(key, [...(map.get(key) ?? []), toMaintenanceWindow(w)]);
  }
  return {
    deviceIds: new Set(byDevice.keys()),
    siteIds: new Set(bySite.keys()),
    until(device: DeviceRef, at: Date): Date | null {
      const own = byDevice.get(device.id);
      const site = device.siteId ? bySite.get(device.siteId) : undefined;
      if (!own && !site) return null;
      return maintenanceUntil([...(own ?? []), ...(site ?? [])], at);
    },
  };
}

@Injectable()
export class MaintenanceWindows extends MaintenanceCalendarSource {
  private cached: { at: number; calendar: Promise<MaintenanceCalendar> } | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly devices: DeviceDirectory,
    private readonly sites: SitesService,
    private readonly bus: EventBus,
  ) {
    super();
  }

  /** Every window, as a lookup for the device representation (cached for a few seconds). */
  calendar(): Promise<MaintenanceCalendar> {
    const now = performance.now();
    if (!this.cached || now - this.cached.at > CALENDAR_TTL_MS) {
      const calendar = this.dataSource.getRepository(MaintenanceWindowEntity).find().then(calendarOf);
      calendar.catch(() => {
        if (this.cached?.calendar === calendar) this.cached = null;
      });
      this.cached = { at: now, calendar };
    }
    return this.cached.calendar;
  }

  private changed(): void {
    this.cached = null;
    this.bus.publish(TICKETING_EVENTS.maintenanceChanged, {});
  }

  list(): Promise<MaintenanceWindowEntity[]> {
    return this.dataSource.getRepository(MaintenanceWindowEntity).find({ order: { createdAt: 'DESC' } });
  }

  async create(dto: CreateMaintenanceWindowDto): Promise<MaintenanceWindowEntity> {
    const repo = this.dataSource.getRepository(MaintenanceWindowEntity);
    const saved = await repo.save(repo.create(await this.checked(dto)));
    this.changed();
    return saved;
  }

  /**
   * Changes a window: absent fields keep their value, `null` clears one (to switch a window from one-off to
   * weekly, or from a device to a site); the result must be a valid window, as on create.
   */
  async update(id: string, dto: UpdateMaintenanceWindowDto): Promise<MaintenanceWindowEntity> {
    const repo = this.dataSource.getRepository(MaintenanceWindowEntity);
    const window = await repo.findOneBy({ id });
    if (!window) throw DomainError.notFound('maintenance window', id);
    if (dto.name === null) throw new DomainError('invalid', ['name must not be null']);
    const keep = <T>(v: T | null | undefined, old: T | null): T | undefined =>
      v === undefined ? (old ?? undefined) : (v ?? undefined);
    const merged: CreateMaintenanceWindowDto = {
      name: dto.name ?? window.name,
      deviceId: keep(dto.deviceId, window.deviceId),
      siteId: keep(dto.siteId, window.siteId),
      startsAt: keep(dto.startsAt, window.startsAt?.toISOString() ?? null),
      endsAt: keep(dto.endsAt, window.endsAt?.toISOString() ?? null),
      weekly: keep(dto.weekly, window.weekly),
    };
    // giving one kind of window (or target) replaces the other kind without having to null it
    if (dto.weekly && dto.startsAt === undefined && dto.endsAt === undefined)
      merged.startsAt = merged.endsAt = undefined;
    if ((dto.startsAt || dto.endsAt) && dto.weekly === undefined) merged.weekly = undefined;
    if (dto.deviceId && dto.siteId === undefined) merged.siteId = undefined;
    if (dto.siteId && dto.deviceId === undefined) merged.deviceId = undefined;
    Object.assign(window, await this.checked(merged));
    const saved = await repo.save(window);
    this.changed();
    return saved;
  }

  /** The columns of a valid window, or a 400 naming every problem. */
  private async checked(dto: CreateMaintenanceWindowDto): Promise<Partial<MaintenanceWindowEntity>> {
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
    return {
      name: dto.name.trim(),
      deviceId: dto.deviceId ?? null,
      siteId: dto.siteId ?? null,
      startsAt: dto.startsAt ? new Date(dto.startsAt) : null,
      endsAt: dto.endsAt ? new Date(dto.endsAt) : null,
      weekly: dto.weekly
        ? {
            days: dto.weekly.days,
            start: dto.weekly.start,
            durationMinutes: dto.weekly.durationMinutes,
            timezone: dto.weekly.timezone,
          }
        : null,
    };
  }

  async remove(id: string): Promise<void> {
    const result = await this.dataSource.getRepository(MaintenanceWindowEntity).delete({ id });
    if (!result.affected) throw DomainError.notFound('maintenance window', id);
    this.changed();
  }

  /** The window covering a device (directly or through its site) at a moment, if any. */
  async activeFor(device: Device, at: Date, m: EntityManager): Promise<MaintenanceWindowEntity | null> {
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
