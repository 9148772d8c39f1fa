import { LoginThrottle } from './login-throttle';

describe('LoginThrottle', () => {
  it('refuses an address after the maximum failures within the window, then lets it retry', () => {
    const throttle = new LoginThrottle(3, 60_000);
    for (let i = 0; i < 3; i++) {
      expect(throttle.retryAfterSec('10.0.0.1', i * 1000)).toBe(0);
      throttle.recordFailure('10.0.0.1', i * 1000);
    }
    expect(throttle.retryAfterSec('10.0.0.1', 3000)).toBe(57);
    expect(throttle.retryAfterSec('10.0.0.2', 3000)).toBe(0);
    expect(throttle.retryAfterSec('10.0.0.1', 60_001)).toBe(0);
  });

  it('forgets failures after a successful sign-in', () => {
    const throttle = new LoginThrottle(2, 60_000);
    throttle.recordFailure('a', 0);
    throttle.recordSuccess('a');
    throttle.recordFailure('a', 1);
    expect(throttle.retryAfterSec('a', 2)).toBe(0);
  });
});
