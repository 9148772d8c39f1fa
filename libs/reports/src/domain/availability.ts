/** Availability maths: clipping outages to a window, maintenance overlap, the percentage. Pure. */

export interface Interval {
  start: Date;
  /** null: still going on. */
  end: Date | null;
}

const MINUTE_MS = 60_000;

/** Milliseconds of `[start, end ?? now)` inside `[from, to)`. */
export function clippedMs(interval: Interval, from: Date, to: Date, now: Date): number {
  const start = Math.max(interval.start.getTime(), from.getTime());
  const end = Math.min((interval.end ?? now).getTime(), to.getTime());
  return Math.max(0, end - start);
}

/** 100 × (1 − down / window), rounded to 3 decimals; a zero-length window is 100 %. */
export function availabilityPct(downMs: number, windowMs: number): number {
  if (windowMs <= 0) return 100;
  const pct = 100 * (1 - Math.min(downMs, windowMs) / windowMs);
  return Math.round(pct * 1000) / 1000;
}

/** Whole seconds, rounded half up: what the reports show. */
export function seconds(ms: number): number {
  return Math.round(ms / 1000);
}

/**
 * Milliseconds of `[start, end)` during which `inMaintenance` holds. Weekly windows start at whole local
 * minutes and last whole minutes, and every time zone in use is a whole number of minutes from UTC, so
 * the answer cannot change inside a UTC minute: the span is cut at minute boundaries and at the given
 * extra `edges` (one-off windows' exact ends), and each piece is judged by its first instant. Exact, at
 * a cost linear in the span's minutes; `maxMinutes` bounds that cost (longer spans are judged hourly).
 */
export function maintenanceOverlapMs(
  start: Date,
  end: Date,
  inMaintenance: (at: Date) => boolean,
  edges: readonly Date[] = [],
  maxMinutes = 50_000,
): number {
  const s = start.getTime();
  const e = end.getTime();
  if (e <= s) return 0;
  const step = (e - s) / MINUTE_MS > maxMinutes ? 60 * MINUTE_MS : MINUTE_MS;
  const cuts = new Set<number>([s, e]);
  for (let t = Math.ceil(s / step) * step; t < e; t += step) cuts.add(t);
  for (const edge of edges) if (edge.getTime() > s && edge.getTime() < e) cuts.add(edge.getTime());
  const points = [...cuts].sort((a, b) => a - b);
  let total = 0;
  for (let i = 0; i < points.length - 1; i++)
    if (inMaintenance(new Date(points[i]))) total += points[i + 1] - points[i];
  return total;
}
