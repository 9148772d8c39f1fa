/** A report window `[from, to)`. */
export interface TicketRange {
  from: Date;
  to: Date;
}

export interface RequestActivityRow {
  email: number;
  manual: number;
  linked: number;
  unlinked: number;
  answered: number;
  firstResponseSec: number | null;
  confirmed: number;
  stillBroken: number;
}

export interface ActivityRow {
  dimension: 'total' | 'team' | 'priority' | 'site';
  key: string | null;
  label: string | null;
  opened: number;
  resolved: number;
  escalated: number;
  mttaSec: number | null;
  mttrSec: number | null;
  slaBreaches: number;
}

/** Tickets opened and resolved in one calendar day of a time zone (the day's start, as a date). */
export interface TicketDayRow {
  date: string;
  opened: number;
  resolved: number;
}

/**
 * The ticket figures of the manager reports. The SQL aggregates `tickets` and `ticket_events` (grouped by
 * the device's site) over months in the database: it lives here, with the table owner, and reports asks
 * through this port (docs/decisions.md, "Bounded contexts").
 */
export abstract class TicketStatistics {
  /** People's requests opened in the range: channels, linking, first response, follow-up outcomes. */
  abstract requestActivity(range: TicketRange): Promise<RequestActivityRow>;
  /** Ticket activity in the range, as totals and by team, priority and site. */
  abstract activity(range: TicketRange): Promise<ActivityRow[]>;
  /**
   * Per calendar day of `tz` with any: tickets opened (by `opened_at`) and resolved (the first `resolved`
   * event of a cycle falls in the day), counted as `activity` counts them; with a site, its devices' tickets.
   */
  abstract activityByDay(range: TicketRange, tz: string, siteId: string | null): Promise<TicketDayRow[]>;
}
