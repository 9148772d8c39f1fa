import { JwtService } from '@nestjs/jwt';
import { Client } from 'pg';
import { connectLive, listen } from '../realtime/live-client';
import { unique } from '../factories/unique';
import { startTestApp, TestApp } from '../support/test-app';

/** Each input an outside tester turned into a 500 (issue 15), now a 4xx naming the problem. */
describe('hardening: bad input is a 4xx naming the problem', () => {
  let t: TestApp;
  let admin: string;
  let manager: string;
  let db: Client;
  beforeAll(async () => {
    t = await startTestApp('hardening-input');
    admin = `Bearer ${await t.tokenFor('admin')}`;
    manager = `Bearer ${await t.tokenFor('manager')}`;
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });
  const count = async (table: string) => Number((await db.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
  const message = (res: { body: { message?: string[] } }) => (res.body.message ?? []).join(' | ');
  const noSecretsLogged = () => {
    const all = t.logs.join('\n');
    expect(all).not.toMatch(/\$argon2/);
    expect(all).not.toMatch(/"parameters"|"driverError"|"query":"(INSERT|UPDATE|SELECT)/);
  };

  it('refuses deep JSON nesting on login, without a token, before parsing it', async () => {
    const body = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
    const res = await t.http.post('/api/auth/login').set('Content-Type', 'application/json').send(body).expect(400);
    expect(message(res)).toMatch(/nested deeper than \d+ levels/);
  });

  it('refuses 60,000 unknown keys quickly, and /health stays responsive', async () => {
    const keys: Record<string, number> = {};
    for (let i = 0; i < 60_000; i++) keys[`k${i}`] = i;
    const started = Date.now();
    const res = await t.http
      .post('/api/auth/login')
      .send({ email: 'a@b.c', password: 'x', ...keys })
      .expect(400);
    expect(message(res)).toMatch(/more than \d+ keys/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses a body over the size limit with 413', async () => {
    const res = await t.http
      .post('/api/sites')
      .set('Authorization', admin)
      .send({ name: 'x'.repeat(2 * 1024 * 1024) })
      .expect(413);
    expect(message(res)).toMatch(/larger than/);
  });

  it('refuses a NUL byte in any string with 400 naming the field, storing nothing', async () => {
    const sites = await count('sites');
    const users = await count('users');
    let res = await t.http.post('/api/sites').set('Authorization', admin).send({ name: 'x\u0000y' }).expect(400);
    expect(message(res)).toMatch(/^name must not contain NUL/);
    res = await t.http
      .post('/api/users')
      .set('Authorization', admin)
      .send({ email: `${unique('nul')}@x.test`, password: 'password-123', role: 'agent', name: 'a\u0000b' })
      .expect(400);
    expect(message(res)).toMatch(/name must not contain NUL/);
    res = await t.http
      .post('/api/escalation-policies')
      .set('Authorization', manager)
      .send({ name: 'p', steps: [{ delaySeconds: 0, team: 'n\u0000oc' }] })
      .expect(400);
    expect(message(res)).toMatch(/steps\[0\]\.team must not contain NUL/);
    res = await t.http.get('/api/tickets?q=a%00b').set('Authorization', admin).expect(400);
    expect(message(res)).toMatch(/query\.q must not contain NUL/);
    expect(await count('sites')).toBe(sites);
    expect(await count('users')).toBe(users);
    noSecretsLogged();
  });

  it('refuses a NUL in a YAML import, by line, storing nothing', async () => {
    const devices = await count('devices');
    const yaml = `devices:\n  - name: "a\\0b"\n    host: 192.0.2.10\n`;
    const res = await t.http
      .post('/api/devices/import')
      .set('Authorization', admin)
      .set('Content-Type', 'application/yaml')
      .send(yaml)
      .expect(400);
    expect(message(res)).toMatch(/line 2.*name must not contain NUL/);
    const raw = await t.http
      .post('/api/devices/import')
      .set('Authorization', admin)
      .set('Content-Type', 'text/csv')
      .send('name,host\na\u0000b,192.0.2.11\n')
      .expect(400);
    expect(message(raw)).toMatch(/line 2: .*NUL/);
    expect(await count('devices')).toBe(devices);
  });

  it('refuses a lone surrogate with 400 naming the field', async () => {
    const res = await t.http
      .post('/api/users')
      .set('Authorization', admin)
      .set('Content-Type', 'application/json')
      .send('{"email":"\\ud800 x@y.test","password":"password-123","role":"agent"}')
      .expect(400);
    expect(message(res)).toMatch(/^email must be valid Unicode/);
  });

  it('refuses __proto__, constructor and prototype keys', async () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const res = await t.http
        .post('/api/sites')
        .set('Authorization', admin)
        .set('Content-Type', 'application/json')
        .send(`{"name":"proto-${key}","${key}":{"polluted":true}}`)
        .expect(400);
      expect(message(res)).toContain(`the key ${key} is not allowed`);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a body of a type no reader takes with 415, instead of treating it as no body', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const res = await t.http
        .post('/api/sites')
        .set('Authorization', admin)
        .set('Content-Type', type)
        .send('name=x')
        .expect(415);
      expect(message(res)).toMatch(/not accepted: send application\/json/);
    }
  });

  it('refuses a body on a route that takes none', async () => {
    const ticket = await t.http
      .post('/api/tickets')
      .set('Authorization', admin)
      .send({ title: unique('bodyless') })
      .expect(201);
    const res = await t.http
      .post(`/api/tickets/${ticket.body.id}/acknowledge`)
      .set('Authorization', admin)
      .send({ note: 'x' })
      .expect(400);
    expect(message(res)).toMatch(/property note should not exist/);
    await t.http.post(`/api/tickets/${ticket.body.id}/acknowledge`).set('Authorization', admin).expect(200);
  });

  describe('null is validated like any other value', () => {
    let userId: string;
    let siteId: string;
    let deviceId: string;
    beforeAll(async () => {
      userId = (
        await t.http
          .post('/api/users')
          .set('Authorization', admin)
          .send({ email: `${unique('null')}@x.test`, password: 'password-123', role: 'agent' })
          .expect(201)
      ).body.id;
      siteId = (
        await t.http
          .post('/api/sites')
          .set('Authorization', admin)
          .send({ name: unique('s') })
          .expect(201)
      ).body.id;
      deviceId = (
        await t.http
          .post('/api/devices')
          .set('Authorization', admin)
          .send({ name: unique('d'), host: '192.0.2.1' })
          .expect(201)
      ).body.id;
    });

    it.each([
      ['users', 'email'],
      ['users', 'password'],
      ['users', 'role'],
      ['sites', 'name'],
      ['devices', 'name'],
      ['devices', 'host'],
      ['devices', 'pollIntervalSec'],
      ['devices', 'kind'],
      ['devices', 'criticality'],
      ['devices', 'tags'],
    ])('PATCH /api/%s/:id {"%s": null} → 400 naming it', async (what, field) => {
      const id = what === 'users' ? userId : what === 'sites' ? siteId : deviceId;
      const res = await t.http
        .patch(`/api/${what}/${id}`)
        .set('Authorization', admin)
        .send({ [field]: null })
        .expect(400);
      expect(message(res)).toContain(field);
    });

    it('still clears what may be cleared with null', async () => {
      await t.http
        .patch(`/api/users/${userId}`)
        .set('Authorization', admin)
        .send({ team: null, name: null })
        .expect(200);
      await t.http.patch(`/api/sites/${siteId}`).set('Authorization', admin).send({ location: null }).expect(200);
      await t.http
        .patch(`/api/devices/${deviceId}`)
        .set('Authorization', admin)
        .send({ siteId: null, parentId: null, team: null, snmp: null })
        .expect(200);
    });

    it('POST /api/escalation-policies with steps[0].team null → 400', async () => {
      const res = await t.http
        .post('/api/escalation-policies')
        .set('Authorization', manager)
        .send({ name: unique('p'), steps: [{ delaySeconds: 0, team: null }] })
        .expect(400);
      expect(message(res)).toMatch(/team/);
    });
  });

  it('range-checks path integers', async () => {
    const device = await t.http
      .post('/api/devices')
      .set('Authorization', admin)
      .send({ name: unique('ifx'), host: '192.0.2.2' })
      .expect(201);
    for (const ifIndex of ['2147483648', '-1', '0', '99999999999999999999', '1.5', 'abc', '1e10']) {
      const res = await t.http
        .patch(`/api/devices/${device.body.id}/interfaces/${ifIndex}`)
        .set('Authorization', admin)
        .send({ monitored: true });
      expect({ ifIndex, status: res.status }).toEqual({ ifIndex, status: 400 });
      expect(message(res)).toMatch(/ifIndex/);
    }
  });

  it('answers a validly signed token whose sub is not a UUID with 401, on HTTP and on /live', async () => {
    const jwt = t.app.get(JwtService, { strict: false });
    for (const claims of [{ sub: 'not-a-uuid', role: 'admin' }, { sub: 42, role: 'admin' }, { role: 'admin' }]) {
      const token = await jwt.signAsync(claims);
      const res = await t.http.get('/api/sites').set('Authorization', `Bearer ${token}`).expect(401);
      expect(message(res)).toMatch(/invalid or expired token/);
      const url = await listen(t);
      const err = await connectLive(url, { token }).then(
        (c) => {
          c.close();
          return null;
        },
        (e: { data?: { statusCode?: number } }) => e,
      );
      expect(err?.data?.statusCode).toBe(401);
    }
  });

  it('answers an unexpected error with 500 and a request id, logged once without parameters', async () => {
    const before = t.logs.length;
    // Force an unexpected database error: the sites table is gone for a moment.
    await db.query('ALTER TABLE sites RENAME TO sites_away');
    let res;
    try {
      res = await t.http
        .post('/api/sites')
        .set('Authorization', admin)
        .send({ name: 'secret-bearing-name', location: 'hunter2-location' });
    } finally {
      await db.query('ALTER TABLE sites_away RENAME TO sites');
    }
    expect(res.status).toBe(500);
    expect(res.body.requestId).toEqual(expect.any(String));
    expect(res.headers['x-request-id']).toBe(res.body.requestId);
    const lines = t.logs.slice(before).filter((l) => l.includes('unhandled error'));
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]);
    expect(line.requestId).toBe(res.body.requestId);
    expect(line.userId).toEqual(expect.any(String));
    expect(lines[0]).not.toMatch(/hunter2|secret-bearing-name|parameters|INSERT/);
  });
});
