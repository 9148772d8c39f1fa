import type { EntityManager } from 'typeorm';
import { ProblemRepository } from '../../libs/reports/src/problems/problem.repository';
import { contextPorts } from './context-ports';
import { at, mediumSuite } from './medium-database';

describe('ProblemRepository (medium: real PostgreSQL, real migrations)', () => {
  const s = mediumSuite('problems', (ds) => new ProblemRepository(ds));

  const tx = <T>(work: (m: EntityManager) => Promise<T>): Promise<T> => s.repo.transaction(work);
  const problem = (key: string, openedAt: Date) =>
    tx((m) =>
      s.repo.insert(
        { scope: 'device', problemKey: key, faultType: 'device_down', title: key, openedAt, updatedAt: openedAt },
        m,
      ),
    );

  it('links episodes once, lists them oldest first, and sums up their facts', async () => {
    const a = await s.r.device();
    const b = await s.r.device();
    const t1 = await s.r.ticket({ deviceId: a.id, openedAt: at('2026-01-01T00:00:00Z') });
    const e2 = await s.r.episode({ deviceId: b.id, startedAt: at('2026-01-02T00:00:00Z'), ticketId: t1 });
    const e1 = await s.r.episode({ deviceId: a.id, startedAt: at('2026-01-01T00:00:00Z'), ticketId: t1 });
    const e3 = await s.r.episode({ deviceId: a.id, startedAt: at('2026-01-03T00:00:00Z') });
    const p = await problem(`key-${a.id}`, at('2026-01-03T00:00:00Z'));
    const empty = await problem(`key-${b.id}`, at('2026-01-03T00:00:00Z'));

    await tx((m) => s.repo.link(p.id, [e2, e1], m));
    await tx((m) => s.repo.link(p.id, [e1, e3], m)); // e1 again: no duplicate
    await tx((m) => s.repo.link(p.id, [], m));
    expect(await s.repo.episodeIds(p.id)).toEqual([e1, e2, e3]);

    const facts = await s.repo.facts([p.id, empty.id]);
    expect(facts.get(p.id)).toEqual({
      episodes: 3,
      devices: 2,
      ticketIds: [t1],
      firstAt: at('2026-01-01T00:00:00Z'),
      lastAt: at('2026-01-03T00:00:00Z'),
    });
    expect(facts.get(empty.id)).toEqual({ episodes: 0, devices: 0, ticketIds: [], firstAt: null, lastAt: null });
    expect((await s.repo.facts([])).size).toBe(0);
  });

  it('lists problems newest first, by status, and only those with an episode started in a range', async () => {
    const d = await s.r.device();
    const older = await problem(`older-${d.id}`, at('2026-02-01T00:00:00Z'));
    const newer = await problem(`newer-${d.id}`, at('2026-02-05T00:00:00Z'));
    const inRange = await s.r.episode({ deviceId: d.id, startedAt: at('2026-02-01T12:00:00Z') });
    const outOfRange = await s.r.episode({ deviceId: d.id, startedAt: at('2026-02-05T00:00:00Z') });
    await tx((m) => s.repo.link(older.id, [inRange], m));
    await tx((m) => s.repo.link(newer.id, [outOfRange], m));

    const mine = (list: { id: string }[]) => list.map((p) => p.id).filter((id) => id === older.id || id === newer.id);
    expect(mine(await s.repo.list())).toEqual([newer.id, older.id]);
    expect(
      mine(await s.repo.list(undefined, { from: at('2026-02-01T00:00:00Z'), to: at('2026-02-02T00:00:00Z') })),
    ).toEqual([older.id]);
    newer.status = 'resolved';
    await s.repo.save(newer);
    expect(mine(await s.repo.list('resolved'))).toEqual([newer.id]);
    expect(await tx((m) => s.repo.activeByKey(`newer-${d.id}`, m))).toBeNull();
    expect((await tx((m) => s.repo.activeByKey(`older-${d.id}`, m)))?.id).toBe(older.id);
  });

  it('names a site (or falls back to its id) and summarises tickets: numbers in order and the most urgent priority', async () => {
    const site = await s.r.site();
    expect(await tx((m) => s.repo.siteName(site.id, m))).toBe(site.name);
    const missing = '00000000-0000-4000-8000-000000000000';
    expect(await tx((m) => s.repo.siteName(missing, m))).toBe(missing);

    const d = await s.r.device();
    const p3 = await s.r.ticket({ deviceId: d.id, openedAt: at('2026-03-01T00:00:00Z'), priority: 'P3' });
    const p1 = await s.r.ticket({ deviceId: d.id, openedAt: at('2026-03-01T00:00:00Z'), priority: 'P1' });
    const [{ n3 }] = await s.db.dataSource.query(`SELECT number AS n3 FROM tickets WHERE id = $1`, [p3]);
    const [{ n1 }] = await s.db.dataSource.query(`SELECT number AS n1 FROM tickets WHERE id = $1`, [p1]);
    expect(await tx((m) => contextPorts(s.db.dataSource).tickets.summary([p1, p3], m))).toEqual({
      numbers: [n3, n1],
      priority: 'P1',
    });
    expect(await tx((m) => contextPorts(s.db.dataSource).tickets.summary([], m))).toEqual({
      numbers: [],
      priority: null,
    });
  });
});
