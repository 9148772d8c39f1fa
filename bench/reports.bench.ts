/**
 * The manager reports over 90 days of history for 5,000 devices, seeded straight into PostgreSQL as the
 * real pipeline leaves it (status_history, fault_episodes, tickets, ticket_events), then each report
 * timed over 7, 30 and 90 days (median of 5 runs, JSON and CSV), with the EXPLAIN ANALYZE plans of the
 * 90-day queries.
 *
 *   npm run build && DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:reports
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { loadConfig } from '@netdesk/config';
import { FakeClock } from '@netdesk/core';
import { buildEpisodes, HistoryChange, ReportsService } from '@netdesk/reports';
import { DeviceEntity } from '../libs/inventory/src/device.entity';
import { DeviceRepository } from '../libs/inventory/src/device.repository';
import { StatusHistoryRepository } from '../libs/monitoring/src/polling/status-history.repository';
import { EpisodeRepository } from '../libs/reports/src/episodes/episode.repository';
import { ReportRepository } from '../libs/reports/src/reports/report.repository';
import { MaintenanceWindowRepository } from '../libs/ticketing/src/maintenance/maintenance-window.reader';
import { TicketStatisticsRepository } from '../libs/ticketing/src/statistics/ticket-statistics.repository';
import { TicketRepository } from '../libs/ticketing/src/tickets/ticket.repository';
import { activityCsv, availabilityCsv, recurringFaultsCsv } from '../libs/reports/src/reports/report-csv';
import { withBenchDatabase } from './bench-database';

const DEVICES = 5_000;
const SITES = 50;
const DAYS = 90;
const RUNS = 5;
const NOW = new Date('2026-09-01T00:00:00Z');
const DAY_MS = 86_400_000;
const KINDS = ['router', 'switch', 'firewall', 'server', 'access-point', 'wan-link', 'other'];
const BATCH = 5_000;

/** Deterministic randomness, so runs compare. */
let seed = 42;
const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const exp = (mean: number) => -Math.log(1 - random()) * mean;

type Row = HistoryChange & { deviceId: string; at: Date; fromStatus: string | null };

/** A device's 90 days: device-level states never overlap; interfaces flap independently. */
function historyOf(deviceId: string, bad: boolean): Row[] {
  const rows: Row[] = [];
  const start = NOW.getTime() - DAYS * DAY_MS;
  // device level: down (1/month, 5% of devices 1/2 days), degraded (latency/loss, 3/month), mean 20/12 min
  let t = start;
  const downRate = bad ? 0.5 : 1 / 30;
  const degradedRate = 0.1;
  for (;;) {
    t += exp(DAY_MS / (downRate + degradedRate));
    if (t >= NOW.getTime()) break;
    const down = random() < downRate / (downRate + degradedRate);
    const causes = down ? [] : [random() < 0.5 ? 'latency' : 'loss'];
    rows.push({
      deviceId,
      kind: 'device_status',
      fromStatus: 'up',
      toStatus: down ? 'down' : 'degraded',
      ifIndex: null,
      detail: { causes },
      at: new Date(t),
    });
    t += exp((down ? 20 : 12) * 60_000) + 60_000;
    if (t >= NOW.getTime()) break; // still going on
    rows.push({
      deviceId,
      kind: 'device_status',
      fromStatus: down ? 'down' : 'degraded',
      toStatus: 'up',
      ifIndex: null,
      detail: { causes: [] },
      at: new Date(t),
    });
  }
  // interfaces: 8 watched, 1 down per 12 days per device, mean 15 min
  t = start;
  for (;;) {
    t += exp(12 * DAY_MS);
    if (t >= NOW.getTime()) break;
    const ifIndex = 1 + Math.floor(random() * 8);
    const down = t;
    rows.push({
      deviceId,
      kind: 'interface_status',
      fromStatus: 'up',
      toStatus: 'down',
      ifIndex,
      detail: { monitored: true },
      at: new Date(down),
    });
    const up = down + exp(15 * 60_000) + 30_000;
    if (up < NOW.getTime())
      rows.push({
        deviceId,
        kind: 'interface_status',
        fromStatus: 'down',
        toStatus: 'up',
        ifIndex,
        detail: { monitored: true },
        at: new Date(up),
      });
  }
  // reboots: 1 per 100 days
  for (t = start + exp(100 * DAY_MS); t < NOW.getTime(); t += exp(100 * DAY_MS))
    rows.push({
      deviceId,
      kind: 'device_rebooted',
      fromStatus: null,
      toStatus: null,
      ifIndex: null,
      detail: null,
      at: new Date(t),
    });
  return rows;
}

async function insertRows(
  ds: DataSource,
  table: string,
  columns: string[],
  types: string[],
  rows: unknown[][],
): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) {
    const chunk = rows.slice(i, i + BATCH);
    const arrays = columns.map((_, c) => chunk.map((r) => r[c]));
    await ds.query(
      `INSERT INTO ${table} (${columns.join(', ')}) SELECT * FROM unnest(${types.map((t, j) => `$${j + 1}::${t}[]`).join(', ')})`,
      arrays,
    );
  }
}

async function seedData(ds: DataSource): Promise<Record<string, number>> {
  const sites: string[] = (
    await ds.query(`INSERT INTO sites (name) SELECT 'site-' || i FROM generate_series(1, $1) i RETURNING id`, [SITES])
  ).map((r: { id: string }) => r.id);
  const devices: { id: string; site_id: string }[] = await ds.query(
    `INSERT INTO devices (name, host, site_id, kind)
     SELECT 'dev-' || lpad(i::text, 5, '0'), 'dev-' || i || '.bench', ($2::uuid[])[1 + i % $3], ($4::text[])[1 + i % $5]::device_kind
       FROM generate_series(1, $1) i RETURNING id, site_id`,
    [DEVICES, sites, SITES, KINDS, KINDS.length],
  );
  const history = devices
    .flatMap((d) => historyOf(d.id, random() < 0.05))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  const ids = history.map((_, i) => String(i + 1));
  await insertRows(
    ds,
    'status_history',
    ['id', 'device_id', 'kind', 'if_index', 'from_status', 'to_status', 'reason', 'detail', 'at'],
    ['bigint', 'uuid', 'history_kind', 'int', 'varchar', 'varchar', 'varchar', 'jsonb', 'timestamptz'],
    history.map((h, i) => [
      ids[i],
      h.deviceId,
      h.kind,
      h.ifIndex,
      h.fromStatus,
      h.toStatus,
      'bench',
      h.detail ? JSON.stringify(h.detail) : null,
      h.at,
    ]),
  );
  await ds.query(`SELECT setval(pg_get_serial_sequence('status_history', 'id'), $1)`, [history.length]);

  // tickets as automation leaves them: one per fault key until closed (an hour after resolving), reopened before
  const episodes = buildEpisodes(history);
  const tickets = new Map<
    string,
    {
      id: string;
      key: string;
      type: string;
      device: string;
      ifIndex: number | null;
      opened: Date;
      anchor: Date;
      resolved: Date | null;
      occurrences: number;
      events: unknown[][];
    }
  >();
  const lastByKey = new Map<string, string>();
  const episodeTicket: string[] = [];
  for (const e of episodes) {
    const key = `${e.deviceId}:${e.faultType}:${e.ifIndex ?? '-'}`;
    const previous = tickets.get(lastByKey.get(key) ?? '');
    let ticket =
      previous && previous.resolved && e.startedAt.getTime() < previous.resolved.getTime() + 3_600_000
        ? previous
        : undefined;
    if (ticket) {
      ticket.occurrences++;
      ticket.anchor = e.startedAt;
      ticket.events.push([ticket.id, e.startedAt, 'reopened', 'system', 'the fault is back']);
    } else {
      ticket = {
        id: randomUUID(),
        key,
        type: e.faultType,
        device: e.deviceId,
        ifIndex: e.ifIndex,
        opened: e.startedAt,
        anchor: e.startedAt,
        resolved: null,
        occurrences: 1,
        events: [],
      };
      ticket.events.push(
        [ticket.id, e.startedAt, 'opened', 'system', 'opened'],
        [ticket.id, e.startedAt, 'assigned', 'system', 'noc'],
      );
      tickets.set(ticket.id, ticket);
      lastByKey.set(key, ticket.id);
    }
    const end = e.endedAt;
    if (!end || end.getTime() - e.startedAt.getTime() > 15 * 60_000) {
      const at = new Date(e.startedAt.getTime() + 15 * 60_000);
      if (at < NOW)
        ticket.events.push(
          [ticket.id, at, 'escalated', 'system', 'level 1'],
          [ticket.id, at, 'sla_breached', 'system', 'ack'],
        );
    }
    ticket.resolved = end;
    if (end) ticket.events.push([ticket.id, end, 'resolved', 'system', 'recovered']);
    episodeTicket.push(ticket.id);
  }
  const list = [...tickets.values()];
  const priority = (type: string) => (type === 'device_down' ? 'P2' : type === 'interface_down' ? 'P3' : 'P4');
  await insertRows(
    ds,
    'tickets',
    [
      'id',
      'title',
      'status',
      'priority',
      'source',
      'device_id',
      'if_index',
      'fault_type',
      'fault_key',
      'fault_active',
      'team',
      'occurrences',
      'opened_at',
      'resolved_at',
      'closed_at',
      'escalation_anchor_at',
      'recurring',
    ],
    [
      'uuid',
      'varchar',
      'ticket_status',
      'ticket_priority',
      'ticket_source',
      'uuid',
      'int',
      'fault_type',
      'varchar',
      'bool',
      'varchar',
      'int',
      'timestamptz',
      'timestamptz',
      'timestamptz',
      'timestamptz',
      'bool',
    ],
    list.map((t) => {
      const closedAt =
        t.resolved && t.resolved.getTime() + 3_600_000 <= NOW.getTime()
          ? new Date(t.resolved.getTime() + 3_600_000)
          : null;
      return [
        t.id,
        `${t.type} bench`,
        !t.resolved ? 'open' : closedAt ? 'closed' : 'resolved',
        priority(t.type),
        'auto',
        t.device,
        t.ifIndex,
        t.type,
        t.key,
        !t.resolved,
        `team-${t.device.charCodeAt(0) % 4}`,
        t.occurrences,
        t.opened,
        t.resolved,
        closedAt,
        t.anchor,
        t.occurrences >= 3,
      ];
    }),
  );
  const events = list.flatMap((t) => t.events);
  await insertRows(
    ds,
    'ticket_events',
    ['ticket_id', 'at', 'type', 'actor', 'message'],
    ['uuid', 'timestamptz', 'ticket_event_type', 'varchar', 'text'],
    events,
  );
  await insertRows(
    ds,
    'fault_episodes',
    [
      'device_id',
      'fault_type',
      'if_index',
      'fault_key',
      'started_at',
      'ended_at',
      'ticket_id',
      'in_maintenance',
      'start_history_id',
    ],
    ['uuid', 'varchar', 'int', 'varchar', 'timestamptz', 'timestamptz', 'uuid', 'bool', 'bigint'],
    episodes.map((e, i) => [
      e.deviceId,
      e.faultType,
      e.ifIndex,
      `${e.deviceId}:${e.faultType}:${e.ifIndex ?? '-'}`,
      e.startedAt,
      e.endedAt,
      episodeTicket[i],
      false,
      '1',
    ]),
  );
  await ds.query(`INSERT INTO reports_cursor (name, last_history_id) VALUES ('status_history', $1)`, [history.length]);
  await ds.query('VACUUM ANALYZE');
  return {
    devices: DEVICES,
    history: history.length,
    episodes: episodes.length,
    tickets: list.length,
    events: events.length,
  };
}

async function main(): Promise<void> {
  await withBenchDatabase(`nd_bench_reports_${process.pid}`, async (ds) => {
    const started = Date.now();
    const counts = await seedData(ds);
    console.log(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s:`, counts);

    const config = loadConfig({});
    const tickets = new TicketRepository(ds);
    const devices = new DeviceRepository(ds.getRepository(DeviceEntity), ds);
    const windows = new MaintenanceWindowRepository(ds);
    const episodes = new EpisodeRepository(ds, new StatusHistoryRepository(), devices, tickets, tickets, windows);
    const statistics = new TicketStatisticsRepository(ds);
    const service = new ReportsService(new ReportRepository(ds), episodes, statistics, new FakeClock(NOW), config);
    const reports: [string, (q: { from: string; to: string }) => Promise<unknown>][] = [
      ['recurring-faults', (q) => service.recurringFaults(q)],
      ['recurring-faults csv', async (q) => recurringFaultsCsv(await service.recurringFaults(q))],
      ['availability', (q) => service.availability(q)],
      ['availability csv', async (q) => availabilityCsv(await service.availability(q))],
      ['activity', (q) => service.activity(q)],
      ['activity csv', async (q) => activityCsv(await service.activity(q))],
    ];
    const table: Record<string, string | number>[] = [];
    for (const [report, run] of reports) {
      const row: Record<string, string | number> = { report };
      for (const days of [7, 30, 90]) {
        const q = { from: new Date(NOW.getTime() - days * DAY_MS).toISOString(), to: NOW.toISOString() };
        await run(q); // warm
        const times: number[] = [];
        let size = 0;
        for (let i = 0; i < RUNS; i++) {
          const t0 = performance.now();
          const out = await run(q);
          times.push(performance.now() - t0);
          size = Array.isArray(out) ? out.length : typeof out === 'string' ? out.split('\n').length - 2 : 1;
        }
        times.sort((a, b) => a - b);
        row[`${days} d (ms)`] = Math.round(times[Math.floor(RUNS / 2)]);
        row[`${days} d rows`] = size;
      }
      table.push(row);
    }
    console.table(table);

    // the plans of the 90-day queries
    const captured: { sql: string; params: unknown[] }[] = [];
    const query = EntityManager.prototype.query;
    EntityManager.prototype.query = function (this: EntityManager, sql: string, params?: unknown[]) {
      if (/^\s*(WITH|SELECT)/.test(sql)) captured.push({ sql, params: params ?? [] });
      return query.call(this, sql, params);
    } as typeof query;
    const q90 = { from: new Date(NOW.getTime() - 90 * DAY_MS).toISOString(), to: NOW.toISOString() };
    await service.recurringFaults(q90);
    await service.availability(q90);
    await service.activity(q90);
    EntityManager.prototype.query = query;
    for (const { sql, params } of captured.filter((c) => !/maintenance_windows/.test(c.sql))) {
      const plan: { 'QUERY PLAN': string }[] = await ds.transaction(async (m) => {
        await m.query(`SET LOCAL work_mem = '32MB'`);
        return m.query(`EXPLAIN (ANALYZE, COSTS OFF) ${sql}`, params);
      });
      console.log(`\n${sql.replace(/\s+/g, ' ').slice(0, 90)}…\n${plan.map((p) => p['QUERY PLAN']).join('\n')}`);
    }
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
