import { Injectable } from '@nestjs/common';
import { DomainError } from '@netdesk/core';
import { CreateSiteDto, UpdateSiteDto } from './dto/site.dto';
import { SiteEntity } from './site.entity';
import { SiteRepository } from './site.repository';

@Injectable()
export class SitesService {
  constructor(private readonly sites: SiteRepository) {}

  create(dto: CreateSiteDto): Promise<SiteEntity> {
    return this.sites.save({
      name: dto.name.trim(),
      location: dto.location ?? null,
      pollerGroup: dto.pollerGroup ?? 'default',
    });
  }

  list(): Promise<SiteEntity[]> {
    return this.sites.list();
  }

  async get(id: string): Promise<SiteEntity> {
    const site = await this.sites.findById(id);
    if (!site) throw DomainError.notFound('site', id);
    return site;
  }

  /** Whether a site with this id exists (for other contexts' references to sites). */
  async exists(id: string): Promise<boolean> {
    return (await this.sites.findById(id)) !== null;
  }

  async update(id: string, dto: UpdateSiteDto): Promise<SiteEntity> {
    const site = await this.get(id);
    if (dto.name !== undefined) site.name = dto.name.trim();
    if (dto.location !== undefined) site.location = dto.location;
    if (dto.pollerGroup !== undefined && dto.pollerGroup !== null) site.pollerGroup = dto.pollerGroup;
    return this.sites.save(site);
  }

  /** Devices of a deleted site stay, without a site. */
  async remove(id: string): Promise<void> {
    if (!(await this.sites.delete(id))) throw DomainError.notFound('site', id);
  }
}
