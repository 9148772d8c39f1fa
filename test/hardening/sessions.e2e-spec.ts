import { Client } from 'pg';
import { connectLive, listen, LiveTestClient } from '../realtime/live-client';
import { unique } from '../factories/unique';
import { startTestApp, TestApp } from '../support/test-app';

/** Sessions end when access ends: deleting, disabling, demoting or a new password (issue 15, item 9). */
describe('hardening: sessions end when access ends', () => {
  let t: TestApp;
  let admin: string;
  let url: string;
  let db: Client;
  beforeAll(async () => {
    t = await startTestApp('hardening-sessions');
    admin = `Bearer ${await t.tokenFor('admin')}`;
    url = await listen(t);
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  /** A fresh user of that role, signed in, with an open `/live` socket that has its snapshot. */
  async function signedIn(role: 'viewer' | 'agent' | 'manager' = 'agent') {
    const email = `${unique('s')}@netdesk.test`;
    const password = 'password-1234';
    const user = await t.http
      .post('/api/users')
      .set('Authorization', admin)
      .send({ email, password, role })
      .expect(201);
    const login = await t.http.post('/api/auth/login').send({ email, password }).expect(200);
    const token = login.body.accessToken as string;
    const live = await connectLive(url, { token });
    await live.next('snapshot');
    return { id: user.body.id as string, email, password, token, live };
  }

  const disconnected = (live: LiveTestClient) =>
    live.until(() => !live.socket.connected, 3000, 'the socket to be closed by the server');

  async function expectEnded(s: { token: string; live: LiveTestClient }, reason: RegExp) {
    await disconnected(s.live);
    const ended = s.live.of<{ reason: string }>('session.expired');
    expect(ended).toHaveLength(1);
    expect(ended[0].reason).toMatch(reason);
    await t.http.get('/api/devices').set('Authorization', `Bearer ${s.token}`).expect(401);
    // and the old token cannot open a new socket
    const err = await connectLive(url, { token: s.token }).then(
      (c) => {
        c.close();
        return null;
      },
      (e: { data?: { statusCode?: number } }) => e,
    );
    expect(err?.data?.statusCode).toBe(401);
  }

  it('deleting a user ends their socket at once: no ticket.opened reaches it afterwards', async () => {
    const s = await signedIn();
    await t.http.delete(`/api/users/${s.id}`).set('Authorization', admin).expect(204);
    await expectEnded(s, /deleted/);
    await t.http
      .post('/api/tickets')
      .set('Authorization', admin)
      .send({ title: unique('after-delete') })
      .expect(201);
    await new Promise((r) => setTimeout(r, 200));
    expect(s.live.of('ticket.opened')).toHaveLength(0);
  });

  it('changing the password ends sockets and older tokens; the new password works', async () => {
    const s = await signedIn();
    await t.http
      .patch(`/api/users/${s.id}`)
      .set('Authorization', admin)
      .send({ password: 'a-new-password-1' })
      .expect(200);
    await expectEnded(s, /password changed/);
    await t.http.post('/api/auth/login').send({ email: s.email, password: s.password }).expect(401);
    const again = await t.http
      .post('/api/auth/login')
      .send({ email: s.email, password: 'a-new-password-1' })
      .expect(200);
    await t.http.get('/api/devices').set('Authorization', `Bearer ${again.body.accessToken}`).expect(200);
  });

  it('disabling a user ends sockets and tokens and refuses sign-in; enabling lets them sign in again', async () => {
    const s = await signedIn();
    const res = await t.http
      .patch(`/api/users/${s.id}`)
      .set('Authorization', admin)
      .send({ disabled: true })
      .expect(200);
    expect(res.body.disabled).toBe(true);
    await expectEnded(s, /disabled/);
    await t.http.post('/api/auth/login').send({ email: s.email, password: s.password }).expect(401);
    await t.http.patch(`/api/users/${s.id}`).set('Authorization', admin).send({ disabled: false }).expect(200);
    await t.http.post('/api/auth/login').send({ email: s.email, password: s.password }).expect(200);
  });

  it('demoting a user ends sockets and older tokens; promoting does not', async () => {
    const promoted = await signedIn('viewer');
    await t.http.patch(`/api/users/${promoted.id}`).set('Authorization', admin).send({ role: 'agent' }).expect(200);
    await t.http.get('/api/devices').set('Authorization', `Bearer ${promoted.token}`).expect(200);
    await new Promise((r) => setTimeout(r, 100));
    expect(promoted.live.socket.connected).toBe(true);
    promoted.live.close();

    const s = await signedIn('manager');
    await t.http.patch(`/api/users/${s.id}`).set('Authorization', admin).send({ role: 'viewer' }).expect(200);
    await expectEnded(s, /demoted/);
  });

  it('checks the token again on each socket message', async () => {
    const s = await signedIn();
    // revoked behind the service's back (another instance, say): the next message finds out
    await db.query('UPDATE users SET token_version = token_version + 1 WHERE id = $1', [s.id]);
    const ack = await s.live.socket.emitWithAck('subscribe', { siteId: null });
    expect(ack).toMatchObject({ ok: false, statusCode: 401 });
    await disconnected(s.live);
  });

  it('other users keep their sessions', async () => {
    const keep = await signedIn();
    const gone = await signedIn();
    await t.http.delete(`/api/users/${gone.id}`).set('Authorization', admin).expect(204);
    await disconnected(gone.live);
    const title = unique('still-here');
    await t.http.post('/api/tickets').set('Authorization', admin).send({ title }).expect(201);
    await keep.live.until(
      () => keep.live.of<{ ticket: { title: string } }>('ticket.opened').some((m) => m.ticket.title === title),
      3000,
      'ticket.opened on the remaining session',
    );
    keep.live.close();
  });
});
