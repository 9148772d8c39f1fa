/** The `from`/`to` window every report takes. Pure: the service turns the errors into a 400. */

export const REPORT_LIMITS = { defaultDays: 7, maxDays: 400 };
const DAY_MS = 86_400_000;

export type ReportWindowResult = { ok: true; from: Date; to: Date } | { ok: false; errors: string[] };

/**
 * Defaults: `to` = now, `from` = `to` − 7 days. Errors name the parameter: an unparsable date, `to` not
 * after `from`, or a window longer than 400 days. A window may reach into the future; reports count time
 * only up to now.
 */
export function resolveReportWindow(query: { from?: string; to?: string }, now: Date): ReportWindowResult {
  const errors: string[] = [];
  const parse = (name: 'from' | 'to', text: string | undefined): Date | undefined => {
    if (text === undefined) return undefined;
    const date = new Date(text);
    if (Number.isNaN(date.getTime())) errors.push(`${name} must be an ISO-8601 date-time`);
    return date;
  };
  const from = parse('from', query.from);
  const to = parse('to', query.to);
  if (errors.length) return { ok: false, errors };
  const end = to ?? (from && from > now ? new Date(from.getTime() + REPORT_LIMITS.defaultDays * DAY_MS) : now);
  const start = from ?? new Date(end.getTime() - REPORT_LIMITS.defaultDays * DAY_MS);
  if (end <= start) return { ok: false, errors: ['to must be after from'] };
  if (end.getTime() - start.getTime() > REPORT_LIMITS.maxDays * DAY_MS)
    return { ok: false, errors: [`to must be at most ${REPORT_LIMITS.maxDays} days after from`] };
  return { ok: true, from: start, to: end };
}
