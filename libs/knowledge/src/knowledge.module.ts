import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '@netdesk/auth';
import { InventoryModule } from '@netdesk/inventory';
import { ArticleSuggestionSource } from '@netdesk/ticketing';
import { ArticleEntity, ArticleRevisionEntity } from './articles/article.entity';
import { ArticleRepository } from './articles/article.repository';
import { ArticlesController } from './articles/articles.controller';
import { ArticlesService } from './articles/articles.service';

/**
 * The knowledge base: markdown articles with revisions, full-text search, and the articles that fit a
 * ticket. Depends on ticketing; global only to hand ticketing its `ArticleSuggestionSource`.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([ArticleEntity, ArticleRevisionEntity]), AuthModule, InventoryModule],
  controllers: [ArticlesController],
  providers: [ArticleRepository, ArticlesService, { provide: ArticleSuggestionSource, useExisting: ArticlesService }],
  exports: [ArticlesService, ArticleSuggestionSource],
})
export class KnowledgeModule {}
