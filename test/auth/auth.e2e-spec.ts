import { ADMIN, startTestApp, TestApp } from '../support/test-app';
import { unique } from '../factories/unique';

describe('auth and users', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('auth', { NETDESK_LOGIN_MAX_FAILURES: '4', NETDESK_LOGIN_WINDOW_SEC: '60' });
  });
  afterAll(() => t.close());
  const bearer = async (role: Parameters<TestApp['tokenFor']>[0]) => `Bearer ${await t.tokenFor(role)}`;

  describe('POST /api/auth/login', () => {
    it('returns a token and the user, without the password hash', async () => {
      const res = await t.http.post('/api/auth/login').send(ADMIN).expect(200);
      expect(res.body).toEqual({
        accessToken: expect.any(String),
        expiresAt: expect.any(String),
        user: {
          id: expect.any(String),
          email: ADMIN.email,
          role: 'admin',
          name: 'Administrator',
          team: null,
          disabled: false,
          createdAt: expect.any(String),
        },
      });
      expect(JSON.stringify(res.body)).not.toMatch(/argon2|passwordHash|admin-password/);
    });

    it('is case-insensitive on the email', async () => {
      await t.http
        .post('/api/auth/login')
        .send({ ...ADMIN, email: ADMIN.email.toUpperCase() })
        .expect(200);
    });

    it('answers unknown email and wrong password with the same 401', async () => {
      const unknown = await t.http
        .post('/api/auth/login')
        .set('X-Forwarded-For', 'a')
        .send({ email: 'nobody@netdesk.test', password: 'whatever-1' })
        .expect(401);
      const wrong = await t.http
        .post('/api/auth/login')
        .send({ email: ADMIN.email, password: 'not-the-password' })
        .expect(401);
      expect(unknown.body).toEqual(wrong.body);
      expect(wrong.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: ['invalid email or password'] });
    });

    it.each([
      [{}, /email/],
      [{ email: ADMIN.email }, /password/],
      [{ email: 42, password: 'x' }, /email/],
      [{ email: ADMIN.email, password: 'x'.repeat(300) }, /password/],
      [{ ...ADMIN, extra: true }, /extra should not exist/],
    ])('rejects a malformed body %j with 400 naming the field', async (body, field) => {
      const res = await t.http.post('/api/auth/login').send(body).expect(400);
      expect(res.body.message.join(' ')).toMatch(field);
    });
  });

  describe('rate limiting', () => {
    it('answers 429 with Retry-After after too many failures from one address, even with the right password', async () => {
      const limited = await startTestApp('auth-limit', {
        NETDESK_LOGIN_MAX_FAILURES: '3',
        NETDESK_LOGIN_WINDOW_SEC: '60',
      });
      try {
        for (let i = 0; i < 3; i++)
          await limited.http
            .post('/api/auth/login')
            .send({ email: ADMIN.email, password: 'wrong-password' })
            .expect(401);
        const res = await limited.http.post('/api/auth/login').send(ADMIN).expect(429);
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        expect(res.body.message[0]).toMatch(/too many failed sign-ins/);
      } finally {
        await limited.close();
      }
    });
  });

  describe('bearer tokens', () => {
    it('GET /api/auth/me returns the caller', async () => {
      const res = await t.http
        .get('/api/auth/me')
        .set('Authorization', await bearer('agent'))
        .expect(200);
      expect(res.body).toMatchObject({ email: 'agent@netdesk.test', role: 'agent' });
    });

    it.each([
      undefined,
      'Bearer',
      'Bearer garbage',
      'Basic YWRtaW46YWRtaW4=',
      'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
    ])('refuses %p with 401', async (header) => {
      const req = t.http.get('/api/devices');
      if (header) req.set('Authorization', header);
      const res = await req.expect(401);
      expect(res.body.statusCode).toBe(401);
    });

    it('stops accepting the token of a deleted user', async () => {
      const admin = await bearer('admin');
      const email = `${unique('gone')}@netdesk.test`;
      const created = await t.http
        .post('/api/users')
        .set('Authorization', admin)
        .send({ email, password: 'password-123', role: 'viewer' })
        .expect(201);
      const token = (await t.http.post('/api/auth/login').send({ email, password: 'password-123' }).expect(200)).body
        .accessToken;
      await t.http.get('/api/devices').set('Authorization', `Bearer ${token}`).expect(200);
      await t.http.delete(`/api/users/${created.body.id}`).set('Authorization', admin).expect(204);
      await t.http.get('/api/devices').set('Authorization', `Bearer ${token}`).expect(401);
    });

    it('leaves /health and /metrics open', async () => {
      await t.http.get('/health').expect(200);
      await t.http.get('/metrics').expect(200);
    });
  });

  describe('role boundaries', () => {
    const device = () => ({ name: unique('rb'), host: `rb-${unique('h')}.lan` });
    it.each([
      ['viewer', 'GET', '/api/devices', 200],
      ['viewer', 'GET', '/api/sites', 200],
      ['viewer', 'POST', '/api/devices', 403],
      ['viewer', 'POST', '/api/sites', 403],
      ['viewer', 'GET', '/api/users', 403],
      ['agent', 'POST', '/api/devices', 403],
      ['agent', 'GET', '/api/users', 403],
      ['manager', 'POST', '/api/devices', 403],
      ['manager', 'POST', '/api/users', 403],
      ['admin', 'POST', '/api/devices', 201],
      ['admin', 'GET', '/api/users', 200],
    ] as const)('%s %s %s → %i', async (role, method, path, status) => {
      const req =
        method === 'GET'
          ? t.http.get(path)
          : t.http
              .post(path)
              .send(
                path.endsWith('devices')
                  ? device()
                  : path.endsWith('sites')
                    ? { name: unique('s') }
                    : { email: 'x@y.z', password: 'password-1', role: 'viewer' },
              );
      const res = await req.set('Authorization', await bearer(role));
      expect(res.status).toBe(status);
      if (status === 403) expect(res.body.message[0]).toMatch(/role or higher/);
    });
  });

  describe('users', () => {
    it('creates a user (201) without exposing the password or its hash, and 409 on a duplicate email', async () => {
      const admin = await bearer('admin');
      const email = `${unique('u')}@netdesk.test`;
      const res = await t.http
        .post('/api/users')
        .set('Authorization', admin)
        .send({ email, password: 'password-123', role: 'agent', name: 'Ann', team: 'noc' })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        email,
        role: 'agent',
        name: 'Ann',
        team: 'noc',
        disabled: false,
        createdAt: expect.any(String),
      });
      const dup = await t.http
        .post('/api/users')
        .set('Authorization', admin)
        .send({ email: email.toUpperCase(), password: 'password-123', role: 'agent' })
        .expect(409);
      expect(dup.body.message[0]).toMatch(/already exists/);
      const list = await t.http.get('/api/users').set('Authorization', admin).expect(200);
      expect(JSON.stringify(list.body)).not.toMatch(/password|argon2/);
    });

    it.each([
      [{ email: 'not-an-email', password: 'password-123', role: 'agent' }, 'email'],
      [{ email: 'a@b.c', password: 'short', role: 'agent' }, 'password'],
      [{ email: 'a@b.c', password: 'password-123', role: 'superuser' }, 'role'],
      [{ email: 'a@b.c', password: 'password-123', role: 'agent', team: 'has spaces' }, 'team'],
      [{ email: 'a@b.c', password: 'password-123', role: 'agent', name: 'x'.repeat(121) }, 'name'],
      [{ email: 'a@b.c', password: 'password-123', role: 'agent', isAdmin: true }, 'isAdmin'],
    ])('rejects %j with 400 naming %s', async (body, field) => {
      const res = await t.http
        .post('/api/users')
        .set('Authorization', await bearer('admin'))
        .send(body)
        .expect(400);
      expect(res.body.message.join(' ')).toContain(field);
    });

    it('404 for an unknown user id, 400 for a malformed one', async () => {
      const admin = await bearer('admin');
      await t.http.get('/api/users/00000000-0000-4000-8000-000000000000').set('Authorization', admin).expect(404);
      await t.http.get('/api/users/not-a-uuid').set('Authorization', admin).expect(400);
    });

    it('never logs a password', () => {
      expect(t.logs.join('\n')).not.toMatch(/admin-password-1|password-123|agent-password-1/);
    });
  });
});
