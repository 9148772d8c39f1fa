import { FakeClock } from '@netdesk/core';
import { firstDueAt, nextDueAt, planNextPoll, pollLagMs, pollOffsetMs } from './poll-schedule';

const t = (iso: string) => new Date(`2025-06-01T${iso}Z`);

describe('pollOffsetMs', () => {
  it('is stable for a device and within its interval', () => {
    const id = '4b6f0c1e-0d6a-4f5e-9b1a-2f8d3c7e9a10';
    expect(pollOffsetMs(id, 60)).toBe(pollOffsetMs(id, 60));
    expect(pollOffsetMs(id, 60)).toBeGreaterThanOrEqual(0);
    expect(pollOffsetMs(id, 60)).toBeLessThan(60_000);
  });

  it('spreads 1000 devices over the interval instead of bunching them', () => {
    const perSecond = new Array<number>(60).fill(0);
    for (let i = 0; i < 1000; i++) perSecond[Math.floor(pollOffsetMs(`device-${i}`, 60) / 1000)]++;
    // A uniform spread puts ~17 devices in each second; a herd would leave seconds empty and overload others.
    expect(Math.max(...perSecond)).toBeLessThan(40);
    expect(Math.min(...perSecond)).toBeGreaterThan(0);
  });

  it.each([0, -5, NaN])('rejects an interval of %d s', (interval) => {
    expect(() => pollOffsetMs('a', interval)).toThrow(RangeError);
  });
});

describe('firstDueAt', () => {
  it("lands on the device's offset within the interval, no earlier than now", () => {
    const now = t('12:00:30.000');
    const due = firstDueAt('router-1', 60, now);
    expect(due.getTime()).toBeGreaterThanOrEqual(now.getTime());
    expect(due.getTime() - now.getTime()).toBeLessThan(60_000);
    expect(due.getTime() % 60_000).toBe(pollOffsetMs('router-1', 60));
  });

  it('gives the same slots after a restart at a different moment', () => {
    const a = firstDueAt('router-1', 60, t('12:00:00.000'));
    const b = firstDueAt('router-1', 60, t('12:07:13.250'));
    expect((b.getTime() - a.getTime()) % 60_000).toBe(0);
  });
});

describe('nextDueAt', () => {
  it.each([
    ['on time', '12:00:00.000', '12:00:00.000', '12:01:00.000'],
    ['late but within the interval: no drift', '12:00:00.000', '12:00:07.500', '12:01:00.000'],
    ['exactly one interval late: the next slot is due now', '12:00:00.000', '12:01:00.000', '12:01:00.000'],
    ['several slots missed: skip to the next one ahead', '12:00:00.000', '12:03:20.000', '12:04:00.000'],
  ])('%s', (_case, lastDue, now, expected) => {
    expect(nextDueAt(t(lastDue), 60, t(now))).toEqual(t(expected));
  });

  it('keeps the slots fixed over many late polls', () => {
    const clock = new FakeClock(t('12:00:00.000'));
    let due = clock.now();
    for (let i = 0; i < 100; i++) {
      clock.advance(due.getTime() - clock.now().getTime() + 400); // each poll starts 400 ms late
      due = nextDueAt(due, 60, clock.now());
    }
    expect(due).toEqual(t('13:40:00.000'));
  });
});

describe('planNextPoll', () => {
  const base = { lastDueAt: t('12:00:00.000'), intervalSec: 60, now: t('12:00:02.000') };

  it.each([
    ['no recheck pending', { ...base, needsRecheck: false }, { at: t('12:01:00.000'), kind: 'scheduled' }],
    ['recheck pending', { ...base, needsRecheck: true }, { at: t('12:00:03.000'), kind: 'recheck' }],
    [
      'custom spacing',
      { ...base, needsRecheck: true, recheckSpacingMs: 5000 },
      { at: t('12:00:07.000'), kind: 'recheck' },
    ],
    [
      'recheck would fall after the regular slot',
      { ...base, now: t('12:00:59.500'), needsRecheck: true },
      { at: t('12:01:00.000'), kind: 'scheduled' },
    ],
  ])('%s', (_case, input, expected) => {
    expect(planNextPoll(input)).toEqual(expected);
  });
});

describe('pollLagMs', () => {
  it.each([
    ['12:00:00.000', '12:00:00.250', 250],
    ['12:00:00.000', '12:00:00.000', 0],
    ['12:00:01.000', '12:00:00.900', 0],
  ])('due %s, started %s → %d ms', (due, started, expected) => {
    expect(pollLagMs(t(due), t(started))).toBe(expected);
  });
});
