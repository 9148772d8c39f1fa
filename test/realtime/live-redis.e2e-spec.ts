import { randomBytes } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig } from '@netdesk/config';
import type { MonitoringChange } from '@netdesk/monitoring';
import { createServerApp } from '../../apps/server/src/server-app';
import { MonitoringStore } from '../../libs/monitoring/src/polling/monitoring-store';
import { deviceFactory, siteFactory } from '../factories/device.factory';
import { startTestApp, TestApp } from '../support/test-app';
import { connectLive, listen, LiveTestClient } from './live-client';

/**
 * Two instances of the service on one database, joined by Redis (127.0.0.1:6379): a client connected
 * to instance B sees what instance A's bus published, once; and the other way round.
 */
const REDIS_URL = 'redis://127.0.0.1:6379';

describe('live updates across instances (REDIS_URL)', () => {
  const env = { REDIS_URL, NETDESK_SECRET_KEY: randomBytes(24).toString('hex') };
  let a: TestApp;
  let b: NestExpressApplication;
  let urlA: string;
  let urlB: string;
  let token: string;
  const clients: LiveTestClient[] = [];

  beforeAll(async () => {
    a = await startTestApp('live-redis', env);
    urlA = await listen(a);
    const config = loadConfig({ NETDESK_DATA_DIR: a.dataDir, NETDESK_POLLER: 'false', LOG_LEVEL: 'silent', ...env });
    b = await createServerApp(config, a.databaseUrl, false);
    await b.listen(0, '127.0.0.1');
    urlB = `http://127.0.0.1:${(b.getHttpServer().address() as AddressInfo).port}`;
    token = await a.tokenFor('agent');
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await b?.close();
    await a?.close();
  });

  const live = async (url: string, auth: Record<string, unknown> = {}) => {
    const c = await connectLive(url, { token, ...auth });
    clients.push(c);
    await c.next('snapshot');
    return c;
  };
  const change = (deviceId: string, from: string, to: string): MonitoringChange =>
    ({ kind: 'device_status', deviceId, from, to, reason: null, causes: [], at: new Date() }) as MonitoringChange;

  it('a client on B gets a status change published on A’s bus, exactly once, and site filtering still holds', async () => {
    const site = await siteFactory.create(a);
    const d = await deviceFactory.create(a, { siteId: site.id });
    const other = await deviceFactory.create(a);
    const onB = await live(urlB);
    const onBSite = await live(urlB, { siteId: site.id });
    const onA = await live(urlA);

    await a.app.get(MonitoringStore).commit([change(other.id, 'unknown', 'up')]);
    await a.app.get(MonitoringStore).commit([change(d.id, 'unknown', 'down')]);
    const expected = {
      deviceId: d.id,
      status: 'down',
      previousStatus: 'unknown',
      at: expect.any(String),
      inMaintenance: false,
      maintenanceUntil: null,
      flapping: false,
      pollerName: null,
      stale: false,
    };
    for (const c of [onB, onA, onBSite]) {
      await c.until(
        () => c.of<{ deviceId: string }>('device.status').some((e) => e.deviceId === d.id),
        5000,
        'the change',
      );
    }
    await new Promise((r) => setTimeout(r, 300));
    for (const c of [onB, onA, onBSite]) {
      expect(c.of<{ deviceId: string }>('device.status').filter((e) => e.deviceId === d.id)).toEqual([expected]);
    }
    expect(onBSite.of<{ deviceId: string }>('device.status').map((e) => e.deviceId)).toEqual([d.id]);
    expect(onB.of<{ deviceId: string }>('device.status').map((e) => e.deviceId)).toEqual([other.id, d.id]);
  });

  it('a ticket opened through instance A’s API reaches a client on B, and one changed on B reaches A', async () => {
    const onB = await live(urlB);
    const onA = await live(urlA);
    const created = await a.http
      .post('/api/tickets')
      .set('Authorization', `Bearer ${token}`)
      .send({ title: 'across instances' })
      .expect(201);
    expect(await onB.next('ticket.opened')).toEqual({ ticket: created.body });

    const acked = await fetch(`${urlB}/api/tickets/${created.body.id}/acknowledge`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(acked.status).toBe(200);
    const body = await acked.json();
    await onA.until(() =>
      onA
        .of<{ ticket: { id: string; status: string } }>('ticket.updated')
        .some((e) => e.ticket.status === 'acknowledged'),
    );
    expect(onA.of('ticket.updated').pop()).toEqual({ ticket: body });
  });
});
