import type { FieldError } from './field-error';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A single planned period, in absolute time. */
export interface OneOffWindow {
  startsAt: Date;
  endsAt: Date;
}

/**
 * A window every week, starting on each of `days` at local time `start` in `timezone` and lasting
 * `durationMinutes` of elapsed time (so it may run past midnight into the next day). Decisions for DST:
 * a start time that does not exist on the day (clocks jump over it) begins when the clocks have jumped,
 * as much later as the jump (02:30 → 03:30 in Berlin); a start time that occurs twice begins at the first.
 */
export interface WeeklyWindow {
  days: Weekday[];
  /** HH:MM, 24-hour. */
  start: string;
  durationMinutes: number;
  /** IANA time zone, e.g. `Europe/Berlin`. */
  timezone: string;
}

export type MaintenanceWindow = OneOffWindow | WeeklyWindow;

/** A window as `maintenance_windows` stores it: weekly when `weekly` is set, else one-off. */
export interface MaintenanceWindowRecord {
  startsAt: Date | null;
  endsAt: Date | null;
  weekly: WeeklyWindow | null;
}

/** The one conversion from a stored window to the rule's window, for ticketing and reports alike. */
export function toMaintenanceWindow(w: MaintenanceWindowRecord): MaintenanceWindow {
  if (w.weekly) return w.weekly;
  if (!w.startsAt || !w.endsAt) throw new RangeError('a one-off maintenance window needs startsAt and endsAt');
  return { startsAt: w.startsAt, endsAt: w.endsAt };
}

export const MAINTENANCE_LIMITS = { oneOffDays: 31, durationMinutes: 7 * 24 * 60 };
const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

export function validateMaintenanceWindow(window: MaintenanceWindow): FieldError[] {
  const errors: FieldError[] = [];
  const fail = (field: string, problem: string) => errors.push({ field, message: `${field} ${problem}` });

  if (isOneOff(window)) {
    const starts = window.startsAt.getTime();
    const ends = window.endsAt.getTime();
    if (Number.isNaN(starts)) fail('startsAt', 'must be a valid date');
    if (Number.isNaN(ends)) fail('endsAt', 'must be a valid date');
    else if (ends <= starts) fail('endsAt', 'must be after startsAt');
    else if (ends - starts > MAINTENANCE_LIMITS.oneOffDays * DAY_MS) {
      fail('endsAt', `must be at most ${MAINTENANCE_LIMITS.oneOffDays} days after startsAt`);
    }
    return errors;
  }

  if (window.days.length === 0) fail('days', 'must name at least one day');
  if (window.days.some((d) => !WEEKDAYS.includes(d))) fail('days', `must each be one of ${WEEKDAYS.join(', ')}`);
  if (new Set(window.days).size !== window.days.length) fail('days', 'must not repeat a day');
  if (!HH_MM.test(window.start)) fail('start', 'must be a time as HH:MM (00:00 to 23:59)');
  const { durationMinutes } = window;
  if (
    !Number.isInteger(durationMinutes) ||
    durationMinutes < 1 ||
    durationMinutes > MAINTENANCE_LIMITS.durationMinutes
  ) {
    fail('durationMinutes', `must be an integer from 1 to ${MAINTENANCE_LIMITS.durationMinutes}`);
  }
  if (!isTimeZone(window.timezone)) fail('timezone', 'must be an IANA time zone such as Europe/Berlin');
  return errors;
}

/** True from the window's start (included) to its end (excluded). */
export function isInMaintenance(window: MaintenanceWindow, at: Date): boolean {
  return maintenanceEndAt(window, at) !== null;
}

/** When the occurrence of `window` covering `at` ends, or null when none covers it. */
export function maintenanceEndAt(window: MaintenanceWindow, at: Date): Date | null {
  const t = at.getTime();
  if (isOneOff(window)) return window.startsAt.getTime() <= t && t < window.endsAt.getTime() ? window.endsAt : null;

  const [hours, minutes] = window.start.split(':').map(Number);
  const today = wallClock(t, window.timezone);
  let end: number | null = null;
  // An occurrence covering `at` started less than its duration before it: look back that many local
  // days, and one more for a start pushed across midnight by the time zone's offset.
  for (let back = 0; back <= Math.ceil(window.durationMinutes / (24 * 60)) + 1; back++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day - back, hours, minutes));
    if (!window.days.includes(WEEKDAYS[date.getUTCDay()])) continue;
    const startsAt = instantOf(date.getTime(), window.timezone);
    const endsAt = startsAt + window.durationMinutes * MINUTE_MS;
    if (startsAt <= t && t < endsAt) end = Math.max(end ?? 0, endsAt);
  }
  return end === null ? null : new Date(end);
}

/**
 * When maintenance ends for something covered by `windows` at `at` (the latest end among the windows in
 * force, so overlapping windows read as one), or null when none is in force.
 */
export function maintenanceUntil(windows: readonly MaintenanceWindow[], at: Date): Date | null {
  let until: Date | null = null;
  for (const w of windows) {
    const end = maintenanceEndAt(w, at);
    if (end && (!until || end > until)) until = end;
  }
  return until;
}

/** The first of `windows` (a device's and its site's) in force at `at`, or null. */
export function activeWindowAt<W extends MaintenanceWindow>(windows: readonly W[], at: Date): W | null {
  return windows.find((w) => isInMaintenance(w, at)) ?? null;
}

function isOneOff(window: MaintenanceWindow): window is OneOffWindow {
  return 'startsAt' in window;
}

function isTimeZone(timezone: string): boolean {
  try {
    formatter(timezone);
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timezone, f);
  }
  return f;
}

/** The local calendar date and time at instant `t` in `timezone`. */
function wallClock(t: number, timezone: string) {
  const parts = Object.fromEntries(
    formatter(timezone)
      .formatToParts(t)
      .filter((p) => p.type !== 'literal')
      .map((p) => [p.type, Number(p.value)]),
  );
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    /** The same wall time written as if it were UTC, for offset arithmetic. */
    asUtc: Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second),
  };
}

/** Offset of `timezone` from UTC at instant `t`, in ms. */
function offsetAt(t: number, timezone: string): number {
  const whole = Math.floor(t / 1000) * 1000;
  return wallClock(whole, timezone).asUtc - whole;
}

/**
 * The instant a wall time (given as if UTC) happens in `timezone`. Tries the offsets in force a day before
 * and a day after; a wall time matching both happens twice (take the earlier), one matching neither falls
 * in a gap (use the offset from before the jump, which lands as much later as the jump).
 */
function instantOf(wallAsUtc: number, timezone: string): number {
  const before = offsetAt(wallAsUtc - DAY_MS, timezone);
  const after = offsetAt(wallAsUtc + DAY_MS, timezone);
  const matching = [wallAsUtc - before, wallAsUtc - after].filter((t) => offsetAt(t, timezone) === wallAsUtc - t);
  return matching.length > 0 ? Math.min(...matching) : wallAsUtc - before;
}
