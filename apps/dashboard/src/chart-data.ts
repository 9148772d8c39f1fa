import type { MetricSeries } from './types';

/**
 * Series on one time axis: the union of their timestamps, nulls where a series has no point, and a null
 * inside every silence longer than three usual steps (an outage), so the chart breaks there instead of
 * drawing a straight line across it.
 */
export function align(series: MetricSeries[]): { times: number[]; values: (number | null)[][]; gaps: number } {
  const seen = [...new Set(series.flatMap((s) => s.points.map((p) => Date.parse(p.at) / 1000)))].sort((a, b) => a - b);
  const steps = seen
    .slice(1)
    .map((t, i) => t - seen[i])
    .sort((a, b) => a - b);
  const usual = steps.length ? steps[Math.floor(steps.length / 2)] : 0;
  const times: number[] = [];
  let gaps = 0;
  for (let i = 0; i < seen.length; i++) {
    if (i > 0 && usual > 0 && seen[i] - seen[i - 1] > 3 * usual) {
      times.push((seen[i] + seen[i - 1]) / 2);
      gaps++;
    }
    times.push(seen[i]);
  }
  const index = new Map(times.map((t, i) => [t, i]));
  const values = series.map((s) => {
    const v: (number | null)[] = new Array(times.length).fill(null);
    for (const p of s.points) v[index.get(Date.parse(p.at) / 1000)!] = p.avg;
    return v;
  });
  return { times, values, gaps };
}
