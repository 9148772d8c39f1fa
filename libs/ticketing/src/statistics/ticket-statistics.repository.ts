import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ActivityRow, RequestActivityRow, TicketDayRow, TicketRange, TicketStatistics } from './ticket-statistics.port';

/** The report queries over tickets. Each is one statement over indexed ranges (plans in docs/benchmarks.md). */
@Injectable()
export class TicketStatisticsRepository implements TicketStatistics {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Report queries sort and hash a window's worth of rows: give them memory enough not to spill to disk. */
  private query<T = Record<string, unknown>[]>(sql: string, params: unknown[]): Promise<T> {
    return this.dataSource.transaction(async (m) => {
      await m.query(`SET LOCAL work_mem = '32MB'`);
      return m.query(sql, params);
    });
  }

  /**
   * People's requests opened in the range: by channel (email, manual), linked to an incident or not, the
   * mean time from opening to the first agent reply by email, and how follow-ups after a resolution went
   * (from the `followUp` the mailbox records on the timeline: `confirmed` or `still_broken`).
   */
  async requestActivity(r: TicketRange): Promise<RequestActivityRow> {
    const [row] = await this.query<RequestActivityRow[]>(
      `WITH req AS (
         SELECT t.id, t.source, t.opened_at, t.parent_ticket_id IS NOT NULL
                  OR EXISTS (SELECT 1 FROM ticket_events l WHERE l.ticket_id = t.id AND l.type = 'linked') AS linked
           FROM tickets t
          WHERE t.source IN ('email', 'manual') AND t.opened_at >= $1 AND t.opened_at < $2),
       first_reply AS (
         SELECT req.id, min(e.at) - req.opened_at AS wait
           FROM req JOIN ticket_events e ON e.ticket_id = req.id
          WHERE e.type = 'email_sent' AND e.data->>'kind' = 'agent_reply'
          GROUP BY req.id, req.opened_at),
       follow AS (
         SELECT e.data->>'followUp' AS outcome, count(*)::int AS n
           FROM ticket_events e
          WHERE e.at >= $1 AND e.at < $2 AND e.data ? 'followUp' AND e.ticket_id IN (SELECT id FROM req)
          GROUP BY 1)
       SELECT count(*) FILTER (WHERE source = 'email')::int AS email,
              count(*) FILTER (WHERE source = 'manual')::int AS manual,
              count(*) FILTER (WHERE linked)::int AS linked,
              count(*) FILTER (WHERE NOT linked)::int AS unlinked,
              (SELECT count(*)::int FROM first_reply) AS answered,
              (SELECT extract(epoch FROM avg(wait))::float FROM first_reply) AS "firstResponseSec",
              coalesce((SELECT n FROM follow WHERE outcome = 'confirmed'), 0) AS confirmed,
              coalesce((SELECT n FROM follow WHERE outcome = 'still_broken'), 0) AS "stillBroken"
         FROM req`,
      [r.from, r.to],
    );
    return row;
  }

  /**
   * Ticket activity in the range, as totals and by team, priority and site (GROUPING SETS): opened (by
   * `opened_at`), resolved (tickets with a `resolved` event in the range), escalated (tickets with an
   * `escalated` event), SLA breaches (`sla_breached` events). Mean times come from the timeline, not from
   * the ticket's current columns (a reopen clears those): each (re)opening starts a cycle, and the first
   * `acknowledged` and the first `resolved` event of a cycle that fall in the range count, measured from the
   * cycle's start. So an acknowledgement stays counted when its ticket reopens later.
   */
  async activity(r: TicketRange): Promise<ActivityRow[]> {
    const rows = await this.query(
      `WITH ev AS (
         SELECT ticket_id, bool_or(type = 'escalated') AS escalated,
                count(*) FILTER (WHERE type = 'sla_breached')::int AS breaches
           FROM ticket_events WHERE at >= $1 AND at < $2 AND type IN ('escalated', 'sla_breached')
          GROUP BY ticket_id),
       cyc AS (
         SELECT e.ticket_id, e.type, e.at,
                max(e.at) FILTER (WHERE e.type IN ('opened', 'reopened'))
                  OVER (PARTITION BY e.ticket_id ORDER BY e.id) AS cycle_at
           FROM ticket_events e
          WHERE e.type IN ('opened', 'reopened', 'acknowledged', 'resolved')
            AND e.ticket_id IN (SELECT ticket_id FROM ticket_events
                                 WHERE at >= $1 AND at < $2 AND type IN ('acknowledged', 'resolved'))),
       firsts AS (
         SELECT ticket_id, type, min(at) AS at, cycle_at FROM cyc
          WHERE type IN ('acknowledged', 'resolved') AND cycle_at IS NOT NULL
          GROUP BY ticket_id, type, cycle_at),
       times AS (
         SELECT ticket_id,
                sum(extract(epoch FROM at - cycle_at)) FILTER (WHERE type = 'acknowledged') AS tta_sum,
                count(*) FILTER (WHERE type = 'acknowledged') AS tta_n,
                sum(extract(epoch FROM at - cycle_at)) FILTER (WHERE type = 'resolved') AS ttr_sum,
                count(*) FILTER (WHERE type = 'resolved') AS ttr_n
           FROM firsts WHERE at >= $1 AND at < $2
          GROUP BY ticket_id),
       t AS (
         SELECT t.team, t.priority::text AS priority, d.site_id, s.name AS site_name,
                (t.opened_at >= $1 AND t.opened_at < $2) AS opened,
                coalesce(times.ttr_n, 0) > 0 AS resolved,
                coalesce(times.tta_sum, 0) AS tta_sum, coalesce(times.tta_n, 0) AS tta_n,
                coalesce(times.ttr_sum, 0) AS ttr_sum, coalesce(times.ttr_n, 0) AS ttr_n,
                coalesce(ev.escalated, false) AS escalated, coalesce(ev.breaches, 0) AS breaches
           FROM tickets t
           LEFT JOIN ev ON ev.ticket_id = t.id
           LEFT JOIN times ON times.ticket_id = t.id
           LEFT JOIN devices d ON d.id = t.device_id
           LEFT JOIN sites s ON s.id = d.site_id
          WHERE (t.opened_at >= $1 AND t.opened_at < $2) OR times.ticket_id IS NOT NULL OR ev.ticket_id IS NOT NULL)
       SELECT CASE WHEN GROUPING(team) = 0 THEN 'team' WHEN GROUPING(priority) = 0 THEN 'priority'
                   WHEN GROUPING(site_id) = 0 THEN 'site' ELSE 'total' END AS dimension,
              team, priority, site_id, site_name,
              count(*) FILTER (WHERE opened)::int AS opened, count(*) FILTER (WHERE resolved)::int AS resolved,
              count(*) FILTER (WHERE escalated)::int AS escalated,
              (sum(tta_sum) / nullif(sum(tta_n), 0))::float8 AS mtta,
              (sum(ttr_sum) / nullif(sum(ttr_n), 0))::float8 AS mttr,
              sum(breaches)::int AS breaches
         FROM t GROUP BY GROUPING SETS ((), (team), (priority), (site_id, site_name))`,
      [r.from, r.to],
    );
    return rows.map((x: Record<string, unknown>) => {
      const dimension = x.dimension as ActivityRow['dimension'];
      const key =
        dimension === 'team'
          ? (x.team as string | null)
          : dimension === 'priority'
            ? (x.priority as string)
            : dimension === 'site'
              ? (x.site_id as string | null)
              : null;
      return {
        dimension,
        key,
        label: dimension === 'site' ? (x.site_name as string | null) : key,
        opened: x.opened as number,
        resolved: x.resolved as number,
        escalated: x.escalated as number,
        mttaSec: x.mtta == null ? null : Number(x.mtta),
        mttrSec: x.mttr == null ? null : Number(x.mttr),
        slaBreaches: (x.breaches as number) ?? 0,
      };
    });
  }

  async activityByDay(r: TicketRange, tz: string, siteId: string | null): Promise<TicketDayRow[]> {
    return this.query<TicketDayRow[]>(
      `WITH opened AS (
         SELECT (t.opened_at AT TIME ZONE $4)::date AS day, count(*)::int AS n
           FROM tickets t LEFT JOIN devices d ON d.id = t.device_id
          WHERE t.opened_at >= $1 AND t.opened_at < $2 AND ($3::uuid IS NULL OR d.site_id = $3)
          GROUP BY 1),
       cyc AS (
         SELECT e.ticket_id, e.type, e.at,
                max(e.at) FILTER (WHERE e.type IN ('opened', 'reopened'))
                  OVER (PARTITION BY e.ticket_id ORDER BY e.id) AS cycle_at
           FROM ticket_events e
          WHERE e.type IN ('opened', 'reopened', 'resolved')
            AND e.ticket_id IN (SELECT ticket_id FROM ticket_events WHERE at >= $1 AND at < $2 AND type = 'resolved')),
       firsts AS (
         SELECT ticket_id, min(at) AS at FROM cyc
          WHERE type = 'resolved' AND cycle_at IS NOT NULL
          GROUP BY ticket_id, cycle_at),
       resolved AS (
         SELECT (f.at AT TIME ZONE $4)::date AS day, count(DISTINCT f.ticket_id)::int AS n
           FROM firsts f JOIN tickets t ON t.id = f.ticket_id LEFT JOIN devices d ON d.id = t.device_id
          WHERE f.at >= $1 AND f.at < $2 AND ($3::uuid IS NULL OR d.site_id = $3)
          GROUP BY 1)
       SELECT to_char(day, 'YYYY-MM-DD') AS date, coalesce(opened.n, 0) AS opened, coalesce(resolved.n, 0) AS resolved
         FROM opened FULL JOIN resolved USING (day)`,
      [r.from, r.to, siteId, tz],
    );
  }
}
