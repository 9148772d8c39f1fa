/**
 * The WAN capacity report reads whole days from monitoring's `interface_daily_summaries` (kept by triggers
 * on the hourly rollups) and only the edge hours from the hourly rollups: its answers must stay exactly
 * those of the hourly rows themselves, for windows on and off day boundaries, and after the hours change
 * (the rollup job rewriting them, retention deleting them).
 */
import { DataSource } from 'typeorm';
import { MeasurementRollupService } from '@netdesk/monitoring';
import { deviceFactory } from '../factories/device.factory';
import { startTestApp, TestApp } from '../support/test-app';

const HOUR = 3_600_000;
const START = Date.parse('2026-06-01T00:00:00Z');

describe('WAN capacity report from the day summaries', () => {
  let t: TestApp;
  let manager: string;
  let ds: DataSource;
  let deviceId: string;

  /** The report's numbers computed straight from the hourly rollups (the definition before the summaries). */
  const reference = async (from: string, to: string) => {
    const [r] = await ds.query(
      `SELECT percentile_disc(0.95) WITHIN GROUP (ORDER BY in_bps_avg) AS in_p95,
              percentile_disc(0.95) WITHIN GROUP (ORDER BY out_bps_avg) AS out_p95,
              max(in_bps_max) AS in_peak, max(out_bps_max) AS out_peak,
              count(*) FILTER (WHERE greatest(in_bps_avg, out_bps_avg) > 100e6 * 0.8) AS over
         FROM interface_samples_1h WHERE device_id = $1 AND if_index = 1 AND bucket >= $2 AND bucket < $3`,
      [deviceId, from, to],
    );
    const round = (v: unknown) => (v === null ? null : Math.round(Number(v)));
    return {
      inP95Bps: round(r.in_p95),
      outP95Bps: round(r.out_p95),
      inPeakBps: round(r.in_peak),
      outPeakBps: round(r.out_peak),
      hoursOverThreshold: Number(r.over),
    };
  };
  const report = async (from: string, to: string) => {
    const rows = (
      await t.http.get(`/api/reports/wan-links?from=${from}&to=${to}`).set('Authorization', manager).expect(200)
    ).body as Record<string, unknown>[];
    const row = rows.find((r) => r.deviceId === deviceId)!;
    return {
      inP95Bps: row.inP95Bps,
      outP95Bps: row.outP95Bps,
      inPeakBps: row.inPeakBps,
      outPeakBps: row.outPeakBps,
      hoursOverThreshold: row.hoursOverThreshold,
    };
  };
  const WINDOWS: [string, string][] = [
    ['2026-06-01T00:00:00Z', '2026-06-11T00:00:00Z'], // whole days only
    ['2026-06-01T05:00:00Z', '2026-06-09T19:00:00Z'], // edge hours on both sides
    ['2026-05-20T00:00:00Z', '2026-06-04T07:30:00Z'], // days without data, a window ending mid-hour
    ['2026-06-03T02:00:00Z', '2026-06-03T22:00:00Z'], // inside one day: no whole day at all
    ['2026-06-02T00:00:00Z', '2026-06-10T13:00:00Z'],
  ];
  const expectSameAsHourly = async () => {
    for (const [from, to] of WINDOWS) {
      const got = await report(from, to);
      expect({ from, to, ...got }).toEqual({ from, to, ...(await reference(from, to)) });
    }
  };

  beforeAll(async () => {
    t = await startTestApp('wan-links-summaries');
    manager = `Bearer ${await t.tokenFor('manager')}`;
    ds = t.app.get(DataSource);
    deviceId = (await deviceFactory.create(t, { kind: 'router', name: 'router-s' })).id;
    await ds.query(
      `INSERT INTO device_interfaces (device_id, if_index, name, alias, admin_status, oper_status, oper_since, speed_bps,
                                      monitored, capacity_bps, utilisation_pct, updated_at)
       VALUES ($1, 1, 'ge-0/0/1', '', 'up', 'up', now(), 1000000000, true, 100000000, 80, now())`,
      [deviceId],
    );
    // 10 days of hours, uneven values (some hours without an in or out average), a gap of missing hours.
    await ds.query(
      `INSERT INTO interface_samples_1h (device_id, if_index, bucket, in_bps_avg, in_bps_min, in_bps_max, in_bps_count,
              out_bps_avg, out_bps_min, out_bps_max, out_bps_count, in_errors_count, out_errors_count, in_discards_count, out_discards_count)
       SELECT $1, 1, $2::timestamptz + h * interval '1 hour',
              CASE WHEN h % 17 = 3 THEN NULL ELSE (h * 7919 % 1000) * 1e5 + 0.25 END, 0,
              (h * 7919 % 1000) * 1.2e5 + h, 12,
              CASE WHEN h % 23 = 5 THEN NULL ELSE (h * 104729 % 997) * 0.9e5 END, 0, (h * 104729 % 997) * 1e5, 12,
              0, 0, 0, 0
         FROM generate_series(0, 239) AS h WHERE h NOT BETWEEN 100 AND 110`,
      [deviceId, new Date(START).toISOString()],
    );
  });
  afterAll(() => t?.close());

  it('keeps a summary of every day the hourly rollups hold', async () => {
    const [r] = await ds.query(
      `SELECT count(*)::int AS days, sum(cardinality(in_bps_avgs))::int AS hours FROM interface_daily_summaries WHERE device_id = $1`,
      [deviceId],
    );
    expect(r).toEqual({ days: 10, hours: 240 - 11 });
  });

  it('answers exactly as the hourly rollups do, on and off day boundaries', async () => {
    await expectSameAsHourly();
  });

  it('follows the hours when the rollup job rewrites them and retention deletes them', async () => {
    // Raw samples of a busy hour on day 5: the real rollup job rewrites that hour's row (INSERT … ON CONFLICT).
    const at = START + 4 * 24 * HOUR + 13 * HOUR;
    await ds.query(
      `INSERT INTO interface_sample_polls (device_id, at, if_indexes, in_bps, out_bps, in_errors, out_errors, in_discards, out_discards)
       SELECT $1, $2::timestamptz + m * interval '1 minute', '{1}', '{9.5e7}', '{9.9e7}', '{NULL}', '{NULL}', '{NULL}', '{NULL}'
         FROM generate_series(0, 59) AS m`,
      [deviceId, new Date(at).toISOString()],
    );
    await t.app.get(MeasurementRollupService).rollUp({ since: new Date(at), wait: true });
    const [hour] = await ds.query(`SELECT in_bps_avg FROM interface_samples_1h WHERE device_id = $1 AND bucket = $2`, [
      deviceId,
      new Date(at).toISOString(),
    ]);
    expect(Number(hour.in_bps_avg)).toBe(9.5e7);
    // A plain update, and the first day and a half deleted (as retention does).
    await ds.query(`UPDATE interface_samples_1h SET out_bps_max = 5e8 WHERE device_id = $1 AND bucket = $2`, [
      deviceId,
      new Date(START + 7 * 24 * HOUR + 2 * HOUR).toISOString(),
    ]);
    await ds.query(`DELETE FROM interface_samples_1h WHERE device_id = $1 AND bucket < $2`, [
      deviceId,
      new Date(START + 36 * HOUR).toISOString(),
    ]);
    const [r] = await ds.query(
      `SELECT min(day)::text AS first, max(out_bps_peak) AS peak FROM interface_daily_summaries WHERE device_id = $1`,
      [deviceId],
    );
    expect(r).toEqual({ first: '2026-06-02', peak: 5e8 });
    await expectSameAsHourly();
  });
});
