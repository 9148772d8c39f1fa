import { MigrationInterface, QueryRunner } from 'typeorm';

export class Measurements1795460008361 implements MigrationInterface {
  name = 'Measurements1795460008361';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "device_samples_5m" ("device_id" uuid NOT NULL, "bucket" TIMESTAMP WITH TIME ZONE NOT NULL, "rtt_ms_avg" double precision, "rtt_ms_min" real, "rtt_ms_max" real, "rtt_ms_count" integer NOT NULL, "loss_pct_avg" double precision, "loss_pct_min" real, "loss_pct_max" real, "loss_pct_count" integer NOT NULL, "jitter_ms_avg" double precision, "jitter_ms_min" real, "jitter_ms_max" real, "jitter_ms_count" integer NOT NULL, "cpu_pct_avg" double precision, "cpu_pct_min" real, "cpu_pct_max" real, "cpu_pct_count" integer NOT NULL, "mem_pct_avg" double precision, "mem_pct_min" real, "mem_pct_max" real, "mem_pct_count" integer NOT NULL, CONSTRAINT "device_samples_5m_pkey" PRIMARY KEY ("device_id", "bucket"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "device_samples_5m_bucket_brin" ON "device_samples_5m" USING brin ("bucket") `,
    );
    await queryRunner.query(
      `CREATE TABLE "device_samples_1h" ("device_id" uuid NOT NULL, "bucket" TIMESTAMP WITH TIME ZONE NOT NULL, "rtt_ms_avg" double precision, "rtt_ms_min" real, "rtt_ms_max" real, "rtt_ms_count" integer NOT NULL, "loss_pct_avg" double precision, "loss_pct_min" real, "loss_pct_max" real, "loss_pct_count" integer NOT NULL, "jitter_ms_avg" double precision, "jitter_ms_min" real, "jitter_ms_max" real, "jitter_ms_count" integer NOT NULL, "cpu_pct_avg" double precision, "cpu_pct_min" real, "cpu_pct_max" real, "cpu_pct_count" integer NOT NULL, "mem_pct_avg" double precision, "mem_pct_min" real, "mem_pct_max" real, "mem_pct_count" integer NOT NULL, CONSTRAINT "device_samples_1h_pkey" PRIMARY KEY ("device_id", "bucket"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "device_samples_1h_bucket_brin" ON "device_samples_1h" USING brin ("bucket") `,
    );
    await queryRunner.query(
      `CREATE TABLE "device_samples" ("device_id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "rtt_ms" real, "loss_pct" real, "jitter_ms" real, "cpu_pct" real, "mem_pct" real, CONSTRAINT "device_samples_pkey" PRIMARY KEY ("device_id", "at"))`,
    );
    await queryRunner.query(`CREATE INDEX "device_samples_at_brin" ON "device_samples" USING brin ("at") `);
    await queryRunner.query(
      `CREATE TABLE "interface_samples_5m" ("device_id" uuid NOT NULL, "if_index" integer NOT NULL, "bucket" TIMESTAMP WITH TIME ZONE NOT NULL, "in_bps_avg" double precision, "in_bps_min" double precision, "in_bps_max" double precision, "in_bps_count" integer NOT NULL, "out_bps_avg" double precision, "out_bps_min" double precision, "out_bps_max" double precision, "out_bps_count" integer NOT NULL, "in_errors_avg" double precision, "in_errors_min" real, "in_errors_max" real, "in_errors_count" integer NOT NULL, "out_errors_avg" double precision, "out_errors_min" real, "out_errors_max" real, "out_errors_count" integer NOT NULL, "in_discards_avg" double precision, "in_discards_min" real, "in_discards_max" real, "in_discards_count" integer NOT NULL, "out_discards_avg" double precision, "out_discards_min" real, "out_discards_max" real, "out_discards_count" integer NOT NULL, CONSTRAINT "interface_samples_5m_pkey" PRIMARY KEY ("device_id", "if_index", "bucket"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "interface_samples_5m_bucket_brin" ON "interface_samples_5m" USING brin ("bucket") `,
    );
    await queryRunner.query(
      `CREATE TABLE "interface_samples_1h" ("device_id" uuid NOT NULL, "if_index" integer NOT NULL, "bucket" TIMESTAMP WITH TIME ZONE NOT NULL, "in_bps_avg" double precision, "in_bps_min" double precision, "in_bps_max" double precision, "in_bps_count" integer NOT NULL, "out_bps_avg" double precision, "out_bps_min" double precision, "out_bps_max" double precision, "out_bps_count" integer NOT NULL, "in_errors_avg" double precision, "in_errors_min" real, "in_errors_max" real, "in_errors_count" integer NOT NULL, "out_errors_avg" double precision, "out_errors_min" real, "out_errors_max" real, "out_errors_count" integer NOT NULL, "in_discards_avg" double precision, "in_discards_min" real, "in_discards_max" real, "in_discards_count" integer NOT NULL, "out_discards_avg" double precision, "out_discards_min" real, "out_discards_max" real, "out_discards_count" integer NOT NULL, CONSTRAINT "interface_samples_1h_pkey" PRIMARY KEY ("device_id", "if_index", "bucket"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "interface_samples_1h_bucket_brin" ON "interface_samples_1h" USING brin ("bucket") `,
    );
    await queryRunner.query(
      `CREATE TABLE "interface_samples" ("device_id" uuid NOT NULL, "if_index" integer NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "in_bps" double precision, "out_bps" double precision, "in_errors" real, "out_errors" real, "in_discards" real, "out_discards" real, CONSTRAINT "interface_samples_pkey" PRIMARY KEY ("device_id", "if_index", "at"))`,
    );
    await queryRunner.query(`CREATE INDEX "interface_samples_at_brin" ON "interface_samples" USING brin ("at") `);
    await queryRunner.query(
      `CREATE TABLE "measurement_rollup_state" ("resolution" character varying(8) NOT NULL, "rolled_up_to" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "measurement_rollup_state_pkey" PRIMARY KEY ("resolution"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "device_samples_5m" ADD CONSTRAINT "device_samples_5m_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "devices"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "device_samples_1h" ADD CONSTRAINT "device_samples_1h_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "devices"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "device_samples" ADD CONSTRAINT "device_samples_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "devices"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "interface_samples_5m" ADD CONSTRAINT "interface_samples_5m_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "devices"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "interface_samples_1h" ADD CONSTRAINT "interface_samples_1h_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "devices"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "interface_samples" ADD CONSTRAINT "interface_samples_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "devices"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "interface_samples" DROP CONSTRAINT "interface_samples_device_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "interface_samples_1h" DROP CONSTRAINT "interface_samples_1h_device_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "interface_samples_5m" DROP CONSTRAINT "interface_samples_5m_device_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "device_samples" DROP CONSTRAINT "device_samples_device_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "device_samples_1h" DROP CONSTRAINT "device_samples_1h_device_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "device_samples_5m" DROP CONSTRAINT "device_samples_5m_device_id_fkey"`);
    await queryRunner.query(`DROP TABLE "measurement_rollup_state"`);
    await queryRunner.query(`DROP INDEX "public"."interface_samples_at_brin"`);
    await queryRunner.query(`DROP TABLE "interface_samples"`);
    await queryRunner.query(`DROP INDEX "public"."interface_samples_1h_bucket_brin"`);
    await queryRunner.query(`DROP TABLE "interface_samples_1h"`);
    await queryRunner.query(`DROP INDEX "public"."interface_samples_5m_bucket_brin"`);
    await queryRunner.query(`DROP TABLE "interface_samples_5m"`);
    await queryRunner.query(`DROP INDEX "public"."device_samples_at_brin"`);
    await queryRunner.query(`DROP TABLE "device_samples"`);
    await queryRunner.query(`DROP INDEX "public"."device_samples_1h_bucket_brin"`);
    await queryRunner.query(`DROP TABLE "device_samples_1h"`);
    await queryRunner.query(`DROP INDEX "public"."device_samples_5m_bucket_brin"`);
    await queryRunner.query(`DROP TABLE "device_samples_5m"`);
  }
}
