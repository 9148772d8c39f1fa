/**
 * SQL of the raw interface samples, stored in two tables (see docs/decisions.md, "Interface samples packed
 * per hour"): `interface_sample_polls` takes each device poll as one row of parallel arrays (cheap to
 * write), and the rollup job packs every complete hour into `interface_sample_hours`, one row per
 * interface and hour (small on disk). Readers see the union of both, one row per sample.
 */

const ORIGIN = `TIMESTAMPTZ '2000-01-01 00:00:00+00'`; // hours aligned to UTC whatever the session time zone
const VALUES = ['in_bps', 'out_bps', 'in_errors', 'out_errors', 'in_discards', 'out_discards'];
/** Columns stored as NULL in an hour row when they were 0 at every sample of the hour. */
const ZERO_WHEN_NULL = new Set(['in_errors', 'out_errors', 'in_discards', 'out_discards']);
const list = (f: (c: string) => string) => VALUES.map(f).join(', ');

/**
 * Stores a batch of device polls: $1 device ids and $2 times, one per poll, $3 how many interfaces each
 * poll has and $4 where they end (1-based, inclusive) in the flat arrays $5 (ifIndexes) and $6–$11 (values).
 * Polls of devices deleted meanwhile are skipped, and a poll already stored takes in only a set of
 * interfaces disjoint from its own (a poll split over two batches); a repeated one (a retried batch that
 * did commit) is skipped. Returns `stored`, the samples written.
 */
export const INSERT_INTERFACE_POLLS_SQL = `WITH polls AS MATERIALIZED (
    SELECT u.device_id, u.at, ($5::int[])[u.first:u.last] AS if_indexes,
           ($6::float8[])[u.first:u.last] AS in_bps, ($7::float8[])[u.first:u.last] AS out_bps,
           ($8::real[])[u.first:u.last] AS in_errors, ($9::real[])[u.first:u.last] AS out_errors,
           ($10::real[])[u.first:u.last] AS in_discards, ($11::real[])[u.first:u.last] AS out_discards
      FROM (SELECT *, last - n + 1 AS first
              FROM unnest($1::uuid[], $2::timestamptz[], $3::int[], $4::int[]) AS u(device_id, at, n, last)) u
     WHERE EXISTS (SELECT 1 FROM devices d WHERE d.id = u.device_id)
  ), stored AS (
    INSERT INTO interface_sample_polls AS p (device_id, at, if_indexes, ${list((c) => c)})
    SELECT device_id, at, if_indexes, ${list((c) => c)} FROM polls
    ON CONFLICT (device_id, at) DO UPDATE
      SET if_indexes = p.if_indexes || EXCLUDED.if_indexes, ${list((c) => `${c} = p.${c} || EXCLUDED.${c}`)}
      WHERE NOT p.if_indexes && EXCLUDED.if_indexes
    RETURNING device_id, at
  )
  SELECT coalesce(sum(cardinality(polls.if_indexes)), 0)::int AS stored FROM stored JOIN polls USING (device_id, at)`;

/**
 * Every raw interface sample as a row (device_id, if_index, at, in_bps … out_discards), from both tables.
 * `where.polls` filters `interface_sample_polls p` (by `p.device_id`, `p.at`), `where.hours` filters
 * `interface_sample_hours h` (by `h.device_id`, `h.if_index`, `h.hour`: an hour row holds samples from
 * `h.hour` to `h.hour + 1 hour`); callers filter the rows' `at` as well.
 */
export function rawInterfaceSamplesSql(where: { polls: string; hours: string }): string {
  const fromHour = (c: string) =>
    ZERO_WHEN_NULL.has(c) ? `CASE WHEN h.${c} IS NULL THEN 0 ELSE u.${c} END` : `u.${c}::float8`;
  return `SELECT p.device_id, u.if_index, p.at, ${list((c) => `u.${c}`)}
      FROM interface_sample_polls p, unnest(p.if_indexes, ${list((c) => `p.${c}`)}) AS u(if_index, ${list((c) => c)})
     WHERE ${where.polls}
    UNION ALL
    SELECT h.device_id, h.if_index, h.hour + u.offset_ms * interval '1 millisecond', ${list(fromHour)}
      FROM interface_sample_hours h, unnest(h.offsets_ms, ${list((c) => `h.${c}`)}) AS u(offset_ms, ${list((c) => c)})
     WHERE ${where.hours}`;
}

/**
 * Moves the polls older than $1 into hour rows: an hour already stored is rewritten with the new samples
 * merged in (a sample it holds already wins over a repeat). Times keep millisecond precision.
 */
export const PACK_INTERFACE_SAMPLES_SQL = `WITH moved AS (
    DELETE FROM interface_sample_polls WHERE at < $1 RETURNING *
  ), fresh AS (
    SELECT m.device_id, u.if_index, date_bin('1 hour', m.at, ${ORIGIN}) AS hour, m.at, ${list((c) => `u.${c}`)}, 1 AS source
      FROM moved m, unnest(m.if_indexes, ${list((c) => `m.${c}`)}) AS u(if_index, ${list((c) => c)})
  ), touched AS (
    SELECT DISTINCT device_id, if_index, hour FROM fresh
  ), kept AS (
    SELECT r.device_id, r.if_index, t.hour, r.at, ${list((c) => `r.${c}`)}, 0 AS source
      FROM touched t, LATERAL (${rawInterfaceSamplesSql({
        polls: 'false',
        hours: 'h.device_id = t.device_id AND h.if_index = t.if_index AND h.hour = t.hour',
      })}) r
  ), samples AS (
    SELECT DISTINCT ON (device_id, if_index, at) * FROM (SELECT * FROM kept UNION ALL SELECT * FROM fresh) s
     ORDER BY device_id, if_index, at, source
  )
  INSERT INTO interface_sample_hours (device_id, if_index, hour, offsets_ms, ${list((c) => c)})
  SELECT device_id, if_index, hour,
         array_agg(floor(extract(epoch FROM at - hour) * 1000)::int ORDER BY at),
         ${list((c) =>
           ZERO_WHEN_NULL.has(c)
             ? `CASE WHEN bool_and(coalesce(${c} = 0, false)) THEN NULL ELSE array_agg(${c}::real ORDER BY at) END`
             : `array_agg(${c}::real ORDER BY at)`,
         )}
    FROM samples
   GROUP BY device_id, if_index, hour
  ON CONFLICT (device_id, if_index, hour) DO UPDATE
    SET offsets_ms = EXCLUDED.offsets_ms, ${list((c) => `${c} = EXCLUDED.${c}`)}`;
