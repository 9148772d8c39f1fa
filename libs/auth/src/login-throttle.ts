/**
 * Counts failed sign-ins per client address in a sliding window; past the limit the address is
 * refused until its oldest failure leaves the window. Pure: time is passed in.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
  ) {}

  /** Seconds until the address may try again, or 0 when it may try now. */
  retryAfterSec(address: string, nowMs: number): number {
    const recent = this.prune(address, nowMs);
    if (recent.length < this.maxFailures) return 0;
    return Math.max(1, Math.ceil((recent[0] + this.windowMs - nowMs) / 1000));
  }

  recordFailure(address: string, nowMs: number): void {
    const recent = this.prune(address, nowMs);
    recent.push(nowMs);
    this.failures.set(address, recent);
    if (this.failures.size > 100_000) this.sweep(nowMs);
  }

  recordSuccess(address: string): void {
    this.failures.delete(address);
  }

  private prune(address: string, nowMs: number): number[] {
    const recent = (this.failures.get(address) ?? []).filter((t) => t > nowMs - this.windowMs);
    if (recent.length) this.failures.set(address, recent);
    else this.failures.delete(address);
    return recent;
  }

  /** Bounds memory under a spray from many addresses. */
  private sweep(nowMs: number): void {
    for (const address of [...this.failures.keys()]) this.prune(address, nowMs);
  }
}
