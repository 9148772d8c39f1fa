import { SlidingWindowRateLimiter } from './rate-limiter';

describe('SlidingWindowRateLimiter', () => {
  it('allows `limit` per window per key, then refuses without counting', () => {
    const limiter = new SlidingWindowRateLimiter(3, 1000);
    expect([0, 10, 20, 30, 40].map((t) => limiter.tryAcquire('t1', t))).toEqual([true, true, true, false, false]);
    expect(limiter.tryAcquire('t2', 40)).toBe(true);
    // the window slides: the hit at 0 expires at 1000, the refused ones never counted
    expect(limiter.tryAcquire('t1', 999)).toBe(false);
    expect(limiter.tryAcquire('t1', 1000)).toBe(true);
    expect(limiter.tryAcquire('t1', 1001)).toBe(false);
    expect(limiter.tryAcquire('t1', 1010)).toBe(true);
  });

  it('forgets keys whose window emptied', () => {
    const limiter = new SlidingWindowRateLimiter(2, 1000);
    for (let i = 0; i < 100; i++) limiter.tryAcquire(`ticket-${i}`, i);
    expect(limiter.size).toBe(100);
    limiter.tryAcquire('later', 5000);
    expect(limiter.size).toBe(1);
  });

  it('rejects nonsense settings', () => {
    expect(() => new SlidingWindowRateLimiter(0, 1000)).toThrow(RangeError);
    expect(() => new SlidingWindowRateLimiter(1, 0)).toThrow(RangeError);
  });
});
