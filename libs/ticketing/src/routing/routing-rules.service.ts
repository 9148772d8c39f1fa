import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { NetdeskConfig } from '@netdesk/config';
import { DomainError } from '@netdesk/core';
import { DeviceEntity, DeviceKind } from '@netdesk/inventory';
import { routeTeam } from '../domain';
import { RoutingRuleEntity } from './routing-rule.entity';
import { CreateRoutingRuleDto } from './routing-rule.dto';

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

  async remove(id: string): Promise<void> {
    const result = await this.dataSource.getRepository(RoutingRuleEntity).delete({ id });
    if (!result.affected) throw DomainError.notFound('routing rule', id);
  }

  async teamFor(device: DeviceEntity, m: EntityManager): Promise<{ team: string | null; explanation: string }> {
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
