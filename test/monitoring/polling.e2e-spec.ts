import { EventBus } from '@netdesk/core';
import { MONITORING_EVENTS, MonitoringEvent } from '@netdesk/monitoring';
import { NetworkLab } from '../lab/network-lab';
import { startTestApp, TestApp } from '../support/test-app';
import { unique } from '../factories/unique';

/**
 * The poller end to end against real hosts: fping and snmpd in network namespaces, real traps,
 * real outages made by pulling links. Timings are printed (the benchmark doc quotes them), and
 * asserted only loosely here.
 */
describe('polling a real network', () => {
  let lab: NetworkLab;
  let t: TestApp;
  let admin: string;
  const events: MonitoringEvent[] = [];
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    await NetworkLab.assertSupported();
    lab = await NetworkLab.create({
      hosts: [
        {
          name: 'router',
          snmp: { community: 'lab-ro' },
          interfaces: [{ name: 'uplink0', alias: 'uplink' }, { name: 'spare0' }],
        },
        { name: 'child', parent: 'router', snmp: { community: 'lab-ro' } },
        { name: 'server', snmp: { community: 'lab-ro' } },
      ],
      trapSink: {},
    });
    t = await startTestApp('polling', {
      NETDESK_POLLER: 'true',
      NETDESK_TRAP_PORT: String(lab.trapSink!.port),
      NETDESK_TRAP_BIND: lab.trapSink!.address,
      NETDESK_PING_TIMEOUT_MS: '400',
      NETDESK_PING_PERIOD_MS: '100',
      NETDESK_SNMP_TIMEOUT_MS: '600',
      NETDESK_SNMP_RETRIES: '0',
      NETDESK_RECHECK_MS: '500',
    });
    const bus = t.app.get(EventBus);
    for (const topic of Object.values(MONITORING_EVENTS))
      bus.subscribe<MonitoringEvent>(topic, (e) => void events.push(e));
    admin = `Bearer ${await t.tokenFor('admin')}`;
    const create = async (name: string, parentId?: string) => {
      const res = await t.http
        .post('/api/devices')
        .set('Authorization', admin)
        .send({
          name: unique(name),
          host: lab.host(name).address,
          pollIntervalSec: 10,
          parentId,
          snmp: { version: '2c', community: 'lab-ro' },
        })
        .expect(201);
      ids[name] = res.body.id;
    };
    await create('router');
    await create('child', ids.router);
    await create('server');
  });

  afterAll(async () => {
    await t?.close();
    await lab?.destroy();
  });

  const device = async (name: string) =>
    (await t.http.get(`/api/devices/${ids[name]}`).set('Authorization', admin).expect(200)).body;
  const waitFor = async <T>(
    what: string,
    probe: () => Promise<T | undefined | false>,
    timeoutMs = 20_000,
  ): Promise<{ value: T; ms: number }> => {
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      const value = await probe();
      if (value) return { value, ms: Date.now() - started };
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
  };
  const statusIs = (name: string, status: string) => async () =>
    (await device(name)).status === status ? true : undefined;
  const transitionsOf = (name: string) =>
    events
      .filter((e): e is MonitoringEvent<'device_status'> => e.kind === 'device_status' && e.deviceId === ids[name])
      .map((e) => e.to);

  it('finds every device up, with SNMP system data and RTT', async () => {
    for (const name of ['router', 'child', 'server']) await waitFor(`${name} up`, statusIs(name, 'up'));
    await waitFor('last poll written', async () => (await device('router')).lastPoll?.rttMs != null);
    const router = await device('router');
    expect(router).toMatchObject({ status: 'up', sysName: 'router', lastPoll: { lossPct: 0 } });
    expect(router.lastPoll.rttMs).toBeGreaterThan(0);
    expect(router.uptimeSec).toBeGreaterThanOrEqual(0);
  });

  it('lists interfaces by IF-MIB names, watching the one with an alias', async () => {
    const { value: interfaces } = await waitFor('interfaces', async () => {
      const res = await t.http.get(`/api/devices/${ids.router}/interfaces`).set('Authorization', admin).expect(200);
      return res.body.length >= 3 ? (res.body as Record<string, unknown>[]) : undefined;
    });
    const uplink = interfaces.find((i) => i.name === 'uplink0');
    expect(uplink).toMatchObject({
      alias: 'uplink',
      adminStatus: 'up',
      operStatus: expect.stringMatching(/up|unknown/),
      monitored: true,
    });
    expect(interfaces.find((i) => i.name === 'spare0')).toMatchObject({ monitored: false });
    for (const key of ['ifIndex', 'speedBps', 'inBps', 'outBps', 'inErrors', 'outErrors'])
      expect(uplink).toHaveProperty(key);
  });

  it('sees a monitored interface lose its link within seconds through the linkDown trap: interface down, device degraded', async () => {
    const ifIndex = await lab.host('router').ifIndexOf('uplink0');
    const started = Date.now();
    await lab.loseCarrier('router', 'uplink0');
    const { ms } = await waitFor(
      'uplink0 down',
      async () =>
        events.some(
          (e) => e.kind === 'interface_status' && e.deviceId === ids.router && e.ifIndex === ifIndex && e.to === 'down',
        ),
      10_000,
    );
    console.info(
      `interface down → interface_status event: ${Date.now() - started} ms (trap-driven, poll interval 10 s)`,
    );
    expect(ms).toBeLessThan(3_000);
    await waitFor('router degraded', statusIs('router', 'degraded'), 5_000);
    expect((await device('router')).statusReason).toMatch(/uplink0/);
    await lab.restoreCarrier('router', 'uplink0');
    await waitFor('router up again', statusIs('router', 'up'), 10_000);
  });

  it('finds the router down and the device behind it unreachable (never down) when the link is cut', async () => {
    const cutAt = Date.now();
    await lab.cutLink('router', { mode: 'silent' });
    const { ms } = await waitFor('router down', statusIs('router', 'down'), 25_000);
    console.info(`link cut → router down: ${Date.now() - cutAt} ms (interval 10 s, confirmation 3 polls)`);
    expect(ms).toBeLessThan(10_000 + 5_000);
    await waitFor('child unreachable', statusIs('child', 'unreachable'), 10_000);
    expect(transitionsOf('child')).not.toContain('down');
    expect((await device('server')).status).toBe('up');

    await lab.restoreLink('router');
    await waitFor('router up', statusIs('router', 'up'), 20_000);
    await waitFor('child up', statusIs('child', 'up'), 20_000);
    expect(transitionsOf('child')).not.toContain('down');
  });

  it('keeps a device that pings but does not answer SNMP degraded, not down', async () => {
    await lab.stopSnmp('server');
    await waitFor('server degraded', statusIs('server', 'degraded'), 15_000);
    expect((await device('server')).statusReason).toMatch(/snmp/i);
    await lab.startSnmp('server');
    await waitFor('server up', statusIs('server', 'up'), 15_000);
  });

  it('stores every transition with its reason, newest first', async () => {
    await waitFor('server transitions', async () => transitionsOf('server').length >= 3);
    const res = await t.http.get(`/api/devices/${ids.router}/history?limit=50`).set('Authorization', admin).expect(200);
    const kinds = res.body.map((h: { kind: string; to: string }) => `${h.kind}:${h.to}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'device_status:down',
        'device_status:up',
        'interface_status:down',
        'device_status:degraded',
      ]),
    );
    expect(
      res.body.every(
        (h: { reason: string | null }, i: number, all: { id: string }[]) =>
          i === 0 || Number(all[i - 1].id) > Number(all[i].id),
      ),
    ).toBe(true);
    await t.http.get(`/api/devices/${ids.router}/history?limit=0`).set('Authorization', admin).expect(400);
  });

  it('answers POST /api/devices/:id/ping for agents with the RTTs, not for viewers', async () => {
    const res = await t.http
      .post(`/api/devices/${ids.server}/ping`)
      .set('Authorization', `Bearer ${await t.tokenFor('agent')}`)
      .expect(200);
    expect(res.body).toMatchObject({ host: lab.host('server').address, sent: 4, received: 4, lossPct: 0 });
    expect(res.body.rttsMs).toHaveLength(4);
    await t.http
      .post(`/api/devices/${ids.server}/ping`)
      .set('Authorization', `Bearer ${await t.tokenFor('viewer')}`)
      .expect(403);
  });

  it('lets an admin stop watching an interface', async () => {
    const ifIndex = await lab.host('router').ifIndexOf('uplink0');
    const res = await t.http
      .patch(`/api/devices/${ids.router}/interfaces/${ifIndex}`)
      .set('Authorization', admin)
      .send({ monitored: false })
      .expect(200);
    expect(res.body).toMatchObject({ monitoredOverride: false });
    await t.http
      .patch(`/api/devices/${ids.router}/interfaces/99999`)
      .set('Authorization', admin)
      .send({ monitored: true })
      .expect(404);
    await t.http
      .patch(`/api/devices/${ids.router}/interfaces/${ifIndex}`)
      .set('Authorization', admin)
      .send({ monitored: 'yes' })
      .expect(400);
  });

  it('counts traps on /metrics', async () => {
    const metrics = await t.http.get('/metrics').expect(200);
    expect(metrics.text).toMatch(/netdesk_traps_total\{[^}]*result="repoll"[^}]*\} [1-9]/);
  });
});
