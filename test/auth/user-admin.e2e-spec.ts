import { unique } from '../factories/unique';
import { startTestApp, TestApp } from '../support/test-app';

/** What the users screen does through PATCH /api/users/:id: disable, enable, reset the password, change the role. */
describe('user administration', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startTestApp('user-admin');
    admin = `Bearer ${await t.tokenFor('admin')}`;
  });
  afterAll(() => t?.close());

  const newUser = async () => {
    const user = { email: `${unique('u')}@netdesk.test`, password: 'first-password-1', role: 'agent' };
    const res = await t.http.post('/api/users').set('Authorization', admin).send(user).expect(201);
    expect(res.body.disabled).toBe(false);
    return { ...user, id: res.body.id as string };
  };
  const login = (email: string, password: string) => t.http.post('/api/auth/login').send({ email, password });

  it('a disabled user cannot sign in nor use an older token; enabled again, they can', async () => {
    const u = await newUser();
    const token = (await login(u.email, u.password).expect(200)).body.accessToken;
    await t.http.get('/api/auth/me').set('Authorization', `Bearer ${token}`).expect(200);

    const res = await t.http
      .patch(`/api/users/${u.id}`)
      .set('Authorization', admin)
      .send({ disabled: true })
      .expect(200);
    expect(res.body).toMatchObject({ id: u.id, disabled: true });
    const refused = await login(u.email, u.password).expect(401);
    expect(refused.body.message).toEqual(['this account is disabled; ask an administrator']);
    // a wrong password still gets the one message that says nothing about the account
    expect((await login(u.email, 'wrong-password').expect(401)).body.message).toEqual(['invalid email or password']);
    await t.http.get('/api/tickets').set('Authorization', `Bearer ${token}`).expect(401);

    await t.http.patch(`/api/users/${u.id}`).set('Authorization', admin).send({ disabled: false }).expect(200);
    await login(u.email, u.password).expect(200);
    const listed = (await t.http.get('/api/users').set('Authorization', admin).expect(200)).body;
    expect(listed.find((x: { id: string }) => x.id === u.id)).toMatchObject({ disabled: false });
  });

  it('resets a password: the old one stops working, the new one works', async () => {
    const u = await newUser();
    await t.http
      .patch(`/api/users/${u.id}`)
      .set('Authorization', admin)
      .send({ password: 'second-password-2' })
      .expect(200);
    await login(u.email, u.password).expect(401);
    await login(u.email, 'second-password-2').expect(200);
    const short = await t.http
      .patch(`/api/users/${u.id}`)
      .set('Authorization', admin)
      .send({ password: 'short' })
      .expect(400);
    expect(short.body.message).toEqual(['password must be longer than or equal to 8 characters']);
  });

  it('changes role and team; refuses null, a non-boolean disabled, and an admin disabling or demoting themself', async () => {
    const u = await newUser();
    const res = await t.http
      .patch(`/api/users/${u.id}`)
      .set('Authorization', admin)
      .send({ role: 'manager', team: 'network' })
      .expect(200);
    expect(res.body).toMatchObject({ role: 'manager', team: 'network' });
    expect(
      (await t.http.patch(`/api/users/${u.id}`).set('Authorization', admin).send({ disabled: 'yes' }).expect(400)).body
        .message,
    ).toEqual(['disabled must be a boolean value']);
    expect(
      (await t.http.patch(`/api/users/${u.id}`).set('Authorization', admin).send({ password: null }).expect(400)).body
        .message,
    ).toEqual(['password must not be null']);
    const me = (await t.http.get('/api/auth/me').set('Authorization', admin).expect(200)).body;
    const self = await t.http
      .patch(`/api/users/${me.id}`)
      .set('Authorization', admin)
      .send({ disabled: true })
      .expect(409);
    expect(self.body.message).toEqual(['disabled: you cannot disable your own account']);
    const demote = await t.http
      .patch(`/api/users/${me.id}`)
      .set('Authorization', admin)
      .send({ role: 'agent' })
      .expect(409);
    expect(demote.body.message).toEqual(['role: you cannot lower your own role']);
    await t.http
      .patch(`/api/users/${u.id}`)
      .set('Authorization', `Bearer ${await t.tokenFor('manager')}`)
      .send({ disabled: true })
      .expect(403);
  });
});
