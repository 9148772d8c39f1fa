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
});
