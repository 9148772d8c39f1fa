import { Resolution, RollupResolution } from './measurement.metrics';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Width of one rollup bucket. Buckets are aligned to UTC (origin 2000-01-01T00:00:00Z, as in SQL `date_bin`). */
export const BUCKET_MS: Record<RollupResolution, number> = { '5m': 5 * MINUTE, '1h': HOUR };

/** The longest window a query may ask for at each resolution (about 3,000-10,000 points at most). */
export const MAX_WINDOW_MS: Record<Resolution, number> = { raw: DAY, '5m': 31 * DAY, '1h': 400 * DAY };

/** Windows up to these lengths get that resolution when the caller does not choose one. */
const AUTO_WINDOW_MS: Record<Resolution, number> = { raw: 6 * HOUR, '5m': 7 * DAY, '1h': 400 * DAY };

export const DEFAULT_WINDOW_MS = HOUR;

/** How late a sample may arrive (after its own timestamp) and still be rolled up. */
export const ROLLUP_LATENESS_MS = 10 * MINUTE;

export interface RetentionSettings {
  rawHours: number;
  fiveMinuteDays: number;
  hourlyDays: number;
}

export function retentionMs(retention: RetentionSettings): Record<Resolution, number> {
  return { raw: retention.rawHours * HOUR, '5m': retention.fiveMinuteDays * DAY, '1h': retention.hourlyDays * DAY };
}

/** Start of the bucket holding `at`. */
export function bucketStart(at: Date, resolution: RollupResolution): Date {
  const width = BUCKET_MS[resolution];
  return new Date(Math.floor(at.getTime() / width) * width);
}

/** The half-open range `[from, to)` of whole buckets to recompute so that every sample from `since` to `now` is covered. */
export function rollupRange(since: Date, now: Date, resolution: RollupResolution): { from: Date; to: Date } {
  const from = bucketStart(since, resolution);
  const to = new Date(bucketStart(now, resolution).getTime() + BUCKET_MS[resolution]);
  return { from, to: to > from ? to : new Date(from.getTime() + BUCKET_MS[resolution]) };
}

/**
 * Where the next rollup run starts: a little before the previous run's watermark (to catch samples
 * that arrived late), or, on the first run, as far back as raw samples are kept.
 */
export function rollupSince(watermark: Date | null, now: Date, rawRetentionMs: number): Date {
  const earliest = now.getTime() - rawRetentionMs;
  if (!watermark) return new Date(earliest);
  return new Date(Math.max(earliest, Math.min(watermark.getTime(), now.getTime()) - ROLLUP_LATENESS_MS));
}

/**
 * The cut-off before which rows of one resolution may be deleted: its retention, but never data the
 * next coarser rollup has not yet consumed (rollups lagging behind must not lose samples).
 */
export function retentionCutoff(now: Date, keepMs: number, consumedUpTo: Date | null): Date {
  const byAge = now.getTime() - keepMs;
  if (!consumedUpTo) return new Date(byAge);
  return new Date(Math.min(byAge, consumedUpTo.getTime() - ROLLUP_LATENESS_MS));
}

export interface WindowRequest {
  from?: string;
  to?: string;
  resolution?: Resolution;
}

export interface ResolvedWindow {
  from: Date;
  to: Date;
  resolution: Resolution;
}

export type WindowResult = { ok: true; window: ResolvedWindow } | { ok: false; problems: string[] };

function describe(ms: number): string {
  return ms % DAY === 0 && ms > DAY ? `${ms / DAY} days` : `${ms / HOUR} h`;
}

/**
 * Resolves a query's window and resolution. Defaults: the last hour; the finest resolution whose
 * usual window covers the request and whose data is still kept for `from`. An explicit resolution
 * is honoured unless the window is too long for it. Problems name the parameter first.
 */
export function resolveWindow(req: WindowRequest, now: Date, retention: RetentionSettings): WindowResult {
  const to = req.to !== undefined ? new Date(req.to) : now;
  const from = req.from !== undefined ? new Date(req.from) : new Date(to.getTime() - DEFAULT_WINDOW_MS);
  if (from.getTime() >= to.getTime()) {
    const which = req.from !== undefined ? 'from' : 'to';
    return { ok: false, problems: [`${which}: from (${from.toISOString()}) must be before to (${to.toISOString()})`] };
  }
  const length = to.getTime() - from.getTime();
  if (req.resolution) {
    const max = MAX_WINDOW_MS[req.resolution];
    if (length > max) {
      return {
        ok: false,
        problems: [
          `from: the window from ${from.toISOString()} to ${to.toISOString()} is longer than ${describe(max)}, ` +
            `the most resolution ${req.resolution} allows; ask for a coarser resolution or a shorter window`,
        ],
      };
    }
    return { ok: true, window: { from, to, resolution: req.resolution } };
  }
  const kept = retentionMs(retention);
  const age = now.getTime() - from.getTime();
  const resolution = (['raw', '5m', '1h'] as const).find((r) => length <= AUTO_WINDOW_MS[r] && age <= kept[r]) ?? '1h';
  if (length > MAX_WINDOW_MS[resolution]) {
    return {
      ok: false,
      problems: [
        `from: the window from ${from.toISOString()} to ${to.toISOString()} is longer than ${describe(MAX_WINDOW_MS['1h'])}, ` +
          'the most any resolution allows',
      ],
    };
  }
  return { ok: true, window: { from, to, resolution } };
}
