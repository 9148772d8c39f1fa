import { MigrationInterface, QueryRunner } from 'typeorm';

export class Polling1795460131666 implements MigrationInterface {
  name = 'Polling1795460131666';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "device_interfaces" ("device_id" uuid NOT NULL, "if_index" integer NOT NULL, "name" character varying(255) NOT NULL, "alias" character varying(255) NOT NULL DEFAULT '', "if_type" integer, "admin_status" character varying(20) NOT NULL, "oper_status" character varying(20) NOT NULL, "oper_since" TIMESTAMP WITH TIME ZONE NOT NULL, "speed_bps" bigint, "in_bps" double precision, "out_bps" double precision, "in_errors" double precision, "out_errors" double precision, "in_discards" double precision, "out_discards" double precision, "monitored" boolean NOT NULL DEFAULT false, "monitored_override" boolean, "flapping" boolean NOT NULL DEFAULT false, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_f6c18d06ee1e4b8c67937892cf9" PRIMARY KEY ("device_id", "if_index"))`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."history_kind" AS ENUM('device_status', 'interface_status', 'device_rebooted', 'flapping')`,
    );
    await queryRunner.query(
      `CREATE TABLE "status_history" ("id" BIGSERIAL NOT NULL, "device_id" uuid NOT NULL, "kind" "public"."history_kind" NOT NULL, "if_index" integer, "from_status" character varying(20), "to_status" character varying(20), "reason" character varying(512), "detail" jsonb, "at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_271a5228edb4eeb41bc01d58fac" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "status_history_at_idx" ON "status_history"  ("at") `);
    await queryRunner.query(`CREATE INDEX "status_history_device_at_idx" ON "status_history"  ("device_id", "at") `);
    await queryRunner.query(
      `ALTER TABLE "device_interfaces" ADD CONSTRAINT "device_interfaces_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "devices"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "status_history" ADD CONSTRAINT "status_history_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "devices"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "status_history" DROP CONSTRAINT "status_history_device_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "device_interfaces" DROP CONSTRAINT "device_interfaces_device_id_fkey"`);
    await queryRunner.query(`DROP INDEX "public"."status_history_device_at_idx"`);
    await queryRunner.query(`DROP INDEX "public"."status_history_at_idx"`);
    await queryRunner.query(`DROP TABLE "status_history"`);
    await queryRunner.query(`DROP TYPE "public"."history_kind"`);
    await queryRunner.query(`DROP TABLE "device_interfaces"`);
  }
}
