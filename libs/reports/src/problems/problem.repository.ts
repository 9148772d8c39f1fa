import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { ProblemStatus } from '../domain';
import { ProblemEntity } from './problem.entity';

export interface ProblemFacts {
  episodes: number;
  devices: number;
  ticketIds: string[];
  firstAt: Date | null;
  lastAt: Date | null;
}

/** Problems and the episodes they group. */
@Injectable()
export class ProblemRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** The problem for a key that is not resolved, locked. */
  activeByKey(problemKey: string, m: EntityManager): Promise<ProblemEntity | null> {
    return m
      .getRepository(ProblemEntity)
      .createQueryBuilder('p')
      .setLock('pessimistic_write')
      .where(`p.problem_key = :problemKey AND p.status <> 'resolved'`, { problemKey })
      .getOne();
  }

  lock(id: string, m: EntityManager): Promise<ProblemEntity | null> {
    return m.getRepository(ProblemEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  findById(id: string): Promise<ProblemEntity | null> {
    return this.dataSource.getRepository(ProblemEntity).findOneBy({ id });
  }

  /** Newest first; with `range`, only problems with an episode that started in `[from, to)`. */
  list(status?: ProblemStatus, range?: { from: Date; to: Date }, limit = 500): Promise<ProblemEntity[]> {
    const qb = this.dataSource.getRepository(ProblemEntity).createQueryBuilder('p');
    if (status) qb.andWhere('p.status = :status', { status });
    if (range)
      qb.andWhere(
        `EXISTS (SELECT 1 FROM problem_episodes pe JOIN fault_episodes e ON e.id = pe.episode_id
                  WHERE pe.problem_id = p.id AND e.started_at >= :from AND e.started_at < :to)`,
        range,
      );
    return qb.orderBy('p.openedAt', 'DESC').addOrderBy('p.number', 'DESC').take(limit).getMany();
  }

  async insert(problem: Partial<ProblemEntity>, m: EntityManager): Promise<ProblemEntity> {
    const repo = m.getRepository(ProblemEntity);
    return repo.save(repo.create(problem));
  }

  save(problem: ProblemEntity, m: EntityManager = this.dataSource.manager): Promise<ProblemEntity> {
    return m.getRepository(ProblemEntity).save(problem);
  }

  async link(problemId: string, episodeIds: string[], m: EntityManager): Promise<void> {
    if (!episodeIds.length) return;
    await m.query(
      `INSERT INTO problem_episodes (problem_id, episode_id)
       SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING`,
      [problemId, episodeIds],
    );
  }

  async siteName(siteId: string, m: EntityManager): Promise<string> {
    const [row] = await m.query(`SELECT name FROM sites WHERE id = $1`, [siteId]);
    return row?.name ?? siteId;
  }

  async episodeIds(problemId: string): Promise<string[]> {
    const rows = await this.dataSource.query(
      `SELECT pe.episode_id FROM problem_episodes pe JOIN fault_episodes e ON e.id = pe.episode_id
        WHERE pe.problem_id = $1 ORDER BY e.started_at, e.id`,
      [problemId],
    );
    return rows.map((r: { episode_id: string }) => String(r.episode_id));
  }

  /** Episode count, distinct devices, ticket ids and first/last start for each problem. */
  async facts(problemIds: string[], m: EntityManager = this.dataSource.manager): Promise<Map<string, ProblemFacts>> {
    const out = new Map<string, ProblemFacts>();
    for (const id of problemIds) out.set(id, { episodes: 0, devices: 0, ticketIds: [], firstAt: null, lastAt: null });
    if (!problemIds.length) return out;
    const rows = await m.query(
      `SELECT pe.problem_id, count(*)::int AS episodes, count(DISTINCT e.device_id)::int AS devices,
              coalesce(array_agg(DISTINCT e.ticket_id) FILTER (WHERE e.ticket_id IS NOT NULL), '{}') AS ticket_ids,
              min(e.started_at) AS first_at, max(e.started_at) AS last_at
         FROM problem_episodes pe JOIN fault_episodes e ON e.id = pe.episode_id
        WHERE pe.problem_id = ANY($1::uuid[]) GROUP BY pe.problem_id`,
      [problemIds],
    );
    for (const r of rows)
      out.set(r.problem_id, {
        episodes: r.episodes,
        devices: r.devices,
        ticketIds: r.ticket_ids,
        firstAt: r.first_at,
        lastAt: r.last_at,
      });
    return out;
  }
}
