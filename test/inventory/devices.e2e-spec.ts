import { Client } from 'pg';
import { deviceFactory, siteFactory } from '../factories/device.factory';
import { unique, uniqueHost } from '../factories/unique';
import { startTestApp, TestApp } from '../support/test-app';

const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

describe('devices and sites', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startTestApp('devices');
    admin = `Bearer ${await t.tokenFor('admin')}`;
  });
  afterAll(() => t.close());
  const post = (path: string, body: unknown) =>
    t.http
      .post(path)
      .set('Authorization', admin)
      .send(body as object);

  describe('sites', () => {
    it('creates, lists, renames and deletes a site; 409 on a duplicate name', async () => {
      const name = unique('site');
      const created = await post('/api/sites', { name, location: 'Floor 2' }).expect(201);
      expect(created.body).toEqual({ id: expect.any(String), name, location: 'Floor 2', pollerGroup: 'default' });
      await post('/api/sites', { name }).expect(409);
      const list = await t.http.get('/api/sites').set('Authorization', admin).expect(200);
      expect(list.body).toContainEqual(created.body);
      const renamed = await t.http
        .patch(`/api/sites/${created.body.id}`)
        .set('Authorization', admin)
        .send({ name: `${name}-b` })
        .expect(200);
      expect(renamed.body.name).toBe(`${name}-b`);
      await t.http.delete(`/api/sites/${created.body.id}`).set('Authorization', admin).expect(204);
      await t.http.get(`/api/sites/${created.body.id}`).set('Authorization', admin).expect(404);
    });

    it.each([
      [{}],
      [{ name: '' }],
      [{ name: '   ' }],
      [{ name: 'x'.repeat(129) }],
      [{ name: 5 }],
      [{ name: 'ok', location: 'x'.repeat(257) }],
      [{ name: 'ok', colour: 'red' }],
    ])('rejects %j with 400', async (body) => {
      const res = await post('/api/sites', body).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.any(Array) });
    });
  });

  describe('POST /api/devices', () => {
    it('creates a device with every contract field and returns the contract representation', async () => {
      const site = await siteFactory.create(t);
      const parent = await deviceFactory.create(t, { kind: 'router' });
      const body = {
        name: unique('sw'),
        host: uniqueHost(),
        siteId: site.id,
        parentId: parent.id,
        kind: 'switch',
        criticality: 'high',
        pollIntervalSec: 10,
        tags: ['core', 'floor-2'],
        team: 'network',
        snmp: { version: '2c', community: 'very-secret-community', port: 1161 },
      };
      const res = await post('/api/devices', body).expect(201);
      expect(res.body).toMatchObject({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: body.name,
        host: body.host,
        siteId: site.id,
        parentId: parent.id,
        kind: 'switch',
        criticality: 'high',
        pollIntervalSec: 10,
        tags: ['core', 'floor-2'],
        team: 'network',
        snmp: { version: '2c', port: 1161, configured: true },
        status: 'unknown',
        statusSince: expect.any(String),
        lastPoll: null,
      });
      expect(new Date(res.body.statusSince).toISOString()).toBe(res.body.statusSince);
      const fetched = await t.http.get(`/api/devices/${res.body.id}`).set('Authorization', admin).expect(200);
      expect(fetched.body).toEqual(res.body);
    });

    it('applies the defaults', async () => {
      const res = await post('/api/devices', { name: unique('d'), host: uniqueHost() }).expect(201);
      expect(res.body).toMatchObject({
        kind: 'other',
        criticality: 'normal',
        pollIntervalSec: 30,
        tags: [],
        team: null,
        snmp: null,
        siteId: null,
        parentId: null,
      });
    });

    it.each(['192.0.2.10', '2001:db8::1', 'router-1.example.net', 'core_sw.lan', 'localhost'])(
      'accepts host %s',
      async (host) => {
        await post('/api/devices', {
          name: unique('h'),
          host: host === '192.0.2.10' || host === '2001:db8::1' ? host : `${unique('x')}.${host}`,
        }).expect(201);
      },
    );

    const invalid: [string, Record<string, unknown>, string][] = [
      ['missing name', { host: '192.0.2.200' }, 'name'],
      ['missing host', { name: 'x' }, 'host'],
      ['blank name', { name: '  ', host: '192.0.2.200' }, 'name'],
      ['huge name', { name: 'n'.repeat(129), host: '192.0.2.200' }, 'name'],
      ['numeric name', { name: 12, host: '192.0.2.200' }, 'name'],
      ['bad host', { name: 'x', host: 'not a host!' }, 'host'],
      ['huge host', { name: 'x', host: `${'a'.repeat(60)}.`.repeat(5) + 'com' }, 'host'],
      ['host as number', { name: 'x', host: 19216801 }, 'host'],
      ['bad kind', { name: 'x', host: '192.0.2.200', kind: 'toaster' }, 'kind'],
      ['bad criticality', { name: 'x', host: '192.0.2.200', criticality: 'urgent' }, 'criticality'],
      ['zero interval', { name: 'x', host: '192.0.2.200', pollIntervalSec: 0 }, 'pollIntervalSec'],
      ['fractional interval', { name: 'x', host: '192.0.2.200', pollIntervalSec: 1.5 }, 'pollIntervalSec'],
      ['string interval', { name: 'x', host: '192.0.2.200', pollIntervalSec: '30' }, 'pollIntervalSec'],
      ['siteId not uuid', { name: 'x', host: '192.0.2.200', siteId: 'hq' }, 'siteId'],
      ['parentId not uuid', { name: 'x', host: '192.0.2.200', parentId: 7 }, 'parentId'],
      ['tags not array', { name: 'x', host: '192.0.2.200', tags: 'core' }, 'tags'],
      ['bad tag', { name: 'x', host: '192.0.2.200', tags: ['has space'] }, 'tag'],
      [
        'too many tags',
        { name: 'x', host: '192.0.2.200', tags: Array.from({ length: 33 }, (_, i) => `t${i}`) },
        'tags',
      ],
      ['bad team', { name: 'x', host: '192.0.2.200', team: 'a b' }, 'team'],
      ['unknown field', { name: 'x', host: '192.0.2.200', vendor: 'acme' }, 'vendor'],
      ['snmp not object', { name: 'x', host: '192.0.2.200', snmp: 'public' }, 'snmp'],
      ['snmp bad version', { name: 'x', host: '192.0.2.200', snmp: { version: '4', community: 'c' } }, 'version'],
      ['snmp v2c without community', { name: 'x', host: '192.0.2.200', snmp: { version: '2c' } }, 'community'],
      ['snmp v3 without username', { name: 'x', host: '192.0.2.200', snmp: { version: '3' } }, 'username'],
      [
        'snmp v3 bad auth protocol',
        {
          name: 'x',
          host: '192.0.2.200',
          snmp: { version: '3', username: 'u', authProtocol: 'crc32', authKey: 'k'.repeat(8) },
        },
        'authProtocol',
      ],
      [
        'snmp v3 short key',
        {
          name: 'x',
          host: '192.0.2.200',
          snmp: { version: '3', username: 'u', authProtocol: 'sha', authKey: 'short' },
        },
        'authKey',
      ],
      [
        'snmp v3 priv without auth',
        {
          name: 'x',
          host: '192.0.2.200',
          snmp: { version: '3', username: 'u', privProtocol: 'aes', privKey: 'k'.repeat(8) },
        },
        'authProtocol',
      ],
      [
        'snmp v3 with community',
        { name: 'x', host: '192.0.2.200', snmp: { version: '3', username: 'u', community: 'c' } },
        'community',
      ],
      [
        'snmp v2c with v3 fields',
        { name: 'x', host: '192.0.2.200', snmp: { version: '2c', community: 'c', username: 'u' } },
        'username',
      ],
      [
        'snmp bad port',
        { name: 'x', host: '192.0.2.200', snmp: { version: '2c', community: 'c', port: 70000 } },
        'port',
      ],
      [
        'snmp unknown field',
        { name: 'x', host: '192.0.2.200', snmp: { version: '2c', community: 'c', timeout: 5 } },
        'timeout',
      ],
    ];
    it.each(invalid)('rejects %s with 400 naming the field', async (_label, body, field) => {
      const res = await post('/api/devices', body).expect(400);
      expect(res.body.statusCode).toBe(400);
      expect(res.body.error).toBe('Bad Request');
      expect(res.body.message.join(' ')).toContain(field);
    });

    it('rejects malformed JSON with 400', async () => {
      const res = await t.http
        .post('/api/devices')
        .set('Authorization', admin)
        .set('Content-Type', 'application/json')
        .send('{"name": "x",')
        .expect(400);
      expect(res.body.statusCode).toBe(400);
    });

    it('rejects a body that is not an object', async () => {
      await t.http
        .post('/api/devices')
        .set('Authorization', admin)
        .set('Content-Type', 'application/json')
        .send('[1,2]')
        .expect(400);
    });

    it('409 on a duplicate name or host (host compared case-insensitively)', async () => {
      const existing = await deviceFactory.create(t, { host: `${unique('dup')}.example.net` });
      const byName = await post('/api/devices', { name: existing.name, host: uniqueHost() }).expect(409);
      expect(byName.body.message[0]).toMatch(/^name:/);
      const byHost = await post('/api/devices', { name: unique('d'), host: existing.host.toUpperCase() }).expect(409);
      expect(byHost.body.message[0]).toMatch(/^host:/);
    });

    it('400 naming siteId / parentId when they do not exist', async () => {
      const site = await post('/api/devices', deviceFactory.build({ siteId: NO_SUCH_ID })).expect(400);
      expect(site.body.message[0]).toMatch(/^siteId/);
      const parent = await post('/api/devices', deviceFactory.build({ parentId: NO_SUCH_ID })).expect(400);
      expect(parent.body.message[0]).toMatch(/^parentId/);
    });
  });

  describe('PATCH, GET, DELETE /api/devices/:id', () => {
    it('updates fields, keeps secrets write-only and can clear snmp', async () => {
      const d = await deviceFactory.create(t, { snmp: { version: '2c', community: 'first-secret' } });
      const res = await t.http
        .patch(`/api/devices/${d.id}`)
        .set('Authorization', admin)
        .send({
          criticality: 'critical',
          tags: ['a', 'a', 'b'],
          snmp: {
            version: '3',
            username: 'nd',
            authProtocol: 'sha256',
            authKey: 'auth-secret-1',
            privProtocol: 'aes',
            privKey: 'priv-secret-1',
          },
        })
        .expect(200);
      expect(res.body).toMatchObject({
        criticality: 'critical',
        tags: ['a', 'b'],
        snmp: { version: '3', port: 161, configured: true },
      });
      const cleared = await t.http
        .patch(`/api/devices/${d.id}`)
        .set('Authorization', admin)
        .send({ snmp: null })
        .expect(200);
      expect(cleared.body.snmp).toBeNull();
    });

    it('rejects a parent that would make a dependency cycle, and a device as its own parent', async () => {
      const a = await deviceFactory.create(t);
      const b = await deviceFactory.create(t, { parentId: a.id });
      const c = await deviceFactory.create(t, { parentId: b.id });
      const cycle = await t.http
        .patch(`/api/devices/${a.id}`)
        .set('Authorization', admin)
        .send({ parentId: c.id })
        .expect(400);
      expect(cycle.body.message[0]).toMatch(/^parentId: .*cycle/);
      const self = await t.http
        .patch(`/api/devices/${a.id}`)
        .set('Authorization', admin)
        .send({ parentId: a.id })
        .expect(400);
      expect(self.body.message[0]).toMatch(/own parent/);
      const unchanged = await t.http.get(`/api/devices/${a.id}`).set('Authorization', admin).expect(200);
      expect(unchanged.body.parentId).toBeNull();
    });

    it('never lets two concurrent re-parentings close a cycle', async () => {
      const a = await deviceFactory.create(t);
      const b = await deviceFactory.create(t);
      const results = await Promise.all([
        t.http.patch(`/api/devices/${a.id}`).set('Authorization', admin).send({ parentId: b.id }),
        t.http.patch(`/api/devices/${b.id}`).set('Authorization', admin).send({ parentId: a.id }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
    });

    it('404 for unknown ids and 400 for malformed ones', async () => {
      await t.http.get(`/api/devices/${NO_SUCH_ID}`).set('Authorization', admin).expect(404);
      await t.http.patch(`/api/devices/${NO_SUCH_ID}`).set('Authorization', admin).send({ kind: 'router' }).expect(404);
      await t.http.delete(`/api/devices/${NO_SUCH_ID}`).set('Authorization', admin).expect(404);
      await t.http.get('/api/devices/123').set('Authorization', admin).expect(400);
    });

    it('deleting a parent keeps its children, without a parent', async () => {
      const parent = await deviceFactory.create(t);
      const child = await deviceFactory.create(t, { parentId: parent.id });
      await t.http.delete(`/api/devices/${parent.id}`).set('Authorization', admin).expect(204);
      const res = await t.http.get(`/api/devices/${child.id}`).set('Authorization', admin).expect(200);
      expect(res.body.parentId).toBeNull();
    });

    it('filters the list by site, kind and tag', async () => {
      const site = await siteFactory.create(t);
      const tag = unique('tag');
      const a = await deviceFactory.create(t, { siteId: site.id, kind: 'firewall', tags: [tag] });
      await deviceFactory.create(t, { siteId: site.id, kind: 'server' });
      const bySite = await t.http.get(`/api/devices?siteId=${site.id}`).set('Authorization', admin).expect(200);
      expect(bySite.body).toHaveLength(2);
      const byKind = await t.http
        .get(`/api/devices?siteId=${site.id}&kind=firewall`)
        .set('Authorization', admin)
        .expect(200);
      expect(byKind.body.map((d: { id: string }) => d.id)).toEqual([a.id]);
      const byTag = await t.http.get(`/api/devices?tag=${tag}`).set('Authorization', admin).expect(200);
      expect(byTag.body.map((d: { id: string }) => d.id)).toEqual([a.id]);
      await t.http.get('/api/devices?kind=toaster').set('Authorization', admin).expect(400);
      await t.http.get('/api/devices?colour=red').set('Authorization', admin).expect(400);
    });
  });

  describe('SNMP secrets', () => {
    it('are never returned, never logged, and stored encrypted', async () => {
      const d = await deviceFactory.create(t, {
        snmp: {
          version: '3',
          username: 'secret-user',
          authProtocol: 'sha',
          authKey: 'auth-key-XYZZY',
          privProtocol: 'aes',
          privKey: 'priv-key-PLUGH',
        },
      });
      const v2 = await deviceFactory.create(t, { snmp: { version: '2c', community: 'community-FROBOZZ' } });
      const list = await t.http.get('/api/devices').set('Authorization', admin).expect(200);
      const one = await t.http.get(`/api/devices/${d.id}`).set('Authorization', admin).expect(200);
      for (const body of [JSON.stringify(list.body), JSON.stringify(one.body), JSON.stringify(v2)]) {
        expect(body).not.toMatch(/XYZZY|PLUGH|FROBOZZ/);
      }
      expect(t.logs.join('\n')).not.toMatch(/XYZZY|PLUGH|FROBOZZ/);
      const client = new Client({ connectionString: t.databaseUrl });
      await client.connect();
      try {
        const { rows } = await client.query('SELECT snmp_secret FROM devices WHERE id = ANY($1)', [[d.id, v2.id]]);
        expect(rows).toHaveLength(2);
        for (const row of rows) {
          expect(row.snmp_secret).toMatch(/^v1\./);
          expect(row.snmp_secret).not.toMatch(/XYZZY|PLUGH|FROBOZZ|secret-user/);
        }
      } finally {
        await client.end();
      }
    });
  });
});
