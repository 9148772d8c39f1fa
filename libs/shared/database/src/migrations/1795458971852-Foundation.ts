import { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1795458971852 implements MigrationInterface {
  name = 'Foundation1795458971852';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "sites" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(128) NOT NULL, "location" character varying(256), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "sites_name_key" UNIQUE ("name"), CONSTRAINT "PK_4f5eccb1dfde10c9170502595a7" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."device_kind" AS ENUM('router', 'switch', 'firewall', 'server', 'access-point', 'wan-link', 'other')`,
    );
    await queryRunner.query(`CREATE TYPE "public"."device_criticality" AS ENUM('critical', 'high', 'normal', 'low')`);
    await queryRunner.query(`CREATE TYPE "public"."snmp_version" AS ENUM('1', '2c', '3')`);
    await queryRunner.query(
      `CREATE TYPE "public"."device_status" AS ENUM('unknown', 'up', 'degraded', 'down', 'unreachable')`,
    );
    await queryRunner.query(
      `CREATE TABLE "devices" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(128) NOT NULL, "host" character varying(253) NOT NULL, "site_id" uuid, "parent_id" uuid, "kind" "public"."device_kind" NOT NULL DEFAULT 'other', "criticality" "public"."device_criticality" NOT NULL DEFAULT 'normal', "poll_interval_sec" integer NOT NULL DEFAULT '30', "tags" text array NOT NULL DEFAULT '{}', "team" character varying(64), "snmp_version" "public"."snmp_version", "snmp_port" integer, "snmp_secret" text, "status" "public"."device_status" NOT NULL DEFAULT 'unknown', "status_since" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "status_reason" character varying(512), "flapping" boolean NOT NULL DEFAULT false, "last_poll_at" TIMESTAMP WITH TIME ZONE, "last_rtt_ms" real, "last_loss_pct" real, "sys_name" character varying(255), "sys_descr" character varying(1024), "sys_object_id" character varying(255), "uptime_sec" bigint, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "devices_host_key" UNIQUE ("host"), CONSTRAINT "devices_name_key" UNIQUE ("name"), CONSTRAINT "PK_b1514758245c12daf43486dd1f0" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "devices_site_id_idx" ON "devices"  ("site_id") `);
    await queryRunner.query(`CREATE INDEX "devices_parent_id_idx" ON "devices"  ("parent_id") `);
    await queryRunner.query(`CREATE TYPE "public"."user_role" AS ENUM('viewer', 'agent', 'manager', 'admin')`);
    await queryRunner.query(
      `CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "email" character varying(254) NOT NULL, "name" character varying(120), "role" "public"."user_role" NOT NULL, "team" character varying(64), "password_hash" character varying(255) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "users_email_key" UNIQUE ("email"), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "devices" ADD CONSTRAINT "devices_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "devices" ADD CONSTRAINT "devices_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "devices"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "devices" DROP CONSTRAINT "devices_parent_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "devices" DROP CONSTRAINT "devices_site_id_fkey"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`DROP TYPE "public"."user_role"`);
    await queryRunner.query(`DROP INDEX "public"."devices_parent_id_idx"`);
    await queryRunner.query(`DROP INDEX "public"."devices_site_id_idx"`);
    await queryRunner.query(`DROP TABLE "devices"`);
    await queryRunner.query(`DROP TYPE "public"."device_status"`);
    await queryRunner.query(`DROP TYPE "public"."snmp_version"`);
    await queryRunner.query(`DROP TYPE "public"."device_criticality"`);
    await queryRunner.query(`DROP TYPE "public"."device_kind"`);
    await queryRunner.query(`DROP TABLE "sites"`);
  }
}
