import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { NetdeskConfig } from '@netdesk/config';
import { DomainError } from '@netdesk/core';
import { Device, DeviceKind } from '@netdesk/inventory';
import { routeTeam } from '../domain';
import { RoutingRuleEntity } from './routing-rule.entity';
import { CreateRoutingRuleDto, UpdateRoutingRuleDto } from './routing-rule.dto';

/** Which team a device's tickets go to: the device's own team, else the first matching rule, else the default. */
@Injectable()
export class RoutingRules {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: NetdeskConfig,
  ) {}

  list(m: EntityManager = this.dataSource.manager): Promise<RoutingRuleEntity[]> {
    return m.getRepository(RoutingRuleEntity).find({ order: { position: 'ASC' } });
  }

  async create(dto: CreateRoutingRuleDto): Promise<RoutingRuleEntity> {
    return this.dataSource.transaction(async (m) => {
      await m.query('LOCK TABLE routing_rules IN SHARE ROW EXCLUSIVE MODE');
      const rules = await this.list(m);
      const position = Math.min(dto.position ?? rules.length, rules.length);
      await m.query('UPDATE routing_rules SET position = position + 1 WHERE position >= $1', [position]);
      const repo = m.getRepository(RoutingRuleEntity);
      return repo.save(
        repo.create({
          position,
          siteId: dto.siteId ?? null,
          tag: dto.tag ?? null,
          kind: dto.kind ?? null,
          team: dto.team,
        }),
      );
    });
  }

  /**
   * Changes a rule's match or team, and moves it when `position` is given (0 = first; beyond the end = last);
   * the others close up around it. `null` clears a match field.
   */
  async update(id: string, dto: UpdateRoutingRuleDto): Promise<RoutingRuleEntity> {
    if (dto.team === null) throw new DomainError('invalid', ['team must not be null']);
    if (dto.position === null) throw new DomainError('invalid', ['position must not be null']);
    return this.dataSource.transaction(async (m) => {
      // one writer at a time renumbers the list
      await m.query('LOCK TABLE routing_rules IN SHARE ROW EXCLUSIVE MODE');
      const rules = await this.list(m);
      const rule = rules.find((r) => r.id === id);
      if (!rule) throw DomainError.notFound('routing rule', id);
      if (dto.siteId !== undefined) rule.siteId = dto.siteId ?? null;
      if (dto.tag !== undefined) rule.tag = dto.tag ?? null;
      if (dto.kind !== undefined) rule.kind = dto.kind ?? null;
      if (dto.team !== undefined) rule.team = dto.team;
      const repo = m.getRepository(RoutingRuleEntity);
      if (dto.position !== undefined) {
        const others = rules.filter((r) => r.id !== id);
        others.splice(Math.min(dto.position, others.length), 0, rule);
        for (const [i, r] of others.entries()) {
          if (r.position !== i || r === rule) {
            r.position = i;
            if (r !== rule) await repo.update({ id: r.id }, { position: i });
          }
        }
      }
      return repo.save(rule);
    });
  }

  async remove(id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await m.query('LOCK TABLE routing_rules IN SHARE ROW EXCLUSIVE MODE');
      const rule = await m.getRepository(RoutingRuleEntity).findOneBy({ id });
      if (!rule) throw DomainError.notFound('routing rule', id);
      await m.getRepository(RoutingRuleEntity).delete({ id });
      // close the gap so positions stay 0..n-1 and "move to position k" means what it says
      await m.query('UPDATE routing_rules SET position = position - 1 WHERE position > $1', [rule.position]);
    });
  }

  async teamFor(device: Device, m: EntityManager): Promise<{ team: string | null; explanation: string }> {
    const rules = await this.list(m);
    const routed = routeTeam(
      rules.map((r) => ({
        match: {
          ...(r.siteId && { siteId: r.siteId }),
          ...(r.tag && { tag: r.tag }),
          ...(r.kind && { kind: r.kind as DeviceKind }),
        },
        team: r.team,
      })),
      device,
      this.config.ticketing.defaultTeam,
    );
    const why =
      routed.matchedBy === 'device'
        ? "the device's own team"
        : routed.matchedBy === 'rule'
          ? `routing rule #${routed.ruleIndex! + 1}`
          : 'the default team';
    return {
      team: routed.team,
      explanation: routed.team
        ? `routed to team ${routed.team} (${why})`
        : 'no team: no rule matched and no default team is set',
    };
  }
}
