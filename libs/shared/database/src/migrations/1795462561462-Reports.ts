import { MigrationInterface, QueryRunner } from 'typeorm';

export class Reports1795462561462 implements MigrationInterface {
  name = 'Reports1795462561462';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "report_digests" ("period_end" TIMESTAMP WITH TIME ZONE NOT NULL, "sent_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_026506f48b0c06998268d0fd4bd" PRIMARY KEY ("period_end"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "fault_episodes" ("id" BIGSERIAL NOT NULL, "device_id" uuid NOT NULL, "fault_type" character varying(20) NOT NULL, "if_index" integer, "fault_key" character varying(100) NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ended_at" TIMESTAMP WITH TIME ZONE, "ticket_id" uuid, "in_maintenance" boolean NOT NULL DEFAULT false, "start_history_id" bigint NOT NULL, "end_history_id" bigint, CONSTRAINT "PK_94f17705c159287391614f35385" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "fault_episodes_open_key" ON "fault_episodes"  ("fault_key") WHERE ended_at IS NULL`,
    );
    await queryRunner.query(`CREATE INDEX "fault_episodes_ended_idx" ON "fault_episodes"  ("ended_at") `);
    await queryRunner.query(
      `CREATE INDEX "fault_episodes_type_started_idx" ON "fault_episodes"  ("fault_type", "started_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "fault_episodes_device_started_idx" ON "fault_episodes"  ("device_id", "started_at") `,
    );
    await queryRunner.query(`CREATE INDEX "fault_episodes_started_idx" ON "fault_episodes"  ("started_at") `);
    await queryRunner.query(
      `CREATE TABLE "reports_cursor" ("name" character varying(32) NOT NULL, "last_history_id" bigint NOT NULL DEFAULT '0', CONSTRAINT "PK_6cc124311720a991ef4d634cca0" PRIMARY KEY ("name"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "problems" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "number" SERIAL NOT NULL, "scope" character varying(10) NOT NULL, "problem_key" character varying(150) NOT NULL, "fault_type" character varying(20) NOT NULL, "device_id" uuid, "if_index" integer, "site_id" uuid, "device_kind" character varying(32), "title" character varying(200) NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'open', "workaround" text, "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL, "resolved_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "problems_number_key" UNIQUE ("number"), CONSTRAINT "PK_b3994afba6ab64a42cda1ccaeff" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "problems_opened_idx" ON "problems"  ("opened_at") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "problems_active_key" ON "problems"  ("problem_key") WHERE status <> 'resolved'`,
    );
    await queryRunner.query(
      `CREATE TABLE "problem_episodes" ("problem_id" uuid NOT NULL, "episode_id" bigint NOT NULL, CONSTRAINT "PK_fd6a19add66ecaf9b2e4c29d3d2" PRIMARY KEY ("problem_id", "episode_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "problem_episodes_episode_idx" ON "problem_episodes"  ("episode_id") `);
    await queryRunner.query(
      `ALTER TABLE "fault_episodes" ADD CONSTRAINT "fault_episodes_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "devices"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "problem_episodes" ADD CONSTRAINT "problem_episodes_problem_id_fkey" FOREIGN KEY ("problem_id") REFERENCES "problems"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "problem_episodes" ADD CONSTRAINT "problem_episodes_episode_id_fkey" FOREIGN KEY ("episode_id") REFERENCES "fault_episodes"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "problem_episodes" DROP CONSTRAINT "problem_episodes_episode_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "problem_episodes" DROP CONSTRAINT "problem_episodes_problem_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "fault_episodes" DROP CONSTRAINT "fault_episodes_device_id_fkey"`);
    await queryRunner.query(`DROP INDEX "public"."problem_episodes_episode_idx"`);
    await queryRunner.query(`DROP TABLE "problem_episodes"`);
    await queryRunner.query(`DROP INDEX "public"."problems_active_key"`);
    await queryRunner.query(`DROP INDEX "public"."problems_opened_idx"`);
    await queryRunner.query(`DROP TABLE "problems"`);
    await queryRunner.query(`DROP TABLE "reports_cursor"`);
    await queryRunner.query(`DROP INDEX "public"."fault_episodes_started_idx"`);
    await queryRunner.query(`DROP INDEX "public"."fault_episodes_device_started_idx"`);
    await queryRunner.query(`DROP INDEX "public"."fault_episodes_type_started_idx"`);
    await queryRunner.query(`DROP INDEX "public"."fault_episodes_ended_idx"`);
    await queryRunner.query(`DROP INDEX "public"."fault_episodes_open_key"`);
    await queryRunner.query(`DROP TABLE "fault_episodes"`);
    await queryRunner.query(`DROP TABLE "report_digests"`);
  }
}
