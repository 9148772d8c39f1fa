import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The knowledge base (libs/knowledge): articles and their revisions. Search uses PostgreSQL's own text
 * search: a `search_vector` column kept by a trigger (title weighted A, tags B, body C) under a GIN
 * index that finds matches, a small `head_vector` (title and tags) that ranks them cheaply, and a GIN
 * index on fault types for suggestions.
 */
export class KnowledgeBase1796188190463 implements MigrationInterface {
  name = 'KnowledgeBase1796188190463';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "articles" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "title" character varying(200) NOT NULL, "body" text NOT NULL, "fault_types" text array NOT NULL DEFAULT '{}', "device_kinds" text array NOT NULL DEFAULT '{}', "tags" text array NOT NULL DEFAULT '{}', "source_ticket_id" uuid, "revision" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_by" character varying(254) NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_by" character varying(254) NOT NULL, "search_vector" tsvector, "head_vector" tsvector, CONSTRAINT "PK_0a6e2c450d83e0b6052c2793334" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "article_revisions" ("id" BIGSERIAL NOT NULL, "article_id" uuid NOT NULL, "revision" integer NOT NULL, "title" character varying(200) NOT NULL, "body" text NOT NULL, "fault_types" text array NOT NULL, "device_kinds" text array NOT NULL, "tags" text array NOT NULL, "author" character varying(254) NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "article_revisions_article_revision_key" UNIQUE ("article_id", "revision"), CONSTRAINT "PK_e5a3375569c46d93baa9fe4bfe4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "article_revisions" ADD CONSTRAINT "article_revisions_article_id_fkey" FOREIGN KEY ("article_id") REFERENCES "articles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `CREATE FUNCTION "articles_search_vector_update"() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         NEW.search_vector :=
              setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A')
           || setweight(to_tsvector('english', array_to_string(NEW.tags, ' ')), 'B')
           || setweight(to_tsvector('english', coalesce(NEW.body, '')), 'C');
         NEW.head_vector :=
              setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A')
           || setweight(to_tsvector('english', array_to_string(NEW.tags, ' ')), 'B');
         RETURN NEW;
       END $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "articles_search_vector_trigger" BEFORE INSERT OR UPDATE OF "title", "body", "tags" ON "articles"
       FOR EACH ROW EXECUTE FUNCTION "articles_search_vector_update"()`,
    );
    await queryRunner.query(`CREATE INDEX "articles_search_idx" ON "articles" USING GIN ("search_vector")`);
    await queryRunner.query(`CREATE INDEX "articles_fault_types_idx" ON "articles" USING GIN ("fault_types")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."articles_fault_types_idx"`);
    await queryRunner.query(`DROP INDEX "public"."articles_search_idx"`);
    await queryRunner.query(`DROP TRIGGER "articles_search_vector_trigger" ON "articles"`);
    await queryRunner.query(`DROP FUNCTION "articles_search_vector_update"()`);
    await queryRunner.query(`ALTER TABLE "article_revisions" DROP CONSTRAINT "article_revisions_article_id_fkey"`);
    await queryRunner.query(`DROP TABLE "article_revisions"`);
    await queryRunner.query(`DROP TABLE "articles"`);
  }
}
