/**
 * The WAN capacity report from the interface rollups: which links it lists, 95th percentile and peaks,
 * utilisation against the contracted capacity, hours over each link's own threshold, JSON and CSV.
 */
import { DataSource } from 'typeorm';
import { deviceFactory } from '../factories/device.factory';
import { startTestApp, TestApp } from '../support/test-app';

describe('GET /api/reports/wan-links', () => {
  let t: TestApp;
  let manager: string;
  let ds: DataSource;
  const day = '2026-05-04';
  const WINDOW = `from=${day}T00:00:00Z&to=2026-05-06T00:00:00Z`;

  const addInterface = (deviceId: string, ifIndex: number, extra: Record<string, unknown>) =>
    ds.query(
      `INSERT INTO device_interfaces (device_id, if_index, name, alias, admin_status, oper_status, oper_since, speed_bps,
                                      monitored, capacity_bps, provider, circuit_id, utilisation_pct, updated_at)
       VALUES ($1, $2, $3, '', 'up', 'up', now(), 1000000000, $4, $5, $6, $7, $8, now())`,
      [
        deviceId,
        ifIndex,
        `ge-0/0/${ifIndex}`,
        extra.monitored ?? false,
        extra.capacityBps ?? null,
        extra.provider ?? null,
        extra.circuitId ?? null,
        extra.utilisationPct ?? null,
      ],
    );
  /** 48 hourly buckets: in = `inMbps(h)` Mb/s on average, peaks 10 % higher; out a flat 1 Mb/s. */
  const addHours = (deviceId: string, ifIndex: number, inMbps: (h: number) => number) =>
    ds.query(
      `INSERT INTO interface_samples_1h (device_id, if_index, bucket, in_bps_avg, in_bps_min, in_bps_max, in_bps_count,
              out_bps_avg, out_bps_min, out_bps_max, out_bps_count, in_errors_count, out_errors_count, in_discards_count, out_discards_count)
       SELECT $1, $2, $3::timestamptz + h * interval '1 hour', v, v, v * 1.1, 12, 1e6, 1e6, 1e6, 12, 0, 0, 0, 0
         FROM unnest($4::int[], $5::float8[]) AS x(h, v)`,
      [deviceId, ifIndex, `${day}T00:00:00Z`, [...Array(48).keys()], [...Array(48).keys()].map((h) => inMbps(h) * 1e6)],
    );

  beforeAll(async () => {
    t = await startTestApp('wan-links');
    manager = `Bearer ${await t.tokenFor('manager')}`;
    ds = t.app.get(DataSource);
  });
  afterAll(() => t?.close());

  it('lists watched wan-link interfaces and circuits, with 95th percentile, peaks and hours over threshold', async () => {
    const wan = await deviceFactory.create(t, { kind: 'wan-link', name: 'wan-a' });
    const router = await deviceFactory.create(t, { kind: 'router', name: 'router-b' });
    // A 100 Mb/s circuit; h % 10 * 10 Mb/s in: 0, 10, … 90 % of capacity, repeating.
    await addInterface(router.id, 1, { capacityBps: 100e6, provider: 'ACME', circuitId: 'C-1', utilisationPct: 75 });
    await addHours(router.id, 1, (h) => (h % 10) * 10);
    // A watched interface of a wan-link device, no capacity: measured against its 1 Gb/s port.
    await addInterface(wan.id, 2, { monitored: true });
    await addHours(wan.id, 2, () => 500);
    // Neither: not listed.
    await addInterface(router.id, 3, { monitored: true });
    await addHours(router.id, 3, () => 900);

    const rows = (await t.http.get(`/api/reports/wan-links?${WINDOW}`).set('Authorization', manager).expect(200))
      .body as Record<string, unknown>[];
    const mine = rows.filter((r) => r.deviceId === wan.id || r.deviceId === router.id);
    expect(mine).toHaveLength(2);
    expect(mine.find((r) => r.deviceId === router.id)).toEqual({
      deviceId: router.id,
      deviceName: 'router-b',
      ifIndex: 1,
      name: 'ge-0/0/1',
      provider: 'ACME',
      circuitId: 'C-1',
      capacityBps: 100e6,
      inP95Bps: 90e6,
      outP95Bps: 1e6,
      inPeakBps: 99e6,
      outPeakBps: 1e6,
      inP95Pct: 90,
      outP95Pct: 1,
      // 80 % and 90 % hours are over its own 75 %: 2 in every 10 of 48 hours (8, 9, 18, 19, 28, 29, 38, 39).
      hoursOverThreshold: 8,
    });
    expect(mine.find((r) => r.deviceId === wan.id)).toMatchObject({
      ifIndex: 2,
      capacityBps: null,
      inP95Bps: 500e6,
      inP95Pct: 50,
      hoursOverThreshold: 0,
    });

    const csv = await t.http
      .get(`/api/reports/wan-links?${WINDOW}&format=csv`)
      .set('Authorization', manager)
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split(/\r?\n/);
    expect(lines[0]).toBe(
      'deviceId,deviceName,ifIndex,name,provider,circuitId,capacityBps,inP95Bps,outP95Bps,inPeakBps,outPeakBps,inP95Pct,outP95Pct,hoursOverThreshold',
    );
    expect(lines.some((l) => l.startsWith(`${router.id},router-b,1,ge-0/0/1,ACME,C-1,100000000,90000000,`))).toBe(true);
  });

  it('is for managers, and says what is wrong with a bad window', async () => {
    await t.http
      .get('/api/reports/wan-links')
      .set('Authorization', `Bearer ${await t.tokenFor('agent')}`)
      .expect(403);
    const bad = await t.http.get('/api/reports/wan-links?from=yesterday').set('Authorization', manager).expect(400);
    expect(JSON.stringify(bad.body.message)).toContain('from');
  });
});
