import type { MonitoringChange } from '@netdesk/monitoring';
import { deviceFactory, siteFactory } from '../factories/device.factory';
import { unique } from '../factories/unique';
import { connectLive, listen, LiveTestClient } from '../realtime/live-client';
import { monitoringDriver, statusChange } from '../support/monitoring-driver';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 17, API side: maintenance and flapping as states of the device representation (REST, live
 * snapshot, `device.status`), and the ticket search with assignee names.
 */
type Device = {
  id: string;
  status: string;
  inMaintenance: boolean;
  maintenanceUntil: string | null;
  flapping: boolean;
};
type Person = { id: string; name: string | null; email: string | null };
type Ticket = {
  id: string;
  number: number;
  title: string;
  status: string;
  priority: string;
  assignee: Person | null;
  acknowledgedBy: Person | null;
};

describe('states shown everywhere, ticket search', () => {
  let t: TestApp;
  let url: string;
  let admin: string;
  let agent: string;
  const clients: LiveTestClient[] = [];

  beforeAll(async () => {
    t = await startTestApp('states');
    url = await listen(t);
    admin = `Bearer ${await t.tokenFor('admin')}`;
    agent = `Bearer ${await t.tokenFor('agent')}`;
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = async <T>(path: string, auth = admin): Promise<T> =>
    (await t.http.get(path).set('Authorization', auth).expect(200)).body as T;
  const post = async <T>(path: string, body: object, auth = admin, status = 200): Promise<T> =>
    (await t.http.post(path).set('Authorization', auth).send(body).expect(status)).body as T;

  describe('maintenance and flapping on devices', () => {
    it('REST, snapshot and device.status say inMaintenance and maintenanceUntil; the status stays measured', async () => {
      const site = await siteFactory.create(t);
      const inSite = await deviceFactory.create(t, { siteId: site.id });
      const own = await deviceFactory.create(t);
      const other = await deviceFactory.create(t);
      const driver = monitoringDriver(t.app);
      await driver.happen(statusChange(own.id, 'unknown', 'up', new Date()));

      const c = await connectLive(url, { token: admin.slice(7) });
      clients.push(c);
      await c.next('snapshot');

      const ends = new Date(Date.now() + 3_600_000);
      await post(
        '/api/maintenance-windows',
        {
          name: 'core swap',
          siteId: site.id,
          startsAt: new Date(Date.now() - 60_000).toISOString(),
          endsAt: ends.toISOString(),
        },
        admin,
        201,
      );
      await post(
        '/api/maintenance-windows',
        {
          name: 'weekly reboot',
          deviceId: own.id,
          weekly: {
            days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
            start: '00:00',
            durationMinutes: 7 * 24 * 60,
            timezone: 'UTC',
          },
        },
        admin,
        201,
      );

      // The window's creation pushes the change at once: no waiting for the periodic check.
      await c.until(
        () => c.of<Device & { deviceId: string }>('device.status').filter((d) => d.inMaintenance).length >= 2,
        5000,
        'device.status with inMaintenance',
      );
      const pushed = c.of<Device & { deviceId: string; previousStatus: string }>('device.status');
      const forSite = pushed.find((d) => d.deviceId === inSite.id)!;
      expect(forSite).toMatchObject({ inMaintenance: true, maintenanceUntil: ends.toISOString(), flapping: false });
      expect(forSite.status).toBe(forSite.previousStatus);
      expect(pushed.find((d) => d.deviceId === own.id)).toMatchObject({ status: 'up', inMaintenance: true });
      expect(pushed.some((d) => d.deviceId === other.id)).toBe(false);

      const list = await get<Device[]>('/api/devices');
      expect(list.find((d) => d.id === inSite.id)).toMatchObject({
        inMaintenance: true,
        maintenanceUntil: ends.toISOString(),
      });
      expect(list.find((d) => d.id === own.id)).toMatchObject({ inMaintenance: true, status: 'up' });
      expect(list.find((d) => d.id === other.id)).toMatchObject({ inMaintenance: false, maintenanceUntil: null });
      expect(await get<Device>(`/api/devices/${inSite.id}`)).toMatchObject({ inMaintenance: true });

      for (const view of ['full', 'summary']) {
        const s = await connectLive(url, { token: admin.slice(7), view });
        clients.push(s);
        const snap = await s.next<{ devices: Device[] }>('snapshot');
        expect(snap.devices.find((d) => d.id === inSite.id)).toMatchObject({
          inMaintenance: true,
          maintenanceUntil: ends.toISOString(),
        });
        expect(snap.devices.find((d) => d.id === other.id)).toMatchObject({ inMaintenance: false, flapping: false });
      }

      // A real status change inside maintenance carries the states too.
      await driver.happen(statusChange(own.id, 'up', 'down', new Date()));
      await c.until(() =>
        c.of<Device & { deviceId: string }>('device.status').some((d) => d.deviceId === own.id && d.status === 'down'),
      );
      expect(
        c.of<Device & { deviceId: string }>('device.status').find((d) => d.deviceId === own.id && d.status === 'down'),
      ).toMatchObject({ inMaintenance: true, previousStatus: 'up' });
    });

    it('flap detection starting is pushed as a device.status with flapping, and REST shows it', async () => {
      const d = await deviceFactory.create(t);
      const driver = monitoringDriver(t.app);
      await driver.happen(statusChange(d.id, 'unknown', 'up', new Date()));
      const c = await connectLive(url, { token: admin.slice(7) });
      clients.push(c);
      await c.next('snapshot');
      const flap = {
        kind: 'flapping',
        deviceId: d.id,
        ifIndex: null,
        flapping: true,
        percentStateChange: 60,
        at: new Date(),
      };
      await driver.happen(flap as MonitoringChange);
      const pushed = await c.next<Device & { deviceId: string; previousStatus: string }>('device.status');
      expect(pushed).toMatchObject({ deviceId: d.id, status: 'up', previousStatus: 'up', flapping: true });
      expect(await get<Device>(`/api/devices/${d.id}`)).toMatchObject({ flapping: true });
    });
  });

  describe('ticket search', () => {
    it('finds by number, title, device name and comment text; filters statuses and dates; pages', async () => {
      const device = await deviceFactory.create(t, { name: unique('edge-fw') });
      const ref = unique('PROVIDER-REF');
      const a = await post<Ticket>('/api/tickets', { title: unique('fibre cut'), deviceId: device.id }, agent, 201);
      const b = await post<Ticket>('/api/tickets', { title: unique('printer') }, agent, 201);
      const c = await post<Ticket>('/api/tickets', { title: unique('vpn slow') }, agent, 201);
      await post(`/api/tickets/${b.id}/comments`, { body: `carrier says ${ref}` }, agent);
      await post(`/api/tickets/${b.id}/resolve`, { resolution: 'replaced' }, agent);
      await post(`/api/tickets/${b.id}/close`, {}, agent);

      const search = async (query: string) => {
        const res = await t.http.get(`/api/tickets?${query}`).set('Authorization', agent).expect(200);
        return { ids: (res.body as Ticket[]).map((x) => x.id), total: Number(res.headers['x-total-count']) };
      };
      expect((await search(`q=${ref}`)).ids).toEqual([b.id]);
      expect((await search(`q=${encodeURIComponent(device.name)}`)).ids).toEqual([a.id]);
      expect((await search(`q=${encodeURIComponent(c.title)}`)).ids).toEqual([c.id]);
      expect((await search(`q=%23${a.number}`)).ids).toContain(a.id);
      expect((await search(`q=${ref}&status=open`)).ids).toEqual([]);
      expect((await search(`q=${ref}&status=open,closed`)).ids).toEqual([b.id]);
      expect((await search(`q=${ref}&status=open&status=closed`)).ids).toEqual([b.id]);
      expect((await search(`q=${ref}&from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z`)).ids).toEqual([]);

      const all = await search('limit=1000');
      const page = await search('limit=2&offset=1');
      expect(page.ids).toEqual(all.ids.slice(1, 3));
      expect(page.total).toBe(all.total);

      const bad = await t.http.get('/api/tickets?status=open,bogus&limit=0').set('Authorization', agent).expect(400);
      expect(bad.body.message.join(' ')).toMatch(/status/);
      expect(bad.body.message.join(' ')).toMatch(/limit/);
    });

    it('names the assignee and who acknowledged, and lists the people and teams to assign to', async () => {
      const name = unique('Maria Lopez');
      const maria = await post<{ id: string; email: string }>(
        '/api/users',
        { email: `${unique('maria')}@netdesk.test`, password: 'maria-password-1', role: 'agent', name, team: 'noc' },
        admin,
        201,
      );
      const ticket = await post<Ticket>('/api/tickets', { title: unique('switch noise') }, agent, 201);
      expect(ticket.assignee).toBeNull();
      expect(ticket.acknowledgedBy).toBeNull();
      const assigned = await post<Ticket>(`/api/tickets/${ticket.id}/assign`, { assigneeId: maria.id }, agent);
      expect(assigned.assignee).toEqual({ id: maria.id, name, email: maria.email });
      const acked = await post<Ticket>(`/api/tickets/${ticket.id}/acknowledge`, {}, agent);
      expect(acked.acknowledgedBy).toMatchObject({ email: 'agent@netdesk.test' });
      const listed = await get<Ticket[]>(`/api/tickets?q=${encodeURIComponent(ticket.title)}`, agent);
      expect(listed[0].assignee).toEqual({ id: maria.id, name, email: maria.email });

      const choices = await get<{ people: (Person & { team: string | null })[]; teams: string[] }>(
        '/api/tickets/assignees',
        agent,
      );
      expect(choices.people).toContainEqual({ id: maria.id, name, email: maria.email, team: 'noc' });
      expect(choices.teams).toContain('noc');
      await t.http
        .get('/api/tickets/assignees')
        .set('Authorization', `Bearer ${await t.tokenFor('viewer')}`)
        .expect(403);
    });
  });
  describe('notifications without email', () => {
    it('say "email is not configured" once on a ticket, not once per recipient per step', async () => {
      const team = unique('ops').replace(/[^\w.-]/g, '');
      for (const n of ['ann', 'ben', 'cid'])
        await post(
          '/api/users',
          { email: `${unique(n)}@netdesk.test`, password: `${n}-password-1`, role: 'agent', team },
          admin,
          201,
        );
      const router = await deviceFactory.create(t, { kind: 'router', criticality: 'critical', team });
      const driver = monitoringDriver(t.app);
      await driver.happen(statusChange(router.id, 'unknown', 'up', new Date()));
      await driver.happen(statusChange(router.id, 'up', 'down', new Date()));
      const [ticket] = await get<Ticket[]>(`/api/tickets?deviceId=${router.id}`);
      expect(ticket.priority).toBe('P1');
      // the three deliveries fail at once (no SMTP); give their callbacks a moment to land
      await new Promise((r) => setTimeout(r, 500));
      const { events } = await get<{ events: { type: string; message: string }[] }>(`/api/tickets/${ticket.id}`);
      const unconfigured = events.filter((e) => e.message.includes('email is not configured'));
      expect(unconfigured).toHaveLength(1);
    });
  });
});
