import { MigrationInterface, QueryRunner } from 'typeorm';

const NEW_FAULTS = ['link_utilisation', 'interface_errors', 'high_cpu', 'high_memory', 'high_jitter'];

/**
 * Thresholds on everything NetDesk measures: defaults (global and by device kind), per-device overrides,
 * circuits on interfaces (contracted capacity, provider, circuit id, own utilisation threshold), the
 * threshold faults, and `threshold` history rows.
 */
export class WanThresholds1796200000000 implements MigrationInterface {
  name = 'WanThresholds1796200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TYPE "public"."history_kind" ADD VALUE IF NOT EXISTS 'threshold'`);
    for (const fault of NEW_FAULTS)
      await queryRunner.query(`ALTER TYPE "public"."fault_type" ADD VALUE IF NOT EXISTS '${fault}'`);
    await queryRunner.query(`ALTER TABLE "devices" ADD "thresholds" jsonb`);
    await queryRunner.query(`ALTER TABLE "device_interfaces" ADD "capacity_bps" bigint`);
    await queryRunner.query(`ALTER TABLE "device_interfaces" ADD "provider" character varying(100)`);
    await queryRunner.query(`ALTER TABLE "device_interfaces" ADD "circuit_id" character varying(100)`);
    await queryRunner.query(`ALTER TABLE "device_interfaces" ADD "utilisation_pct" real`);
    await queryRunner.query(
      `CREATE TABLE "threshold_settings" ("id" smallint NOT NULL, "defaults" jsonb NOT NULL, "by_kind" jsonb NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_threshold_settings" PRIMARY KEY ("id"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "threshold_settings"`);
    await queryRunner.query(`ALTER TABLE "device_interfaces" DROP COLUMN "utilisation_pct"`);
    await queryRunner.query(`ALTER TABLE "device_interfaces" DROP COLUMN "circuit_id"`);
    await queryRunner.query(`ALTER TABLE "device_interfaces" DROP COLUMN "provider"`);
    await queryRunner.query(`ALTER TABLE "device_interfaces" DROP COLUMN "capacity_bps"`);
    await queryRunner.query(`ALTER TABLE "devices" DROP COLUMN "thresholds"`);
    // Enum values cannot be dropped: rows using them go, then each type is rebuilt without them.
    const faults = NEW_FAULTS.map((f) => `'${f}'`).join(', ');
    await queryRunner.query(`DELETE FROM "tickets" WHERE "fault_type"::text IN (${faults})`);
    await queryRunner.query(`DELETE FROM "status_history" WHERE "kind"::text = 'threshold'`);
    const current: { v: string }[] = await queryRunner.query(
      `SELECT unnest(enum_range(NULL::"public"."fault_type"))::text AS v`,
    );
    const kept = current.map((r) => r.v).filter((v) => !NEW_FAULTS.includes(v));
    await queryRunner.query(`ALTER TYPE "public"."fault_type" RENAME TO "fault_type_old"`);
    await queryRunner.query(`CREATE TYPE "public"."fault_type" AS ENUM(${kept.map((v) => `'${v}'`).join(', ')})`);
    await queryRunner.query(
      `ALTER TABLE "tickets" ALTER COLUMN "fault_type" TYPE "public"."fault_type" USING "fault_type"::text::"public"."fault_type"`,
    );
    await queryRunner.query(`DROP TYPE "public"."fault_type_old"`);
    await queryRunner.query(`ALTER TYPE "public"."history_kind" RENAME TO "history_kind_old"`);
    await queryRunner.query(
      `CREATE TYPE "public"."history_kind" AS ENUM('device_status', 'interface_status', 'device_rebooted', 'flapping')`,
    );
    await queryRunner.query(
      `ALTER TABLE "status_history" ALTER COLUMN "kind" TYPE "public"."history_kind" USING "kind"::text::"public"."history_kind"`,
    );
    await queryRunner.query(`DROP TYPE "public"."history_kind_old"`);
  }
}
