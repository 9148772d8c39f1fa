/**
 * Thresholds and circuits through the API, and threshold faults through the whole path from monitoring's
 * boundary: history → ticket (dedup, resolve, reopen) → fault episodes → recurring faults.
 */
import { DataSource } from 'typeorm';
import { FakeClock } from '@netdesk/core';
import type { MonitoringChange } from '@netdesk/monitoring';
import { deviceFactory } from '../factories/device.factory';
import { monitoringDriver } from '../support/monitoring-driver';
import { startTestApp, TestApp } from '../support/test-app';

describe('thresholds and circuits', () => {
  const clock = new FakeClock(new Date('2026-08-03T09:00:00Z'));
  let t: TestApp;
  let admin: string;
  let manager: string;
  let agent: string;

  beforeAll(async () => {
    t = await startTestApp('thresholds', { NETDESK_RTT_THRESHOLD_MS: '250' }, { clock });
    admin = `Bearer ${await t.tokenFor('admin')}`;
    manager = `Bearer ${await t.tokenFor('manager')}`;
    agent = `Bearer ${await t.tokenFor('agent')}`;
  });
  afterAll(() => t?.close());

  it('holds the defaults by device kind; the environment gives the latency default; managers change them', async () => {
    const initial = (await t.http.get('/api/thresholds').set('Authorization', agent).expect(200)).body;
    expect(initial.defaults).toEqual({
      utilisationPct: 90,
      errorsPerMin: 60,
      cpuPct: 90,
      memPct: 95,
      rttMs: 250,
      lossPct: expect.any(Number),
      jitterMs: 50,
      forPolls: 3,
    });
    await t.http.put('/api/thresholds').set('Authorization', agent).send({ defaults: {} }).expect(403);
    const put = await t.http
      .put('/api/thresholds')
      .set('Authorization', manager)
      .send({ defaults: { utilisationPct: 85, forPolls: 2 }, byKind: { 'wan-link': { utilisationPct: 70 } } })
      .expect(200);
    expect(put.body.defaults).toMatchObject({ utilisationPct: 85, forPolls: 2, rttMs: 250 });
    expect(put.body.byKind).toEqual({ 'wan-link': { utilisationPct: 70 } });
    expect((await t.http.get('/api/thresholds').set('Authorization', agent).expect(200)).body).toEqual(put.body);
  });

  it.each([
    [{ defaults: { utilisationPct: 150 } }, 'defaults.utilisationPct'],
    [{ defaults: { forPolls: 1.5 } }, 'defaults.forPolls'],
    [{ defaults: { bogus: 1 } }, 'bogus'],
    [{ defaults: {}, byKind: { toaster: { cpuPct: 50 } } }, 'toaster'],
    [{ defaults: { cpuPct: 'high' } }, 'defaults.cpuPct'],
    [{}, 'defaults'],
  ])('rejects %j with a 400 naming %s, keeping what was stored', async (body, field) => {
    const before = (await t.http.get('/api/thresholds').set('Authorization', agent).expect(200)).body;
    const res = await t.http.put('/api/thresholds').set('Authorization', manager).send(body).expect(400);
    expect(JSON.stringify(res.body.message)).toContain(field);
    expect((await t.http.get('/api/thresholds').set('Authorization', agent).expect(200)).body).toEqual(before);
  });

  it('overrides per device with PATCH; null removes one value', async () => {
    const d = await deviceFactory.create(t, { thresholds: { cpuPct: 70 } });
    expect(d.thresholds).toEqual({ cpuPct: 70 });
    const patched = await t.http
      .patch(`/api/devices/${d.id}`)
      .set('Authorization', admin)
      .send({ thresholds: { memPct: 80, cpuPct: null } })
      .expect(200);
    expect(patched.body.thresholds).toEqual({ memPct: 80 });
    const bad = await t.http
      .patch(`/api/devices/${d.id}`)
      .set('Authorization', admin)
      .send({ thresholds: { memPct: -1 } })
      .expect(400);
    expect(JSON.stringify(bad.body.message)).toContain('thresholds.memPct');
    expect((await t.http.get(`/api/devices/${d.id}`).set('Authorization', admin).expect(200)).body.thresholds).toEqual({
      memPct: 80,
    });
  });

  it('sets a circuit on an interface; utilisation in and out is measured against its capacity', async () => {
    const d = await deviceFactory.create(t, { kind: 'wan-link' });
    const ds = t.app.get(DataSource);
    await ds.query(
      `INSERT INTO device_interfaces (device_id, if_index, name, alias, admin_status, oper_status, oper_since, speed_bps, in_bps, out_bps, updated_at)
       VALUES ($1, 3, 'ge-0/0/3', 'WAN to HQ', 'up', 'up', now(), 1000000000, 47000000, 5000000, now())`,
      [d.id],
    );
    const url = `/api/devices/${d.id}/interfaces/3`;
    const before = (await t.http.get(`/api/devices/${d.id}/interfaces`).set('Authorization', agent).expect(200))
      .body[0];
    expect(before).toMatchObject({ capacityBps: null, inUtilisationPct: 4.7, outUtilisationPct: 0.5 });
    const res = await t.http
      .patch(url)
      .set('Authorization', admin)
      .send({ capacityBps: 50_000_000, provider: 'ACME', circuitId: 'C-42', utilisationPct: 75 })
      .expect(200);
    expect(res.body).toMatchObject({
      capacityBps: 50_000_000,
      provider: 'ACME',
      circuitId: 'C-42',
      utilisationPct: 75,
      inUtilisationPct: 94,
      outUtilisationPct: 10,
      monitoredOverride: null,
    });
    for (const [body, field] of [
      [{ capacityBps: 0 }, 'capacityBps'],
      [{ provider: 'x'.repeat(101) }, 'provider'],
      [{ utilisationPct: 101 }, 'utilisationPct'],
      [{ speedBps: 5 }, 'speedBps'],
    ] as const) {
      const bad = await t.http.patch(url).set('Authorization', admin).send(body).expect(400);
      expect(JSON.stringify(bad.body.message)).toContain(field);
    }
    await t.http.patch(`/api/devices/${d.id}/interfaces/99`).set('Authorization', admin).send({}).expect(404);
    const cleared = await t.http.patch(url).set('Authorization', admin).send({ capacityBps: null }).expect(200);
    expect(cleared.body).toMatchObject({ capacityBps: null, provider: 'ACME', inUtilisationPct: 4.7 });
  });

  it('turns threshold breaches into tickets with ifIndex, reopens them, and counts them as recurring faults', async () => {
    const d = await deviceFactory.create(t, { kind: 'wan-link' });
    const breach = (breached: boolean): MonitoringChange => ({
      kind: 'threshold',
      deviceId: d.id,
      ifIndex: 7,
      breached,
      reason: breached
        ? 'utilisation on ge-0/0/7 (WAN) [circuit ACME C-7]: in 94 % of 100 Mb/s for 3 min (3 polls), threshold 90 %'
        : 'utilisation on ge-0/0/7 (WAN) [circuit ACME C-7] back to in 40 % of 100 Mb/s (threshold 90 %)',
      detail: { faultType: 'link_utilisation', metric: 'utilisationPct', value: breached ? 94 : 40, threshold: 90 },
      at: clock.now(),
    });
    const happen = (...c: MonitoringChange[]) => monitoringDriver(t.app).happen(...c);
    for (let i = 0; i < 3; i++) {
      clock.set(new Date(clock.now().getTime() + 600_000));
      await happen(breach(true));
      clock.set(new Date(clock.now().getTime() + 300_000));
      await happen(breach(false));
    }
    const list = (
      await t.http.get(`/api/tickets?deviceId=${d.id}&faultType=link_utilisation`).set('Authorization', agent)
    ).body;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ ifIndex: 7, status: 'resolved', occurrences: 3 });
    expect(list[0].title).toContain('in 94 % of 100 Mb/s for 3 min');
    expect(list[0].title).toContain('[circuit ACME C-7]');
    const report = (
      await t.http
        .get('/api/reports/recurring-faults?from=2026-08-03T00:00:00Z&to=2026-08-04T00:00:00Z')
        .set('Authorization', manager)
        .expect(200)
    ).body;
    expect(report.find((r: { deviceId: string }) => r.deviceId === d.id)).toMatchObject({
      faultType: 'link_utilisation',
      ifIndex: 7,
      occurrences: 3,
      downtimeSec: 900,
    });
  });
});
