import { evaluatePollerHealth, percentile, PollLagWindow } from './poll-lag-window';

describe('percentile (nearest rank)', () => {
  it('picks the ranked value without interpolation', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted on purpose
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 50], 95)).toBe(50);
    expect(values[0]).toBe(100); // input untouched
  });

  it('rejects an empty list and a bad p', () => {
    expect(() => percentile([], 95)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe('PollLagWindow', () => {
  it('summarises the samples of the window, judging each lag against its own interval', () => {
    const w = new PollLagWindow(60_000);
    for (let i = 0; i < 19; i++) w.add(1000 + i, 100, 30_000); // on time
    w.add(2000, 45_000, 30_000); // one poll 1.5 intervals late
    expect(w.summarize(10_000)).toEqual({
      samples: 20,
      p95LagMs: 100,
      maxLagMs: 45_000,
      p95LagRatio: 0.003,
      maxLagRatio: 1.5,
      late: 1,
    });
  });

  it('forgets samples older than the window', () => {
    const w = new PollLagWindow(60_000);
    w.add(0, 90_000, 30_000);
    w.add(50_000, 10, 30_000);
    expect(w.summarize(59_999)?.samples).toBe(2);
    expect(w.summarize(60_001)).toMatchObject({ samples: 1, maxLagMs: 10 });
    expect(w.summarize(200_000)).toBeNull();
    expect(w.size).toBe(0);
  });

  it('keeps at most maxSamples, the newest', () => {
    const w = new PollLagWindow(60_000, 100);
    for (let i = 0; i < 5000; i++) w.add(i, i, 1000);
    expect(w.size).toBe(100);
    expect(w.summarize(5000)).toMatchObject({ samples: 100, maxLagMs: 4999 });
  });

  it('counts early polls as 0 and ignores nonsense', () => {
    const w = new PollLagWindow();
    w.add(1, -500, 1000);
    w.add(1, Number.NaN, 1000);
    w.add(1, 5, 0);
    w.add(1, 5, -1);
    w.add(Number.POSITIVE_INFINITY, 5, 1000);
    expect(w.summarize(2)).toMatchObject({ samples: 1, maxLagMs: 0 });
  });

  it('validates its settings', () => {
    expect(() => new PollLagWindow(0)).toThrow(RangeError);
    expect(() => new PollLagWindow(1000, 0)).toThrow(RangeError);
  });
});

describe('evaluatePollerHealth', () => {
  const summary = (p95LagRatio: number) => ({
    samples: 40,
    p95LagMs: p95LagRatio * 30_000,
    maxLagMs: p95LagRatio * 30_000,
    p95LagRatio,
    maxLagRatio: p95LagRatio,
    late: p95LagRatio > 1 ? 40 : 0,
  });

  it('is ok while the p95 lag is within one interval, degraded beyond', () => {
    expect(evaluatePollerHealth({ enabled: true, windowMs: 60_000, summary: summary(0.2) })).toEqual({
      status: 'ok',
      windowSec: 60,
      samples: 40,
      p95LagMs: 6000,
      maxLagMs: 6000,
      p95LagRatio: 0.2,
      late: 0,
    });
    expect(evaluatePollerHealth({ enabled: true, windowMs: 60_000, summary: summary(1) }).status).toBe('ok');
    const late = evaluatePollerHealth({ enabled: true, windowMs: 60_000, summary: summary(1.5) });
    expect(late).toMatchObject({ status: 'degraded', p95LagMs: 45_000, late: 40 });
    expect(late.note).toMatch(/falling behind/);
  });

  it('is ok with a note when idle or disabled', () => {
    expect(evaluatePollerHealth({ enabled: true, windowMs: 60_000, summary: null })).toEqual({
      status: 'ok',
      note: 'idle: no polls in the last 60 s',
      windowSec: 60,
      samples: 0,
    });
    expect(evaluatePollerHealth({ enabled: false, windowMs: 60_000, summary: null }).note).toMatch(/disabled/);
  });

  it('judges samples even when the poller is reported disabled (something in this process is polling)', () => {
    expect(evaluatePollerHealth({ enabled: false, windowMs: 60_000, summary: summary(2) }).status).toBe('degraded');
  });
});
