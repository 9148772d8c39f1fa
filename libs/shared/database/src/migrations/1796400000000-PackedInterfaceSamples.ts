import { MigrationInterface, QueryRunner } from 'typeorm';

const VALUES = ['in_bps', 'out_bps', 'in_errors', 'out_errors', 'in_discards', 'out_discards'];
const ERRORS = ['in_errors', 'out_errors', 'in_discards', 'out_discards'];

/**
 * Raw interface samples packed (docs/decisions.md, "Interface samples packed per hour"): instead of one row
 * per interface and poll in `interface_samples`, one row per device poll with an array element per
 * interface in `interface_sample_polls`, packed by the rollup job into one row per interface and UTC hour
 * in `interface_sample_hours` (offsets in milliseconds from the hour, values as `real`, an error or discard
 * column that stayed 0 all hour as NULL). The rows stored so far are packed here; `down()` unpacks both
 * tables into `interface_samples` again.
 */
export class PackedInterfaceSamples1796400000000 implements MigrationInterface {
  name = 'PackedInterfaceSamples1796400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "interface_sample_polls" ("device_id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "if_indexes" integer array NOT NULL, "in_bps" double precision array NOT NULL, "out_bps" double precision array NOT NULL, "in_errors" real array NOT NULL, "out_errors" real array NOT NULL, "in_discards" real array NOT NULL, "out_discards" real array NOT NULL, CONSTRAINT "interface_sample_polls_pkey" PRIMARY KEY ("device_id", "at"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "interface_sample_hours" ("device_id" uuid NOT NULL, "if_index" integer NOT NULL, "hour" TIMESTAMP WITH TIME ZONE NOT NULL, "offsets_ms" integer array NOT NULL, "in_bps" real array NOT NULL, "out_bps" real array NOT NULL, "in_errors" real array, "out_errors" real array, "in_discards" real array, "out_discards" real array, CONSTRAINT "interface_sample_hours_pkey" PRIMARY KEY ("device_id", "if_index", "hour"))`,
    );
    for (const table of ['interface_sample_polls', 'interface_sample_hours']) {
      await queryRunner.query(
        `ALTER TABLE "${table}" ADD CONSTRAINT "${table}_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "devices"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
      );
    }
    await queryRunner.query(
      `INSERT INTO "interface_sample_hours" (device_id, if_index, hour, offsets_ms, ${VALUES.join(', ')})
       SELECT device_id, if_index, hour, array_agg(floor(extract(epoch FROM at - hour) * 1000)::int ORDER BY at),
              ${VALUES.map((c) =>
                ERRORS.includes(c)
                  ? `CASE WHEN bool_and(coalesce(${c} = 0, false)) THEN NULL ELSE array_agg(${c} ORDER BY at) END`
                  : `array_agg(${c}::real ORDER BY at)`,
              ).join(', ')}
         FROM (SELECT *, date_bin('1 hour', at, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS hour FROM "interface_samples") s
        GROUP BY device_id, if_index, hour`,
    );
    await queryRunner.query(`DROP TABLE "interface_samples"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "interface_samples" ("device_id" uuid NOT NULL, "if_index" integer NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "in_bps" double precision, "out_bps" double precision, "in_errors" real, "out_errors" real, "in_discards" real, "out_discards" real, CONSTRAINT "interface_samples_pkey" PRIMARY KEY ("device_id", "if_index", "at"))`,
    );
    await queryRunner.query(`CREATE INDEX "interface_samples_at_brin" ON "interface_samples" USING brin ("at") `);
    await queryRunner.query(
      `ALTER TABLE "interface_samples" ADD CONSTRAINT "interface_samples_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "devices"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `INSERT INTO "interface_samples" (device_id, if_index, at, ${VALUES.join(', ')})
       SELECT h.device_id, h.if_index, h.hour + u.offset_ms * interval '1 millisecond',
              ${VALUES.map((c) => (ERRORS.includes(c) ? `CASE WHEN h.${c} IS NULL THEN 0 ELSE u.${c} END` : `u.${c}`)).join(', ')}
         FROM "interface_sample_hours" h, unnest(h.offsets_ms, ${VALUES.map((c) => `h.${c}`).join(', ')}) AS u(offset_ms, ${VALUES.join(', ')})
       UNION ALL
       SELECT p.device_id, u.if_index, p.at, ${VALUES.map((c) => `u.${c}`).join(', ')}
         FROM "interface_sample_polls" p, unnest(p.if_indexes, ${VALUES.map((c) => `p.${c}`).join(', ')}) AS u(if_index, ${VALUES.join(', ')})
       ON CONFLICT DO NOTHING`,
    );
    for (const table of ['interface_sample_hours', 'interface_sample_polls']) {
      await queryRunner.query(`ALTER TABLE "${table}" DROP CONSTRAINT "${table}_device_id_fkey"`);
      await queryRunner.query(`DROP TABLE "${table}"`);
    }
  }
}
