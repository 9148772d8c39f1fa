import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { FakeClock } from '@netdesk/core';
import type { MonitoringChange } from '@netdesk/monitoring';
import { TicketTimers } from '@netdesk/ticketing';
import { deviceFactory, siteFactory } from '../factories/device.factory';
import { unique } from '../factories/unique';
import { startTestApp, TestApp } from '../support/test-app';
import { monitoringDriver, statusChange } from '../support/monitoring-driver';

/**
 * The help desk end to end from monitoring's boundary: changes go through the real store (status +
 * history in one transaction, events on the bus), automatic ticketing reacts, and the ticket clocks run
 * on a fake clock so escalation, SLA and auto-close are exact.
 */
type TicketBody = {
  id: string;
  number: number;
  status: string;
  priority: string;
  faultType: string;
  team?: string;
  ifIndex?: number;
  title: string;
  occurrences: number;
  openedAt: string;
  allowedActions: string[];
};

describe('tickets', () => {
  const clock = new FakeClock(new Date('2026-06-01T08:00:00Z'));
  let t: TestApp;
  let admin: string;
  let agent: string;
  let timers: TicketTimers;
  let hook: http.Server;
  const hookHits: { body: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    hook = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        hookHits.push({ body: JSON.parse(body || '{}') });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    t = await startTestApp('tickets', { NETDESK_DEFAULT_TEAM: 'noc' }, { clock });
    admin = `Bearer ${await t.tokenFor('admin')}`;
    agent = `Bearer ${await t.tokenFor('agent')}`;
    timers = t.app.get(TicketTimers);
  });
  afterAll(async () => {
    await t?.close();
    hook?.close();
  });

  const at = () => clock.now();
  const status = (deviceId: string, from: string, to: string, causes: string[] = []) =>
    statusChange(deviceId, from, to, at(), causes);
  const happen = (...changes: MonitoringChange[]) => monitoringDriver(t.app).happen(...changes);
  const ticketsOf = async (deviceId: string) =>
    (await t.http.get(`/api/tickets?deviceId=${deviceId}`).set('Authorization', admin).expect(200))
      .body as TicketBody[];
  const ticket = async (id: string) =>
    (await t.http.get(`/api/tickets/${id}`).set('Authorization', admin).expect(200)).body;

  describe('automatic tickets', () => {
    it('opens one P1 ticket for a critical router going down, routed, diagnosed, with its impact', async () => {
      const router = await deviceFactory.create(t, { kind: 'router', criticality: 'critical' });
      const children = await Promise.all([1, 2, 3].map(() => deviceFactory.create(t, { parentId: router.id })));
      await happen(status(router.id, 'up', 'down'));
      await happen(status(router.id, 'down', 'down')); // a replayed/duplicate change opens nothing more
      for (const c of children) await happen(status(c.id, 'up', 'unreachable'));
      const [opened] = await ticketsOf(router.id);
      expect(await ticketsOf(router.id)).toHaveLength(1);
      expect(opened).toMatchObject({
        status: 'open',
        source: 'auto',
        faultType: 'device_down',
        priority: 'P1',
        team: 'noc',
        escalationLevel: 0,
        occurrences: 1,
        recurring: false,
        deviceId: router.id,
      });
      for (const c of children) expect(await ticketsOf(c.id)).toEqual([]);
      const full = await ticket(opened.id);
      const types = full.events.map((e: { type: string }) => e.type);
      expect(types.slice(0, 3)).toEqual(['opened', 'assigned', 'diagnosis']);
      expect(types.filter((x: string) => x === 'impact')).toHaveLength(3);
      expect(full.events[0]).toMatchObject({
        actor: 'system',
        message: expect.stringMatching(/critical device .* → P1/),
      });
      expect(full.events.map((e: { at: string }) => e.at)).toEqual(
        [...full.events.map((e: { at: string }) => e.at)].sort(),
      );
    });

    it('resolves the ticket by itself on recovery, refuses a manual resolve while the fault lasts, and reopens on recurrence', async () => {
      const d = await deviceFactory.create(t, { kind: 'server', criticality: 'normal' });
      await happen(status(d.id, 'up', 'down'));
      const [opened] = await ticketsOf(d.id);
      expect(opened.priority).toBe('P2');
      expect(opened.allowedActions).toEqual(['acknowledge', 'start', 'assign', 'comment']);
      const refused = await t.http
        .post(`/api/tickets/${opened.id}/resolve`)
        .set('Authorization', agent)
        .send({ resolution: 'rebooted it' })
        .expect(409);
      expect(refused.body.message[0]).toMatch(/still present/);
      clock.advance(60_000);
      await happen(status(d.id, 'down', 'up'));
      const resolved = await ticket(opened.id);
      expect(resolved).toMatchObject({
        status: 'resolved',
        faultActive: false,
        allowedActions: ['assign', 'comment', 'close', 'reopen'],
      });
      expect(resolved.events.at(-1)).toMatchObject({ type: 'resolved', actor: 'system' });
      clock.advance(60_000);
      await happen(status(d.id, 'up', 'down'));
      const reopened = await ticket(opened.id);
      expect(reopened).toMatchObject({ status: 'open', occurrences: 2, faultActive: true });
      expect(reopened.events.at(-1)).toMatchObject({ type: 'reopened', actor: 'system' });
      expect(await ticketsOf(d.id)).toHaveLength(1);
    });

    it('opens latency, loss and interface tickets from their causes, and a reboot ticket that resolves at once', async () => {
      const d = await deviceFactory.create(t, { kind: 'switch' });
      await happen(status(d.id, 'up', 'degraded', ['latency', 'loss']));
      const types = (await ticketsOf(d.id)).map((x) => x.faultType).sort();
      expect(types).toEqual(['high_latency', 'packet_loss']);
      await happen(status(d.id, 'degraded', 'degraded', ['loss']));
      const latency = (await ticketsOf(d.id)).find((x) => x.faultType === 'high_latency')!;
      expect(latency.status).toBe('resolved');
      await happen({
        kind: 'interface_status',
        deviceId: d.id,
        ifIndex: 7,
        name: 'Gi0/7',
        alias: 'uplink',
        monitored: true,
        from: 'up',
        to: 'down',
        at: at(),
      });
      await happen({
        kind: 'interface_status',
        deviceId: d.id,
        ifIndex: 8,
        name: 'Gi0/8',
        alias: '',
        monitored: false,
        from: 'up',
        to: 'down',
        at: at(),
      });
      const iface = (await ticketsOf(d.id)).filter((x) => x.faultType === 'interface_down');
      expect(iface).toEqual([
        expect.objectContaining({ ifIndex: 7, title: expect.stringContaining('Gi0/7 (uplink)') }),
      ]);
      await happen({
        kind: 'device_rebooted',
        deviceId: d.id,
        at: at(),
        estimatedBootAt: at(),
        reason: 'sysUpTime went back',
      });
      const reboot = (await ticketsOf(d.id)).find((x) => x.faultType === 'device_rebooted')!;
      expect(reboot.status).toBe('resolved');
    });

    it('opens no ticket inside a maintenance window, for the device or its site', async () => {
      const site = await siteFactory.create(t);
      const d = await deviceFactory.create(t, { siteId: site.id });
      await t.http
        .post('/api/maintenance-windows')
        .set('Authorization', admin)
        .send({
          name: 'firmware',
          siteId: site.id,
          startsAt: new Date(at().getTime() - 60_000).toISOString(),
          endsAt: new Date(at().getTime() + 3_600_000).toISOString(),
        })
        .expect(201);
      await happen(status(d.id, 'up', 'down'));
      expect(await ticketsOf(d.id)).toEqual([]);
      const history = await t.http.get(`/api/devices/${d.id}/history`).set('Authorization', admin).expect(200);
      expect(history.body[0]).toMatchObject({ kind: 'device_status', to: 'down' });
      await t.http
        .post('/api/maintenance-windows')
        .set('Authorization', admin)
        .send({
          name: 'bad',
          siteId: site.id,
          weekly: { days: ['xyz'], start: '25:00', durationMinutes: 0, timezone: 'Nowhere/City' },
        })
        .expect(400);
      await t.http
        .post('/api/maintenance-windows')
        .set('Authorization', agent)
        .send({ name: 'x', deviceId: d.id, startsAt: at().toISOString(), endsAt: at().toISOString() })
        .expect(403);
    });

    it('routes by rule, first match wins', async () => {
      const tag = unique('fw');
      await t.http.post('/api/routing-rules').set('Authorization', admin).send({ tag, team: 'security' }).expect(201);
      await t.http
        .post('/api/routing-rules')
        .set('Authorization', admin)
        .send({ kind: 'firewall', team: 'never-reached' })
        .expect(201);
      const d = await deviceFactory.create(t, { kind: 'firewall', tags: [tag] });
      await happen(status(d.id, 'up', 'down'));
      expect((await ticketsOf(d.id))[0].team).toBe('security');
      await t.http.post('/api/routing-rules').set('Authorization', admin).send({ team: 'has space' }).expect(400);
    });
  });

  describe('escalation, SLA and closing', () => {
    it('escalates an unacknowledged ticket step by step (team hand-over, webhook notified), and stops when acknowledged', async () => {
      const policy = await t.http
        .post('/api/escalation-policies')
        .set('Authorization', `Bearer ${await t.tokenFor('manager')}`)
        .send({
          name: unique('policy'),
          steps: [
            { delaySeconds: 60, team: 'tier2' },
            { delaySeconds: 120, notify: [`webhook:http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`] },
            { delaySeconds: 600 },
          ],
        })
        .expect(201);
      const d = await deviceFactory.create(t, { escalationPolicyId: policy.body.id, criticality: 'low' });
      await happen(status(d.id, 'up', 'down'));
      const [opened] = await ticketsOf(d.id);
      clock.advance(30_000);
      await timers.runOnce();
      expect((await ticket(opened.id)).escalationLevel).toBe(0);
      clock.advance(31_000);
      await timers.runOnce();
      expect(await ticket(opened.id)).toMatchObject({ escalationLevel: 1, team: 'tier2' });
      clock.advance(60_000);
      await timers.runOnce();
      await timers.runOnce(); // a second pass (or instance) does the step no second time
      const level2 = await ticket(opened.id);
      expect(level2.escalationLevel).toBe(2);
      expect(level2.events.filter((e: { type: string }) => e.type === 'escalated')).toHaveLength(2);
      for (let i = 0; i < 50 && !level2.events.some((e: { type: string }) => e.type === 'notified'); i++) {
        await new Promise((r) => setTimeout(r, 50));
        level2.events = (await ticket(opened.id)).events;
      }
      expect(level2.events.find((e: { type: string }) => e.type === 'notified')).toMatchObject({
        actor: 'system',
        message: expect.stringMatching(/^notified webhook:/),
      });
      expect(hookHits.some((h) => JSON.stringify(h.body).includes(`#${opened.number}`))).toBe(true);
      await t.http.post(`/api/tickets/${opened.id}/acknowledge`).set('Authorization', agent).expect(200);
      clock.advance(3_600_000);
      await timers.runOnce();
      expect((await ticket(opened.id)).escalationLevel).toBe(2);
      await t.http.post(`/api/tickets/${opened.id}/acknowledge`).set('Authorization', agent).expect(409);
    });

    it('escalates on the per-second check at the second the step falls due (the check reads tickets only when something is due)', async () => {
      const policy = await t.http
        .post('/api/escalation-policies')
        .set('Authorization', `Bearer ${await t.tokenFor('manager')}`)
        .send({ name: unique('policy'), steps: [{ delaySeconds: 20, team: 'tier2' }] })
        .expect(201);
      const d = await deviceFactory.create(t, { escalationPolicyId: policy.body.id, criticality: 'low' });
      /** The check of one second, as the timer runs it (a check already under way is waited for). */
      const check = async () => {
        for (let i = 0; i < 100 && (timers as unknown as { busy: boolean }).busy; i++)
          await new Promise((r) => setTimeout(r, 10));
        await timers.tick();
      };
      await check();
      await happen(status(d.id, 'up', 'down'));
      const [opened] = await ticketsOf(d.id);
      await check(); // the new ticket makes this check a pass: it learns when the step is due
      clock.advance(19_000);
      await check();
      expect((await ticket(opened.id)).escalationLevel).toBe(0);
      clock.advance(1_000);
      await check();
      expect(await ticket(opened.id)).toMatchObject({ escalationLevel: 1, team: 'tier2' });
    });

    it('records an SLA breach once, and closes a resolved ticket after the stable period', async () => {
      const d = await deviceFactory.create(t, { criticality: 'critical' });
      await happen(status(d.id, 'up', 'down'));
      const [opened] = await ticketsOf(d.id);
      expect(opened.priority).toBe('P1');
      clock.advance(6 * 60_000);
      await timers.runOnce();
      await timers.runOnce();
      const breached = await ticket(opened.id);
      expect(breached.slaBreaches).toEqual(['ack']);
      expect(breached.events.filter((e: { type: string }) => e.type === 'sla_breached')).toHaveLength(1);
      await happen(status(d.id, 'down', 'up'));
      clock.advance(59 * 60_000);
      await timers.runOnce();
      expect((await ticket(opened.id)).status).toBe('resolved');
      clock.advance(2 * 60_000);
      await timers.runOnce();
      const closed = await ticket(opened.id);
      expect(closed.status).toBe('closed');
      expect(closed.events.at(-1)).toMatchObject({ type: 'closed', actor: 'system' });
      await happen(status(d.id, 'up', 'down'));
      const all = await ticketsOf(d.id);
      expect(all).toHaveLength(2);
      expect(all[0]).toMatchObject({ status: 'open', occurrences: 1 });
    });

    it('validates policies', async () => {
      const manager = `Bearer ${await t.tokenFor('manager')}`;
      await t.http
        .post('/api/escalation-policies')
        .set('Authorization', manager)
        .send({ name: 'x', steps: [] })
        .expect(400);
      await t.http
        .post('/api/escalation-policies')
        .set('Authorization', manager)
        .send({ name: 'x', steps: [{ delaySeconds: 60 }, { delaySeconds: 30 }] })
        .expect(400);
      const bad = await t.http
        .post('/api/escalation-policies')
        .set('Authorization', manager)
        .send({ name: 'x', steps: [{ delaySeconds: 60, notify: ['pigeon:roof'] }] })
        .expect(400);
      expect(bad.body.message.join(' ')).toMatch(/steps\.0\.notify\.0/);
      await t.http
        .post('/api/escalation-policies')
        .set('Authorization', agent)
        .send({ name: 'x', steps: [{ delaySeconds: 1 }] })
        .expect(403);
      await t.http
        .post('/api/devices')
        .set('Authorization', admin)
        .send({ ...deviceFactory.build(), escalationPolicyId: '00000000-0000-4000-8000-000000000000' })
        .expect(400);
    });
  });

  describe('manual tickets and the lifecycle', () => {
    it('lets an agent open, comment, assign, resolve, reopen and close a ticket, each step on the timeline', async () => {
      const d = await deviceFactory.create(t);
      const created = await t.http
        .post('/api/tickets')
        .set('Authorization', agent)
        .send({ title: 'Printer VLAN flaky', description: 'users report drops', deviceId: d.id, priority: 'P2' })
        .expect(201);
      expect(created.body).toMatchObject({
        number: expect.any(Number),
        status: 'open',
        priority: 'P2',
        source: 'manual',
        faultType: 'other',
        deviceId: d.id,
        escalationLevel: 0,
        recurring: false,
        occurrences: 1,
        allowedActions: ['acknowledge', 'start', 'assign', 'comment', 'resolve', 'close'],
      });
      const id = created.body.id;
      const users = await t.http.get('/api/users').set('Authorization', admin).expect(200);
      const agentUser = users.body.find((u: { email: string }) => u.email === 'agent@netdesk.test');
      await t.http
        .post(`/api/tickets/${id}/comments`)
        .set('Authorization', agent)
        .send({ body: 'checking the switch' })
        .expect(200);
      const assigned = await t.http
        .post(`/api/tickets/${id}/assign`)
        .set('Authorization', agent)
        .send({ assigneeId: agentUser.id, team: 'desk' })
        .expect(200);
      expect(assigned.body).toMatchObject({ assigneeId: agentUser.id, team: 'desk' });
      await t.http.post(`/api/tickets/${id}/acknowledge`).set('Authorization', agent).expect(200);
      await t.http
        .post(`/api/tickets/${id}/resolve`)
        .set('Authorization', agent)
        .send({ resolution: 'replaced the patch cable' })
        .expect(200);
      const reopened = await t.http.post(`/api/tickets/${id}/reopen`).set('Authorization', agent).expect(200);
      expect(reopened.body.allowedActions).toEqual(['acknowledge', 'start', 'assign', 'comment', 'resolve', 'close']);
      await t.http
        .post(`/api/tickets/${id}/resolve`)
        .set('Authorization', agent)
        .send({ resolution: 'replaced the port' })
        .expect(200);
      const closed = await t.http.post(`/api/tickets/${id}/close`).set('Authorization', agent).expect(200);
      expect(closed.body).toMatchObject({
        status: 'closed',
        closedAt: expect.any(String),
        resolution: 'replaced the port',
        allowedActions: ['comment'],
      });
      const full = await ticket(id);
      expect(full.events.map((e: { type: string }) => e.type)).toEqual([
        'opened',
        'commented',
        'assigned',
        'acknowledged',
        'resolved',
        'reopened',
        'resolved',
        'closed',
      ]);
      expect(full.events[1]).toMatchObject({ actor: 'agent@netdesk.test', message: 'checking the switch' });
      // closed is final
      for (const action of ['acknowledge', 'reopen', 'close'])
        await t.http.post(`/api/tickets/${id}/${action}`).set('Authorization', agent).expect(409);
      await t.http
        .post(`/api/tickets/${id}/resolve`)
        .set('Authorization', agent)
        .send({ resolution: 'again' })
        .expect(409);
    });

    it('starts work on a ticket: in_progress, acknowledging it first when nobody had', async () => {
      const create = () =>
        t.http.post('/api/tickets').set('Authorization', agent).send({ title: 'printer VLAN flaky' }).expect(201);
      const fresh = (await create()).body;
      const started = await t.http.post(`/api/tickets/${fresh.id}/start`).set('Authorization', agent).expect(200);
      expect(started.body).toMatchObject({ status: 'in_progress', acknowledgedAt: expect.any(String) });
      expect((await ticket(fresh.id)).events.map((e: { type: string }) => e.type)).toEqual([
        'opened',
        'acknowledged',
        'started',
      ]);
      await t.http.post(`/api/tickets/${fresh.id}/start`).set('Authorization', agent).expect(409);
      await t.http.post(`/api/tickets/${fresh.id}/acknowledge`).set('Authorization', agent).expect(409);

      const acked = (await create()).body;
      const ack = await t.http.post(`/api/tickets/${acked.id}/acknowledge`).set('Authorization', agent).expect(200);
      const again = await t.http.post(`/api/tickets/${acked.id}/start`).set('Authorization', agent).expect(200);
      expect(again.body).toMatchObject({ status: 'in_progress', acknowledgedAt: ack.body.acknowledgedAt });
      expect((await ticket(acked.id)).events.map((e: { type: string }) => e.type)).toEqual([
        'opened',
        'acknowledged',
        'started',
      ]);
      await t.http
        .post(`/api/tickets/${acked.id}/start`)
        .set('Authorization', `Bearer ${await t.tokenFor('viewer')}`)
        .expect(403);
    });

    it('shows "last time" resolutions when the same fault opens again', async () => {
      const d = await deviceFactory.create(t, { kind: 'access-point' });
      await happen(status(d.id, 'up', 'down'));
      const [first] = await ticketsOf(d.id);
      await happen(status(d.id, 'down', 'up'));
      await t.http.post(`/api/tickets/${first.id}/close`).set('Authorization', agent).expect(200);
      // an agent's resolution on a second, manually resolved occurrence
      await happen(status(d.id, 'up', 'degraded', ['latency']));
      const latency = (await ticketsOf(d.id)).find((x) => x.faultType === 'high_latency')!;
      await happen(status(d.id, 'degraded', 'up'));
      await t.http.post(`/api/tickets/${latency.id}/reopen`).set('Authorization', agent).expect(200);
      await t.http
        .post(`/api/tickets/${latency.id}/resolve`)
        .set('Authorization', agent)
        .send({ resolution: 'moved the AP off channel 6' })
        .expect(200);
      await t.http.post(`/api/tickets/${latency.id}/close`).set('Authorization', agent).expect(200);
      await happen(status(d.id, 'up', 'degraded', ['latency']));
      const next = (await ticketsOf(d.id)).find((x) => x.faultType === 'high_latency' && x.status === 'open')!;
      const events = (await ticket(next.id)).events;
      expect(
        events.some(
          (e: { type: string; message: string }) =>
            e.type === 'diagnosis' && /last time .*moved the AP off channel 6/.test(e.message),
        ),
      ).toBe(true);
    });

    it("gives agents their own queue and their team's", async () => {
      const users = await t.http.get('/api/users').set('Authorization', admin).expect(200);
      const me = users.body.find((u: { email: string }) => u.email === 'agent@netdesk.test');
      const mine = await t.http.post('/api/tickets').set('Authorization', agent).send({ title: 'mine' }).expect(201);
      await t.http
        .post(`/api/tickets/${mine.body.id}/assign`)
        .set('Authorization', agent)
        .send({ assigneeId: me.id, team: 'desk' })
        .expect(200);
      const queue = await t.http.get('/api/tickets?queue=mine').set('Authorization', agent).expect(200);
      expect(queue.body.map((x: { id: string }) => x.id)).toContain(mine.body.id);
      expect(queue.body.every((x: { assigneeId?: string }) => x.assigneeId === me.id)).toBe(true);
      await t.http.get('/api/tickets?queue=team').set('Authorization', agent).expect(400); // this agent has no team
      await t.http.get('/api/tickets?queue=everything').set('Authorization', agent).expect(400);
    });

    it('answers bad input and unknown ids properly, and keeps viewers read-only', async () => {
      await t.http.post('/api/tickets').set('Authorization', agent).send({}).expect(400);
      await t.http.post('/api/tickets').set('Authorization', agent).send({ title: 'x', priority: 'P9' }).expect(400);
      await t.http
        .post('/api/tickets')
        .set('Authorization', agent)
        .send({ title: 'x', deviceId: '00000000-0000-4000-8000-000000000000' })
        .expect(400);
      await t.http
        .post('/api/tickets')
        .set('Authorization', agent)
        .send({ title: 'x'.repeat(201) })
        .expect(400);
      await t.http
        .post('/api/tickets')
        .set('Authorization', `Bearer ${await t.tokenFor('viewer')}`)
        .send({ title: 'x' })
        .expect(403);
      await t.http.get('/api/tickets/00000000-0000-4000-8000-000000000000').set('Authorization', admin).expect(404);
      await t.http
        .post('/api/tickets/00000000-0000-4000-8000-000000000000/acknowledge')
        .set('Authorization', agent)
        .expect(404);
      await t.http.get('/api/tickets?status=bogus').set('Authorization', admin).expect(400);
      await t.http.post('/api/tickets/not-a-uuid/comments').set('Authorization', agent).send({ body: 'x' }).expect(400);
      const list = await t.http
        .get('/api/tickets?status=open')
        .set('Authorization', `Bearer ${await t.tokenFor('viewer')}`)
        .expect(200);
      expect(list.body.every((x: { status: string }) => x.status === 'open')).toBe(true);
      const opened = list.body.map((x: { openedAt: string }) => x.openedAt);
      expect(opened).toEqual([...opened].sort().reverse());
    });
  });
});
