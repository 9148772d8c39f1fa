import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '@netdesk/core';

/** `[from, to)` and the instant open episodes are counted up to (`min(now, to)`). */
export interface ReportRange {
  from: Date;
  to: Date;
  now: Date;
}

export interface RecurringFaultRow {
  deviceId: string;
  deviceName: string;
  faultType: string;
  ifIndex: number | null;
  occurrences: number;
  firstAt: Date;
  lastAt: Date;
  downtimeMs: number;
  ticketIds: string[];
}

export interface AvailabilityRow {
  deviceId: string;
  deviceName: string;
  siteId: string | null;
  siteName: string | null;
  downMs: number;
  outages: number;
}

export interface OutageDayRow {
  date: string;
  from: Date;
  to: Date;
  outagesStarted: number;
}

export interface OffenderRow {
  deviceId: string;
  deviceName: string;
  episodes: number;
  tickets: number;
  downtimeMs: number;
}

/** An episode overlapping `[$1, min($2, $3))`. */
const OVERLAPS = `e.started_at < $2 AND e.started_at < $3 AND (e.ended_at > $1 OR e.ended_at IS NULL)`;

/** Milliseconds of an episode inside the range; open episodes count up to `$3`. */
const CLIPPED = `greatest(0, extract(epoch FROM least(coalesce(e.ended_at, $3), $2) - greatest(e.started_at, $1)) * 1000)`;

/** The report queries. Each is one statement over indexed ranges (plans in docs/benchmarks.md). */
@Injectable()
export class ReportRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Report queries sort and hash a window's worth of rows: give them memory enough not to spill to disk. */
  private query<T = Record<string, unknown>[]>(sql: string, params: unknown[]): Promise<T> {
    return this.dataSource.transaction(async (m) => {
      await m.query(`SET LOCAL work_mem = '32MB'`);
      return m.query(sql, params);
    });
  }

  /**
   * Faults (device, type, interface) with at least `min` episodes started in the range, maintenance left out.
   * One hash-or-sort aggregate per fault (episodes of one fault nearly always have distinct tickets, so a
   * per-ticket level first only doubled the work); the ticket ids of the kept faults are deduplicated and
   * sorted per fault, and come back as one space-separated string (cheaper to split than a text[] to parse).
   */
  async recurringFaults(r: ReportRange, min: number): Promise<RecurringFaultRow[]> {
    const rows = await this.query<Record<string, unknown>[]>(
      `WITH f AS (
         SELECT e.device_id, e.fault_type, e.if_index, count(*)::int AS occurrences,
                min(e.started_at) AS first_at, max(e.started_at) AS last_at, sum(${CLIPPED})::float8 AS down_ms,
                array_agg(e.ticket_id) FILTER (WHERE e.ticket_id IS NOT NULL) AS tickets
           FROM fault_episodes e
          WHERE e.started_at >= $1 AND e.started_at < $2 AND NOT e.in_maintenance
          GROUP BY e.device_id, e.fault_type, e.if_index
         HAVING count(*) >= $4)
       SELECT f.device_id, d.name, f.fault_type, f.if_index, f.occurrences, f.first_at, f.last_at, f.down_ms,
              array_to_string(ARRAY(SELECT DISTINCT t FROM unnest(f.tickets) t ORDER BY t), ' ') AS ticket_ids
         FROM f JOIN devices d ON d.id = f.device_id
        ORDER BY f.occurrences DESC, d.name, f.fault_type, f.if_index NULLS FIRST`,
      [r.from, r.to, r.now, min],
    );
    const out: RecurringFaultRow[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const x = rows[i];
      const tickets = x.ticket_ids as string;
      out[i] = {
        deviceId: x.device_id as string,
        deviceName: x.name as string,
        faultType: x.fault_type as string,
        ifIndex: x.if_index as number | null,
        occurrences: x.occurrences as number,
        firstAt: x.first_at as Date,
        lastAt: x.last_at as Date,
        downtimeMs: Number(x.down_ms),
        ticketIds: tickets ? tickets.split(' ') : [],
      };
    }
    return out;
  }

  /**
   * Every device with its device_down time and `device_down` episodes overlapping the range (maintenance
   * not yet taken off: the service removes the time, and the episodes wholly inside maintenance).
   */
  async availability(r: ReportRange): Promise<AvailabilityRow[]> {
    const rows = await this.query(
      `WITH down AS (
         SELECT e.device_id, count(*)::int AS outages, sum(${CLIPPED})::float8 AS down_ms
           FROM fault_episodes e
          WHERE e.fault_type = 'device_down' AND ${OVERLAPS}
          GROUP BY e.device_id)
       SELECT d.id, d.name, d.site_id, s.name AS site_name, coalesce(down.outages, 0) AS outages,
              coalesce(down.down_ms, 0) AS down_ms
         FROM devices d LEFT JOIN down ON down.device_id = d.id LEFT JOIN sites s ON s.id = d.site_id`,
      [r.from, r.to, r.now],
    );
    return rows.map((x: Record<string, unknown>) => ({
      deviceId: x.id as string,
      deviceName: x.name as string,
      siteId: x.site_id as string | null,
      siteName: x.site_name as string | null,
      outages: x.outages as number,
      downMs: Number(x.down_ms),
    }));
  }

  /** device_down episodes of some devices overlapping the range (to take maintenance off). */
  async downEpisodes(
    r: ReportRange,
    deviceIds: string[],
  ): Promise<{ deviceId: string; startedAt: Date; endedAt: Date | null }[]> {
    if (!deviceIds.length) return [];
    const rows = await this.query(
      `SELECT device_id, started_at, ended_at FROM fault_episodes
        WHERE fault_type = 'device_down' AND device_id = ANY($4::uuid[]) AND started_at < $2 AND started_at < $3
          AND (ended_at > $1 OR ended_at IS NULL)`,
      [r.from, r.to, r.now, deviceIds],
    );
    return rows.map((x: Record<string, unknown>) => ({
      deviceId: x.device_id as string,
      startedAt: x.started_at as Date,
      endedAt: x.ended_at as Date | null,
    }));
  }

  /**
   * One row per calendar day of `tz` that overlaps the range (its bounds clipped to the range) with the
   * `device_down` episodes started that day (maintenance included); with a site, only that site's devices.
   * The activity series adds ticketing's per-day ticket counts to it.
   */
  async outagesByDay(r: ReportRange, tz: string, siteId: string | null): Promise<OutageDayRow[]> {
    const rows = await this.query(
      `WITH days AS (
         SELECT d::date AS day, d AT TIME ZONE $4 AS day_start, (d + interval '1 day') AT TIME ZONE $4 AS day_end
           FROM generate_series(date_trunc('day', $1::timestamptz AT TIME ZONE $4), $2::timestamptz AT TIME ZONE $4,
                                interval '1 day') d
          WHERE d AT TIME ZONE $4 < $2),
       outages AS (
         SELECT (e.started_at AT TIME ZONE $4)::date AS day, count(*)::int AS n
           FROM fault_episodes e JOIN devices d ON d.id = e.device_id
          WHERE e.fault_type = 'device_down' AND e.started_at >= $1 AND e.started_at < $2
            AND ($3::uuid IS NULL OR d.site_id = $3)
          GROUP BY 1)
       SELECT to_char(days.day, 'YYYY-MM-DD') AS date, greatest(days.day_start, $1) AS from_at,
              least(days.day_end, $2) AS to_at, coalesce(outages.n, 0) AS outages
         FROM days LEFT JOIN outages USING (day)
        ORDER BY days.day`,
      [r.from, r.to, siteId, tz],
    ).catch((e: { code?: string }) => {
      // a zone Node knows but this PostgreSQL's zone data does not (invalid_parameter_value)
      throw e.code === '22023' ? new DomainError('invalid', ['tz must be a time zone the database knows']) : e;
    });
    return rows.map((x: Record<string, unknown>) => ({
      date: x.date as string,
      from: x.from_at as Date,
      to: x.to_at as Date,
      outagesStarted: x.outages as number,
    }));
  }

  /**
   * Per device with any: episodes of the other fault types than `device_down` overlapping the range (the
   * same overlap rule as outages; maintenance left out) and the distinct tickets of all its episodes. The
   * service adds the outages from `availability`, so both reports count a device's outages the same way.
   */
  async episodeCounts(r: ReportRange): Promise<OffenderRow[]> {
    const rows = await this.query(
      `SELECT e.device_id, d.name, count(*) FILTER (WHERE e.fault_type <> 'device_down')::int AS episodes,
              count(DISTINCT e.ticket_id)::int AS tickets,
              sum(${CLIPPED})::float8 AS down_ms
         FROM fault_episodes e JOIN devices d ON d.id = e.device_id
        WHERE ${OVERLAPS} AND NOT e.in_maintenance
        GROUP BY e.device_id, d.name`,
      [r.from, r.to, r.now],
    );
    return rows.map((x: Record<string, unknown>) => ({
      deviceId: x.device_id as string,
      deviceName: x.name as string,
      episodes: x.episodes as number,
      tickets: x.tickets as number,
      downtimeMs: Number(x.down_ms),
    }));
  }
}
