export { KnowledgeModule } from './knowledge.module';
export { ArticlesService } from './articles/articles.service';
export { renderMarkdown } from './domain/markdown';
export { anyWordQuery, keywords, rankArticles, scoreArticle } from './domain/article-matching';
