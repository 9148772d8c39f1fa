import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { MeasurementRollupService, MeasurementWriter } from '@netdesk/monitoring';
import { deviceFactory } from '../factories/device.factory';
import { startTestApp, TestApp } from '../support/test-app';

const MIN = 60_000;
const HOUR = 60 * MIN;
const iso = (ms: number) => new Date(ms).toISOString();

/** Measurements end to end: the poller's writer in, rollups and retention, the series API out. */
describe('measurements', () => {
  let t: TestApp;
  let writer: MeasurementWriter;
  let rollups: MeasurementRollupService;
  let ds: DataSource;
  let viewer: string;
  /** A whole hour, three hours back: every sample the tests write is in the past. */
  const hourStart = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;

  beforeAll(async () => {
    t = await startTestApp('measurements');
    writer = t.app.get(MeasurementWriter);
    rollups = t.app.get(MeasurementRollupService);
    ds = t.app.get(DataSource);
    viewer = `Bearer ${await t.tokenFor('viewer')}`;
  });
  afterAll(() => t.close());

  const series = (deviceId: string, query: Record<string, string | number>) =>
    t.http.get(`/api/devices/${deviceId}/metrics`).query(query).set('Authorization', viewer);
  /** Raw interface samples, one row each, whether still in their poll's row or packed into hours. */
  const INTERFACE_SAMPLES = `(SELECT device_id FROM interface_sample_polls, unnest(if_indexes)
    UNION ALL SELECT device_id FROM interface_sample_hours, unnest(offsets_ms)) AS interface_samples`;
  const count = async (table: string, deviceId: string) =>
    Number((await ds.query(`SELECT count(*) AS n FROM ${table} WHERE device_id = $1`, [deviceId]))[0].n);

  /** One device poll a minute for an hour: rttMs = minute, lossPct 0 or 100, memPct 40, no cpuPct. */
  async function deviceWithAnHourOfPolls(): Promise<string> {
    const device = await deviceFactory.create(t);
    for (let m = 0; m < 60; m++) {
      writer.recordDevice({
        deviceId: device.id,
        at: new Date(hourStart + m * MIN),
        rttMs: m,
        lossPct: m % 10 === 9 ? 100 : 0,
        memPct: 40,
      });
    }
    await writer.flush();
    return device.id;
  }

  describe('device metrics at each resolution', () => {
    let deviceId: string;
    beforeAll(async () => {
      deviceId = await deviceWithAnHourOfPolls();
      const result = await rollups.rollUp({ since: new Date(hourStart), wait: true });
      expect(result.ran).toBe(true);
    });

    it('serves raw samples, one point per poll, with avg = min = max = the value', async () => {
      const res = await series(deviceId, { metric: 'rttMs', from: iso(hourStart), to: iso(hourStart + HOUR) }).expect(
        200,
      );
      expect(res.body).toMatchObject({
        deviceId,
        metric: 'rttMs',
        resolution: 'raw',
        from: iso(hourStart),
        to: iso(hourStart + HOUR),
      });
      expect(res.body).not.toHaveProperty('ifIndex');
      expect(res.body.points).toHaveLength(60);
      expect(res.body.points[0]).toEqual({ at: iso(hourStart), avg: 0, min: 0, max: 0 });
      expect(res.body.points[59]).toEqual({ at: iso(hourStart + 59 * MIN), avg: 59, min: 59, max: 59 });
    });

    it('serves 5-minute buckets with avg, min and max of their samples', async () => {
      const res = await series(deviceId, {
        metric: 'rttMs',
        from: iso(hourStart),
        to: iso(hourStart + HOUR),
        resolution: '5m',
      }).expect(200);
      expect(res.body.resolution).toBe('5m');
      expect(res.body.points).toHaveLength(12);
      res.body.points.forEach((p: { at: string; avg: number; min: number; max: number }, k: number) => {
        expect(p).toEqual({ at: iso(hourStart + k * 5 * MIN), avg: 5 * k + 2, min: 5 * k, max: 5 * k + 4 });
      });
      const loss = await series(deviceId, {
        metric: 'lossPct',
        from: iso(hourStart),
        to: iso(hourStart + HOUR),
        resolution: '5m',
      }).expect(200);
      expect(loss.body.points.map((p: { max: number }) => p.max)).toEqual([
        0, 100, 0, 100, 0, 100, 0, 100, 0, 100, 0, 100,
      ]);
      expect(loss.body.points[1].avg).toBeCloseTo(20);
    });

    it('serves hourly buckets rolled up from the 5-minute ones', async () => {
      const res = await series(deviceId, {
        metric: 'rttMs',
        from: iso(hourStart - HOUR),
        to: iso(hourStart + 2 * HOUR),
        resolution: '1h',
      }).expect(200);
      expect(res.body.points).toEqual([{ at: iso(hourStart), avg: 29.5, min: 0, max: 59 }]);
    });

    it('leaves out polls and buckets without a value for the metric', async () => {
      for (const resolution of ['raw', '5m', '1h']) {
        const res = await series(deviceId, {
          metric: 'cpuPct',
          from: iso(hourStart),
          to: iso(hourStart + HOUR),
          resolution,
        }).expect(200);
        expect(res.body.points).toEqual([]);
      }
    });

    it('picks the resolution from the window when none is asked for', async () => {
      const now = Date.now();
      const pick = async (from: number) =>
        (await series(deviceId, { metric: 'memPct', from: iso(from), to: iso(now) }).expect(200)).body.resolution;
      expect(await pick(now - 5 * HOUR)).toBe('raw');
      expect(await pick(now - 3 * 24 * HOUR)).toBe('5m');
      expect(await pick(now - 30 * 24 * HOUR)).toBe('1h');
    });

    it('defaults to the last hour', async () => {
      const before = Date.now();
      writer.recordDevice({ deviceId, at: new Date(before - 10 * MIN), rttMs: 7 });
      await writer.flush();
      const res = await series(deviceId, { metric: 'rttMs' }).expect(200);
      expect(res.body.resolution).toBe('raw');
      expect(new Date(res.body.to).getTime() - new Date(res.body.from).getTime()).toBe(HOUR);
      expect(new Date(res.body.to).getTime()).toBeGreaterThanOrEqual(before);
      expect(res.body.points).toEqual([{ at: iso(before - 10 * MIN), avg: 7, min: 7, max: 7 }]);
    });

    it('gives the same rollups when run again, and takes in samples that arrived late', async () => {
      await rollups.rollUp({ since: new Date(hourStart), wait: true });
      const query = { metric: 'rttMs', from: iso(hourStart), to: iso(hourStart + HOUR), resolution: '5m' };
      const again = await series(deviceId, query).expect(200);
      expect(again.body.points[0]).toEqual({ at: iso(hourStart), avg: 2, min: 0, max: 4 });

      writer.recordDevice({ deviceId, at: new Date(hourStart + 30_000), rttMs: 100 });
      await writer.flush();
      await rollups.rollUp({ since: new Date(hourStart), wait: true });
      const late = await series(deviceId, query).expect(200);
      expect(late.body.points[0]).toEqual({ at: iso(hourStart), avg: 110 / 6, min: 0, max: 100 });
      const hourly = await series(deviceId, { ...query, resolution: '1h' }).expect(200);
      expect(hourly.body.points[0].max).toBe(100);
      expect(hourly.body.points[0].avg).toBeCloseTo((1770 + 100) / 61);
    });
  });

  describe('interface metrics', () => {
    it('keeps each interface of a device apart and needs ifIndex', async () => {
      const device = await deviceFactory.create(t);
      for (let m = 0; m < 10; m++) {
        writer.recordInterfaces(device.id, new Date(hourStart + m * MIN), [
          { ifIndex: 1, inBps: 1e9 + m, outBps: 5e8, inErrors: 0, outErrors: 0, inDiscards: null, outDiscards: null },
          { ifIndex: 2, inBps: 1000 * m, outBps: 0, inErrors: m / 10, outErrors: 0, inDiscards: 2, outDiscards: 0 },
        ]);
      }
      await writer.flush();
      await rollups.rollUp({ since: new Date(hourStart), wait: true });
      const window = { from: iso(hourStart), to: iso(hourStart + HOUR) };

      const raw = await series(device.id, { metric: 'inBps', ifIndex: 2, ...window }).expect(200);
      expect(raw.body).toMatchObject({ metric: 'inBps', ifIndex: 2, resolution: 'raw' });
      expect(raw.body.points.map((p: { avg: number }) => p.avg)).toEqual([
        0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000,
      ]);
      const big = await series(device.id, { metric: 'inBps', ifIndex: 1, ...window, resolution: '5m' }).expect(200);
      expect(big.body.points).toEqual([
        { at: iso(hourStart), avg: 1e9 + 2, min: 1e9, max: 1e9 + 4 },
        { at: iso(hourStart + 5 * MIN), avg: 1e9 + 7, min: 1e9 + 5, max: 1e9 + 9 },
      ]);
      const errors = await series(device.id, { metric: 'inErrors', ifIndex: 2, ...window, resolution: '1h' }).expect(
        200,
      );
      expect(errors.body.points).toHaveLength(1);
      expect(errors.body.points[0].avg).toBeCloseTo(0.45);
      const discards = await series(device.id, { metric: 'inDiscards', ifIndex: 1, ...window }).expect(200);
      expect(discards.body.points).toEqual([]);
      const none = await series(device.id, { metric: 'inBps', ifIndex: 3, ...window }).expect(200);
      expect(none.body.points).toEqual([]);
    });

    it('charts 90 days of traffic hour by hour, exactly the hourly rollups, the newest hour rolled up included', async () => {
      const device = await deviceFactory.create(t);
      // 89 days of hourly rollups (as the rollup job leaves them: a gap, hours without an outbound reading) …
      await ds.query(
        `INSERT INTO interface_samples_1h (device_id, if_index, bucket, in_bps_avg, in_bps_min, in_bps_max, in_bps_count,
           out_bps_avg, out_bps_min, out_bps_max, out_bps_count, in_errors_count, out_errors_count, in_discards_count, out_discards_count)
         SELECT $1, 4, $2::timestamptz - h * interval '1 hour', h * 1000.5, h, h * 2000, 120,
                CASE WHEN h % 7 = 0 THEN NULL ELSE h END, CASE WHEN h % 7 = 0 THEN NULL ELSE h END,
                CASE WHEN h % 7 = 0 THEN NULL ELSE h END, CASE WHEN h % 7 = 0 THEN 0 ELSE 120 END, 0, 0, 0, 0
           FROM generate_series(1, 89 * 24) AS h WHERE h NOT BETWEEN 500 AND 520`,
        [device.id, iso(hourStart)],
      );
      // … and the hour polled last, rolled up by the real job
      for (let m = 0; m < 60; m += 10)
        writer.recordInterfaces(device.id, new Date(hourStart + m * MIN), [
          { ifIndex: 4, inBps: 7e6 + m, outBps: 3e6, inErrors: 0, outErrors: 0, inDiscards: 0, outDiscards: 0 },
        ]);
      await writer.flush();
      await rollups.rollUp({ since: new Date(hourStart), wait: true });

      const window = { from: iso(hourStart + HOUR - 90 * 24 * HOUR), to: iso(hourStart + HOUR) };
      for (const [metric, column] of [
        ['inBps', 'in_bps'],
        ['outBps', 'out_bps'],
      ]) {
        const chart = await series(device.id, { metric, ifIndex: 4, ...window }).expect(200);
        expect(chart.body.resolution).toBe('1h');
        const hourly: { at: Date; avg: number; min: number; max: number }[] = await ds.query(
          `SELECT bucket AS at, ${column}_avg AS avg, ${column}_min AS min, ${column}_max AS max FROM interface_samples_1h
            WHERE device_id = $1 AND if_index = 4 AND bucket >= $2 AND bucket < $3 AND ${column}_count > 0 ORDER BY bucket`,
          [device.id, window.from, window.to],
        );
        expect(hourly.length).toBeGreaterThan(1_800);
        expect(chart.body.points).toEqual(hourly.map((p) => ({ ...p, at: p.at.toISOString() })));
      }
      const last = await series(device.id, { metric: 'inBps', ifIndex: 4, ...window }).expect(200);
      expect(last.body.points.at(-1)).toEqual({ at: iso(hourStart), avg: 7e6 + 25, min: 7e6, max: 7e6 + 50 });
    });
  });

  describe('retention', () => {
    it('deletes raw samples past 48 h but keeps their rollups, and keeps recent samples', async () => {
      const device = await deviceFactory.create(t);
      const now = Date.now();
      const old = Math.floor((now - 50 * HOUR) / HOUR) * HOUR;
      for (let m = 0; m < 10; m++) writer.recordDevice({ deviceId: device.id, at: new Date(old + m * MIN), rttMs: 10 });
      writer.recordDevice({ deviceId: device.id, at: new Date(now - 2 * HOUR), rttMs: 20 });
      await writer.flush();
      await rollups.rollUp({ since: new Date(old), wait: true });
      expect(await count('device_samples', device.id)).toBe(11);

      const deleted = await rollups.applyRetention();
      expect(deleted.raw).toBeGreaterThanOrEqual(10);
      expect(await count('device_samples', device.id)).toBe(1);
      const window = { metric: 'rttMs', from: iso(old), to: iso(old + HOUR) };
      expect((await series(device.id, { ...window, resolution: 'raw' }).expect(200)).body.points).toEqual([]);
      const fiveMinute = await series(device.id, { ...window, resolution: '5m' }).expect(200);
      expect(fiveMinute.body.points).toEqual([
        { at: iso(old), avg: 10, min: 10, max: 10 },
        { at: iso(old + 5 * MIN), avg: 10, min: 10, max: 10 },
      ]);
      const auto = await series(device.id, window).expect(200);
      expect(auto.body.resolution).toBe('5m');
      const hourly = await series(device.id, { ...window, resolution: '1h' }).expect(200);
      expect(hourly.body.points).toEqual([{ at: iso(old), avg: 10, min: 10, max: 10 }]);
    });
  });

  describe('parameters', () => {
    let deviceId: string;
    beforeAll(async () => {
      deviceId = (await deviceFactory.create(t)).id;
    });

    it.each([
      ['an unknown metric', { metric: 'temperature' }, 'metric'],
      ['no metric', {}, 'metric'],
      ['a malformed from', { metric: 'rttMs', from: 'yesterday' }, 'from'],
      ['a from without a time zone', { metric: 'rttMs', from: '2026-01-01T00:00:00' }, 'from'],
      ['a malformed to', { metric: 'rttMs', to: '2026-13-01T00:00:00Z' }, 'to'],
      ['from after to', { metric: 'rttMs', from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' }, 'from'],
      [
        'a window too long for raw',
        { metric: 'rttMs', from: '2026-01-01T00:00:00Z', to: '2026-01-03T00:00:00Z', resolution: 'raw' },
        'from',
      ],
      [
        'a window too long for 5m',
        { metric: 'rttMs', from: '2026-01-01T00:00:00Z', to: '2026-03-01T00:00:00Z', resolution: '5m' },
        'from',
      ],
      ['a window too long for any resolution', { metric: 'rttMs', from: '2020-01-01T00:00:00Z' }, 'from'],
      ['an unknown resolution', { metric: 'rttMs', resolution: '2m' }, 'resolution'],
      ['an interface metric without ifIndex', { metric: 'inBps' }, 'ifIndex'],
      ['a device metric with ifIndex', { metric: 'rttMs', ifIndex: 1 }, 'ifIndex'],
      ['a non-numeric ifIndex', { metric: 'inBps', ifIndex: 'eth0' }, 'ifIndex'],
      ['an unknown parameter', { metric: 'rttMs', colour: 'red' }, 'colour'],
    ])('rejects %s with 400 naming the parameter', async (_what, query, name) => {
      const res = await series(deviceId, query).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(res.body.message.join(' ')).toContain(name);
    });

    it('names the resolution and its limit when the window is too long for it', async () => {
      const res = await series(deviceId, {
        metric: 'rttMs',
        from: '2026-01-01T00:00:00Z',
        to: '2026-01-03T00:00:00Z',
        resolution: 'raw',
      }).expect(400);
      expect(res.body.message[0]).toMatch(/^from: .*24 h.*raw/);
    });

    it('answers 404 for an unknown device and 400 for an id that is not a UUID', async () => {
      const res = await series(randomUUID(), { metric: 'rttMs' }).expect(404);
      expect(res.body.message.join(' ')).toContain('device');
      await series('not-a-uuid', { metric: 'rttMs' }).expect(400);
    });

    it('needs a signed-in user', async () => {
      await t.http.get(`/api/devices/${deviceId}/metrics?metric=rttMs`).expect(401);
    });
  });

  describe('writing', () => {
    it('skips samples of devices that do not exist without losing the rest of the batch', async () => {
      const device = await deviceFactory.create(t);
      const at = new Date(hourStart);
      writer.recordDevice({ deviceId: randomUUID(), at, rttMs: 1 });
      writer.recordDevice({ deviceId: device.id, at, rttMs: 2 });
      writer.recordInterfaces(randomUUID(), at, [
        { ifIndex: 1, inBps: 1, outBps: 1, inErrors: 0, outErrors: 0, inDiscards: 0, outDiscards: 0 },
      ]);
      writer.recordInterfaces(device.id, at, [
        { ifIndex: 1, inBps: 1, outBps: 1, inErrors: 0, outErrors: 0, inDiscards: 0, outDiscards: 0 },
      ]);
      await writer.flush();
      expect(writer.buffered).toEqual({ device: 0, interface: 0 });
      expect(await count('device_samples', device.id)).toBe(1);
      expect(await count(INTERFACE_SAMPLES, device.id)).toBe(1);
    });

    it('stores a sample written twice once, whether in one batch or in two', async () => {
      const device = await deviceFactory.create(t);
      const at = new Date(hourStart + 90_000);
      writer.recordDevice({ deviceId: device.id, at, rttMs: 3 });
      writer.recordDevice({ deviceId: device.id, at, rttMs: 3 });
      writer.recordDevice({ deviceId: device.id, at: new Date(hourStart + 150_000), rttMs: 4 });
      await writer.flush();
      writer.recordDevice({ deviceId: device.id, at, rttMs: 3 });
      writer.recordDevice({ deviceId: device.id, at: new Date(hourStart + 210_000), rttMs: 5 });
      await writer.flush();
      expect(writer.buffered).toEqual({ device: 0, interface: 0 });
      const res = await series(device.id, { metric: 'rttMs', from: iso(hourStart), to: iso(hourStart + HOUR) });
      expect(res.body.points.map((p: { avg: number }) => p.avg)).toEqual([3, 4, 5]);
    });

    it('exposes its counters on /metrics', async () => {
      const res = await t.http.get('/metrics').expect(200);
      expect(res.text).toMatch(/netdesk_measurement_rows_written_total\{kind="device"[^}]*\} [1-9]/);
      expect(res.text).toMatch(/netdesk_measurement_rows_dropped_total\{kind="device",reason="rejected"[^}]*\} [1-9]/);
      expect(res.text).toContain('netdesk_measurement_flush_duration_seconds_count');
      expect(res.text).toContain('netdesk_measurement_rows_buffered');
    });

    it('deletes every sample and rollup of a device with the device', async () => {
      const deviceId = await deviceWithAnHourOfPolls();
      writer.recordInterfaces(deviceId, new Date(hourStart), [
        { ifIndex: 5, inBps: 1, outBps: 1, inErrors: 0, outErrors: 0, inDiscards: 0, outDiscards: 0 },
      ]);
      await writer.flush();
      await rollups.rollUp({ since: new Date(hourStart), wait: true });
      const tables = [
        'device_samples',
        'device_samples_5m',
        'device_samples_1h',
        INTERFACE_SAMPLES,
        'interface_samples_5m',
        'interface_samples_1h',
      ];
      for (const table of tables) expect(await count(table, deviceId)).toBeGreaterThan(0);
      await t.http
        .delete(`/api/devices/${deviceId}`)
        .set('Authorization', `Bearer ${await t.tokenFor('admin')}`)
        .expect(204);
      for (const table of tables) expect(await count(table, deviceId)).toBe(0);
      await series(deviceId, { metric: 'rttMs' }).expect(404);
    });
  });
});
