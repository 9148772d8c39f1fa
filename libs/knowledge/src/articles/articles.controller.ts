import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, MinRole, Principal } from '@netdesk/auth';
import { renderMarkdown } from '../domain/markdown';
import { ArticleEntity, ArticleRevisionEntity } from './article.entity';
import { ArticleDto, ArticleSummaryDto, CreateArticleDto, ListArticlesQueryDto, UpdateArticleDto } from './article.dto';
import { ArticleHit } from './article.repository';
import { ArticlesService } from './articles.service';

const summary = (a: ArticleHit | ArticleEntity): ArticleSummaryDto => ({
  id: a.id,
  title: a.title,
  faultTypes: a.faultTypes,
  deviceKinds: a.deviceKinds,
  tags: a.tags,
  revision: a.revision,
  updatedAt: a.updatedAt.toISOString(),
  updatedBy: a.updatedBy,
  ...('snippet' in a && a.snippet && { snippet: a.snippet }),
});

const full = (a: ArticleEntity, revisions: ArticleRevisionEntity[]): ArticleDto => ({
  ...summary(a),
  body: a.body,
  html: renderMarkdown(a.body),
  sourceTicketId: a.sourceTicketId,
  createdAt: a.createdAt.toISOString(),
  createdBy: a.createdBy,
  revisions: revisions.map((r) => ({ revision: r.revision, title: r.title, author: r.author, at: r.at.toISOString() })),
});

@ApiTags('articles')
@ApiBearerAuth()
@Controller('articles')
export class ArticlesController {
  constructor(private readonly articles: ArticlesService) {}

  @Get()
  @ApiOkResponse({
    type: [ArticleSummaryDto],
    description:
      'With q: full-text matches, best first; without: latest edited first. `X-Total-Count` says how many match',
  })
  async list(
    @Query() query: ListArticlesQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ArticleSummaryDto[]> {
    const { hits, total } = await this.articles.search(query);
    res.setHeader('X-Total-Count', String(total));
    return hits.map(summary);
  }

  @Post()
  @MinRole('agent')
  @ApiCreatedResponse({ type: ArticleDto })
  async create(@Body() dto: CreateArticleDto, @CurrentUser() actor: Principal): Promise<ArticleDto> {
    const article = await this.articles.create(dto, actor);
    return full(article, (await this.articles.get(article.id)).revisions);
  }

  @Get(':id')
  @ApiOkResponse({ type: ArticleDto, description: 'The article, its body rendered safely, and its revisions' })
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<ArticleDto> {
    const { article, revisions } = await this.articles.get(id);
    return full(article, revisions);
  }

  @Patch(':id')
  @MinRole('agent')
  @ApiOkResponse({ type: ArticleDto, description: 'A new revision (by the caller) when anything changed' })
  async update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateArticleDto,
    @CurrentUser() actor: Principal,
  ): Promise<ArticleDto> {
    await this.articles.update(id, dto, actor);
    const { article, revisions } = await this.articles.get(id);
    return full(article, revisions);
  }
}
