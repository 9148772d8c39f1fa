import { randomBytes } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig } from '@netdesk/config';
import { createServerApp } from '../../apps/server/src/server-app';
import { connectLive, listen } from '../realtime/live-client';
import { unique } from '../factories/unique';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Two instances joined by Redis (127.0.0.1:6379): revoking a user's access on instance A ends their
 * socket on instance B at once, not at its next message.
 */
describe('hardening: sessions end on every instance (REDIS_URL)', () => {
  const env = { REDIS_URL: 'redis://127.0.0.1:6379', NETDESK_SECRET_KEY: randomBytes(24).toString('hex') };
  let a: TestApp;
  let b: NestExpressApplication;
  let urlB: string;
  beforeAll(async () => {
    a = await startTestApp('sessions-redis', env);
    await listen(a);
    const config = loadConfig({ NETDESK_DATA_DIR: a.dataDir, NETDESK_POLLER: 'false', LOG_LEVEL: 'silent', ...env });
    b = await createServerApp(config, a.databaseUrl, false);
    await b.listen(0, '127.0.0.1');
    urlB = `http://127.0.0.1:${(b.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('a password changed through A closes the user’s socket on B', async () => {
    const admin = `Bearer ${await a.tokenFor('admin')}`;
    const email = `${unique('r')}@netdesk.test`;
    const user = await a.http
      .post('/api/users')
      .set('Authorization', admin)
      .send({ email, password: 'password-1234', role: 'agent' })
      .expect(201);
    const login = await a.http.post('/api/auth/login').send({ email, password: 'password-1234' }).expect(200);
    const onB = await connectLive(urlB, { token: login.body.accessToken });
    await onB.next('snapshot');
    await a.http
      .patch(`/api/users/${user.body.id}`)
      .set('Authorization', admin)
      .send({ password: 'another-password-1' })
      .expect(200);
    await onB.until(() => !onB.socket.connected, 3000, 'the socket on B to be closed');
    expect(onB.of<{ reason: string }>('session.expired')).toEqual([
      { reason: 'access revoked: password changed', expiredAt: expect.any(String) },
    ]);
  });
});
