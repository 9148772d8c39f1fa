import { MigrationInterface, QueryRunner } from 'typeorm';

/** The summary of one interface and UTC day computed from its hourly rollups, `t` naming the days to compute. */
function summarySql(withChartArrays: boolean): string {
  const chart = withChartArrays
    ? `, array_agg(extract(hour FROM h.bucket AT TIME ZONE 'UTC')::smallint ORDER BY h.bucket),
         array_agg(h.in_bps_min ORDER BY h.bucket), array_agg(h.in_bps_max ORDER BY h.bucket),
         array_agg(h.out_bps_min ORDER BY h.bucket), array_agg(h.out_bps_max ORDER BY h.bucket)`
    : '';
  return `INSERT INTO interface_daily_summaries (device_id, if_index, day, in_bps_avgs, out_bps_avgs, in_bps_peak, out_bps_peak${
    withChartArrays ? ', hours, in_bps_mins, in_bps_maxs, out_bps_mins, out_bps_maxs' : ''
  })
        SELECT h.device_id, h.if_index, t.day, array_agg(h.in_bps_avg ORDER BY h.bucket), array_agg(h.out_bps_avg ORDER BY h.bucket),
               max(h.in_bps_max), max(h.out_bps_max)${chart}
          FROM pg_temp.touched_interface_days t
          JOIN interface_samples_1h h ON h.device_id = t.device_id AND h.if_index = t.if_index
           AND h.bucket >= (t.day::timestamp AT TIME ZONE 'UTC') AND h.bucket < ((t.day + 1)::timestamp AT TIME ZONE 'UTC')
         GROUP BY h.device_id, h.if_index, t.day;`;
}

function refreshFunctionSql(withChartArrays: boolean): string {
  return `CREATE OR REPLACE FUNCTION "interface_daily_summaries_refresh"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        CREATE TEMP TABLE IF NOT EXISTS pg_temp.touched_interface_days (device_id uuid, if_index int, day date) ON COMMIT DROP;
        DELETE FROM pg_temp.touched_interface_days;
        INSERT INTO pg_temp.touched_interface_days SELECT DISTINCT device_id, if_index, (bucket AT TIME ZONE 'UTC')::date FROM changed;
        DELETE FROM interface_daily_summaries s USING pg_temp.touched_interface_days t
         WHERE s.device_id = t.device_id AND s.if_index = t.if_index AND s.day = t.day;
        ${summarySql(withChartArrays)}
        RETURN NULL;
      END $$`;
}

/**
 * The daily summaries also carry what a long traffic chart needs (docs/decisions.md, "Long interface charts
 * from the daily summaries"): the UTC hour of each element and the hourly minimum and maximum of the bit
 * rates, beside the hourly averages they had. A 90-day chart of an interface then reads 91 rows instead of
 * 2,160 hourly rows each on its own heap page. The triggers on `interface_samples_1h` keep them (same
 * function, more columns); the summaries stored so far are recomputed here.
 */
export class InterfaceDailyChartArrays1796471000000 implements MigrationInterface {
  name = 'InterfaceDailyChartArrays1796471000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`TRUNCATE "interface_daily_summaries"`);
    await queryRunner.query(
      `ALTER TABLE "interface_daily_summaries" ADD "hours" smallint array NOT NULL, ADD "in_bps_mins" double precision array NOT NULL, ADD "in_bps_maxs" double precision array NOT NULL, ADD "out_bps_mins" double precision array NOT NULL, ADD "out_bps_maxs" double precision array NOT NULL`,
    );
    await queryRunner.query(refreshFunctionSql(true));
    // Backfill: every hour stored so far.
    await queryRunner.query(
      `INSERT INTO "interface_daily_summaries" (device_id, if_index, day, in_bps_avgs, out_bps_avgs, in_bps_peak, out_bps_peak,
                                                hours, in_bps_mins, in_bps_maxs, out_bps_mins, out_bps_maxs)
       SELECT device_id, if_index, (bucket AT TIME ZONE 'UTC')::date,
              array_agg(in_bps_avg ORDER BY bucket), array_agg(out_bps_avg ORDER BY bucket), max(in_bps_max), max(out_bps_max),
              array_agg(extract(hour FROM bucket AT TIME ZONE 'UTC')::smallint ORDER BY bucket),
              array_agg(in_bps_min ORDER BY bucket), array_agg(in_bps_max ORDER BY bucket),
              array_agg(out_bps_min ORDER BY bucket), array_agg(out_bps_max ORDER BY bucket)
         FROM interface_samples_1h
        GROUP BY 1, 2, 3`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(refreshFunctionSql(false));
    await queryRunner.query(
      `ALTER TABLE "interface_daily_summaries" DROP COLUMN "hours", DROP COLUMN "in_bps_mins", DROP COLUMN "in_bps_maxs", DROP COLUMN "out_bps_mins", DROP COLUMN "out_bps_maxs"`,
    );
  }
}
