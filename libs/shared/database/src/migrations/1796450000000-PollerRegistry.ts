import { MigrationInterface, QueryRunner } from 'typeorm';

/** Scale-out: the pollers the core has seen and when each last renewed its lease (survives a core restart). */
export class PollerRegistry1796450000000 implements MigrationInterface {
  name = 'PollerRegistry1796450000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "poller_registry" ("poller_group" character varying(64) NOT NULL, "name" character varying(64) NOT NULL, "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "poller_registry_pkey" PRIMARY KEY ("poller_group", "name"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "poller_registry"`);
  }
}
