/**
 * Reports end to end from monitoring's boundary: changes go through the real store and automatic
 * ticketing, the episode recorder materialises episodes and problems, and managers are emailed through
 * a real SMTP server on 127.0.0.1. A fake clock makes every duration exact.
 */
import { FakeClock } from '@netdesk/core';
import type { MonitoringChange } from '@netdesk/monitoring';
import { NotificationService } from '@netdesk/notifications';
import { ActivityDigest } from '@netdesk/reports';
import { TicketTimers } from '@netdesk/ticketing';
import { deviceFactory, siteFactory } from '../factories/device.factory';
import { startTestApp, TestApp } from '../support/test-app';
import { RawMail, SmtpReceiver, startRawSmtp } from '../support/smtp-receiver';
import { monitoringDriver, statusChange } from '../support/monitoring-driver';

const until = async (check: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
};

type Device = { id: string; name: string };

describe('reports', () => {
  const clock = new FakeClock(new Date('2026-06-01T07:00:00Z'));
  let t: TestApp;
  let smtp: SmtpReceiver<RawMail>;
  let manager: string;
  let agent: string;
  let timers: TicketTimers;
  const d: Record<'f' | 's' | 'm' | 'u' | 'x1' | 'x2' | 'x3' | 'e', Device> = {} as never;
  let siteId: string;

  const setClock = (hhmm: string, day = '2026-06-01') => clock.set(new Date(`${day}T${hhmm}:00Z`));
  const status = (deviceId: string, from: string, to: string, causes: string[] = []) =>
    statusChange(deviceId, from, to, clock.now(), causes);
  const iface = (deviceId: string, ifIndex: number, from: string, to: string) =>
    ({
      kind: 'interface_status',
      deviceId,
      ifIndex,
      name: `ge-0/0/${ifIndex}`,
      alias: 'uplink',
      monitored: true,
      from,
      to,
      at: clock.now(),
    }) as MonitoringChange;
  const happen = (...changes: MonitoringChange[]) => monitoringDriver(t.app).happen(...changes);
  const get = (path: string, token = manager) => t.http.get(path).set('Authorization', token);
  const ticketOf = async (deviceId: string, faultType: string) =>
    (await get(`/api/tickets?deviceId=${deviceId}&faultType=${faultType}`).expect(200)).body[0];
  const problemMails = () => smtp.mails.filter((m) => /PRB-/.test(m.raw));
  /** Every notification queued so far has been delivered (or given up): no mail is still on its way. */
  const deliveriesDone = () => until(() => t.app.get(NotificationService).pending === 0);
  const WINDOW = 'from=2026-06-01T00:00:00Z&to=2026-06-02T00:00:00Z';

  beforeAll(async () => {
    smtp = await startRawSmtp();
    t = await startTestApp(
      'reports',
      { NETDESK_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, NETDESK_DIGEST_CRON: 'off' },
      { clock },
    );
    manager = `Bearer ${await t.tokenFor('manager')}`;
    agent = `Bearer ${await t.tokenFor('agent')}`;
    timers = t.app.get(TicketTimers);
    siteId = (await siteFactory.create(t)).id;
    d.f = await deviceFactory.create(t, { kind: 'firewall' });
    d.s = await deviceFactory.create(t, { kind: 'server' });
    d.m = await deviceFactory.create(t, { kind: 'router' });
    d.u = await deviceFactory.create(t, { kind: 'access-point', parentId: d.m.id });
    d.x1 = await deviceFactory.create(t, { kind: 'switch', siteId });
    d.x2 = await deviceFactory.create(t, { kind: 'wan-link', siteId });
    d.x3 = await deviceFactory.create(t, { kind: 'server', siteId });
    d.e = await deviceFactory.create(t, { kind: 'other' });
    for (const dev of Object.values(d)) await happen(status(dev.id, 'unknown', 'up'));
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('records episodes, flags the recurring ticket, opens one problem and emails each manager once', async () => {
    for (const [down, up] of [
      ['08:00', '08:10'],
      ['09:00', '09:12'],
      ['10:00', '10:14'],
    ]) {
      setClock(down);
      await happen(status(d.f.id, 'up', 'down'));
      if (down === '10:00') {
        setClock('10:05');
        const tf = await ticketOf(d.f.id, 'device_down');
        await t.http.post(`/api/tickets/${tf.id}/acknowledge`).set('Authorization', agent).expect(200);
      }
      setClock(up);
      await happen(status(d.f.id, 'down', 'up'));
    }
    const ticket = await ticketOf(d.f.id, 'device_down');
    expect(ticket).toMatchObject({ recurring: true, occurrences: 3, status: 'resolved' });

    const episodes = (await get(`/api/reports/episodes?deviceId=${d.f.id}&${WINDOW}`).expect(200)).body;
    expect(episodes.map((e: { durationSec: number }) => e.durationSec)).toEqual([840, 720, 600]);
    expect(episodes[0]).toMatchObject({
      deviceId: d.f.id,
      deviceName: d.f.name,
      faultType: 'device_down',
      startedAt: '2026-06-01T10:00:00.000Z',
      endedAt: '2026-06-01T10:14:00.000Z',
      ongoing: false,
      ticketId: ticket.id,
      inMaintenance: false,
      maintenanceSec: 0,
    });

    const problems = (await get('/api/problems').expect(200)).body;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      scope: 'device',
      status: 'open',
      faultType: 'device_down',
      deviceId: d.f.id,
      occurrences: 3,
      devices: 1,
      ticketIds: [ticket.id],
    });
    const detail = (await get(`/api/problems/${problems[0].id}`).expect(200)).body;
    expect(detail.episodes.map((e: { startedAt: string }) => e.startedAt)).toEqual([
      '2026-06-01T08:00:00.000Z',
      '2026-06-01T09:00:00.000Z',
      '2026-06-01T10:00:00.000Z',
    ]);
    await until(() => problemMails().length >= 2);
    await deliveriesDone();
    expect(
      problemMails()
        .flatMap((m) => m.to)
        .sort(),
    ).toEqual(['admin@netdesk.test', 'manager@netdesk.test']);
    expect(problemMails()[0].raw).toContain(`Recurring device_down on ${d.f.name}`);
  });

  it('records interface, latency and reboot episodes, and marks maintenance (unreachable is not down)', async () => {
    setClock('11:00');
    await happen(iface(d.s.id, 2, 'up', 'down'));
    setClock('11:05');
    await happen(iface(d.s.id, 2, 'down', 'up'));
    setClock('11:10');
    await happen(status(d.s.id, 'up', 'degraded', ['latency']));
    setClock('11:15');
    await happen(status(d.s.id, 'degraded', 'up'));
    setClock('11:20');
    await happen({
      kind: 'device_rebooted',
      deviceId: d.s.id,
      at: clock.now(),
      estimatedBootAt: new Date(clock.now().getTime() - 60_000),
      reason: 'sysUpTime went back',
    });
    const s = (await get(`/api/reports/episodes?deviceId=${d.s.id}&${WINDOW}`).expect(200)).body;
    expect(
      s.map((e: { faultType: string; ifIndex?: number; durationSec: number }) => [
        e.faultType,
        e.ifIndex,
        e.durationSec,
      ]),
    ).toEqual([
      ['device_rebooted', undefined, 0],
      ['high_latency', undefined, 300],
      ['interface_down', 2, 300],
    ]);

    await t.http
      .post('/api/maintenance-windows')
      .set('Authorization', manager)
      .send({ name: 'router swap', deviceId: d.m.id, startsAt: '2026-06-01T12:00:00Z', endsAt: '2026-06-01T13:00:00Z' })
      .expect(201);
    setClock('12:30');
    await happen(status(d.m.id, 'up', 'down'));
    setClock('12:31');
    await happen(status(d.u.id, 'up', 'unreachable'));
    setClock('13:30');
    await happen(status(d.m.id, 'down', 'up'));
    setClock('13:31');
    await happen(status(d.u.id, 'unreachable', 'up'));
    const [m] = (await get(`/api/reports/episodes?deviceId=${d.m.id}&${WINDOW}`).expect(200)).body;
    expect(m).toMatchObject({ durationSec: 3600, inMaintenance: true, maintenanceSec: 1800, ticketId: null });
    expect((await get(`/api/reports/episodes?deviceId=${d.u.id}&${WINDOW}`).expect(200)).body).toEqual([]);
  });

  it('groups the same fault on several devices of a site into one problem', async () => {
    for (const [i, x] of [d.x1, d.x2, d.x3].entries()) {
      setClock(`14:0${i}`);
      await happen(status(x.id, 'up', 'degraded', ['loss']));
    }
    setClock('14:10');
    for (const x of [d.x1, d.x2, d.x3]) await happen(status(x.id, 'degraded', 'up'));
    const problems = (await get('/api/problems?status=open').expect(200)).body;
    const site = problems.find((p: { scope: string }) => p.scope === 'site');
    expect(problems).toHaveLength(2);
    expect(site).toMatchObject({ siteId, faultType: 'packet_loss', occurrences: 3, devices: 3 });
    expect(site.ticketIds).toHaveLength(3);
    await until(() => problemMails().length >= 4);

    // an escalated ticket with an SLA breach, for the activity report
    setClock('15:00');
    await happen(status(d.e.id, 'up', 'down'));
    setClock('15:20');
    await timers.runOnce();
    await happen(status(d.e.id, 'down', 'up'));
  });

  it('answers the recurring-faults report in JSON and CSV', async () => {
    setClock('00:00', '2026-06-02');
    const tf = await ticketOf(d.f.id, 'device_down');
    const body = (await get(`/api/reports/recurring-faults?${WINDOW}`).expect(200)).body;
    expect(body).toEqual([
      {
        deviceId: d.f.id,
        deviceName: d.f.name,
        faultType: 'device_down',
        occurrences: 3,
        firstAt: '2026-06-01T08:00:00.000Z',
        lastAt: '2026-06-01T10:00:00.000Z',
        downtimeSec: 2160,
        ticketIds: [tf.id],
      },
    ]);
    const csv = await get(`/api/reports/recurring-faults?${WINDOW}&format=csv`).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text).toBe(
      'deviceId,deviceName,faultType,ifIndex,occurrences,firstAt,lastAt,downtimeSec,ticketIds\r\n' +
        `${d.f.id},${d.f.name},device_down,,3,2026-06-01T08:00:00.000Z,2026-06-01T10:00:00.000Z,2160,${tf.id}\r\n`,
    );
  });

  it('answers the availability report: maintenance excluded, unreachable not down', async () => {
    const body = (await get(`/api/reports/availability?${WINDOW}`).expect(200)).body;
    expect(body.slice(0, 3)).toEqual([
      { deviceId: d.f.id, deviceName: d.f.name, availabilityPct: 97.5, downtimeSec: 2160, outages: 3 },
      { deviceId: d.m.id, deviceName: d.m.name, availabilityPct: 97.917, downtimeSec: 1800, outages: 1 },
      { deviceId: d.e.id, deviceName: d.e.name, availabilityPct: 98.611, downtimeSec: 1200, outages: 1 },
    ]);
    expect(body).toHaveLength(8);
    expect(body.find((r: { deviceId: string }) => r.deviceId === d.u.id)).toMatchObject({
      availabilityPct: 100,
      downtimeSec: 0,
      outages: 0,
    });
    const csv = await get(`/api/reports/availability?${WINDOW}&format=csv`).expect(200);
    expect(csv.text.split('\r\n').slice(0, 2)).toEqual([
      'deviceId,deviceName,availabilityPct,downtimeSec,outages',
      `${d.f.id},${d.f.name},97.5,2160,3`,
    ]);
  });

  it('answers the activity report by team, priority and site, with the top offenders', async () => {
    const body = (await get(`/api/reports/activity?${WINDOW}`).expect(200)).body;
    expect(body.totals).toEqual({
      opened: 8,
      resolved: 8,
      escalated: 1,
      meanTimeToAcknowledgeSec: 300,
      // Every resolution counts from its own (re)opening: d.f's 600, 720 and 840 s, not only the last.
      meanTimeToResolveSec: 558,
      slaBreaches: 1,
    });
    expect(body.byTeam).toEqual([{ team: 'noc', ...body.totals }]);
    const tickets = (await get('/api/tickets').expect(200)).body as { priority: string }[];
    const expected = Object.entries(
      tickets.reduce<Record<string, number>>((acc, x) => ({ ...acc, [x.priority]: (acc[x.priority] ?? 0) + 1 }), {}),
    ).sort();
    expect(body.byPriority.map((p: { priority: string; opened: number }) => [p.priority, p.opened])).toEqual(expected);
    expect(body.bySite.map((s: { siteId: string | null; opened: number }) => [s.siteId, s.opened])).toEqual([
      [siteId, 3],
      [null, 5],
    ]);
    // Outages and down time are availability's (one definition); episodes add the other fault types.
    const availability = (await get(`/api/reports/availability?${WINDOW}`).expect(200)).body as {
      deviceId: string;
      outages: number;
      downtimeSec: number;
    }[];
    for (const o of body.topOffenders as { deviceId: string; outages: number; downtimeSec: number }[]) {
      const a = availability.find((x) => x.deviceId === o.deviceId)!;
      expect([o.outages, o.downtimeSec]).toEqual([a.outages, a.downtimeSec]);
    }
    expect(
      body.topOffenders.map((o: { deviceId: string; outages: number; episodes: number; downtimeSec: number }) => [
        o.deviceId,
        o.outages,
        o.episodes,
        o.downtimeSec,
      ]),
    ).toEqual([
      [d.f.id, 3, 3, 2160],
      [d.m.id, 1, 1, 1800],
      [d.e.id, 1, 1, 1200],
      [d.s.id, 0, 3, 0],
      [d.x1.id, 0, 1, 0],
      [d.x2.id, 0, 1, 0],
      [d.x3.id, 0, 1, 0],
    ]);
    const csv = await get(`/api/reports/activity?${WINDOW}&format=csv`).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text.split('\r\n').slice(0, 3)).toEqual([
      'dimension,key,label,opened,resolved,escalated,meanTimeToAcknowledgeSec,meanTimeToResolveSec,slaBreaches,episodes,tickets,downtimeSec,outages',
      'total,,,8,8,1,300,558,1,,,,',
      'team,noc,noc,8,8,1,300,558,1,,,,',
    ]);
  });

  it('refuses bad parameters with a 400 naming them, and viewers and agents with a 403', async () => {
    const bad = async (query: string, field: RegExp) => {
      const res = await get(`/api/reports/availability?${query}`).expect(400);
      expect(res.body.message.join(' ')).toMatch(field);
    };
    await bad('from=yesterday', /from/);
    await bad('to=2026-02-30T00:00:00Z', /to/);
    await bad('from=2026-06-02T00:00:00Z&to=2026-06-01T00:00:00Z', /to must be after from/);
    await bad('from=2025-01-01T00:00:00Z&to=2026-06-01T00:00:00Z', /to must be at most 400 days/);
    await bad('format=xml', /format/);
    await bad('colour=red', /colour/);
    for (const role of ['viewer', 'agent'] as const)
      for (const path of ['recurring-faults', 'availability', 'activity', 'episodes'])
        await get(`/api/reports/${path}`, `Bearer ${await t.tokenFor(role)}`).expect(403);
    await get('/api/problems', agent).expect(403);
    // the default window is the last 7 days
    expect((await get('/api/reports/recurring-faults').expect(200)).body).toHaveLength(1);
  });

  it('keeps one problem (and no new email) when the fault recurs, and follows the problem lifecycle', async () => {
    const [problem] = (await get('/api/problems').expect(200)).body.filter(
      (p: { scope: string }) => p.scope === 'device',
    );
    setClock('01:00', '2026-06-02');
    await happen(status(d.f.id, 'up', 'down'));
    setClock('01:05', '2026-06-02');
    await happen(status(d.f.id, 'down', 'up'));
    await deliveriesDone(); // happen() has queued any problem mail; none must be on its way
    expect(problemMails()).toHaveLength(4);
    expect((await get(`/api/problems/${problem.id}`).expect(200)).body.occurrences).toBe(4);

    const patch = (body: object, expected: number) =>
      t.http.patch(`/api/problems/${problem.id}`).set('Authorization', manager).send(body).expect(expected);
    expect((await patch({ status: 'known_error' }, 400)).body.message.join(' ')).toMatch(/workaround/);
    await patch({ status: 'bogus' }, 400);
    expect((await patch({ status: 'known_error', workaround: 'reseat the PSU' }, 200)).body).toMatchObject({
      status: 'known_error',
      workaround: 'reseat the PSU',
    });
    expect((await patch({ status: 'resolved' }, 200)).body.resolvedAt).toBe('2026-06-02T01:05:00.000Z');
    await patch({ status: 'open' }, 409);
    await get('/api/problems/6f1d0c6e-0000-4000-8000-000000000000').expect(404);
  });

  it('emails the weekly activity digest to managers once per period', async () => {
    const digest = t.app.get(ActivityDigest);
    const before = smtp.mails.length;
    expect(await digest.send()).toBe(true);
    expect(await digest.send()).toBe(false);
    await until(() => smtp.mails.length >= before + 2);
    const mails = smtp.mails.slice(before);
    expect(mails.flatMap((m) => m.to).sort()).toEqual(['admin@netdesk.test', 'manager@netdesk.test']);
    expect(mails[0].raw).toMatch(/Weekly digest/);
    expect(mails[0].raw).toMatch(/All tickets: opened 9/);
  });
});
