/**
 * When to retry a delivery and how long to wait first. Pure: randomness comes in as an argument.
 *
 * Retried: network errors, timeouts, HTTP 5xx and 429 (and transient SMTP 4xx replies). Everything
 * else (other 4xx, 3xx, permanent SMTP 5xx) is final: sending the same request again cannot help.
 */

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Wait before the 2nd attempt; doubles for each one after. */
  baseDelayMs: number;
  /** No computed wait exceeds this. */
  maxDelayMs: number;
  /** Up to this fraction of each wait is added at random, so receivers recovering are not hit in step. */
  jitterRatio: number;
  /** A `Retry-After` longer than this ends the retries (reported as a failure) rather than holding a slot. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  jitterRatio: 0.2,
  maxRetryAfterMs: 60_000,
};

/**
 * The wait after failed attempt number `attempt` (1-based) before the next one:
 * base × 2^(attempt−1), capped, plus up to `jitterRatio` of it. `random()` returns [0, 1).
 */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(exponential * (1 + policy.jitterRatio * r));
}

/** Whether an HTTP status is worth another attempt. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/**
 * A `Retry-After` header as milliseconds from `now`: delta-seconds or an HTTP date. `undefined` when
 * absent or unparsable; never negative.
 */
export function parseRetryAfterMs(header: string | null | undefined, now: Date): number | undefined {
  if (header === null || header === undefined) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  if (!/[a-z]/i.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason?: string };

/**
 * What to do after failed attempt `attempt`: give up when the failure is final or attempts are used
 * up; otherwise wait the backoff, or the server's `Retry-After` when it asks for longer.
 */
export function decideRetry(
  attempt: number,
  failure: { retryable: boolean; retryAfterMs?: number },
  policy: RetryPolicy,
  random: () => number,
): RetryDecision {
  if (!failure.retryable || attempt >= policy.maxAttempts) return { retry: false };
  const backoff = backoffDelayMs(attempt, policy, random);
  if (failure.retryAfterMs === undefined) return { retry: true, delayMs: backoff };
  if (failure.retryAfterMs > policy.maxRetryAfterMs) {
    return { retry: false, reason: `Retry-After ${Math.ceil(failure.retryAfterMs / 1000)} s is too long` };
  }
  return { retry: true, delayMs: Math.max(backoff, failure.retryAfterMs) };
}
