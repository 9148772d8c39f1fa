import { Injectable } from '@nestjs/common';
import { Clock, DomainError } from '@netdesk/core';
import type { Principal } from '@netdesk/auth';
import { DeviceDirectory } from '@netdesk/inventory';
import { ArticleSuggestionSource, Ticket, TicketReader } from '@netdesk/ticketing';
import { anyWordQuery, rankArticles } from '../domain/article-matching';
import { ArticleEntity, ArticleRevisionEntity } from './article.entity';
import { ArticleHit, ArticleRepository } from './article.repository';
import { CreateArticleDto, ListArticlesQueryDto, UpdateArticleDto } from './article.dto';

const uniq = (xs: string[] | undefined) => [...new Set(xs ?? [])];

/** The knowledge base: articles with their revisions, search, and what fits a ticket. */
@Injectable()
export class ArticlesService extends ArticleSuggestionSource {
  constructor(
    private readonly articles: ArticleRepository,
    private readonly tickets: TicketReader,
    private readonly devices: DeviceDirectory,
    private readonly clock: Clock,
  ) {
    super();
  }

  private async kindOf(deviceId: string | null): Promise<string | null> {
    return deviceId ? ((await this.devices.findById(deviceId))?.kind ?? null) : null;
  }

  search(query: ListArticlesQueryDto): Promise<{ hits: ArticleHit[]; total: number }> {
    return this.articles.search(query, query.limit ?? 20, query.offset ?? 0);
  }

  async get(id: string): Promise<{ article: ArticleEntity; revisions: ArticleRevisionEntity[] }> {
    const article = await this.articles.findById(id);
    if (!article) throw DomainError.notFound('article', id);
    return { article, revisions: await this.articles.revisions(id) };
  }

  async create(dto: CreateArticleDto, actor: Principal): Promise<ArticleEntity> {
    if (dto.sourceTicketId) {
      const ticket = await this.tickets.findById(dto.sourceTicketId);
      if (!ticket) throw new DomainError('invalid', `sourceTicketId: ticket ${dto.sourceTicketId} does not exist`);
      if (!['resolved', 'closed'].includes(ticket.status))
        throw new DomainError('invalid', `sourceTicketId: only a resolved or closed ticket can be saved as an article`);
    }
    const now = this.clock.now();
    return this.articles.transaction(async (m) => {
      const article = await this.articles.insert(
        {
          title: dto.title.trim(),
          body: dto.body,
          faultTypes: uniq(dto.faultTypes),
          deviceKinds: uniq(dto.deviceKinds),
          tags: uniq(dto.tags?.map((t) => t.toLowerCase())),
          sourceTicketId: dto.sourceTicketId ?? null,
          revision: 1,
          createdAt: now,
          createdBy: actor.email,
          updatedAt: now,
          updatedBy: actor.email,
        },
        m,
      );
      await this.articles.addRevision(article, actor.email, now, m);
      return article;
    });
  }

  /** An edit is a new revision, kept with its author; the article shows the latest. */
  async update(id: string, dto: UpdateArticleDto, actor: Principal): Promise<ArticleEntity> {
    return this.articles.transaction(async (m) => {
      const article = await this.articles.lock(id, m);
      if (!article) throw DomainError.notFound('article', id);
      const before = JSON.stringify([
        article.title,
        article.body,
        article.faultTypes,
        article.deviceKinds,
        article.tags,
      ]);
      if (dto.title !== undefined) article.title = dto.title.trim();
      if (dto.body !== undefined) article.body = dto.body;
      if (dto.faultTypes !== undefined) article.faultTypes = uniq(dto.faultTypes);
      if (dto.deviceKinds !== undefined) article.deviceKinds = uniq(dto.deviceKinds);
      if (dto.tags !== undefined) article.tags = uniq(dto.tags.map((t) => t.toLowerCase()));
      const after = JSON.stringify([
        article.title,
        article.body,
        article.faultTypes,
        article.deviceKinds,
        article.tags,
      ]);
      if (before === after) return article; // nothing changed: no empty revision
      const now = this.clock.now();
      article.revision += 1;
      article.updatedAt = now;
      article.updatedBy = actor.email;
      await this.articles.save(article, m);
      await this.articles.addRevision(article, actor.email, now, m);
      return article;
    });
  }

  /** `suggestedArticles` of a ticket: its fault type, its device's kind, its words (a request: its incident's too). */
  async suggest(ticket: Ticket, limit: number): Promise<{ id: string; title: string }[]> {
    let faultType: string | null = ticket.faultType;
    let deviceKind = await this.kindOf(ticket.deviceId);
    let text = `${ticket.title} ${ticket.description ?? ''}`;
    if (ticket.parentTicketId) {
      const incident = await this.tickets.findById(ticket.parentTicketId);
      if (incident) {
        faultType = incident.faultType;
        deviceKind = (await this.kindOf(incident.deviceId)) ?? deviceKind;
      }
    }
    if (faultType === 'other') faultType = null;
    text = text.slice(0, 5000);
    const candidates = await this.articles.candidates(faultType, deviceKind, anyWordQuery(text), 100);
    return rankArticles(
      candidates.map((c) => ({ ...c, textRank: c.rank })),
      { faultType, deviceKind, text },
      limit,
    ).map((a) => ({ id: a.id, title: a.title }));
  }
}
