/**
 * Issue 17's report numbers, each failing before its fix: MTTA survives a reopen, availability and top
 * offenders count outages the same way, Problems honours the window, availability per site.
 */
import { FakeClock } from '@netdesk/core';
import type { MonitoringChange } from '@netdesk/monitoring';
import { deviceFactory, siteFactory } from '../factories/device.factory';
import { monitoringDriver, statusChange } from '../support/monitoring-driver';
import { startTestApp, TestApp } from '../support/test-app';

describe('report numbers', () => {
  const clock = new FakeClock(new Date('2026-11-03T07:00:00Z'));
  let t: TestApp;
  let manager: string;
  let agent: string;
  const at = (iso: string) => clock.set(new Date(iso));
  const happen = (...c: MonitoringChange[]) => monitoringDriver(t.app).happen(...c);
  const status = (id: string, from: string, to: string) => statusChange(id, from, to, clock.now());
  const get = async (path: string) => (await t.http.get(path).set('Authorization', manager).expect(200)).body;
  const DAY = 'from=2026-11-04T00:00:00Z&to=2026-11-05T00:00:00Z';

  beforeAll(async () => {
    t = await startTestApp('report-numbers', { NETDESK_DIGEST_CRON: 'off' }, { clock });
    manager = `Bearer ${await t.tokenFor('manager')}`;
    agent = `Bearer ${await t.tokenFor('agent')}`;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('counts an acknowledgement in MTTA after its ticket reopened', async () => {
    const a = await deviceFactory.create(t, { criticality: 'critical' });
    at('2026-11-04T00:00:00Z');
    await happen(status(a.id, 'unknown', 'up'));
    at('2026-11-04T08:00:00Z');
    await happen(status(a.id, 'up', 'down'));
    const [ticket] = await get(`/api/tickets?deviceId=${a.id}`);
    at('2026-11-04T08:02:00Z');
    await t.http.post(`/api/tickets/${ticket.id}/acknowledge`).set('Authorization', agent).expect(200);
    at('2026-11-04T08:10:00Z');
    await happen(status(a.id, 'down', 'up'));
    at('2026-11-04T08:20:00Z');
    await happen(status(a.id, 'up', 'down')); // the same fault again: the ticket reopens, unacknowledged
    at('2026-11-04T08:30:00Z');
    await happen(status(a.id, 'down', 'up'));
    expect(await get(`/api/tickets/${ticket.id}`)).toMatchObject({ occurrences: 2, status: 'resolved' });

    const body = await get(`/api/reports/activity?${DAY}`);
    const priority = body.byPriority.find((p: { priority: string }) => p.priority === ticket.priority);
    expect(priority.meanTimeToAcknowledgeSec).toBe(120);
    expect(body.totals.meanTimeToAcknowledgeSec).toBe(120);
    expect(body.totals.meanTimeToResolveSec).toBe(600); // 08:00→08:10 and 08:20→08:30
  });

  it('gives a device the same outages in availability and top offenders, and availability per site', async () => {
    const site = await siteFactory.create(t);
    const b = await deviceFactory.create(t, { siteId: site.id });
    const calm = await deviceFactory.create(t, { siteId: site.id });
    at('2026-11-03T23:00:00Z');
    await happen(status(b.id, 'unknown', 'up'), status(calm.id, 'unknown', 'up'));
    // Began the day before and ran into the window: an outage of this window too.
    at('2026-11-03T23:50:00Z');
    await happen(status(b.id, 'up', 'down'));
    at('2026-11-04T00:10:00Z');
    await happen(status(b.id, 'down', 'up'));
    for (const [down, up] of [
      ['2026-11-04T10:00:00Z', '2026-11-04T10:05:00Z'],
      ['2026-11-04T11:00:00Z', '2026-11-04T11:05:00Z'],
    ]) {
      at(down);
      await happen(status(b.id, 'up', 'down'));
      at(up);
      await happen(status(b.id, 'down', 'up'));
    }
    // Down inside maintenance and back before it ends: planned, not an outage.
    await t.http
      .post('/api/maintenance-windows')
      .set('Authorization', manager)
      .send({ name: 'swap', deviceId: b.id, startsAt: '2026-11-04T12:00:00Z', endsAt: '2026-11-04T13:00:00Z' })
      .expect(201);
    at('2026-11-04T12:10:00Z');
    await happen(status(b.id, 'up', 'down'));
    at('2026-11-04T12:20:00Z');
    await happen(status(b.id, 'down', 'up'));
    at('2026-11-05T01:00:00Z');

    const availability = await get(`/api/reports/availability?${DAY}`);
    const row = availability.find((x: { deviceId: string }) => x.deviceId === b.id);
    expect(row).toMatchObject({ outages: 3, downtimeSec: 600 + 300 + 300 });
    const activity = await get(`/api/reports/activity?${DAY}`);
    const offender = activity.topOffenders.find((x: { deviceId: string }) => x.deviceId === b.id);
    expect(offender).toMatchObject({ outages: 3, episodes: 3, downtimeSec: 1200 });

    const sites = await get(`/api/reports/site-availability?${DAY}`);
    const mine = sites.find((s: { siteId: string }) => s.siteId === site.id);
    // Two devices over one day: 1,200 s down of 172,800 device-seconds.
    expect(mine).toEqual({
      siteId: site.id,
      siteName: site.name,
      devices: 2,
      availabilityPct: 99.306,
      downtimeSec: 1200,
      outages: 3,
    });
    const csv = await t.http
      .get(`/api/reports/site-availability?${DAY}&format=csv`)
      .set('Authorization', manager)
      .expect(200);
    expect(csv.text.split('\r\n')[0]).toBe('siteId,siteName,devices,availabilityPct,downtimeSec,outages');
  });

  it('states its rules', async () => {
    expect(await get('/api/reports/rules')).toEqual({ recurringMin: 3, problemWindowDays: 7 });
  });

  it('lists only the problems with an episode in the chosen window', async () => {
    const c = await deviceFactory.create(t);
    at('2026-11-06T00:00:00Z');
    await happen(status(c.id, 'unknown', 'up'));
    for (const h of ['01', '02', '03']) {
      at(`2026-11-06T${h}:00:00Z`);
      await happen(status(c.id, 'up', 'down'));
      at(`2026-11-06T${h}:05:00Z`);
      await happen(status(c.id, 'down', 'up'));
    }
    const all = await get('/api/problems');
    const problem = all.find((p: { deviceId: string }) => p.deviceId === c.id);
    expect(problem).toBeDefined();
    const november6 = await get('/api/problems?from=2026-11-06T00:00:00Z&to=2026-11-07T00:00:00Z');
    expect(november6.map((p: { id: string }) => p.id)).toContain(problem.id);
    const october = await get('/api/problems?from=2026-10-01T00:00:00Z&to=2026-11-01T00:00:00Z');
    expect(october.map((p: { id: string }) => p.id)).not.toContain(problem.id);
    const bad = await t.http.get('/api/problems?from=yesterday').set('Authorization', manager).expect(400);
    expect(bad.body.message.join(' ')).toMatch(/from/);
  });
});
