import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '@netdesk/core';
import { uniqueViolation } from '@netdesk/database';
import { DEFAULT_ESCALATION_POLICY, EscalationPolicy, nextEscalation, validateEscalationPolicy } from '../domain';
import { EscalationPolicyEntity } from './escalation-policy.entity';
import { CreateEscalationPolicyDto } from './escalation-policy.dto';
import { parseNotifyTarget } from '@netdesk/notifications';
import type { TicketEntity } from '../tickets/ticket.entity';

const DEFAULT_NAME = 'Default';

/** Escalation policies: CRUD, the default one, and when a ticket's next step is due. */
@Injectable()
export class EscalationPolicies implements OnApplicationBootstrap {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

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
    return this.dataSource.transaction(async (m) => {
      if (dto.isDefault) await this.repo(m).update({ isDefault: true }, { isDefault: false });
      try {
        return await this.repo(m).save(
          this.repo(m).create({
            name: dto.name.trim(),
            steps: dto.steps,
            repeat: dto.repeat ?? false,
            maxRepeats: dto.maxRepeats ?? 3,
            isDefault: dto.isDefault ?? false,
          }),
        );
      } catch (e) {
        if (uniqueViolation(e))
          throw new DomainError('conflict', `an escalation policy named "${dto.name}" already exists`);
        throw e;
      }
    });
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
