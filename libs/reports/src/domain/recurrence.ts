/** Recurring faults and cross-device patterns: pure decisions over episode start times. */

export interface RecurrenceRule {
  /** Occurrences (or devices, for a pattern) needed within the window. */
  min: number;
  windowDays: number;
}

const DAY_MS = 86_400_000;

/** The window that ends at `at` (included) and reaches back `windowDays` (excluded): `(at - window, at]`. */
export function recurrenceWindow(at: Date, rule: RecurrenceRule): { after: Date; until: Date } {
  return { after: new Date(at.getTime() - rule.windowDays * DAY_MS), until: at };
}

export function inWindow(startedAt: Date, at: Date, rule: RecurrenceRule): boolean {
  const { after, until } = recurrenceWindow(at, rule);
  return startedAt.getTime() > after.getTime() && startedAt.getTime() <= until.getTime();
}

/**
 * Whether the fault whose latest occurrence started at `at` is recurring: at least `min` occurrences of
 * it (this one included) started in the window ending at `at`. Episodes inside maintenance are planned
 * work and must be left out by the caller.
 */
export function isRecurring(startTimes: readonly Date[], at: Date, rule: RecurrenceRule): boolean {
  return startTimes.filter((t) => inWindow(t, at, rule)).length >= rule.min;
}

/** A pattern across devices: the same fault type on at least `min` distinct devices of one group in the window. */
export function isPattern(
  occurrences: readonly { deviceId: string; startedAt: Date }[],
  at: Date,
  rule: RecurrenceRule,
): boolean {
  const devices = new Set(occurrences.filter((o) => inWindow(o.startedAt, at, rule)).map((o) => o.deviceId));
  return devices.size >= rule.min;
}

/** Counts occurrences per key in [from, to) and keeps the keys with at least `min`: the report's rule. */
export function recurringKeys<T extends { key: string; startedAt: Date }>(
  episodes: readonly T[],
  from: Date,
  to: Date,
  min: number,
): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const e of episodes) {
    if (e.startedAt < from || e.startedAt >= to) continue;
    groups.set(e.key, [...(groups.get(e.key) ?? []), e]);
  }
  return new Map([...groups].filter(([, list]) => list.length >= min));
}
