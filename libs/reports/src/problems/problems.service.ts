import { Injectable } from '@nestjs/common';
import { Clock, DomainError } from '@netdesk/core';
import { changeProblemStatus, ProblemStatus } from '../domain';
import { EpisodeRepository, EpisodeRow } from '../episodes/episode.repository';
import { ProblemEntity } from './problem.entity';
import { ProblemFacts, ProblemRepository } from './problem.repository';

export interface ProblemView {
  problem: ProblemEntity;
  facts: ProblemFacts;
}

/** Problems for managers: list, detail with episodes and tickets, lifecycle changes. */
@Injectable()
export class ProblemsService {
  constructor(
    private readonly problems: ProblemRepository,
    private readonly episodes: EpisodeRepository,
    private readonly clock: Clock,
  ) {}

  async list(status?: ProblemStatus, range?: { from: Date; to: Date }): Promise<ProblemView[]> {
    const problems = await this.problems.list(status, range);
    const facts = await this.problems.facts(problems.map((p) => p.id));
    return problems.map((problem) => ({ problem, facts: facts.get(problem.id)! }));
  }

  async get(id: string): Promise<ProblemView & { episodes: EpisodeRow[] }> {
    const problem = await this.problems.findById(id);
    if (!problem) throw DomainError.notFound('problem', id);
    const facts = (await this.problems.facts([id])).get(id)!;
    const episodes = await this.episodes.byIds(await this.problems.episodeIds(id));
    return { problem, facts, episodes };
  }

  async update(id: string, status: ProblemStatus, workaround?: string): Promise<ProblemView> {
    const problem = await this.problems.transaction(async (m) => {
      const current = await this.problems.lock(id, m);
      if (!current) throw DomainError.notFound('problem', id);
      const change = changeProblemStatus(current, status, workaround);
      if (!change.ok) throw new DomainError(change.code, change.message);
      const now = this.clock.now();
      current.status = change.status;
      current.workaround = change.workaround;
      current.resolvedAt = change.resolved ? now : null;
      current.updatedAt = now;
      return this.problems.save(current, m);
    });
    return { problem, facts: (await this.problems.facts([id])).get(id)! };
  }
}
