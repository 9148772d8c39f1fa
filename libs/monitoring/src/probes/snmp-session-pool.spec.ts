import { silentProbeLogger } from './probe-logger';
import { SnmpSessionPool } from './snmp-session-pool';

// Sessions are real net-snmp sessions (an unbound UDP socket each); nothing is sent.
describe('SnmpSessionPool eviction', () => {
  const target = (n: number) => ({
    deviceId: `d${n}`,
    host: `127.0.0.${n}`,
    credentials: { version: '2c' as const, community: 'public' },
  });
  let pool: SnmpSessionPool;
  let clock = 0;
  beforeEach(() => {
    clock = 0;
    pool = new SnmpSessionPool({ timeoutMs: 100, retries: 0, backoff: 1 }, 2, silentProbeLogger, () => ++clock);
  });
  afterEach(() => pool.closeAll());

  it('closes the least recently used idle session beyond the limit, not one that was just used again', () => {
    const a = pool.acquire(target(1));
    const b = pool.acquire(target(2));
    expect(pool.acquire(target(1))).toBe(a); // a is now more recent than b
    pool.acquire(target(3));
    expect(b.closed).toBe(true);
    expect(a.closed).toBe(false);
    expect(pool.size).toBe(2);
  });

  it('never closes a session that is in use, nor the one being handed out', () => {
    const a = pool.acquire(target(1));
    const b = pool.acquire(target(2));
    a.inFlight++;
    b.inFlight++;
    const c = pool.acquire(target(3));
    expect([a.closed, b.closed, c.closed]).toEqual([false, false, false]);
    pool.release(a);
    const d = pool.acquire(target(4));
    expect(a.closed).toBe(true); // idle again: both idle sessions go until the pool is back at its limit
    expect([b.closed, c.closed, d.closed]).toEqual([false, true, false]);
  });
});
