import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { NetdeskConfig } from '@netdesk/config';
import { DomainError, EventBus } from '@netdesk/core';
import { CreateUserDto, UpdateUserDto } from './dto/user.dto';
import { firstAdminNotice } from './first-admin-notice';
import { PasswordHasher } from './password-hasher';
import { ACCESS_REVOKED, AccessRevoked } from './auth.events';
import { roleAtLeast } from './role';
import { UserEntity } from './user.entity';
import { UserRepository } from './user.repository';

@Injectable()
export class UsersService implements OnApplicationBootstrap {
  private readonly logger = new Logger('users');
  private pendingNotice?: string;

  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly config: NetdeskConfig,
    private readonly bus: EventBus,
  ) {}

  /** First start on an empty database: create the configured admin, or one with a random password printed once. */
  async onApplicationBootstrap(): Promise<void> {
    if ((await this.users.count()) > 0) return;
    const configured = this.config.bootstrapAdmin;
    const email = configured?.email ?? 'admin@localhost';
    const password = configured?.password ?? randomBytes(12).toString('base64url');
    try {
      await this.create({ email, password, role: 'admin', name: 'Administrator' });
    } catch (e) {
      if (e instanceof DomainError && e.code === 'conflict') return; // another instance won the race
      throw e;
    }
    if (configured) this.logger.log({ email }, 'created the first admin from NETDESK_ADMIN_EMAIL');
    else {
      // The password goes to the terminal as a block of its own (main prints it), never into a log line.
      const { port, host } = this.config.http;
      this.pendingNotice = firstAdminNotice({ email, password, port, host });
      this.logger.warn(
        { email },
        `created the first admin ${email}; its generated password is printed on the terminal`,
      );
    }
  }

  /** The block with a generated first-admin password, once (later calls get nothing). */
  takeFirstAdminNotice(): string | undefined {
    const notice = this.pendingNotice;
    this.pendingNotice = undefined;
    return notice;
  }

  async create(dto: CreateUserDto): Promise<UserEntity> {
    return this.users.save({
      email: dto.email.toLowerCase(),
      name: dto.name ?? null,
      role: dto.role,
      team: dto.team ?? null,
      passwordHash: await this.hasher.hash(dto.password),
    });
  }

  list(): Promise<UserEntity[]> {
    return this.users.list();
  }

  async get(id: string): Promise<UserEntity> {
    const user = await this.users.findById(id);
    if (!user) throw DomainError.notFound('user', id);
    return user;
  }

  async update(id: string, dto: UpdateUserDto, actorId?: string): Promise<UserEntity> {
    const user = await this.get(id);
    if (id === actorId && dto.disabled)
      throw new DomainError('conflict', 'disabled: you cannot disable your own account');
    if (id === actorId && dto.role !== undefined && dto.role !== 'admin')
      throw new DomainError('conflict', 'role: you cannot lower your own role');
    const reasons: AccessRevoked['reason'][] = [];
    if (dto.role !== undefined && dto.role !== user.role && !roleAtLeast(dto.role, user.role)) reasons.push('demoted');
    if (dto.password !== undefined) reasons.push('password changed');
    if (dto.disabled === true && !user.disabled) reasons.push('disabled');
    if (dto.email !== undefined) user.email = dto.email.toLowerCase();
    if (dto.name !== undefined) user.name = dto.name;
    if (dto.role !== undefined) user.role = dto.role;
    if (dto.team !== undefined) user.team = dto.team;
    if (dto.disabled !== undefined) user.disabled = dto.disabled;
    if (dto.password !== undefined) user.passwordHash = await this.hasher.hash(dto.password);
    if (reasons.length) user.tokenVersion += 1;
    const saved = await this.users.save(user);
    if (reasons.length) this.revoked(saved.id, reasons[0]);
    return saved;
  }

  async remove(id: string, actorId: string): Promise<void> {
    if (id === actorId) throw new DomainError('conflict', 'you cannot delete your own account');
    if (!(await this.users.delete(id))) throw DomainError.notFound('user', id);
    this.revoked(id, 'deleted');
  }

  /** Older tokens already fail (token version, or no user); this ends open sockets at once. */
  private revoked(userId: string, reason: AccessRevoked['reason']): void {
    this.logger.log({ userId, reason }, 'access revoked; older tokens and live sessions end');
    this.bus.publish<AccessRevoked>(ACCESS_REVOKED, { userId, reason });
  }
}
