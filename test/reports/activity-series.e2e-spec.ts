/**
 * The activity report per day (`GET /api/reports/activity/series`): one row per calendar day of the asked
 * time zone, counted as the activity report counts that day, on real PostgreSQL with a fake clock.
 */
import { FakeClock } from '@netdesk/core';
import type { MonitoringChange } from '@netdesk/monitoring';
import { deviceFactory, siteFactory } from '../factories/device.factory';
import { monitoringDriver, statusChange } from '../support/monitoring-driver';
import { startTestApp, TestApp } from '../support/test-app';

interface Day {
  date: string;
  from: string;
  to: string;
  opened: number;
  resolved: number;
  outagesStarted: number;
}

describe('activity series', () => {
  const clock = new FakeClock(new Date('2026-11-03T07:00:00Z'));
  let t: TestApp;
  let manager: string;
  let siteId: string;
  const at = (iso: string) => clock.set(new Date(iso));
  const happen = (...c: MonitoringChange[]) => monitoringDriver(t.app).happen(...c);
  const status = (id: string, from: string, to: string) => statusChange(id, from, to, clock.now());
  const get = async (path: string) => (await t.http.get(path).set('Authorization', manager).expect(200)).body;
  const WINDOW = 'from=2026-11-04T00:00:00Z&to=2026-11-06T00:00:00Z';

  beforeAll(async () => {
    t = await startTestApp('activity-series', { NETDESK_DIGEST_CRON: 'off' }, { clock });
    manager = `Bearer ${await t.tokenFor('manager')}`;
    siteId = (await siteFactory.create(t)).id;
    const a = await deviceFactory.create(t, { siteId });
    const b = await deviceFactory.create(t);
    at('2026-11-04T00:00:00Z');
    await happen(status(a.id, 'unknown', 'up'), status(b.id, 'unknown', 'up'));
    at('2026-11-04T08:00:00Z');
    await happen(status(a.id, 'up', 'down'));
    at('2026-11-04T08:10:00Z');
    await happen(status(a.id, 'down', 'up'));
    // b goes down late on the 4th (UTC) and comes back early on the 5th: opened one day, resolved the next
    at('2026-11-04T23:30:00Z');
    await happen(status(b.id, 'up', 'down'));
    at('2026-11-05T00:30:00Z');
    await happen(status(b.id, 'down', 'up'));
    at('2026-11-06T01:00:00Z');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers one row per UTC day, each as the activity report counts that day', async () => {
    const days: Day[] = await get(`/api/reports/activity/series?${WINDOW}`);
    expect(days).toEqual([
      {
        date: '2026-11-04',
        from: '2026-11-04T00:00:00.000Z',
        to: '2026-11-05T00:00:00.000Z',
        opened: 2,
        resolved: 1,
        outagesStarted: 2,
      },
      {
        date: '2026-11-05',
        from: '2026-11-05T00:00:00.000Z',
        to: '2026-11-06T00:00:00.000Z',
        opened: 0,
        resolved: 1,
        outagesStarted: 0,
      },
    ]);
    for (const day of days) {
      const activity = await get(`/api/reports/activity?from=${day.from}&to=${day.to}`);
      expect({ opened: day.opened, resolved: day.resolved }).toEqual({
        opened: activity.totals.opened,
        resolved: activity.totals.resolved,
      });
    }
  });

  it("cuts days at the asked time zone's midnights, clipped to the window", async () => {
    const days: Day[] = await get(`/api/reports/activity/series?${WINDOW}&tz=America/New_York`);
    expect(days).toEqual([
      {
        date: '2026-11-03',
        from: '2026-11-04T00:00:00.000Z',
        to: '2026-11-04T05:00:00.000Z',
        opened: 0,
        resolved: 0,
        outagesStarted: 0,
      },
      // 23:30Z and 00:30Z are both the evening of the 4th in New York
      {
        date: '2026-11-04',
        from: '2026-11-04T05:00:00.000Z',
        to: '2026-11-05T05:00:00.000Z',
        opened: 2,
        resolved: 2,
        outagesStarted: 2,
      },
      {
        date: '2026-11-05',
        from: '2026-11-05T05:00:00.000Z',
        to: '2026-11-06T00:00:00.000Z',
        opened: 0,
        resolved: 0,
        outagesStarted: 0,
      },
    ]);
  });

  it('gives the day the clocks go back its 25 hours', async () => {
    const days: Day[] = await get(
      '/api/reports/activity/series?from=2026-10-24T22:00:00Z&to=2026-10-26T23:00:00Z&tz=Europe/Berlin',
    );
    expect(days.map(({ date, from, to }) => ({ date, from, to }))).toEqual([
      { date: '2026-10-25', from: '2026-10-24T22:00:00.000Z', to: '2026-10-25T23:00:00.000Z' },
      { date: '2026-10-26', from: '2026-10-25T23:00:00.000Z', to: '2026-10-26T23:00:00.000Z' },
    ]);
  });

  it("keeps to one site's devices when asked", async () => {
    const days: Day[] = await get(`/api/reports/activity/series?${WINDOW}&siteId=${siteId}`);
    expect(days.map(({ date, opened, resolved, outagesStarted }) => [date, opened, resolved, outagesStarted])).toEqual([
      ['2026-11-04', 1, 1, 1],
      ['2026-11-05', 0, 0, 0],
    ]);
  });

  it('answers CSV, and 400 naming a bad time zone', async () => {
    const csv = await t.http
      .get(`/api/reports/activity/series?${WINDOW}&format=csv`)
      .set('Authorization', manager)
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text.split('\r\n').slice(0, 2)).toEqual([
      'date,from,to,opened,resolved,outagesStarted',
      '2026-11-04,2026-11-04T00:00:00.000Z,2026-11-05T00:00:00.000Z,2,1,2',
    ]);
    const bad = await t.http
      .get(`/api/reports/activity/series?${WINDOW}&tz=Mars/Olympus`)
      .set('Authorization', manager)
      .expect(400);
    expect(bad.body.message.join(' ')).toMatch(/tz/);
    await t.http
      .get(`/api/reports/activity/series?${WINDOW}`)
      .set('Authorization', `Bearer ${await t.tokenFor('agent')}`)
      .expect(403);
  });
});
