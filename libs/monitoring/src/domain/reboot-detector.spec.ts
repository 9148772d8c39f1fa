import { detectReboot } from './reboot-detector';

const WRAP = 2 ** 32;
const MINUTE = 60_000;

describe('detectReboot', () => {
  const t0 = new Date('2025-06-01T12:00:00Z');
  const after = (ms: number) => new Date(t0.getTime() + ms);

  it.each([
    ['uptime advanced with the wall clock', 1_000_000, 1_000_000 + 6_000, MINUTE],
    ['poll jitter of a few seconds', 1_000_000, 1_000_000 + 6_300, MINUTE],
    ['natural 32-bit wrap', WRAP - 3_000, 3_000, MINUTE],
    ['wrap landing exactly on zero', WRAP - 6_000, 0, MINUTE],
    ['agent clock running fast', 1_000_000, 1_000_000 + 9_000, MINUTE],
    ['long gap between polls', 1_000_000, 1_000_000 + 8_640_000, 24 * 60 * MINUTE],
  ])('no reboot: %s', (_case, before, now, elapsedMs) => {
    const result = detectReboot({ sysUpTimeTicks: before, at: t0 }, { sysUpTimeTicks: now, at: after(elapsedMs) });
    expect(result).toEqual({ rebooted: false });
  });

  it('detects uptime going backwards and estimates the boot time from the new uptime', () => {
    const result = detectReboot({ sysUpTimeTicks: 50_000_000, at: t0 }, { sysUpTimeTicks: 2_000, at: after(MINUTE) });
    // 2 000 ticks = 20 s of uptime at t0 + 60 s → booted at t0 + 40 s.
    expect(result).toEqual({ rebooted: true, estimatedBootAt: after(40_000) });
  });

  it('detects a reboot whose new uptime has already passed the old one (long gap)', () => {
    // 10 min of uptime, then a 2 h gap, polled again at 30 min of uptime: only 20 min of uptime elapsed.
    const result = detectReboot(
      { sysUpTimeTicks: 60_000, at: t0 },
      { sysUpTimeTicks: 180_000, at: after(120 * MINUTE) },
    );
    expect(result).toEqual({ rebooted: true, estimatedBootAt: after(90 * MINUTE) });
  });

  it('does not take a reboot near the wrap for a wrap', () => {
    const result = detectReboot(
      { sysUpTimeTicks: WRAP - 3_000, at: t0 },
      { sysUpTimeTicks: 500, at: after(10 * MINUTE) },
    );
    expect(result.rebooted).toBe(true);
  });

  it.each([
    [2_000, true],
    [20_000, false],
  ])('with a tolerance of %d ms, uptime advancing 50 s over 60 s is a reboot: %s', (toleranceMs, rebooted) => {
    const result = detectReboot(
      { sysUpTimeTicks: 0, at: t0 },
      { sysUpTimeTicks: 5_000, at: after(MINUTE) },
      toleranceMs,
    );
    expect(result.rebooted).toBe(rebooted);
  });
});
