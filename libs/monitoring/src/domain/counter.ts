import { detectReboot, UptimeSample } from './reboot-detector';

export type CounterWidth = 32 | 64;

/** A rate may exceed the nominal interface speed by this factor (timing jitter between polls) before it is rejected. */
export const DEFAULT_SPEED_MARGIN = 1.2;

/** Growth of an SNMP Counter32/Counter64 between two readings, assuming at most one wrap. */
export function counterDelta(previous: bigint, current: bigint, width: CounterWidth): bigint {
  const modulus = 1n << BigInt(width);
  for (const value of [previous, current]) {
    if (value < 0n || value >= modulus) throw new RangeError(`${value} is not a Counter${width} value`);
  }
  return current >= previous ? current - previous : current + modulus - previous;
}

export function bitsPerSecond(octets: bigint, elapsedSec: number): number {
  if (elapsedSec <= 0) throw new RangeError(`elapsed time must be positive, got ${elapsedSec} s`);
  return Number(octets * 8n) / elapsedSec;
}

/** One reading of an interface octet counter (ifInOctets, ifHCOutOctets…) with the device's sysUpTime. */
export interface OctetSample extends UptimeSample {
  octets: bigint;
}

export type RateResult = { kind: 'rate'; bitsPerSecond: number } | { kind: 'no-sample'; reason: string };

/**
 * Traffic between two readings. A reboot (counters restart from 0) or a rate the interface could not
 * carry means the counter was reset, not that traffic spiked, so the interval yields no sample.
 */
export function octetRate(
  previous: OctetSample,
  current: OctetSample,
  options: { width: CounterWidth; ifSpeedBps?: number; speedMargin?: number },
): RateResult {
  const elapsedSec = (current.at.getTime() - previous.at.getTime()) / 1000;
  if (elapsedSec <= 0) return { kind: 'no-sample', reason: 'samples are not in time order' };
  if (detectReboot(previous, current).rebooted)
    return { kind: 'no-sample', reason: 'device restarted between samples' };

  const rate = bitsPerSecond(counterDelta(previous.octets, current.octets, options.width), elapsedSec);
  const ceiling = (options.ifSpeedBps ?? 0) * (options.speedMargin ?? DEFAULT_SPEED_MARGIN);
  if (ceiling > 0 && rate > ceiling) {
    return {
      kind: 'no-sample',
      reason: `counter discontinuity: ${Math.round(rate)} bit/s exceeds interface speed ${options.ifSpeedBps} bit/s`,
    };
  }
  return { kind: 'rate', bitsPerSecond: rate };
}
