/**
 * A sliding-window limit per key (a ticket): at most `limit` acquisitions in any `windowMs`. Time is
 * passed in, so the rules are tested without waiting. Memory stays bounded: keys whose window has
 * emptied are swept once per window, and each key holds at most `limit` timestamps.
 */
export class SlidingWindowRateLimiter {
  private readonly hits = new Map<string, number[]>();
  private lastSweep = -Infinity;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
    if (!(windowMs > 0)) throw new RangeError('windowMs must be positive');
  }

  /** Counts one use of `key` at `nowMs` and returns true, or returns false (counting nothing) if over the limit. */
  tryAcquire(key: string, nowMs: number): boolean {
    this.sweep(nowMs);
    const since = nowMs - this.windowMs;
    const times = (this.hits.get(key) ?? []).filter((t) => t > since);
    if (times.length >= this.limit) {
      this.hits.set(key, times);
      return false;
    }
    times.push(nowMs);
    this.hits.set(key, times);
    return true;
  }

  /** Keys currently tracked (for tests and diagnostics). */
  get size(): number {
    return this.hits.size;
  }

  private sweep(nowMs: number): void {
    if (nowMs - this.lastSweep < this.windowMs) return;
    this.lastSweep = nowMs;
    const since = nowMs - this.windowMs;
    for (const [key, times] of this.hits) {
      if (times.every((t) => t <= since)) this.hits.delete(key);
    }
  }
}
