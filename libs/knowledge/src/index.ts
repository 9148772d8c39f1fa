export { KnowledgeModule } from './knowledge.module';
export { ArticlesService } from './articles/articles.service';
export { ArticleRepository } from './articles/article.repository';
export { ArticleEntity, ArticleRevisionEntity } from './articles/article.entity';
export { renderMarkdown } from './domain/markdown';
export { anyWordQuery, keywords, rankArticles, scoreArticle } from './domain/article-matching';
