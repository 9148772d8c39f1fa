import { bitsPerSecond, counterDelta, octetRate, OctetSample } from './counter';

const C32 = 2n ** 32n;
const C64 = 2n ** 64n;

describe('counterDelta', () => {
  it.each<[string, bigint, bigint, 32 | 64, bigint]>([
    ['plain growth', 1_000n, 1_500n, 32, 500n],
    ['no traffic', 42n, 42n, 32, 0n],
    ['Counter32 wrap', C32 - 100n, 50n, 32, 150n],
    ['Counter32 wrap to zero', C32 - 1n, 0n, 32, 1n],
    ['Counter64 growth beyond 2^53', 2n ** 60n, 2n ** 60n + 3n, 64, 3n],
    ['Counter64 wrap', C64 - 10n, 5n, 64, 15n],
  ])('%s', (_case, previous, current, width, expected) => {
    expect(counterDelta(previous, current, width)).toBe(expected);
  });

  it.each<[bigint, 32 | 64]>([
    [C32, 32],
    [-1n, 32],
    [C64, 64],
  ])('rejects %s as a Counter%d reading', (value, width) => {
    expect(() => counterDelta(0n, value, width)).toThrow(RangeError);
  });
});

describe('bitsPerSecond', () => {
  it.each([
    [125_000_000n, 1, 1_000_000_000],
    [7_500_000n, 60, 1_000_000],
    [0n, 30, 0],
  ])('%s octets over %d s → %d bit/s', (octets, seconds, expected) => {
    expect(bitsPerSecond(octets, seconds)).toBe(expected);
  });

  it('rejects a non-positive interval', () => {
    expect(() => bitsPerSecond(1n, 0)).toThrow(RangeError);
  });
});

describe('octetRate', () => {
  const t0 = new Date('2025-06-01T12:00:00Z');
  const sample = (octets: bigint, secondsLater: number, uptimeTicks = 1_000_000 + secondsLater * 100): OctetSample => ({
    octets,
    sysUpTimeTicks: uptimeTicks,
    at: new Date(t0.getTime() + secondsLater * 1000),
  });
  const gigabit = { width: 64 as const, ifSpeedBps: 1_000_000_000 };

  it('computes the rate over the wall-clock interval', () => {
    // 750 MB in 60 s = 100 Mbit/s.
    expect(octetRate(sample(10n, 0), sample(10n + 750_000_000n, 60), gigabit)).toEqual({
      kind: 'rate',
      bitsPerSecond: 100_000_000,
    });
  });

  it('handles a Counter32 wrap as ordinary traffic', () => {
    expect(octetRate(sample(C32 - 1_000n, 0), sample(2_750n, 30), { width: 32, ifSpeedBps: 100_000_000 })).toEqual({
      kind: 'rate',
      bitsPerSecond: 1_000,
    });
  });

  it('yields no sample across a reboot instead of a spike', () => {
    const beforeReboot = sample(9_000_000_000n, 0, 90_000_000);
    const afterReboot = sample(4_000n, 60, 3_000);
    expect(octetRate(beforeReboot, afterReboot, gigabit)).toEqual({
      kind: 'no-sample',
      reason: 'device restarted between samples',
    });
  });

  it('yields no sample when the delta implies more than the interface can carry', () => {
    // A counter reset without a reboot (e.g. a line card swap): 1e12 octets in 60 s ≈ 133 Gbit/s on a 1 Gbit/s port.
    const result = octetRate(sample(C64 - 1_000n, 0), sample(1_000_000_000_000n, 60), gigabit);
    expect(result).toMatchObject({ kind: 'no-sample' });
    expect(result.kind === 'no-sample' && result.reason).toMatch(/exceeds interface speed 1000000000 bit\/s/);
  });

  it.each([
    [1.2, 1_100_000_000, 'rate'],
    [1.2, 1_300_000_000, 'no-sample'],
    [1.5, 1_300_000_000, 'rate'],
  ])('with margin %d, %d bit/s on a 1 Gbit/s port is a %s', (speedMargin, bps, kind) => {
    const octets = BigInt((bps / 8) * 10);
    expect(octetRate(sample(0n, 0), sample(octets, 10), { ...gigabit, speedMargin }).kind).toBe(kind);
  });

  it('skips the speed check when the interface speed is unknown', () => {
    expect(octetRate(sample(0n, 0), sample(10n ** 15n, 1), { width: 64 }).kind).toBe('rate');
  });

  it('yields no sample for samples out of time order', () => {
    expect(octetRate(sample(0n, 10), sample(5n, 10), gigabit)).toEqual({
      kind: 'no-sample',
      reason: 'samples are not in time order',
    });
  });
});
