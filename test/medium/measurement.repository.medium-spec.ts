import { MeasurementRepository, RETENTION_TABLES } from '../../libs/monitoring/src/measurements/measurement.repository';
import type { DeviceSampleRow, InterfaceSampleRow } from '../../libs/monitoring/src/measurements/measurement.types';
import { at, mediumSuite } from './medium-database';

const sample = (deviceId: string, iso: string, rttMs: number | null): DeviceSampleRow => ({
  deviceId,
  at: at(iso),
  rttMs,
  lossPct: 0,
  jitterMs: null,
  cpuPct: null,
  memPct: null,
});

const ifSample = (deviceId: string, ifIndex: number, iso: string, inBps: number): InterfaceSampleRow => ({
  deviceId,
  ifIndex,
  at: at(iso),
  inBps,
  outBps: 0,
  inErrors: null,
  outErrors: null,
  inDiscards: null,
  outDiscards: null,
});

describe('MeasurementRepository (medium: real PostgreSQL, real migrations)', () => {
  const s = mediumSuite('measurements', (ds) => new MeasurementRepository(ds));

  it('inserts a batch in one statement, skips samples of deleted devices, and tolerates a repeated batch', async () => {
    const d = await s.r.device();
    const batch = [
      sample(d.id, '2026-01-01T10:00:00Z', 1),
      sample(d.id, '2026-01-01T10:01:00Z', 2),
      sample('00000000-0000-4000-8000-000000000000', '2026-01-01T10:00:00Z', 3),
    ];
    expect(await s.repo.insertDeviceSamples(batch)).toBe(2);
    expect(await s.repo.insertDeviceSamples(batch)).toBe(0); // retried after a commit that did happen
    const series = await s.repo.series({
      deviceId: d.id,
      metric: 'rttMs',
      resolution: 'raw',
      from: at('2026-01-01T10:00:00Z'),
      to: at('2026-01-01T10:01:00Z'),
    });
    expect(series.map((p) => [p.at, p.avg])).toEqual([
      [at('2026-01-01T10:00:00Z'), 1],
      [at('2026-01-01T10:01:00Z'), 2],
    ]);
  });

  it('rolls raw samples up into 5-minute and hourly buckets, weighting averages by counts, and reads them back', async () => {
    const d = await s.r.device();
    await s.repo.insertDeviceSamples([
      sample(d.id, '2026-02-01T10:00:00Z', 10),
      sample(d.id, '2026-02-01T10:02:00Z', 20),
      sample(d.id, '2026-02-01T10:04:59Z', 30),
      sample(d.id, '2026-02-01T10:05:00Z', 100),
      sample(d.id, '2026-02-01T10:06:00Z', null), // not measured: not counted
    ]);
    await s.repo.insertInterfaceSamples([
      ifSample(d.id, 2, '2026-02-01T10:01:00Z', 1000),
      ifSample(d.id, 2, '2026-02-01T10:03:00Z', 3000),
      ifSample(d.id, 3, '2026-02-01T10:03:00Z', 9),
    ]);
    const range = { from: at('2026-02-01T10:00:00Z'), to: at('2026-02-01T11:00:00Z') };
    const written5m = await s.repo.inRollupTransaction((m) => s.repo.rollUp(m, '5m', range), true);
    expect(written5m).toBeGreaterThanOrEqual(4); // 2 device buckets + 2 interface buckets (other devices' rows may add)
    await s.repo.inRollupTransaction((m) => s.repo.rollUp(m, '1h', range), true);

    const fiveMin = await s.repo.series({ deviceId: d.id, metric: 'rttMs', resolution: '5m', ...range });
    expect(fiveMin).toEqual([
      { at: at('2026-02-01T10:00:00Z'), avg: 20, min: 10, max: 30 },
      { at: at('2026-02-01T10:05:00Z'), avg: 100, min: 100, max: 100 },
    ]);
    const hourly = await s.repo.series({ deviceId: d.id, metric: 'rttMs', resolution: '1h', ...range });
    expect(hourly).toEqual([{ at: at('2026-02-01T10:00:00Z'), avg: 40, min: 10, max: 100 }]); // (10+20+30+100)/4
    const iface = await s.repo.series({ deviceId: d.id, metric: 'inBps', ifIndex: 2, resolution: '5m', ...range });
    expect(iface).toEqual([{ at: at('2026-02-01T10:00:00Z'), avg: 2000, min: 1000, max: 3000 }]);

    // a bucket rolled up again is replaced, not doubled
    await s.repo.insertDeviceSamples([sample(d.id, '2026-02-01T10:03:00Z', 40)]);
    await s.repo.inRollupTransaction((m) => s.repo.rollUp(m, '5m', range), true);
    expect((await s.repo.series({ deviceId: d.id, metric: 'rttMs', resolution: '5m', ...range }))[0]).toEqual({
      at: at('2026-02-01T10:00:00Z'),
      avg: 25,
      min: 10,
      max: 40,
    });
  });

  it('moves watermarks forward only, and lets one rollup run hold the lock at a time', async () => {
    await s.repo.inRollupTransaction((m) => s.repo.advanceWatermark(m, '5m', at('2026-03-01T10:00:00Z')), true);
    await s.repo.inRollupTransaction((m) => s.repo.advanceWatermark(m, '5m', at('2026-03-01T09:00:00Z')), true);
    expect((await s.repo.watermarks())['5m']).toEqual(at('2026-03-01T10:00:00Z'));

    let inner: unknown = 'not run';
    const outer = await s.repo.inRollupTransaction(async () => {
      inner = await s.repo.inRollupTransaction(async () => 'ran');
      return 'outer';
    });
    expect(outer).toBe('outer');
    expect(inner).toBeUndefined();
  });

  it('deletes rows older than a cutoff in batches, and only those', async () => {
    const d = await s.r.device();
    await s.repo.insertDeviceSamples([
      sample(d.id, '2025-01-01T00:00:00Z', 1),
      sample(d.id, '2025-01-01T00:01:00Z', 2),
      sample(d.id, '2025-01-01T00:02:00Z', 3),
      sample(d.id, '2026-06-01T00:00:00Z', 4),
    ]);
    const raw = RETENTION_TABLES.raw.find((t) => t.table === 'device_samples')!;
    expect(await s.repo.deleteOlderThan(raw, at('2025-01-01T00:02:00Z'), 1, 1)).toBe(1); // one batch of one
    expect(await s.repo.deleteOlderThan(raw, at('2025-06-01T00:00:00Z'), 10, 5)).toBe(2);
    const left = await s.repo.series({
      deviceId: d.id,
      metric: 'rttMs',
      resolution: 'raw',
      from: at('2024-01-01T00:00:00Z'),
      to: at('2027-01-01T00:00:00Z'),
    });
    expect(left.map((p) => p.avg)).toEqual([4]);
  });
  it('stores interface samples per poll, packs complete hours per interface, and reads both the same way', async () => {
    const d = await s.r.device();
    const gone = '00000000-0000-4000-8000-000000000000';
    const at0 = '2026-04-01T10:00:00.250Z';
    const poll = (iso: string, inBps: number, inErrors: number | null) => [
      { ...ifSample(d.id, 1, iso, inBps), inErrors },
      { ...ifSample(d.id, 2, iso, inBps * 2), inErrors: 0 },
    ];
    // a poll split over two batches, a repeat inside a batch, a deleted device: 4 samples stored of 6
    expect(
      await s.repo.insertInterfaceSamples([
        poll(at0, 1.5e9 + 1, 0)[0],
        poll(at0, 1.5e9 + 1, 0)[0],
        ifSample(gone, 1, at0, 7),
      ]),
    ).toBe(1);
    expect(
      await s.repo.insertInterfaceSamples([poll(at0, 1.5e9 + 1, 0)[1], ...poll('2026-04-01T10:00:30Z', 2000, 0.5)]),
    ).toBe(3);
    expect(await s.repo.insertInterfaceSamples(poll('2026-04-01T10:00:30Z', 9, 9))).toBe(0); // retried after a commit
    await s.repo.insertInterfaceSamples(poll('2026-04-01T11:00:00Z', 3000, null)); // the next hour: not packed yet

    const window = { deviceId: d.id, metric: 'inBps' as const, resolution: 'raw' as const };
    const range = { from: at('2026-04-01T10:00:00Z'), to: at('2026-04-01T11:00:00Z') };
    const read = async (metric: 'inBps' | 'inErrors', ifIndex: number) =>
      (await s.repo.series({ ...window, ...range, metric, ifIndex })).map((p) => [p.at.toISOString(), p.avg]);
    const before = await read('inBps', 1);
    expect(before).toEqual([
      [at0, 1.5e9 + 1],
      ['2026-04-01T10:00:30.000Z', 2000],
      ['2026-04-01T11:00:00.000Z', 3000],
    ]);
    await s.repo.inRollupTransaction((m) => s.repo.rollUp(m, '5m', range), true);
    const fiveMin = await s.repo.series({ ...window, ...range, ifIndex: 1, resolution: '5m' });
    expect(fiveMin).toEqual([
      { at: at('2026-04-01T10:00:00Z'), avg: (1.5e9 + 1 + 2000) / 2, min: 2000, max: 1.5e9 + 1 },
    ]);

    expect(
      await s.repo.inRollupTransaction((m) => s.repo.packInterfaceSamples(m, at('2026-04-01T11:00:00Z')), true),
    ).toBeGreaterThanOrEqual(2); // 2 interfaces × 1 hour (other tests' rows may add)
    const [{ rows, hours, errors }] = await s.db.dataSource.query(
      `SELECT (SELECT count(*)::int FROM interface_sample_polls WHERE device_id = $1) AS rows,
              (SELECT count(*)::int FROM interface_sample_hours WHERE device_id = $1) AS hours,
              (SELECT in_errors FROM interface_sample_hours WHERE device_id = $1 AND if_index = 2) AS errors`,
      [d.id],
    );
    expect({ rows, hours, errors }).toEqual({ rows: 1, hours: 2, errors: null }); // all-zero errors: no array
    // the same samples, at millisecond precision; values as real (7 significant digits)
    expect(await read('inBps', 1)).toEqual([
      [at0, Math.fround(1.5e9 + 1)],
      ['2026-04-01T10:00:30.000Z', 2000],
      ['2026-04-01T11:00:00.000Z', 3000],
    ]);
    expect(await read('inErrors', 1)).toEqual([
      [at0, 0],
      ['2026-04-01T10:00:30.000Z', 0.5],
    ]);
    expect(await read('inErrors', 2)).toEqual([
      [at0, 0],
      ['2026-04-01T10:00:30.000Z', 0],
      ['2026-04-01T11:00:00.000Z', 0],
    ]);

    // a late sample of a packed hour is merged into its row; a repeat of one it holds is not
    await s.repo.insertInterfaceSamples([ifSample(d.id, 1, '2026-04-01T10:59:00Z', 5), ifSample(d.id, 1, at0, 1)]);
    await s.repo.inRollupTransaction((m) => s.repo.packInterfaceSamples(m, at('2026-04-01T11:00:00Z')), true);
    expect((await read('inBps', 1)).map(([, v]) => v)).toEqual([Math.fround(1.5e9 + 1), 2000, 5, 3000]);
    const again = await s.repo.inRollupTransaction((m) => s.repo.rollUp(m, '5m', range), true);
    expect(again).toBeGreaterThan(0);
    expect(await s.repo.series({ ...window, ...range, ifIndex: 1, resolution: '5m' })).toEqual([
      {
        at: at('2026-04-01T10:00:00Z'),
        avg: (Math.fround(1.5e9 + 1) + 2000) / 2,
        min: 2000,
        max: Math.fround(1.5e9 + 1),
      },
      { at: at('2026-04-01T10:55:00Z'), avg: 5, min: 5, max: 5 },
    ]);
  });

  it('deletes an hour of packed interface samples once the whole hour is past the cutoff', async () => {
    const d = await s.r.device();
    await s.repo.insertInterfaceSamples([
      ifSample(d.id, 1, '2025-02-01T10:00:00Z', 1),
      ifSample(d.id, 1, '2025-02-01T10:59:00Z', 2),
      ifSample(d.id, 1, '2025-02-01T11:00:00Z', 3),
    ]);
    await s.repo.inRollupTransaction((m) => s.repo.packInterfaceSamples(m, at('2025-02-01T12:00:00Z')), true);
    const hours = RETENTION_TABLES.raw.find((t) => t.table === 'interface_sample_hours')!;
    expect(await s.repo.deleteOlderThan(hours, at('2025-02-01T10:59:30Z'), 10, 1)).toBe(0);
    expect(await s.repo.deleteOlderThan(hours, at('2025-02-01T11:00:00Z'), 10, 1)).toBe(1);
    const left = await s.repo.series({
      deviceId: d.id,
      metric: 'inBps',
      ifIndex: 1,
      resolution: 'raw',
      from: at('2025-02-01T00:00:00Z'),
      to: at('2025-02-02T00:00:00Z'),
    });
    expect(left.map((p) => p.avg)).toEqual([3]);
  });

  it('charts hourly traffic from the daily summaries with the same points and values as the hourly rows', async () => {
    const d = await s.r.device();
    const hour = async (ifIndex: number, iso: string, inBps: [number, number, number] | null, outAvg: number | null) =>
      s.db.dataSource.query(
        `INSERT INTO interface_samples_1h (device_id, if_index, bucket, in_bps_avg, in_bps_min, in_bps_max, in_bps_count,
           out_bps_avg, out_bps_min, out_bps_max, out_bps_count, in_errors_count, out_errors_count, in_discards_count, out_discards_count)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8, $9, 0, 0, 0, 0)`,
        [d.id, ifIndex, at(iso), ...(inBps ?? [null, null, null]), inBps ? 120 : 0, outAvg, outAvg === null ? 0 : 120],
      );
    await hour(5, '2026-05-01T22:00:00Z', [10, 1, 20], 7);
    await hour(5, '2026-05-01T23:00:00Z', [11, 2, 21], 8);
    await hour(5, '2026-05-02T00:00:00Z', [12, 3, 22], null); // no outbound reading that hour
    // 01:00 missing (the poller was down)
    await hour(5, '2026-05-02T02:00:00Z', null, 9); // no inbound reading that hour
    await hour(5, '2026-05-02T23:00:00Z', [13.5, 4, 23], 10);
    await hour(5, '2026-05-03T00:00:00Z', [14, 5, 24], 11);
    await hour(6, '2026-05-02T00:00:00Z', [99, 99, 99], 99); // another interface
    const range = { from: at('2026-05-01T23:00:00Z'), to: at('2026-05-03T00:00:00Z') };
    const fromHourlyRows = (column: string, ifIndex: number) =>
      s.db.dataSource.query(
        `SELECT bucket AS at, ${column}_avg AS avg, ${column}_min AS min, ${column}_max AS max FROM interface_samples_1h
          WHERE device_id = $1 AND bucket >= $2 AND bucket < $3 AND if_index = $4 AND ${column}_count > 0 ORDER BY bucket`,
        [d.id, range.from, range.to, ifIndex],
      );
    const chart = (metric: 'inBps' | 'outBps', ifIndex = 5) =>
      s.repo.series({ deviceId: d.id, metric, ifIndex, resolution: '1h', ...range });

    expect(await chart('inBps')).toEqual([
      { at: at('2026-05-01T23:00:00Z'), avg: 11, min: 2, max: 21 },
      { at: at('2026-05-02T00:00:00Z'), avg: 12, min: 3, max: 22 },
      { at: at('2026-05-02T23:00:00Z'), avg: 13.5, min: 4, max: 23 },
    ]);
    expect((await chart('outBps')).map((p) => p.avg)).toEqual([8, 9, 10]);
    expect(await chart('inBps', 7)).toEqual([]); // no such interface
    for (const [metric, column, ifIndex] of [
      ['inBps', 'in_bps', 5],
      ['outBps', 'out_bps', 5],
      ['inBps', 'in_bps', 6],
    ] as const)
      expect(await chart(metric, ifIndex)).toEqual(await fromHourlyRows(column, ifIndex));

    // the rollup recomputing an hour, and retention deleting hours, reach the chart through the triggers
    await s.db.dataSource.query(
      `INSERT INTO interface_samples_5m (device_id, if_index, bucket, in_bps_avg, in_bps_min, in_bps_max, in_bps_count,
         out_bps_count, in_errors_count, out_errors_count, in_discards_count, out_discards_count)
       VALUES ($1, 5, '2026-05-02T00:05:00Z', 30, 30, 30, 10, 0, 0, 0, 0, 0)`,
      [d.id],
    );
    const hourRange = { from: at('2026-05-02T00:00:00Z'), to: at('2026-05-02T01:00:00Z') };
    await s.repo.inRollupTransaction((m) => s.repo.rollUp(m, '1h', hourRange), true);
    await s.repo.deleteOlderThan(
      RETENTION_TABLES['1h'].find((t) => t.table === 'interface_samples_1h')!,
      at('2026-05-02T00:00:00Z'),
      100,
      1,
    );
    expect(await chart('inBps')).toEqual([
      { at: at('2026-05-02T00:00:00Z'), avg: 30, min: 30, max: 30 },
      { at: at('2026-05-02T23:00:00Z'), avg: 13.5, min: 4, max: 23 },
    ]);
    expect(await chart('inBps')).toEqual(await fromHourlyRows('in_bps', 5));
  });
});
