import { monitoringDriver, statusChange } from '../support/monitoring-driver';
import { startTestApp, TestApp } from '../support/test-app';
import { deviceFactory } from '../factories/device.factory';
import { unique } from '../factories/unique';

describe('knowledge base', () => {
  let t: TestApp;
  let agent: string;
  let viewer: string;
  beforeAll(async () => {
    t = await startTestApp('articles');
    agent = await t.tokenFor('agent');
    viewer = await t.tokenFor('viewer');
  });
  afterAll(() => t.close());

  const as = (token: string) => ({
    get: (url: string) => t.http.get(url).set('Authorization', `Bearer ${token}`),
    post: (url: string, body: object = {}) => t.http.post(url).set('Authorization', `Bearer ${token}`).send(body),
    patch: (url: string, body: object) => t.http.patch(url).set('Authorization', `Bearer ${token}`).send(body),
  });

  it('creates, renders safely, edits as revisions with their authors, and searches with PostgreSQL text search', async () => {
    const word = unique('fibre').replace(/-/g, '');
    const created = await as(agent)
      .post('/api/articles', {
        title: `Branch router down after a ${word} cut`,
        body: `## Steps\n\n1. Call the carrier\n2. Switch to **LTE** backup\n\n<script>alert(1)</script>`,
        faultTypes: ['device_down'],
        deviceKinds: ['router'],
        tags: ['WAN', 'carrier'],
      })
      .expect(201);
    expect(created.body).toMatchObject({ revision: 1, tags: ['wan', 'carrier'], createdBy: 'agent@netdesk.test' });
    expect(created.body.html).toContain('<strong>LTE</strong>');
    expect(created.body.html).not.toContain('<script');

    const admin = await t.tokenFor('admin');
    const edited = await as(admin)
      .patch(`/api/articles/${created.body.id}`, { body: 'Call the carrier first.' })
      .expect(200);
    expect(edited.body.revision).toBe(2);
    expect(edited.body.revisions.map((r: { revision: number; author: string }) => [r.revision, r.author])).toEqual([
      [2, 'admin@netdesk.test'],
      [1, 'agent@netdesk.test'],
    ]);
    // nothing changed: no empty revision
    expect(
      (await as(agent).patch(`/api/articles/${created.body.id}`, { body: 'Call the carrier first.' })).body.revision,
    ).toBe(2);

    const hits = await as(viewer)
      .get(`/api/articles?q=${encodeURIComponent(`${word} carrier`)}`)
      .expect(200);
    expect(hits.body.map((a: { id: string }) => a.id)).toEqual([created.body.id]);
    expect(hits.body[0].snippet).toMatch(/«carrier»/);
    expect((await as(viewer).get(`/api/articles?q=${word}%20-carrier`).expect(200)).body).toEqual([]);
    // a page past the end still counts the matches (the count query once got the page's limit and offset too)
    const past = await as(viewer)
      .get(`/api/articles?q=${encodeURIComponent(`${word} carrier`)}&offset=5`)
      .expect(200);
    expect(past.body).toEqual([]);
    expect(past.headers['x-total-count']).toBe('1');
    expect((await as(viewer).get(`/api/articles/${created.body.id}`).expect(200)).body.body).toBe(
      'Call the carrier first.',
    );
  });

  it('suggests matching articles on a ticket and saves a resolved ticket as an article', async () => {
    const kind = 'firewall';
    const device = await deviceFactory.create(t, { kind, name: unique('fw') });
    const match = await as(agent)
      .post('/api/articles', {
        title: unique('Firewall unreachable'),
        body: 'Check the HA pair.',
        faultTypes: ['device_down'],
        deviceKinds: [kind],
      })
      .expect(201);
    await as(agent)
      .post('/api/articles', { title: 'Printer toner', body: 'Replace it.', tags: ['printer'] })
      .expect(201);
    const driver = monitoringDriver(t.app);
    await driver.happen(statusChange(device.id, 'up', 'down', new Date()));
    const [ticket] = (await as(agent).get(`/api/tickets?deviceId=${device.id}`).expect(200)).body;
    const shown = await as(viewer).get(`/api/tickets/${ticket.id}`).expect(200);
    expect(shown.body.suggestedArticles[0]).toEqual({ id: match.body.id, title: match.body.title });
    expect(shown.body.suggestedArticles.some((a: { title: string }) => a.title.startsWith('Printer'))).toBe(false);

    await as(agent).post('/api/articles', { title: 'From ticket', body: 'x', sourceTicketId: ticket.id }).expect(400);
    await driver.happen(statusChange(device.id, 'down', 'up', new Date()));
    const saved = await as(agent)
      .post('/api/articles', { title: unique('From ticket'), body: 'power cycled', sourceTicketId: ticket.id })
      .expect(201);
    expect(saved.body.sourceTicketId).toBe(ticket.id);
  });

  it('lists the new routes and fields in the OpenAPI document', async () => {
    const doc = (await t.http.get('/api/docs/openapi.json').expect(200)).body;
    for (const path of [
      '/api/tickets/{id}/replies',
      '/api/tickets/{id}/link',
      '/api/tickets/{id}/unlink',
      '/api/tickets/{id}/messages',
      '/api/contacts',
      '/api/contacts/domains',
      '/api/articles',
      '/api/articles/{id}',
    ])
      expect(doc.paths).toHaveProperty([path]);
    expect(doc.components.schemas.TicketResponseDto.properties).toHaveProperty('requesters');
    expect(doc.components.schemas.TicketResponseDto.properties).toHaveProperty('parentTicketId');
    expect(doc.components.schemas.TicketWithEventsDto.properties).toHaveProperty('suggestedArticles');
    expect(doc.components.schemas.TicketResponseDto.properties.source.enum).toContain('email');
  });

  it('refuses bad input with 4xx naming the field, and writes need an agent', async () => {
    const bad = await as(agent)
      .post('/api/articles', { title: ' ', body: 'x', faultTypes: ['nope'], extra: 1 })
      .expect(400);
    expect(JSON.stringify(bad.body.message)).toMatch(/title|faultTypes|extra/);
    await as(agent)
      .post('/api/articles', { title: 'x', body: 'y', tags: ['has space'] })
      .expect(400);
    await as(viewer).post('/api/articles', { title: 'x', body: 'y' }).expect(403);
    await as(viewer).get('/api/articles/00000000-0000-4000-8000-000000000000').expect(404);
    await as(viewer).get('/api/articles/not-a-uuid').expect(400);
    await as(viewer)
      .get(`/api/articles?q=${encodeURIComponent("'&|!(")}`)
      .expect(200);
  });
});
