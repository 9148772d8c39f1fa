/** Spacing of the fast re-probes that confirm a failure or a recovery. */
export const DEFAULT_RECHECK_SPACING_MS = 1000;

export interface PlannedPoll {
  at: Date;
  kind: 'scheduled' | 'recheck';
}

/**
 * A stable offset of the device's polls within its interval (FNV-1a hash of the id), so that devices
 * sharing an interval are spread over it instead of all firing at its start, and keep their slot across restarts.
 */
export function pollOffsetMs(deviceId: string, intervalSec: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < deviceId.length; i++) {
    hash = Math.imul(hash ^ deviceId.charCodeAt(i), 0x01000193) >>> 0;
  }
  return hash % toIntervalMs(intervalSec);
}

/** The device's first slot at or after `now`; slots sit at its offset plus whole intervals since the epoch. */
export function firstDueAt(deviceId: string, intervalSec: number, now: Date): Date {
  const intervalMs = toIntervalMs(intervalSec);
  const wait = (((pollOffsetMs(deviceId, intervalSec) - now.getTime()) % intervalMs) + intervalMs) % intervalMs;
  return new Date(now.getTime() + wait);
}

/**
 * The slot after `lastDueAt`, counted from the slot rather than from when the poll ran, so late polls do not
 * push the schedule back. Slots already in the past are skipped, never run back to back to catch up.
 */
export function nextDueAt(lastDueAt: Date, intervalSec: number, now: Date): Date {
  const intervalMs = toIntervalMs(intervalSec);
  const slots = Math.max(1, Math.ceil((now.getTime() - lastDueAt.getTime()) / intervalMs));
  return new Date(lastDueAt.getTime() + slots * intervalMs);
}

/** While a failure or recovery awaits confirmation, re-probe soon, without moving the regular schedule. */
export function planNextPoll(input: {
  lastDueAt: Date;
  intervalSec: number;
  now: Date;
  needsRecheck: boolean;
  recheckSpacingMs?: number;
}): PlannedPoll {
  const scheduled = nextDueAt(input.lastDueAt, input.intervalSec, input.now);
  const recheck = input.now.getTime() + (input.recheckSpacingMs ?? DEFAULT_RECHECK_SPACING_MS);
  return input.needsRecheck && recheck < scheduled.getTime()
    ? { at: new Date(recheck), kind: 'recheck' }
    : { at: scheduled, kind: 'scheduled' };
}

/** How late a poll started relative to its slot, for the poller's self-monitoring. */
export function pollLagMs(dueAt: Date, startedAt: Date): number {
  return Math.max(0, startedAt.getTime() - dueAt.getTime());
}

function toIntervalMs(intervalSec: number): number {
  if (!(intervalSec > 0)) throw new RangeError(`poll interval must be positive, got ${intervalSec} s`);
  return Math.round(intervalSec * 1000);
}
