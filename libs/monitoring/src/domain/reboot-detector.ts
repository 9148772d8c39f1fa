/** sysUpTime is TimeTicks: hundredths of a second in 32 bits, wrapping to 0 after about 497 days. */
const TICKS_MODULUS = 2 ** 32;
const MS_PER_TICK = 10;

export interface UptimeSample {
  sysUpTimeTicks: number;
  at: Date;
}

export type RebootCheck = { rebooted: false } | { rebooted: true; estimatedBootAt: Date };

/**
 * Compares how far sysUpTime moved (allowing one 32-bit wrap) with the wall-clock time between two polls.
 * Uptime that advanced clearly less than the wall clock, or that went backwards other than by a wrap,
 * means the device restarted in between. The default tolerance, 5 s or 1% of the gap if larger,
 * absorbs poll latency and agent clock drift.
 */
export function detectReboot(previous: UptimeSample, current: UptimeSample, toleranceMs?: number): RebootCheck {
  const elapsedMs = current.at.getTime() - previous.at.getTime();
  const tolerance = toleranceMs ?? Math.max(5_000, elapsedMs * 0.01);
  const advancedMs = ((current.sysUpTimeTicks - previous.sysUpTimeTicks + TICKS_MODULUS) % TICKS_MODULUS) * MS_PER_TICK;
  const consistent = Math.abs(advancedMs - elapsedMs) <= tolerance;
  const wentBackwards = current.sysUpTimeTicks < previous.sysUpTimeTicks;

  if (consistent || (!wentBackwards && advancedMs > elapsedMs)) return { rebooted: false };
  return { rebooted: true, estimatedBootAt: new Date(current.at.getTime() - current.sysUpTimeTicks * MS_PER_TICK) };
}
