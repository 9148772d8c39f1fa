import { NetworkLab } from '../lab/network-lab';
import { unique } from '../factories/unique';
import { startTestApp, TestApp } from '../support/test-app';

type Ticket = {
  id: string;
  status: string;
  escalationLevel: number;
  occurrences: number;
  faultType: string;
  priority: string;
};

/**
 * One incident on a real network, end to end: link cut → ticket within seconds → escalation →
 * service restart → escalation goes on → recovery → resolved by the system → cut again → reopened.
 */
describe('an incident on the network lab', () => {
  let lab: NetworkLab;
  let t: TestApp;
  let admin: string;
  let routerId: string;
  let childId: string;

  beforeAll(async () => {
    await NetworkLab.assertSupported();
    lab = await NetworkLab.create({ hosts: [{ name: 'router' }, { name: 'child', parent: 'router' }] });
    t = await startTestApp('incident', {
      NETDESK_POLLER: 'true',
      NETDESK_TRAP_PORT: String(20_000 + Math.floor(Math.random() * 20_000)),
      NETDESK_TRAP_BIND: '127.0.0.1',
      NETDESK_PING_TIMEOUT_MS: '300',
      NETDESK_PING_PERIOD_MS: '100',
      NETDESK_RECHECK_MS: '500',
      NETDESK_TICKETING_SWEEP_MS: '500',
    }).catch(async (e) => {
      await lab.destroy();
      throw e;
    });
    admin = `Bearer ${await t.tokenFor('admin')}`;
    const policy = await t.http
      .post('/api/escalation-policies')
      .set('Authorization', admin)
      .send({
        name: unique('lab-policy'),
        steps: [{ delaySeconds: 3, team: 'tier2' }, { delaySeconds: 12 }, { delaySeconds: 600 }],
      })
      .expect(201);
    const create = async (name: string, parentId?: string) =>
      (
        await t.http
          .post('/api/devices')
          .set('Authorization', admin)
          .send({
            name: unique(name),
            host: lab.host(name).address,
            pollIntervalSec: 5,
            criticality: 'critical',
            kind: 'router',
            parentId,
            escalationPolicyId: policy.body.id,
          })
          .expect(201)
      ).body.id as string;
    routerId = await create('router');
    childId = await create('child', routerId);
  });

  afterAll(async () => {
    await t?.close();
    await lab?.destroy();
  });

  const waitFor = async <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> => {
    const started = Date.now();
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const tickets = async (deviceId: string) =>
    (await t.http.get(`/api/tickets?deviceId=${deviceId}`).set('Authorization', admin).expect(200)).body as Ticket[];
  const device = async (id: string) =>
    (await t.http.get(`/api/devices/${id}`).set('Authorization', admin).expect(200)).body;

  it('runs the whole incident', async () => {
    await waitFor('both up', async () =>
      (await device(routerId)).status === 'up' && (await device(childId)).status === 'up' ? true : undefined,
    );

    const cutAt = Date.now();
    await lab.cutLink('router', { mode: 'silent' });
    const opened = await waitFor('the router ticket', async () =>
      (await tickets(routerId)).find((x) => x.status === 'open'),
    );
    console.info(`link cut → ticket open: ${Date.now() - cutAt} ms (poll interval 5 s)`);
    expect(Date.now() - cutAt).toBeLessThan(15_000);
    expect(opened).toMatchObject({ faultType: 'device_down', priority: 'P1', escalationLevel: 0 });
    await waitFor('child unreachable', async () =>
      (await device(childId)).status === 'unreachable' ? true : undefined,
    );
    expect(await tickets(childId)).toEqual([]);

    await waitFor(
      'first escalation',
      async () => ((await tickets(routerId))[0].escalationLevel >= 1 ? true : undefined),
      15_000,
    );
    await t.restart();
    admin = `Bearer ${await t.tokenFor('admin')}`;
    await waitFor(
      'escalation after the restart',
      async () => ((await tickets(routerId))[0].escalationLevel >= 2 ? true : undefined),
      20_000,
    );
    const afterRestart = (await t.http.get(`/api/tickets/${opened.id}`).set('Authorization', admin).expect(200)).body;
    expect(afterRestart.events.filter((e: { type: string }) => e.type === 'escalated')).toHaveLength(2);
    expect(afterRestart.team).toBe('tier2');

    await lab.restoreLink('router');
    await waitFor(
      'resolved by the system',
      async () => ((await tickets(routerId))[0].status === 'resolved' ? true : undefined),
      25_000,
    );
    const resolved = (await t.http.get(`/api/tickets/${opened.id}`).set('Authorization', admin).expect(200)).body;
    expect(resolved.events.at(-1)).toMatchObject({ type: 'resolved', actor: 'system' });

    await lab.cutLink('router', { mode: 'silent' });
    await waitFor('reopened', async () => {
      const [again] = await tickets(routerId);
      return again.status === 'open' && again.occurrences === 2 ? again : undefined;
    });
    expect(await tickets(routerId)).toHaveLength(1);
    expect(await tickets(childId)).toEqual([]);
    const all = (await t.http.get(`/api/tickets?deviceId=${childId}`).set('Authorization', admin).expect(200)).body;
    expect(all).toEqual([]);
    await lab.restoreLink('router');
  });
});
