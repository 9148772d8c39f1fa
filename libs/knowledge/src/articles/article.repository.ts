import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ArticleEntity, ArticleRevisionEntity } from './article.entity';

export interface ArticleHit {
  id: string;
  title: string;
  faultTypes: string[];
  deviceKinds: string[];
  tags: string[];
  revision: number;
  updatedAt: Date;
  updatedBy: string;
  rank: number;
  snippet: string | null;
}

type HitRow = {
  id: string;
  title: string;
  fault_types: string[];
  device_kinds: string[];
  tags: string[];
  revision: number;
  updated_at: Date;
  updated_by: string;
  rank: number | null;
  snippet: string | null;
};

const toHit = (r: HitRow): ArticleHit => ({
  id: r.id,
  title: r.title,
  faultTypes: r.fault_types,
  deviceKinds: r.device_kinds,
  tags: r.tags,
  revision: r.revision,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
  rank: Number(r.rank ?? 0),
  snippet: r.snippet,
});

/** Articles and their revisions; search goes through PostgreSQL's full-text index. */
@Injectable()
export class ArticleRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  findById(id: string, m: EntityManager = this.dataSource.manager): Promise<ArticleEntity | null> {
    return m.getRepository(ArticleEntity).findOneBy({ id });
  }

  lock(id: string, m: EntityManager): Promise<ArticleEntity | null> {
    return m.getRepository(ArticleEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async insert(article: Partial<ArticleEntity>, m: EntityManager): Promise<ArticleEntity> {
    const repo = m.getRepository(ArticleEntity);
    return repo.save(repo.create(article));
  }

  save(article: ArticleEntity, m: EntityManager): Promise<ArticleEntity> {
    return m.getRepository(ArticleEntity).save(article);
  }

  async addRevision(article: ArticleEntity, author: string, at: Date, m: EntityManager): Promise<void> {
    await m.getRepository(ArticleRevisionEntity).insert({
      articleId: article.id,
      revision: article.revision,
      title: article.title,
      body: article.body,
      faultTypes: article.faultTypes,
      deviceKinds: article.deviceKinds,
      tags: article.tags,
      author,
      at,
    });
  }

  revisions(articleId: string): Promise<ArticleRevisionEntity[]> {
    return this.dataSource
      .getRepository(ArticleRevisionEntity)
      .find({ where: { articleId }, order: { revision: 'DESC' } });
  }

  /**
   * Articles matching web-search text (`"quoted phrase"`, `-not`, `or`), ranked by how well their title and
   * tags match (then the latest edited), with a highlighted snippet; without text, the latest edited.
   * Filters by fault type, device kind and tag use the arrays.
   */
  async search(
    filter: { q?: string; faultType?: string; deviceKind?: string; tag?: string },
    limit: number,
    offset: number,
  ): Promise<{ hits: ArticleHit[]; total: number }> {
    const params: unknown[] = [];
    const where: string[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const q = filter.q?.trim();
    let from = 'articles a';
    if (q) {
      from = `articles a, websearch_to_tsquery('english', ${p(q)}) query`;
      where.push('a.search_vector @@ query');
    }
    if (filter.faultType) where.push(`a.fault_types @> ARRAY[${p(filter.faultType)}]::text[]`);
    if (filter.deviceKind) where.push(`${p(filter.deviceKind)} = ANY(a.device_kinds)`);
    if (filter.tag) where.push(`${p(filter.tag)} = ANY(a.tags)`);
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    // the page query adds limit and offset after these; the count below takes only the filter's own
    const filterParams = [...params];
    const rank = q ? 'ts_rank(a.head_vector, query)' : 'NULL::real';
    // the snippet is computed for the page only, from the start of the body
    const snippet = q
      ? `ts_headline('english', left(a.body, 1500), page.query, 'MaxFragments=1, MaxWords=25, MinWords=8, StartSel=«, StopSel=»')`
      : 'NULL::text';
    return this.dataSource.transaction(async (m) => {
      // Matching goes through the GIN index whatever the planner guesses: its exact matches need no
      // recheck, while a sequential scan would unpack every article's vector (10 times slower at 10,000).
      if (q) await m.query('SET LOCAL enable_seqscan = off');
      // one pass over the matches: the page and, beside it, how many there are in all
      const rows: (HitRow & { total: number })[] = await m.query(
        `SELECT a.id, a.title, a.fault_types, a.device_kinds, a.tags, a.revision, a.updated_at, a.updated_by,
                page.rank, page.total, ${snippet} AS snippet
           FROM (SELECT a.id, a.updated_at, ${rank} AS rank, count(*) OVER ()::int AS total${q ? ', query' : ''}
                   FROM ${from} ${whereSql}
                  ORDER BY ${q ? 'rank DESC, ' : ''}a.updated_at DESC, a.id
                  LIMIT ${p(limit)} OFFSET ${p(offset)}) page
           JOIN articles a ON a.id = page.id
          ORDER BY ${q ? 'page.rank DESC, ' : ''}page.updated_at DESC, page.id`,
        params,
      );
      let total = rows[0]?.total ?? 0;
      if (!rows.length && offset > 0)
        [{ total }] = await m.query(`SELECT count(*)::int AS total FROM ${from} ${whereSql}`, filterParams);
      return { hits: rows.map(toHit), total };
    });
  }

  /**
   * Candidates for a ticket, at most `limit` of each: the same fault type (same device kind first), and
   * any of its words; `rank` is the text's rank, for the caller's scoring.
   */
  async candidates(
    faultType: string | null,
    deviceKind: string | null,
    anyWords: string | null,
    limit: number,
  ): Promise<ArticleHit[]> {
    return this.dataSource.transaction(async (m) => {
      await m.query('SET LOCAL enable_seqscan = off');
      const rows: HitRow[] = await m.query(
        `WITH q AS (SELECT CASE WHEN $3::text IS NULL THEN NULL ELSE to_tsquery('english', $3) END AS query),
         by_fault AS (
           SELECT a.id FROM articles a, q WHERE $1::text IS NOT NULL AND a.fault_types @> ARRAY[$1::text]
            ORDER BY ($2::text IS NOT NULL AND $2 = ANY(a.device_kinds)) DESC,
                     coalesce(ts_rank(a.head_vector, q.query), 0) DESC
            LIMIT $4),
         by_words AS (
           SELECT a.id FROM articles a, q WHERE q.query IS NOT NULL AND a.search_vector @@ q.query
            ORDER BY ts_rank(a.head_vector, q.query) DESC, a.updated_at DESC
            LIMIT $4)
         SELECT a.id, a.title, a.fault_types, a.device_kinds, a.tags, a.revision, a.updated_at, a.updated_by,
                coalesce(ts_rank(a.head_vector, q.query), 0) AS rank, NULL AS snippet
           FROM articles a, q WHERE a.id IN (SELECT id FROM by_fault UNION SELECT id FROM by_words)`,
        [faultType, deviceKind, anyWords, limit],
      );
      return rows.map(toHit);
    });
  }
}
