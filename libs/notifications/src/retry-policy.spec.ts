import {
  backoffDelayMs,
  decideRetry,
  DEFAULT_RETRY_POLICY,
  isRetryableStatus,
  parseRetryAfterMs,
} from './retry-policy';

const policy = DEFAULT_RETRY_POLICY;

describe('backoffDelayMs', () => {
  it('doubles from the base: 1 s, 2 s, 4 s without jitter', () => {
    expect([1, 2, 3].map((a) => backoffDelayMs(a, policy, () => 0))).toEqual([1000, 2000, 4000]);
  });

  it('adds up to jitterRatio of the wait', () => {
    expect(backoffDelayMs(2, policy, () => 0.5)).toBe(2200);
    expect(backoffDelayMs(2, policy, () => 0.999999)).toBe(2400);
  });

  it('caps the exponential part at maxDelayMs', () => {
    expect(backoffDelayMs(20, { ...policy, jitterRatio: 0 }, () => 0)).toBe(policy.maxDelayMs);
  });
});

describe('isRetryableStatus', () => {
  it('retries 5xx and 429 only', () => {
    expect([500, 502, 503, 504, 429].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 410, 422, 301].some(isRetryableStatus)).toBe(false);
  });
});

describe('parseRetryAfterMs', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfterMs('7', now)).toBe(7000);
    expect(parseRetryAfterMs('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfterMs('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
  });
  it('ignores absent or garbage values', () => {
    expect(parseRetryAfterMs(null, now)).toBeUndefined();
    expect(parseRetryAfterMs('-3', now)).toBeUndefined();
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
  });
});

describe('decideRetry', () => {
  const noJitter = () => 0;
  it('gives up on final failures and after the last attempt', () => {
    expect(decideRetry(1, { retryable: false }, policy, noJitter)).toEqual({ retry: false });
    expect(decideRetry(4, { retryable: true }, policy, noJitter)).toEqual({ retry: false });
  });
  it('waits the backoff, or Retry-After when longer', () => {
    expect(decideRetry(1, { retryable: true }, policy, noJitter)).toEqual({ retry: true, delayMs: 1000 });
    expect(decideRetry(1, { retryable: true, retryAfterMs: 5000 }, policy, noJitter)).toEqual({
      retry: true,
      delayMs: 5000,
    });
    expect(decideRetry(3, { retryable: true, retryAfterMs: 1000 }, policy, noJitter)).toEqual({
      retry: true,
      delayMs: 4000,
    });
  });
  it('stops when Retry-After asks for more than maxRetryAfterMs', () => {
    expect(decideRetry(1, { retryable: true, retryAfterMs: 3_600_000 }, policy, noJitter)).toEqual({
      retry: false,
      reason: 'Retry-After 3600 s is too long',
    });
  });
});
