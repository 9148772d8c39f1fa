/**
 * Poll lag over a sliding time window, and the poller's health derived from it. Pure: time is passed in.
 *
 * Lag is how late a poll started compared with when it was due. A poller that keeps up has lags far
 * below the poll interval; one that falls behind by a whole interval is skipping polls. Each sample is
 * judged against its own device's interval, as a ratio, so 10 s and 300 s devices can share a window.
 */

export interface LagSample {
  atMs: number;
  lagMs: number;
  intervalMs: number;
}

export interface LagSummary {
  samples: number;
  p95LagMs: number;
  maxLagMs: number;
  /** 95th percentile of lag / interval: above 1 means more than 5% of polls are a whole interval late. */
  p95LagRatio: number;
  maxLagRatio: number;
  /** Samples whose lag exceeded their interval. */
  late: number;
}

/** Nearest-rank percentile (p in 0..100) of a non-empty list; the list is not modified. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of an empty list');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be in [0, 100], got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

export class PollLagWindow {
  private samples: LagSample[] = [];
  private head = 0;

  constructor(
    readonly windowMs = 60_000,
    /** Oldest samples are dropped beyond this, so a huge poller cannot grow the window without bound. */
    readonly maxSamples = 10_000,
  ) {
    if (!(windowMs > 0) || !Number.isInteger(maxSamples) || maxSamples < 1)
      throw new RangeError('windowMs must be > 0 and maxSamples a positive integer');
  }

  /** Records one poll's lag. Negative lags (polled early) count as 0; non-finite values and intervals <= 0 are ignored. */
  add(atMs: number, lagMs: number, intervalMs: number): void {
    if (!Number.isFinite(atMs) || !Number.isFinite(lagMs) || !Number.isFinite(intervalMs) || intervalMs <= 0) return;
    this.samples.push({ atMs, lagMs: Math.max(0, lagMs), intervalMs });
    if (this.samples.length - this.head > this.maxSamples) this.head = this.samples.length - this.maxSamples;
    this.compact();
  }

  /** Summary of the samples of the last `windowMs` before `nowMs`; null when there are none. */
  summarize(nowMs: number): LagSummary | null {
    const cutoff = nowMs - this.windowMs;
    while (this.head < this.samples.length && this.samples[this.head].atMs < cutoff) this.head++;
    this.compact();
    const recent = this.samples.slice(this.head).filter((s) => s.atMs >= cutoff);
    if (recent.length === 0) return null;
    const lags = recent.map((s) => s.lagMs);
    const ratios = recent.map((s) => s.lagMs / s.intervalMs);
    return {
      samples: recent.length,
      p95LagMs: percentile(lags, 95),
      maxLagMs: Math.max(...lags),
      p95LagRatio: round3(percentile(ratios, 95)),
      maxLagRatio: round3(Math.max(...ratios)),
      late: ratios.filter((r) => r > 1).length,
    };
  }

  get size(): number {
    return this.samples.length - this.head;
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.samples.length) {
      this.samples = this.samples.slice(this.head);
      this.head = 0;
    }
  }
}

export interface PollerHealthInput {
  /** NETDESK_POLLER: whether this process runs the poller. */
  enabled: boolean;
  windowMs: number;
  summary: LagSummary | null;
}

export interface PollerHealth {
  status: 'ok' | 'degraded';
  note?: string;
  windowSec: number;
  samples: number;
  p95LagMs?: number;
  maxLagMs?: number;
  p95LagRatio?: number;
  late?: number;
}

/**
 * `degraded` when the p95 of lag/interval over the window exceeds 1 (polls are running a whole
 * interval late), `ok` otherwise; `ok` with a note when there is nothing to judge (poller disabled
 * in this process, or no polls in the window).
 */
export function evaluatePollerHealth({ enabled, windowMs, summary }: PollerHealthInput): PollerHealth {
  const windowSec = Math.round(windowMs / 1000);
  if (!summary) {
    return {
      status: 'ok',
      note: enabled ? `idle: no polls in the last ${windowSec} s` : 'poller disabled in this process (NETDESK_POLLER)',
      windowSec,
      samples: 0,
    };
  }
  const late = summary.p95LagRatio > 1;
  return {
    status: late ? 'degraded' : 'ok',
    ...(late
      ? { note: `p95 poll lag is ${summary.p95LagRatio}x the poll interval: the poller is falling behind` }
      : {}),
    windowSec,
    samples: summary.samples,
    p95LagMs: Math.round(summary.p95LagMs),
    maxLagMs: Math.round(summary.maxLagMs),
    p95LagRatio: summary.p95LagRatio,
    late: summary.late,
  };
}

const round3 = (n: number): number => Math.round(n * 1000) / 1000;
