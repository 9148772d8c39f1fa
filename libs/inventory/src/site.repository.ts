import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { DomainError } from '@netdesk/core';
import { uniqueViolation } from '@netdesk/database';
import { SiteEntity } from './site.entity';

@Injectable()
export class SiteRepository {
  constructor(@InjectRepository(SiteEntity) private readonly repo: Repository<SiteEntity>) {}

  findById(id: string): Promise<SiteEntity | null> {
    return this.repo.findOneBy({ id });
  }

  list(): Promise<SiteEntity[]> {
    return this.repo.find({ order: { name: 'ASC' } });
  }

  findByNames(names: string[], manager?: EntityManager): Promise<SiteEntity[]> {
    return (manager?.getRepository(SiteEntity) ?? this.repo).findBy({ name: In(names) });
  }

  async save(site: Partial<SiteEntity>, manager?: EntityManager): Promise<SiteEntity> {
    const repo = manager?.getRepository(SiteEntity) ?? this.repo;
    try {
      return await repo.save(repo.create(site));
    } catch (e) {
      if (uniqueViolation(e)) throw new DomainError('conflict', `a site named "${site.name}" already exists`);
      throw e;
    }
  }

  async delete(id: string): Promise<boolean> {
    return ((await this.repo.delete({ id })).affected ?? 0) > 0;
  }
}
