import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Scale-out: sites name their poller group; the core remembers applied results and each device's fence;
 * tickets gain the `poller_unreachable` fault (one per poller group without a live poller).
 */
export class ScaleOut1796200000001 implements MigrationInterface {
  name = 'ScaleOut1796200000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TYPE "public"."fault_type" ADD VALUE 'poller_unreachable'`);
    // another change may add it too (the contract lists it with the email events)
    await queryRunner.query(`ALTER TYPE "public"."ticket_event_type" ADD VALUE IF NOT EXISTS 'learned_late'`);
    await queryRunner.query(`ALTER TABLE "sites" ADD "poller_group" character varying(64) NOT NULL DEFAULT 'default'`);
    await queryRunner.query(
      `CREATE TABLE "ingested_results" ("msg_id" character varying(200) NOT NULL, "ingested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ingested_results_pkey" PRIMARY KEY ("msg_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ingested_results_at_idx" ON "ingested_results" ("ingested_at") `);
    await queryRunner.query(
      `CREATE TABLE "device_poll_fences" ("device_id" uuid NOT NULL, "epoch" bigint NOT NULL, "poller_name" character varying(64) NOT NULL, "poller_group" character varying(64) NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "device_poll_fences_pkey" PRIMARY KEY ("device_id"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "tickets" WHERE "fault_type" = 'poller_unreachable'`);
    // drop only the value this migration added: the others came from earlier migrations (WanThresholds' faults)
    const values: { v: string }[] = await queryRunner.query(
      `SELECT unnest(enum_range(NULL::"public"."fault_type"))::text AS v`,
    );
    const kept = values.map((r) => r.v).filter((v) => v !== 'poller_unreachable');
    await queryRunner.query(`ALTER TYPE "public"."fault_type" RENAME TO "fault_type_old"`);
    await queryRunner.query(`CREATE TYPE "public"."fault_type" AS ENUM(${kept.map((v) => `'${v}'`).join(', ')})`);
    await queryRunner.query(
      `ALTER TABLE "tickets" ALTER COLUMN "fault_type" TYPE "public"."fault_type" USING "fault_type"::"text"::"public"."fault_type"`,
    );
    await queryRunner.query(`DROP TYPE "public"."fault_type_old"`);
    // 'learned_late' stays: PeoplesRequests, which runs before this one, added it too and removes it in its down()
    await queryRunner.query(`DROP TABLE "device_poll_fences"`);
    await queryRunner.query(`DROP INDEX "ingested_results_at_idx"`);
    await queryRunner.query(`DROP TABLE "ingested_results"`);
    await queryRunner.query(`ALTER TABLE "sites" DROP COLUMN "poller_group"`);
  }
}
