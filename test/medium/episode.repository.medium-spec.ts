import type { EntityManager } from 'typeorm';
import { HistoryCursor } from '@netdesk/database';
import type { HistoryRow } from '../../libs/reports/src/episodes/episode.repository';
import { episodeRepository } from './context-ports';
import { at, mediumSuite } from './medium-database';

describe('EpisodeRepository (medium: real PostgreSQL, real migrations)', () => {
  const s = mediumSuite('episodes', episodeRepository);

  const tx = <T>(work: (m: EntityManager) => Promise<T>): Promise<T> => s.repo.transaction(work);

  it('creates its cursor at 0, reads ticketing’s cursor beside it, and moves its own', async () => {
    expect(await tx((m) => s.repo.cursors(m))).toEqual({ last: '0', ticketing: '0' });
    await s.db.dataSource.query(
      `INSERT INTO ticketing_cursor (name, last_history_id) VALUES ('status_history', 42)
       ON CONFLICT (name) DO UPDATE SET last_history_id = 42`,
    );
    await tx((m) => s.repo.moveCursor('17', m));
    expect(await tx((m) => s.repo.cursors(m))).toEqual({ last: '17', ticketing: '42' });
  });

  it('reads its cursor through HistoryCursor, which skips the batch while another session holds the lock', async () => {
    const lock = 0x6d656469;
    const d = await s.r.device();
    const row = await s.r.history({ deviceId: d.id, at: at('2026-03-02T10:00:00Z') });
    await s.db.dataSource.query(
      `INSERT INTO ticketing_cursor (name, last_history_id) VALUES ('status_history', $1)
       ON CONFLICT (name) DO UPDATE SET last_history_id = $1`,
      [row],
    );
    await tx((m) => s.repo.moveCursor(String(BigInt(row) - 1n), m));
    const other = s.db.dataSource.createQueryRunner();
    const othersTry = async () => (await other.query('SELECT pg_try_advisory_lock($1) AS locked', [lock]))[0].locked;
    const handled: { id: string; othersTry: boolean }[] = [];
    const cursor = new HistoryCursor<HistoryRow>(
      {
        lock,
        batch: 10,
        transaction: (work) => s.repo.transaction(work),
        source: {
          position: async (m) => {
            const { last, ticketing } = await s.repo.cursors(m);
            return { last, upTo: ticketing };
          },
          rowsAfter: (m, after, upTo, limit) => s.repo.historyAfter(after, upTo!, limit, m),
          move: (m, last) => s.repo.moveCursor(last, m),
        },
        onError: () => undefined,
      },
      () => ({
        handle: async (h) => void handled.push({ id: h.id, othersTry: await othersTry() }),
        afterCommit: () => {},
      }),
    );
    try {
      expect(await othersTry()).toBe(true); // another instance's batch holds the lock
      expect(await cursor.processBatch()).toBe(0);
      expect(handled).toEqual([]);
      expect((await tx((m) => s.repo.cursors(m))).last).toBe(String(BigInt(row) - 1n));

      await other.query('SELECT pg_advisory_unlock($1)', [lock]);
      expect(await cursor.processBatch()).toBe(1);
      expect(handled).toEqual([{ id: row, othersTry: false }]); // held for the whole batch
      expect((await tx((m) => s.repo.cursors(m))).last).toBe(row);
      expect(await othersTry()).toBe(true); // and released with the transaction
    } finally {
      await other.query('SELECT pg_advisory_unlock_all()');
      await other.release();
    }
  });

  it('reads history after a cursor up to a bound, in id order, with the device’s site, kind and name', async () => {
    const site = await s.r.site();
    const d = await s.r.device({ siteId: site.id, kind: 'router' });
    const before = await s.r.history({ deviceId: d.id, at: at('2026-03-01T10:00:00Z'), toStatus: 'down' });
    const first = await s.r.history({ deviceId: d.id, at: at('2026-03-01T10:01:00Z'), toStatus: 'up' });
    const second = await s.r.history({
      deviceId: d.id,
      at: at('2026-03-01T10:02:00Z'),
      kind: 'interface_status',
      ifIndex: 3,
      toStatus: 'down',
    });
    const beyond = await s.r.history({ deviceId: d.id, at: at('2026-03-01T10:03:00Z') });

    const read = await tx((m) => s.repo.historyAfter(before, second, 10, m));
    expect(read).toEqual([
      expect.objectContaining({ id: first, deviceId: d.id, kind: 'device_status', ifIndex: null, toStatus: 'up' }),
      expect.objectContaining({ id: second, kind: 'interface_status', ifIndex: 3, toStatus: 'down' }),
    ]);
    expect(read[0]).toMatchObject({ siteId: site.id, deviceKind: 'router', deviceName: d.name });
    expect(read.map((h) => h.id)).not.toContain(beyond);
    expect(await tx((m) => s.repo.historyAfter(before, beyond, 1, m))).toHaveLength(1);
  });

  it('lists all maintenance windows, or those of one device and its site only', async () => {
    const site = await s.r.site();
    const other = await s.r.site();
    const d = await s.r.device({ siteId: site.id });
    const weekly = { days: ['sat'], start: '22:00', durationMinutes: 60, timezone: 'UTC' };
    await s.db.dataSource.query(
      `INSERT INTO maintenance_windows (name, device_id, starts_at, ends_at) VALUES ('own', $1, $2, $3)`,
      [d.id, at('2026-03-01T00:00:00Z'), at('2026-03-01T01:00:00Z')],
    );
    await s.db.dataSource.query(`INSERT INTO maintenance_windows (name, site_id, weekly) VALUES ('site', $1, $2)`, [
      site.id,
      weekly,
    ]);
    await s.db.dataSource.query(`INSERT INTO maintenance_windows (name, site_id, weekly) VALUES ('other', $1, $2)`, [
      other.id,
      weekly,
    ]);

    const mine = await s.repo.maintenanceWindows(undefined, { id: d.id, siteId: site.id });
    expect(mine).toEqual(
      expect.arrayContaining([
        {
          deviceId: d.id,
          siteId: null,
          startsAt: at('2026-03-01T00:00:00Z'),
          endsAt: at('2026-03-01T01:00:00Z'),
          weekly: null,
        },
        { deviceId: null, siteId: site.id, startsAt: null, endsAt: null, weekly },
      ]),
    );
    expect(mine).toHaveLength(2);
    const noSite = await s.repo.maintenanceWindows(undefined, { id: d.id, siteId: null });
    expect(noSite.map((w) => w.deviceId)).toEqual([d.id]);
    expect((await s.repo.maintenanceWindows()).length).toBeGreaterThanOrEqual(3);
  });

  it('finds the ticket not yet closed for a fault key', async () => {
    const d = await s.r.device();
    const key = `${d.id}:device_down`;
    await s.r.ticket({ deviceId: d.id, openedAt: at('2026-03-01T00:00:00Z'), status: 'closed', faultKey: key });
    expect(await tx((m) => s.repo.activeTicketId(key, m))).toBeNull();
    const open = await s.r.ticket({
      deviceId: d.id,
      openedAt: at('2026-03-02T00:00:00Z'),
      status: 'resolved',
      faultKey: key,
    });
    expect(await tx((m) => s.repo.activeTicketId(key, m))).toBe(open);
  });

  it('inserts an episode, sees it open, closes it with its end, and stops seeing it open', async () => {
    const d = await s.r.device();
    const key = `${d.id}:device_down:open-close`;
    const inserted = await tx((m) =>
      s.repo.insert(
        {
          deviceId: d.id,
          faultType: 'device_down',
          ifIndex: null,
          faultKey: key,
          startedAt: at('2026-03-01T10:00:00Z'),
          endedAt: null,
          ticketId: null,
          inMaintenance: false,
          startHistoryId: '5',
        },
        m,
      ),
    );
    expect(inserted.id).toBeDefined();
    expect(await tx((m) => s.repo.hasOpen(key, m))).toBe(true);
    await tx((m) => s.repo.close(key, at('2026-03-01T10:30:00Z'), '9', m));
    expect(await tx((m) => s.repo.hasOpen(key, m))).toBe(false);
    const [stored] = await s.repo.byIds([inserted.id]);
    expect(stored).toMatchObject({ endedAt: at('2026-03-01T10:30:00Z'), endHistoryId: '9', deviceName: d.name });
  });

  it('finds the same fault’s episodes in (after, until], maintenance left out, oldest first', async () => {
    const d = await s.r.device();
    const key = `${d.id}:device_down:same`;
    const e = (iso: string, inMaintenance = false) =>
      s.r.episode({ deviceId: d.id, faultKey: key, startedAt: at(iso), endedAt: at(iso), inMaintenance });
    await e('2026-03-01T00:00:00Z'); // at `after`: excluded
    const a = await e('2026-03-02T00:00:00Z');
    await e('2026-03-03T00:00:00Z', true);
    const b = await e('2026-03-04T00:00:00Z'); // at `until`: included
    await e('2026-03-05T00:00:00Z');
    const found = await tx((m) =>
      s.repo.sameFaultSince(key, at('2026-03-01T00:00:00Z'), at('2026-03-04T00:00:00Z'), m),
    );
    expect(found.map((x) => x.id)).toEqual([a, b]);
  });

  it('finds a fault type’s episodes on devices of one site or of one kind', async () => {
    const site = await s.r.site();
    const inSite = await s.r.device({ siteId: site.id, kind: 'firewall' });
    const elsewhere = await s.r.device({ kind: 'firewall' });
    const otherKind = await s.r.device({ siteId: site.id, kind: 'server' });
    const when = at('2026-04-01T12:00:00Z');
    const a = await s.r.episode({ deviceId: inSite.id, startedAt: when, endedAt: when, faultType: 'high_latency' });
    const b = await s.r.episode({ deviceId: elsewhere.id, startedAt: when, endedAt: when, faultType: 'high_latency' });
    const c = await s.r.episode({ deviceId: otherKind.id, startedAt: when, endedAt: when, faultType: 'high_latency' });
    await s.r.episode({ deviceId: inSite.id, startedAt: when, endedAt: when, faultType: 'packet_loss' });
    const fault = { faultType: 'high_latency' as const, ifIndex: null };
    const after = at('2026-04-01T00:00:00Z');
    const until = at('2026-04-02T00:00:00Z');
    const bySite = await tx((m) => s.repo.sameFaultTypeInGroup({ siteId: site.id }, fault, after, until, m));
    expect(bySite.map((x) => x.id).sort()).toEqual([a, c].sort());
    const byKind = await tx((m) => s.repo.sameFaultTypeInGroup({ kind: 'firewall' }, fault, after, until, m));
    expect(byKind.map((x) => x.id)).toEqual(expect.arrayContaining([a, b]));
    expect(byKind.map((x) => x.id)).not.toContain(c);
  });

  it('flags tickets recurring once and returns only those that changed', async () => {
    const d = await s.r.device();
    const t1 = await s.r.ticket({ deviceId: d.id, openedAt: at('2026-03-01T00:00:00Z') });
    const t2 = await s.r.ticket({ deviceId: d.id, openedAt: at('2026-03-01T00:00:00Z') });
    expect(await tx((m) => s.repo.flagRecurring([t1], m))).toEqual([t1]);
    expect((await tx((m) => s.repo.flagRecurring([t1, t2], m))).sort()).toEqual([t2]);
    expect(await tx((m) => s.repo.flagRecurring([], m))).toEqual([]);
    const [{ n }] = await s.db.dataSource.query(
      `SELECT count(*)::int AS n FROM tickets WHERE id = ANY($1) AND recurring`,
      [[t1, t2]],
    );
    expect(n).toBe(2);
  });

  it('lists episodes overlapping [from, to), newest first, filtered by device and fault type, up to a limit', async () => {
    const d = await s.r.device();
    const other = await s.r.device();
    const from = at('2026-05-01T00:00:00Z');
    const to = at('2026-05-02T00:00:00Z');
    const before = await s.r.episode({
      deviceId: d.id,
      startedAt: at('2026-04-30T00:00:00Z'),
      endedAt: at('2026-04-30T23:00:00Z'),
    });
    const spanning = await s.r.episode({
      deviceId: d.id,
      startedAt: at('2026-04-30T23:00:00Z'),
      endedAt: at('2026-05-01T01:00:00Z'),
    });
    const inside = await s.r.episode({ deviceId: d.id, startedAt: at('2026-05-01T05:00:00Z'), endedAt: null });
    const instant = await s.r.episode({ deviceId: d.id, startedAt: from, endedAt: from, faultType: 'device_rebooted' });
    const after = await s.r.episode({ deviceId: d.id, startedAt: to });
    await s.r.episode({ deviceId: other.id, startedAt: at('2026-05-01T06:00:00Z') });

    const listed = await s.repo.list({ deviceId: d.id, from, to, limit: 10 });
    expect(listed.map((e) => e.id)).toEqual([inside, instant, spanning]);
    expect(listed.map((e) => e.id)).not.toContain(before);
    expect(listed.map((e) => e.id)).not.toContain(after);
    expect(listed[0]).toMatchObject({ deviceId: d.id, deviceName: d.name, endedAt: null, inMaintenance: false });
    expect(
      (await s.repo.list({ deviceId: d.id, faultType: 'device_rebooted', from, to, limit: 10 })).map((e) => e.id),
    ).toEqual([instant]);
    expect(await s.repo.list({ deviceId: d.id, from, to, limit: 1 })).toHaveLength(1);
  });

  it('reads episodes by id, oldest first, and nothing for no ids', async () => {
    const d = await s.r.device();
    const late = await s.r.episode({ deviceId: d.id, startedAt: at('2026-06-02T00:00:00Z') });
    const early = await s.r.episode({ deviceId: d.id, startedAt: at('2026-06-01T00:00:00Z') });
    expect((await s.repo.byIds([late, early])).map((e) => e.id)).toEqual([early, late]);
    expect(await s.repo.byIds([])).toEqual([]);
  });
});
