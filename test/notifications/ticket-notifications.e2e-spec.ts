/**
 * Who ticketing tells, end to end: monitoring changes go through the real store and automatic ticketing,
 * notifications leave through a real SMTP server on 127.0.0.1, and every delivery is a `notified` event on
 * the ticket's timeline. A fake clock moves the SLA targets.
 *   - an SLA breach notifies the ticket's team and the targets of its current escalation step;
 *   - a flapping fault is summarised when flapping starts and when it stops, not paged on every reopen;
 *   - whoever was paged for a fault gets a recovery notice.
 */
import { FakeClock } from '@netdesk/core';
import type { MonitoringChange } from '@netdesk/monitoring';
import { TicketTimers } from '@netdesk/ticketing';
import { MonitoringStore } from '../../libs/monitoring/src/polling/monitoring-store';
import { deviceFactory } from '../factories/device.factory';
import { unique } from '../factories/unique';
import { monitoringDriver, statusChange } from '../support/monitoring-driver';
import { startTestApp, TestApp } from '../support/test-app';
import { RawMail, SmtpReceiver, startRawSmtp } from '../support/smtp-receiver';

const until = async (check: () => boolean | Promise<boolean>, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
};
const settle = () => new Promise((r) => setTimeout(r, 600));

describe('ticket notifications: SLA breaches, flapping summaries, recovery notices (real SMTP)', () => {
  const clock = new FakeClock(new Date('2026-07-01T08:00:00Z'));
  let t: TestApp;
  let smtp: SmtpReceiver<RawMail>;
  let admin: string;
  let agent: string;
  const team = unique('noc');
  const member = `${unique('member')}@example.com`.toLowerCase();
  const oncall = `${unique('oncall')}@example.com`.toLowerCase();
  let policyId: string;

  const happen = (...changes: MonitoringChange[]) => monitoringDriver(t.app).happen(...changes);
  const status = (id: string, from: string, to: string) => statusChange(id, from, to, clock.now());
  const flap = (deviceId: string, flapping: boolean) =>
    ({
      kind: 'flapping',
      deviceId,
      ifIndex: null,
      flapping,
      percentStateChange: 60,
      at: clock.now(),
    }) as MonitoringChange;
  const mailsTo = (address: string, subject: RegExp) =>
    smtp.mails.filter((m) => m.to.includes(address) && subject.test(m.subject));
  const ticketOf = async (deviceId: string) =>
    (await t.http.get(`/api/tickets?deviceId=${deviceId}`).set('Authorization', agent).expect(200)).body[0];
  const events = async (id: string) =>
    (await t.http.get(`/api/tickets/${id}`).set('Authorization', agent).expect(200)).body.events as {
      type: string;
      message: string;
    }[];
  const advance = (seconds: number) => clock.set(new Date(clock.now().getTime() + seconds * 1000));

  beforeAll(async () => {
    smtp = await startRawSmtp();
    t = await startTestApp('ticket-notify', { NETDESK_SMTP_URL: `smtp://127.0.0.1:${smtp.port}` }, { clock });
    admin = `Bearer ${await t.tokenFor('admin')}`;
    agent = `Bearer ${await t.tokenFor('agent')}`;
    await t.http
      .post('/api/users')
      .set('Authorization', admin)
      .send({ email: member, password: 'member-password-1', role: 'agent', team })
      .expect(201);
    policyId = (
      await t.http
        .post('/api/escalation-policies')
        .set('Authorization', admin)
        .send({ name: unique('policy'), steps: [{ delaySeconds: 7200, notify: [`email:${oncall}`] }] })
        .expect(201)
    ).body.id;
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('an SLA breach emails the ticket team and the current escalation step, recorded as notified', async () => {
    const d = await deviceFactory.create(t, { criticality: 'critical', team, escalationPolicyId: policyId });
    await happen(status(d.id, 'unknown', 'up'));
    await happen(status(d.id, 'up', 'down'));
    const ticket = await ticketOf(d.id);
    expect(ticket.priority).toBe('P1');
    await until(() => mailsTo(member, /Opened/).length === 1);

    advance(6 * 60); // past the P1 acknowledge target (5 min), before any escalation step (2 h)
    const { breaches } = await t.app.get(TicketTimers).runOnce();
    expect(breaches).toBe(1);
    await until(() => mailsTo(member, /SLA breached/).length === 1 && mailsTo(oncall, /SLA breached/).length === 1);
    expect(mailsTo(member, /SLA breached/)[0].subject).toContain(`#${ticket.number}`);
    await until(async () =>
      (await events(ticket.id)).some((e) => e.type === 'notified' && e.message.includes('(sla_breached)')),
    );
    const notified = (await events(ticket.id)).filter((e) => e.type === 'notified' && /sla_breached/.test(e.message));
    expect(notified.map((e) => e.message).sort()).toEqual([
      `notified email:${member} (sla_breached)`,
      `notified email:${oncall} (sla_breached)`,
    ]);
  });

  it('pages a flapping fault once when flapping starts and once when it stops, with recovery notices', async () => {
    const d = await deviceFactory.create(t, { criticality: 'critical', team, escalationPolicyId: policyId });
    await happen(status(d.id, 'unknown', 'up'));
    advance(10);
    await happen(status(d.id, 'up', 'down'));
    const ticket = await ticketOf(d.id);
    // both are paged (delivered) before the recovery, which goes to whoever was notified
    const opened = new RegExp(`#${ticket.number}\\] Opened`);
    await until(() => mailsTo(member, opened).length === 1 && mailsTo(oncall, opened).length === 1);

    // Recovery: whoever was paged is told the fault is over.
    advance(10);
    await happen(status(d.id, 'down', 'up'));
    const resolved = new RegExp(`#${ticket.number}\\] Resolved`);
    await until(() => mailsTo(member, resolved).length === 1 && mailsTo(oncall, resolved).length >= 1);
    expect(mailsTo(oncall, new RegExp(`#${ticket.number}\\] Resolved`))).toHaveLength(1);
    expect(mailsTo(member, new RegExp(`#${ticket.number}\\] Resolved`))[0].raw).toMatch(/recovered/);

    // It starts flapping: one summary, then three more reopens and recoveries page nobody.
    advance(10);
    // As the poller stores them: the status change and the flapping verdict in one commit.
    await t.app.get(MonitoringStore).commit([status(d.id, 'up', 'down'), flap(d.id, true)]);
    await happen();
    for (let i = 0; i < 3; i++) {
      advance(10);
      await happen(status(d.id, 'down', 'up'));
      advance(10);
      await happen(status(d.id, 'up', 'down'));
    }
    await until(() => mailsTo(member, new RegExp(`#${ticket.number}\\] Flapping:`)).length === 1);
    await settle();
    const subjects = () => smtp.mails.filter((m) => m.to.includes(member) && m.subject.includes(`#${ticket.number}]`));
    expect(subjects().map((m) => m.subject.replace(/:.*/, ''))).toEqual([
      `[NetDesk #${ticket.number}] Opened`,
      `[NetDesk #${ticket.number}] Resolved`,
      `[NetDesk #${ticket.number}] Flapping`,
    ]);

    // It settles (up), then flapping stops: one summary naming what was held.
    advance(10);
    await happen(status(d.id, 'down', 'up'));
    advance(60);
    await happen(flap(d.id, false));
    await until(() => mailsTo(member, new RegExp(`#${ticket.number}\\] Flapping stopped`)).length === 1);
    const stopped = mailsTo(member, new RegExp(`#${ticket.number}\\] Flapping stopped`))[0];
    expect(stopped.raw.replace(/=\r?\n/g, '')).toMatch(/3 reopen\(s\) held while it flapped; the fault is recovered/);
    await settle();
    expect(subjects()).toHaveLength(4);

    const timeline = await events(ticket.id);
    expect(timeline.filter((e) => e.type === 'suppressed')).toHaveLength(3);
    const notified = timeline.filter((e) => e.type === 'notified' && e.message.includes(member));
    expect(notified.map((e) => /\((\w+)\)$/.exec(e.message)?.[1])).toEqual([
      'opened',
      'resolved',
      'flapping',
      'flapping_stopped',
    ]);
  });

  it('sends no recovery notice for a fault nobody was paged for', async () => {
    const d = await deviceFactory.create(t, { criticality: 'low', team, escalationPolicyId: policyId });
    await happen(status(d.id, 'unknown', 'up'));
    await happen(status(d.id, 'up', 'down'));
    const ticket = await ticketOf(d.id);
    expect(ticket.priority).not.toBe('P1');
    await happen(status(d.id, 'down', 'up'));
    await settle();
    expect(smtp.mails.filter((m) => m.subject.includes(`#${ticket.number}]`))).toHaveLength(0);
    expect((await events(ticket.id)).filter((e) => e.type === 'notified')).toHaveLength(0);
  });
});
