import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-interface, per-UTC-day summaries of the hourly rollups (the WAN capacity report reads whole days
 * from them), backfilled here from the hourly rollups already stored, then kept current by statement-level
 * triggers on `interface_samples_1h`: whatever writes or deletes hourly rows (the rollup job, retention,
 * a device deleted) recomputes the days it touched, so a summary never disagrees with its hours.
 */
export class InterfaceDailySummaries1796300000000 implements MigrationInterface {
  name = 'InterfaceDailySummaries1796300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "interface_daily_summaries" ("device_id" uuid NOT NULL, "if_index" integer NOT NULL, "day" date NOT NULL, "in_bps_avgs" double precision array NOT NULL, "out_bps_avgs" double precision array NOT NULL, "in_bps_peak" double precision, "out_bps_peak" double precision, CONSTRAINT "interface_daily_summaries_pkey" PRIMARY KEY ("device_id", "if_index", "day"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "interface_daily_summaries" ADD CONSTRAINT "interface_daily_summaries_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "devices"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`CREATE FUNCTION "interface_daily_summaries_refresh"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        CREATE TEMP TABLE IF NOT EXISTS pg_temp.touched_interface_days (device_id uuid, if_index int, day date) ON COMMIT DROP;
        DELETE FROM pg_temp.touched_interface_days;
        INSERT INTO pg_temp.touched_interface_days SELECT DISTINCT device_id, if_index, (bucket AT TIME ZONE 'UTC')::date FROM changed;
        DELETE FROM interface_daily_summaries s USING pg_temp.touched_interface_days t
         WHERE s.device_id = t.device_id AND s.if_index = t.if_index AND s.day = t.day;
        INSERT INTO interface_daily_summaries (device_id, if_index, day, in_bps_avgs, out_bps_avgs, in_bps_peak, out_bps_peak)
        SELECT h.device_id, h.if_index, t.day, array_agg(h.in_bps_avg ORDER BY h.bucket), array_agg(h.out_bps_avg ORDER BY h.bucket),
               max(h.in_bps_max), max(h.out_bps_max)
          FROM pg_temp.touched_interface_days t
          JOIN interface_samples_1h h ON h.device_id = t.device_id AND h.if_index = t.if_index
           AND h.bucket >= (t.day::timestamp AT TIME ZONE 'UTC') AND h.bucket < ((t.day + 1)::timestamp AT TIME ZONE 'UTC')
         GROUP BY h.device_id, h.if_index, t.day;
        RETURN NULL;
      END $$`);
    for (const [event, table] of [
      ['INSERT', 'NEW'],
      ['UPDATE', 'NEW'],
      ['DELETE', 'OLD'],
    ]) {
      await queryRunner.query(
        `CREATE TRIGGER "interface_daily_summaries_on_${event.toLowerCase()}" AFTER ${event} ON "interface_samples_1h" REFERENCING ${table} TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "interface_daily_summaries_refresh"()`,
      );
    }
    // Backfill: every hour stored so far.
    await queryRunner.query(
      `INSERT INTO "interface_daily_summaries" (device_id, if_index, day, in_bps_avgs, out_bps_avgs, in_bps_peak, out_bps_peak)
       SELECT device_id, if_index, (bucket AT TIME ZONE 'UTC')::date,
              array_agg(in_bps_avg ORDER BY bucket), array_agg(out_bps_avg ORDER BY bucket),
              max(in_bps_max), max(out_bps_max)
         FROM interface_samples_1h
        GROUP BY 1, 2, 3`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const event of ['insert', 'update', 'delete']) {
      await queryRunner.query(`DROP TRIGGER "interface_daily_summaries_on_${event}" ON "interface_samples_1h"`);
    }
    await queryRunner.query(`DROP FUNCTION "interface_daily_summaries_refresh"()`);
    await queryRunner.query(
      `ALTER TABLE "interface_daily_summaries" DROP CONSTRAINT "interface_daily_summaries_device_id_fkey"`,
    );
    await queryRunner.query(`DROP TABLE "interface_daily_summaries"`);
  }
}
