import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { DomainError } from '@netdesk/core';
import { uniqueViolation } from '@netdesk/database';
import { DEFAULT_ESCALATION_POLICY, EscalationPolicy, nextEscalation, validateEscalationPolicy } from '../domain';
import { EscalationPolicyEntity } from './escalation-policy.entity';
import { CreateEscalationPolicyDto, UpdateEscalationPolicyDto } from './escalation-policy.dto';
import { DeviceDirectory } from '@netdesk/inventory';
import { TicketEntity } from '../tickets/ticket.entity';
import { parseNotifyTarget } from '@netdesk/notifications';

const DEFAULT_NAME = 'Default';

/** Escalation policies: CRUD, the default one, and when a ticket's next step is due. */
@Injectable()
export class EscalationPolicies implements OnApplicationBootstrap {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly devices: DeviceDirectory,
  ) {}

  private repo(m: EntityManager = this.dataSource.manager) {
    return m.getRepository(EscalationPolicyEntity);
  }

  /** A database without policies gets the built-in default, so auto tickets always escalate somewhere. */
  async onApplicationBootstrap(): Promise<void> {
    if (await this.repo().exists({ where: { isDefault: true } })) return;
    await this.repo()
      .insert({
        name: DEFAULT_NAME,
        steps: DEFAULT_ESCALATION_POLICY.steps,
        repeat: false,
        maxRepeats: 0,
        isDefault: true,
      })
      .catch((e) => {
        if (!uniqueViolation(e)) throw e; // another instance made it
      });
  }

  list(): Promise<EscalationPolicyEntity[]> {
    return this.repo().find({ order: { name: 'ASC' } });
  }

  async get(id: string): Promise<EscalationPolicyEntity> {
    const policy = await this.repo().findOneBy({ id });
    if (!policy) throw DomainError.notFound('escalation policy', id);
    return policy;
  }

  async exists(id: string): Promise<boolean> {
    return this.repo().exists({ where: { id } });
  }

  async create(dto: CreateEscalationPolicyDto): Promise<EscalationPolicyEntity> {
    this.assertValid(dto);
    return this.dataSource.transaction(async (m) => {
      if (dto.isDefault) await this.repo(m).update({ isDefault: true }, { isDefault: false });
      return this.saveNamed(
        m,
        this.repo(m).create({
          name: dto.name.trim(),
          steps: dto.steps,
          repeat: dto.repeat ?? false,
          maxRepeats: dto.maxRepeats ?? 3,
          isDefault: dto.isDefault ?? false,
        }),
      );
    });
  }

  /** Changes a policy; `steps`, when given, replaces the whole list. The default stays the default until another takes over. */
  async update(id: string, dto: UpdateEscalationPolicyDto): Promise<EscalationPolicyEntity> {
    return this.dataSource.transaction(async (m) => {
      const policy = await this.repo(m).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!policy) throw DomainError.notFound('escalation policy', id);
      const nulls = (['name', 'steps', 'repeat', 'maxRepeats', 'isDefault'] as const).filter((k) => dto[k] === null);
      if (nulls.length)
        throw new DomainError(
          'invalid',
          nulls.map((k) => `${k} must not be null`),
        );
      const next = {
        name: dto.name !== undefined ? dto.name.trim() : policy.name,
        steps: dto.steps ?? policy.steps,
        repeat: dto.repeat ?? policy.repeat,
        maxRepeats: dto.maxRepeats ?? policy.maxRepeats,
      };
      this.assertValid(next);
      if (dto.isDefault === false && policy.isDefault)
        throw new DomainError('invalid', [
          'isDefault: this is the default policy; make another policy the default instead',
        ]);
      if (dto.isDefault && !policy.isDefault) await this.repo(m).update({ isDefault: true }, { isDefault: false });
      Object.assign(policy, next, dto.isDefault ? { isDefault: true } : {});
      return this.saveNamed(m, policy);
    });
  }

  /** Deletes a policy no device and no ticket still being worked uses; never the default. */
  async remove(id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const policy = await this.repo(m).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!policy) throw DomainError.notFound('escalation policy', id);
      if (policy.isDefault)
        throw new DomainError(
          'conflict',
          'the default escalation policy cannot be deleted; make another the default first',
        );
      const devices = await this.devices.countByEscalationPolicy(id, m);
      if (devices > 0)
        throw new DomainError(
          'conflict',
          `escalation policy "${policy.name}" is used by ${devices} device${devices === 1 ? '' : 's'}; give them another policy first`,
        );
      const tickets = await m.getRepository(TicketEntity).count({
        where: { escalationPolicyId: id, status: In(['open', 'acknowledged', 'in_progress']) },
      });
      if (tickets > 0)
        throw new DomainError(
          'conflict',
          `escalation policy "${policy.name}" is escalating ${tickets} ticket${tickets === 1 ? '' : 's'} still being worked`,
        );
      await this.repo(m).delete({ id });
    });
  }

  private assertValid(dto: Pick<CreateEscalationPolicyDto, 'steps' | 'repeat' | 'maxRepeats'>): void {
    const nulls = dto.steps.flatMap((step, i) =>
      (['notify', 'team'] as const).filter((k) => step[k] === null).map((k) => `steps.${i}.${k} must not be null`),
    );
    if (nulls.length) throw new DomainError('invalid', nulls);
    const problems = [
      ...validateEscalationPolicy(dto).map((e) => e.message),
      ...dto.steps.flatMap((step, i) =>
        (step.notify ?? []).flatMap((target, j) => {
          try {
            parseNotifyTarget(target);
            return [];
          } catch (e) {
            return [`steps.${i}.notify.${j}: ${(e as Error).message}`];
          }
        }),
      ),
    ];
    if (problems.length) throw new DomainError('invalid', problems);
  }

  private async saveNamed(m: EntityManager, policy: EscalationPolicyEntity): Promise<EscalationPolicyEntity> {
    try {
      return await this.repo(m).save(policy);
    } catch (e) {
      if (uniqueViolation(e))
        throw new DomainError('conflict', `name: an escalation policy named "${policy.name}" already exists`);
      throw e;
    }
  }

  /** The policy that applies to a device: its own, or the default. */
  async forDevice(policyId: string | null, m?: EntityManager): Promise<EscalationPolicyEntity | null> {
    if (policyId) {
      const own = await this.repo(m).findOneBy({ id: policyId });
      if (own) return own;
    }
    return this.repo(m).findOneBy({ isDefault: true });
  }

  async byId(id: string | null, m?: EntityManager): Promise<EscalationPolicyEntity | null> {
    return id ? this.repo(m).findOneBy({ id }) : this.repo(m).findOneBy({ isDefault: true });
  }

  /** When the ticket's first step is due, counted from `anchor`; null when it has no steps to run. */
  async firstStepAt(
    ticket: Pick<TicketEntity, 'escalationPolicyId'>,
    anchor: Date,
    m?: EntityManager,
  ): Promise<Date | null> {
    const policy = await this.byId(ticket.escalationPolicyId, m);
    return policy
      ? (nextEscalation(asPolicy(policy), { openedAt: anchor, escalationLevel: 0 }, anchor)?.dueAt ?? null)
      : null;
  }
}

export function asPolicy(p: EscalationPolicyEntity): EscalationPolicy {
  return { steps: p.steps, repeat: p.repeat, maxRepeats: p.maxRepeats };
}
