import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * A knowledge-base article: markdown, with the fault types, device kinds and tags it is about.
 * `search_vector` is kept by a trigger (title weighted A, tags B, body C) and searched through its GIN
 * index, both made by the migration: TypeORM cannot declare a GIN index, hence `synchronize: false`.
 * Matches are ranked by `head_vector` (title and tags), so ranking never reads the bodies.
 */
@Entity('articles')
@Index('articles_search_idx', { synchronize: false })
@Index('articles_fault_types_idx', { synchronize: false })
export class ArticleEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ name: 'fault_types', type: 'text', array: true, default: () => "'{}'" })
  faultTypes: string[];

  @Column({ name: 'device_kinds', type: 'text', array: true, default: () => "'{}'" })
  deviceKinds: string[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags: string[];

  /** The resolved ticket this was written from ("save as article"), if any. */
  @Column({ name: 'source_ticket_id', type: 'uuid', nullable: true })
  sourceTicketId: string | null;

  @Column({ type: 'int', default: 1 })
  revision: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'created_by', type: 'varchar', length: 254 })
  createdBy: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'updated_by', type: 'varchar', length: 254 })
  updatedBy: string;

  /** Written by the trigger (title A, tags B, body C): what search matches, through the GIN index. */
  @Column({ name: 'search_vector', type: 'tsvector', nullable: true, select: false, insert: false, update: false })
  searchVector?: string;

  /** Written by the trigger (title A, tags B): small enough to rank every match without reading bodies. */
  @Column({ name: 'head_vector', type: 'tsvector', nullable: true, select: false, insert: false, update: false })
  headVector?: string;
}

/** Every version of an article, with who wrote it and when; the article holds the latest. */
@Entity('article_revisions')
@Unique('article_revisions_article_revision_key', ['articleId', 'revision'])
export class ArticleRevisionEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'article_id', type: 'uuid' })
  articleId: string;

  @ManyToOne(() => ArticleEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'article_id', foreignKeyConstraintName: 'article_revisions_article_id_fkey' })
  article?: ArticleEntity;

  @Column({ type: 'int' })
  revision: number;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ name: 'fault_types', type: 'text', array: true })
  faultTypes: string[];

  @Column({ name: 'device_kinds', type: 'text', array: true })
  deviceKinds: string[];

  @Column({ type: 'text', array: true })
  tags: string[];

  /** The author's email. */
  @Column({ type: 'varchar', length: 254 })
  author: string;

  @Column({ type: 'timestamptz' })
  at: Date;
}
