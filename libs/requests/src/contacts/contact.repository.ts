import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ContactEntity, SiteMailDomainEntity } from './contact.entity';

@Injectable()
export class ContactRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  list(): Promise<ContactEntity[]> {
    return this.dataSource.getRepository(ContactEntity).find({ order: { email: 'ASC' } });
  }

  findById(id: string): Promise<ContactEntity | null> {
    return this.dataSource.getRepository(ContactEntity).findOneBy({ id });
  }

  findByEmail(email: string, m: EntityManager = this.dataSource.manager): Promise<ContactEntity | null> {
    return m.getRepository(ContactEntity).findOneBy({ email });
  }

  insert(contact: Partial<ContactEntity>): Promise<ContactEntity> {
    const repo = this.dataSource.getRepository(ContactEntity);
    return repo.save(repo.create(contact));
  }

  save(contact: ContactEntity): Promise<ContactEntity> {
    return this.dataSource.getRepository(ContactEntity).save(contact);
  }

  async delete(id: string): Promise<boolean> {
    return ((await this.dataSource.getRepository(ContactEntity).delete({ id })).affected ?? 0) > 0;
  }

  domains(): Promise<SiteMailDomainEntity[]> {
    return this.dataSource.getRepository(SiteMailDomainEntity).find({ order: { domain: 'ASC' } });
  }

  findDomain(domain: string, m: EntityManager = this.dataSource.manager): Promise<SiteMailDomainEntity | null> {
    return m.getRepository(SiteMailDomainEntity).findOneBy({ domain });
  }

  saveDomain(domain: SiteMailDomainEntity): Promise<SiteMailDomainEntity> {
    return this.dataSource.getRepository(SiteMailDomainEntity).save(domain);
  }

  async deleteDomain(domain: string): Promise<boolean> {
    return ((await this.dataSource.getRepository(SiteMailDomainEntity).delete({ domain })).affected ?? 0) > 0;
  }

  /** The sites a sender belongs to: as a contact, or by the domain of their address. */
  async sitesOfSender(email: string, m: EntityManager): Promise<string[]> {
    const domain = email.slice(email.lastIndexOf('@') + 1);
    const rows: { site_id: string }[] = await m.query(
      `SELECT site_id FROM contacts WHERE email = $1 UNION SELECT site_id FROM site_mail_domains WHERE domain = $2`,
      [email, domain],
    );
    return rows.map((r) => r.site_id);
  }
}
