import { deviceFactory, siteFactory } from '../factories/device.factory';
import { unique } from '../factories/unique';
import { startTestApp, TestApp } from '../support/test-app';

/** The edit and delete routes the settings screens use: escalation policies, maintenance windows, routing rules. */
describe('ticketing settings API', () => {
  let t: TestApp;
  let manager: string;
  let agent: string;
  beforeAll(async () => {
    t = await startTestApp('ticketing-settings');
    manager = `Bearer ${await t.tokenFor('manager')}`;
    agent = `Bearer ${await t.tokenFor('agent')}`;
  });
  afterAll(() => t?.close());

  describe('escalation policies', () => {
    const create = async (over: Record<string, unknown> = {}) =>
      (
        await t.http
          .post('/api/escalation-policies')
          .set('Authorization', manager)
          .send({ name: unique('policy'), steps: [{ delaySeconds: 0 }], ...over })
          .expect(201)
      ).body;

    it('PATCH replaces the steps and renames; the list shows it', async () => {
      const p = await create();
      const name = unique('renamed');
      const res = await t.http
        .patch(`/api/escalation-policies/${p.id}`)
        .set('Authorization', manager)
        .send({
          name,
          steps: [{ delaySeconds: 60 }, { delaySeconds: 600, notify: ['email:noc@example.com'], team: 'network' }],
          repeat: true,
          maxRepeats: 2,
        })
        .expect(200);
      expect(res.body).toEqual({
        id: p.id,
        name,
        steps: [{ delaySeconds: 60 }, { delaySeconds: 600, notify: ['email:noc@example.com'], team: 'network' }],
        repeat: true,
        maxRepeats: 2,
        isDefault: false,
      });
      // a repeating policy whose first step is at once is refused; nothing changes
      const bad = await t.http
        .patch(`/api/escalation-policies/${p.id}`)
        .set('Authorization', manager)
        .send({ steps: [{ delaySeconds: 0 }] })
        .expect(400);
      expect(bad.body.message).toEqual(['steps.0.delaySeconds must be greater than 0 when the policy repeats']);
      const after = (await t.http.get(`/api/escalation-policies/${p.id}`).set('Authorization', agent).expect(200)).body;
      expect(after.steps).toHaveLength(2);
    });

    it('PATCH names the bad field: decreasing delays, a bad notify target, null, an unknown id, a taken name', async () => {
      const p = await create();
      const dec = await t.http
        .patch(`/api/escalation-policies/${p.id}`)
        .set('Authorization', manager)
        .send({ steps: [{ delaySeconds: 300 }, { delaySeconds: 60 }] })
        .expect(400);
      expect(dec.body.message).toEqual(['steps.1.delaySeconds must be greater than steps.0.delaySeconds']);
      const target = await t.http
        .patch(`/api/escalation-policies/${p.id}`)
        .set('Authorization', manager)
        .send({ steps: [{ delaySeconds: 0, notify: ['pager:42'] }] })
        .expect(400);
      expect(target.body.message[0]).toMatch(/^steps\.0\.notify\.0: /);
      const nul = await t.http
        .patch(`/api/escalation-policies/${p.id}`)
        .set('Authorization', manager)
        .send({ name: null })
        .expect(400);
      expect(nul.body.message).toEqual(['name must not be null']);
      const nullTeam = await t.http
        .patch(`/api/escalation-policies/${p.id}`)
        .set('Authorization', manager)
        .send({ steps: [{ delaySeconds: 0, team: null }] })
        .expect(400);
      expect(nullTeam.body.message).toEqual(['steps.0.team must not be null']);
      await t.http
        .patch('/api/escalation-policies/00000000-0000-4000-8000-000000000000')
        .set('Authorization', manager)
        .send({ name: 'x' })
        .expect(404);
      const other = await create();
      const dup = await t.http
        .patch(`/api/escalation-policies/${p.id}`)
        .set('Authorization', manager)
        .send({ name: other.name })
        .expect(409);
      expect(dup.body.message[0]).toMatch(/^name: .*already exists/);
    });

    it('moves the default with isDefault, and never leaves none', async () => {
      const list = (await t.http.get('/api/escalation-policies').set('Authorization', agent).expect(200)).body;
      const oldDefault = list.find((p: { isDefault: boolean }) => p.isDefault);
      const unset = await t.http
        .patch(`/api/escalation-policies/${oldDefault.id}`)
        .set('Authorization', manager)
        .send({ isDefault: false })
        .expect(400);
      expect(unset.body.message[0]).toMatch(/^isDefault: /);
      await t.http.delete(`/api/escalation-policies/${oldDefault.id}`).set('Authorization', manager).expect(409);
      const p = await create();
      await t.http
        .patch(`/api/escalation-policies/${p.id}`)
        .set('Authorization', manager)
        .send({ isDefault: true })
        .expect(200);
      const now = (await t.http.get('/api/escalation-policies').set('Authorization', agent).expect(200)).body;
      expect(now.filter((x: { isDefault: boolean }) => x.isDefault).map((x: { id: string }) => x.id)).toEqual([p.id]);
      // put the built-in default back for the other tests
      await t.http
        .patch(`/api/escalation-policies/${oldDefault.id}`)
        .set('Authorization', manager)
        .send({ isDefault: true })
        .expect(200);
    });

    it('DELETE refuses a policy devices use, then deletes it once they use another; agents may not', async () => {
      const p = await create();
      const device = await deviceFactory.create(t, { escalationPolicyId: p.id });
      await t.http.delete(`/api/escalation-policies/${p.id}`).set('Authorization', agent).expect(403);
      await t.http
        .patch(`/api/escalation-policies/${p.id}`)
        .set('Authorization', agent)
        .send({ name: 'x' })
        .expect(403);
      const inUse = await t.http.delete(`/api/escalation-policies/${p.id}`).set('Authorization', manager).expect(409);
      expect(inUse.body.message[0]).toMatch(/used by 1 device/);
      await t.http
        .patch(`/api/devices/${device.id}`)
        .set('Authorization', `Bearer ${await t.tokenFor('admin')}`)
        .send({ escalationPolicyId: null })
        .expect(200);
      await t.http.delete(`/api/escalation-policies/${p.id}`).set('Authorization', manager).expect(204);
      await t.http.get(`/api/escalation-policies/${p.id}`).set('Authorization', agent).expect(404);
      await t.http.delete(`/api/escalation-policies/${p.id}`).set('Authorization', manager).expect(404);
    });
  });

  describe('maintenance windows', () => {
    it('PATCH switches a one-off device window to a weekly site window and back, validating like create', async () => {
      const device = await deviceFactory.create(t);
      const site = await siteFactory.create(t);
      const w = (
        await t.http
          .post('/api/maintenance-windows')
          .set('Authorization', manager)
          .send({
            name: unique('fw'),
            deviceId: device.id,
            startsAt: '2030-01-01T02:00:00.000Z',
            endsAt: '2030-01-01T04:00:00.000Z',
          })
          .expect(201)
      ).body;
      const weekly = { days: ['sun', 'wed'], start: '03:30', durationMinutes: 90, timezone: 'Europe/Berlin' };
      const res = await t.http
        .patch(`/api/maintenance-windows/${w.id}`)
        .set('Authorization', manager)
        .send({ name: 'Nightly backup', siteId: site.id, weekly })
        .expect(200);
      expect(res.body).toEqual({
        id: w.id,
        name: 'Nightly backup',
        deviceId: null,
        siteId: site.id,
        startsAt: null,
        endsAt: null,
        weekly,
      });
      const badZone = await t.http
        .patch(`/api/maintenance-windows/${w.id}`)
        .set('Authorization', manager)
        .send({ weekly: { ...weekly, timezone: 'Mars/Olympus' } })
        .expect(400);
      expect(badZone.body.message).toEqual(['weekly.timezone must be an IANA time zone such as Europe/Berlin']);
      const backwards = await t.http
        .patch(`/api/maintenance-windows/${w.id}`)
        .set('Authorization', manager)
        .send({ startsAt: '2030-01-02T04:00:00.000Z', endsAt: '2030-01-02T02:00:00.000Z' })
        .expect(400);
      expect(backwards.body.message).toEqual(['endsAt must be after startsAt']);
      const noTarget = await t.http
        .patch(`/api/maintenance-windows/${w.id}`)
        .set('Authorization', manager)
        .send({ siteId: null })
        .expect(400);
      expect(noTarget.body.message).toEqual(['give exactly one of deviceId and siteId']);
      const back = await t.http
        .patch(`/api/maintenance-windows/${w.id}`)
        .set('Authorization', manager)
        .send({ deviceId: device.id, startsAt: '2030-01-02T02:00:00.000Z', endsAt: '2030-01-02T04:00:00.000Z' })
        .expect(200);
      expect(back.body).toMatchObject({
        deviceId: device.id,
        siteId: null,
        weekly: null,
        endsAt: '2030-01-02T04:00:00.000Z',
      });
      await t.http
        .patch(`/api/maintenance-windows/${w.id}`)
        .set('Authorization', agent)
        .send({ name: 'x' })
        .expect(403);
      await t.http
        .patch('/api/maintenance-windows/00000000-0000-4000-8000-000000000000')
        .set('Authorization', manager)
        .send({ name: 'x' })
        .expect(404);
    });
  });

  describe('routing rules', () => {
    it('answers the response DTO, moves a rule by position and keeps positions 0..n-1 after a delete', async () => {
      const teams = ['r-a', 'r-b', 'r-c', 'r-d'];
      const made = [];
      for (const team of teams)
        made.push(
          (await t.http.post('/api/routing-rules').set('Authorization', manager).send({ team, tag: team }).expect(201))
            .body,
        );
      expect(Object.keys(made[0]).sort()).toEqual(['id', 'kind', 'position', 'siteId', 'tag', 'team']);
      const order = async () =>
        (await t.http.get('/api/routing-rules').set('Authorization', agent).expect(200)).body.map(
          (r: { team: string; position: number }) => `${r.position}:${r.team}`,
        );
      // move the last to the top, then the top one down by one
      await t.http
        .patch(`/api/routing-rules/${made[3].id}`)
        .set('Authorization', manager)
        .send({ position: 0 })
        .expect(200);
      expect(await order()).toEqual(['0:r-d', '1:r-a', '2:r-b', '3:r-c']);
      const moved = await t.http
        .patch(`/api/routing-rules/${made[3].id}`)
        .set('Authorization', manager)
        .send({ position: 1, kind: 'router', tag: null })
        .expect(200);
      expect(moved.body).toEqual({ id: made[3].id, position: 1, siteId: null, tag: null, kind: 'router', team: 'r-d' });
      expect(await order()).toEqual(['0:r-a', '1:r-d', '2:r-b', '3:r-c']);
      await t.http.delete(`/api/routing-rules/${made[0].id}`).set('Authorization', manager).expect(204);
      expect(await order()).toEqual(['0:r-d', '1:r-b', '2:r-c']);
      const bad = await t.http
        .patch(`/api/routing-rules/${made[1].id}`)
        .set('Authorization', manager)
        .send({ team: 'has space' })
        .expect(400);
      expect(bad.body.message).toEqual(['team must be 1-64 letters, digits, dots, dashes or underscores']);
      const nul = await t.http
        .patch(`/api/routing-rules/${made[1].id}`)
        .set('Authorization', manager)
        .send({ team: null })
        .expect(400);
      expect(nul.body.message).toEqual(['team must not be null']);
      await t.http
        .patch(`/api/routing-rules/${made[1].id}`)
        .set('Authorization', agent)
        .send({ position: 0 })
        .expect(403);
      await t.http
        .patch('/api/routing-rules/00000000-0000-4000-8000-000000000000')
        .set('Authorization', manager)
        .send({ position: 0 })
        .expect(404);
    });
  });
});
