import { Injectable } from '@nestjs/common';
import { Clock, DomainError } from '@netdesk/core';
import { SitesService } from '@netdesk/inventory';
import { ContactEntity, SiteMailDomainEntity } from './contact.entity';
import { ContactRepository } from './contact.repository';
import { CreateContactDto, CreateSiteDomainDto } from './contact.dto';

/** People and the sites they work at, and each site's mail domains: how a request finds its site. */
@Injectable()
export class ContactsService {
  constructor(
    private readonly contacts: ContactRepository,
    private readonly sites: SitesService,
    private readonly clock: Clock,
  ) {}

  list(): Promise<ContactEntity[]> {
    return this.contacts.list();
  }

  async create(dto: CreateContactDto): Promise<ContactEntity> {
    if (!(await this.sites.exists(dto.siteId)))
      throw new DomainError('invalid', `siteId: site ${dto.siteId} does not exist`);
    if (await this.contacts.findByEmail(dto.email)) throw new DomainError('conflict', `contact ${dto.email} exists`);
    return this.contacts.insert({
      email: dto.email,
      name: dto.name?.trim() || null,
      siteId: dto.siteId,
      createdAt: this.clock.now(),
    });
  }

  async remove(id: string): Promise<void> {
    if (!(await this.contacts.delete(id))) throw DomainError.notFound('contact', id);
  }

  domains(): Promise<SiteMailDomainEntity[]> {
    return this.contacts.domains();
  }

  async addDomain(dto: CreateSiteDomainDto): Promise<SiteMailDomainEntity> {
    if (!(await this.sites.exists(dto.siteId)))
      throw new DomainError('invalid', `siteId: site ${dto.siteId} does not exist`);
    if (await this.contacts.findDomain(dto.domain))
      throw new DomainError('conflict', `domain ${dto.domain} already belongs to a site`);
    return this.contacts.saveDomain(Object.assign(new SiteMailDomainEntity(), dto));
  }

  async removeDomain(domain: string): Promise<void> {
    if (!(await this.contacts.deleteDomain(domain.toLowerCase()))) throw DomainError.notFound('domain', domain);
  }
}
