import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DomainError } from '@netdesk/core';
import { uniqueViolation } from '@netdesk/database';
import { UserEntity } from './user.entity';

@Injectable()
export class UserRepository {
  constructor(@InjectRepository(UserEntity) private readonly repo: Repository<UserEntity>) {}

  findById(id: string): Promise<UserEntity | null> {
    return this.repo.findOneBy({ id });
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.repo.findOneBy({ email: email.toLowerCase() });
  }

  list(): Promise<UserEntity[]> {
    return this.repo.find({ order: { email: 'ASC' } });
  }

  count(): Promise<number> {
    return this.repo.count();
  }

  async save(user: Partial<UserEntity>): Promise<UserEntity> {
    try {
      return await this.repo.save(this.repo.create(user));
    } catch (e) {
      if (uniqueViolation(e)) throw new DomainError('conflict', `a user with email ${user.email} already exists`);
      throw e;
    }
  }

  async delete(id: string): Promise<boolean> {
    return ((await this.repo.delete({ id })).affected ?? 0) > 0;
  }
}
