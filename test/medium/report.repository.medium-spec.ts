import { ReportRepository } from '../../libs/reports/src/reports/report.repository';
import { contextPorts } from './context-ports';
import { at, mediumSuite } from './medium-database';

const HOUR = 3_600_000;

describe('ReportRepository (medium: real PostgreSQL, real migrations)', () => {
  const s = mediumSuite('reports', (ds) => new ReportRepository(ds));

  /** Each test uses its own month, so the rows of one never fall in another's range. */
  const range = (month: string, now?: string) => ({
    from: at(`2026-${month}-01T00:00:00Z`),
    to: at(`2026-${month}-02T00:00:00Z`),
    now: at(now ?? '2027-01-01T00:00:00Z'),
  });

  it('recurringFaults: faults with at least `min` episodes started in the range, maintenance left out', async () => {
    const d = await s.r.device();
    const t1 = await s.r.ticket({ deviceId: d.id, openedAt: at('2026-01-01T01:00:00Z') });
    const t2 = await s.r.ticket({ deviceId: d.id, openedAt: at('2026-01-01T03:00:00Z') });
    const down = (start: string, end: string | null, ticketId: string | null, inMaintenance = false) =>
      s.r.episode({ deviceId: d.id, startedAt: at(start), endedAt: end ? at(end) : null, ticketId, inMaintenance });
    await down('2026-01-01T01:00:00Z', '2026-01-01T01:30:00Z', t1);
    await down('2026-01-01T02:00:00Z', '2026-01-01T02:30:00Z', t1);
    await down('2026-01-01T03:00:00Z', '2026-01-01T03:15:00Z', t2);
    await down('2026-01-01T04:00:00Z', '2026-01-01T05:00:00Z', null, true); // maintenance: not counted
    await down('2025-12-31T23:00:00Z', '2026-01-01T00:30:00Z', null); // started before the range
    await s.r.episode({
      deviceId: d.id,
      faultType: 'interface_down',
      ifIndex: 2,
      startedAt: at('2026-01-01T06:00:00Z'),
    });

    const found = (await s.repo.recurringFaults(range('01'), 3)).filter((f) => f.deviceId === d.id);
    expect(found).toEqual([
      {
        deviceId: d.id,
        deviceName: d.name,
        faultType: 'device_down',
        ifIndex: null,
        occurrences: 3,
        firstAt: at('2026-01-01T01:00:00Z'),
        lastAt: at('2026-01-01T03:00:00Z'),
        downtimeMs: 75 * 60_000,
        ticketIds: [t1, t2].sort(),
      },
    ]);
    expect((await s.repo.recurringFaults(range('01'), 4)).filter((f) => f.deviceId === d.id)).toEqual([]);
  });

  it('availability: every device with its device_down time clipped to the range (open ones up to now) and outages', async () => {
    const site = await s.r.site();
    const d = await s.r.device({ siteId: site.id });
    const quiet = await s.r.device();
    await s.r.episode({ deviceId: d.id, startedAt: at('2026-02-01T23:00:00Z'), endedAt: null }); // open: 1 h to `now`, clipped
    await s.r.episode({ deviceId: d.id, startedAt: at('2026-01-31T23:00:00Z'), endedAt: at('2026-02-01T01:00:00Z') }); // 1 h inside
    await s.r.episode({ deviceId: d.id, faultType: 'high_latency', startedAt: at('2026-02-01T05:00:00Z') }); // not down

    const rowsOf = await s.repo.availability(range('02', '2026-02-01T23:30:00Z'));
    expect(rowsOf.find((x) => x.deviceId === d.id)).toEqual({
      deviceId: d.id,
      deviceName: d.name,
      siteId: site.id,
      siteName: site.name,
      outages: 2,
      downMs: 1.5 * HOUR,
    });
    expect(rowsOf.find((x) => x.deviceId === quiet.id)).toMatchObject({
      outages: 0,
      downMs: 0,
      siteId: null,
      siteName: null,
    });
  });

  it('downEpisodes: device_down episodes of the given devices overlapping the range', async () => {
    const d = await s.r.device();
    const other = await s.r.device();
    await s.r.episode({ deviceId: d.id, startedAt: at('2026-03-01T02:00:00Z'), endedAt: at('2026-03-01T03:00:00Z') });
    await s.r.episode({ deviceId: d.id, startedAt: at('2026-02-27T00:00:00Z'), endedAt: at('2026-02-28T00:00:00Z') }); // before
    await s.r.episode({ deviceId: d.id, faultType: 'packet_loss', startedAt: at('2026-03-01T04:00:00Z') });
    await s.r.episode({ deviceId: other.id, startedAt: at('2026-03-01T02:00:00Z') });

    expect(await s.repo.downEpisodes(range('03'), [d.id])).toEqual([
      { deviceId: d.id, startedAt: at('2026-03-01T02:00:00Z'), endedAt: at('2026-03-01T03:00:00Z') },
    ]);
    expect(await s.repo.downEpisodes(range('03'), [])).toEqual([]);
  });

  it('activity: opened, resolved, escalated, breaches and mean times per cycle, as totals and by team, priority and site', async () => {
    const site = await s.r.site();
    const d = await s.r.device({ siteId: site.id });
    const t = await s.r.ticket({ deviceId: d.id, openedAt: at('2026-04-01T01:00:00Z'), team: 'noc', priority: 'P1' });
    await s.r.ticketEvent(t, 'opened', at('2026-04-01T01:00:00Z'));
    await s.r.ticketEvent(t, 'escalated', at('2026-04-01T01:05:00Z'));
    await s.r.ticketEvent(t, 'sla_breached', at('2026-04-01T01:06:00Z'));
    await s.r.ticketEvent(t, 'acknowledged', at('2026-04-01T01:10:00Z')); // 10 min
    await s.r.ticketEvent(t, 'resolved', at('2026-04-01T02:00:00Z')); // 60 min
    await s.r.ticketEvent(t, 'reopened', at('2026-04-01T03:00:00Z'));
    await s.r.ticketEvent(t, 'acknowledged', at('2026-04-01T03:20:00Z')); // 20 min in the second cycle
    // opened in the range but untouched; and one opened the month before
    const idle = await s.r.ticket({
      deviceId: d.id,
      openedAt: at('2026-04-01T05:00:00Z'),
      team: 'desk',
      priority: 'P3',
    });
    await s.r.ticketEvent(idle, 'opened', at('2026-04-01T05:00:00Z'));
    await s.r.ticket({ deviceId: d.id, openedAt: at('2026-03-15T00:00:00Z'), team: 'noc' });

    const activity = await contextPorts(s.db.dataSource).ticketStatistics.activity(range('04'));
    const total = activity.find((a) => a.dimension === 'total');
    expect(total).toEqual({
      dimension: 'total',
      key: null,
      label: null,
      opened: 2,
      resolved: 1,
      escalated: 1,
      mttaSec: 15 * 60,
      mttrSec: 60 * 60,
      slaBreaches: 1,
    });
    expect(activity.find((a) => a.dimension === 'team' && a.key === 'noc')).toMatchObject({ opened: 1, resolved: 1 });
    expect(activity.find((a) => a.dimension === 'team' && a.key === 'desk')).toMatchObject({ opened: 1, resolved: 0 });
    expect(activity.find((a) => a.dimension === 'priority' && a.key === 'P1')).toMatchObject({
      escalated: 1,
      slaBreaches: 1,
    });
    expect(activity.find((a) => a.dimension === 'site' && a.key === site.id)).toMatchObject({
      label: site.name,
      opened: 2,
    });
  });

  it('episodeCounts: per device, other fault types’ episodes and distinct tickets overlapping the range, maintenance left out', async () => {
    const d = await s.r.device();
    const t = await s.r.ticket({ deviceId: d.id, openedAt: at('2026-05-01T00:00:00Z') });
    await s.r.episode({
      deviceId: d.id,
      startedAt: at('2026-05-01T01:00:00Z'),
      endedAt: at('2026-05-01T01:30:00Z'),
      ticketId: t,
    });
    await s.r.episode({
      deviceId: d.id,
      faultType: 'high_latency',
      startedAt: at('2026-05-01T02:00:00Z'),
      endedAt: at('2026-05-01T02:10:00Z'),
      ticketId: t,
    });
    await s.r.episode({
      deviceId: d.id,
      faultType: 'packet_loss',
      startedAt: at('2026-05-01T03:00:00Z'),
      endedAt: at('2026-05-01T04:00:00Z'),
      inMaintenance: true,
    });

    const counts = (await s.repo.episodeCounts(range('05'))).filter((c) => c.deviceId === d.id);
    expect(counts).toEqual([{ deviceId: d.id, deviceName: d.name, episodes: 1, tickets: 1, downtimeMs: 40 * 60_000 }]);
  });
});
