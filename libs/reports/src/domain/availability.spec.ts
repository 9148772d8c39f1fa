import { availabilityPct, clippedMs, maintenanceOverlapMs } from './availability';
import { inAnyWindow } from './maintenance';
import { resolveReportWindow } from './report-window';

const at = (iso: string) => new Date(iso);

describe('availability maths', () => {
  const from = at('2026-06-01T00:00:00Z');
  const to = at('2026-06-08T00:00:00Z');
  const now = at('2026-06-09T00:00:00Z');

  it('clips an outage to the window and counts an ongoing one up to now', () => {
    expect(clippedMs({ start: at('2026-05-31T23:00:00Z'), end: at('2026-06-01T01:00:00Z') }, from, to, now)).toBe(
      3_600_000,
    );
    expect(clippedMs({ start: at('2026-06-07T23:00:00Z'), end: null }, from, to, now)).toBe(3_600_000);
    expect(clippedMs({ start: at('2026-06-08T01:00:00Z'), end: null }, from, to, now)).toBe(0);
  });

  it('computes the percentage to 3 decimals', () => {
    expect(availabilityPct(0, 1000)).toBe(100);
    expect(availabilityPct(3_600_000, 7 * 86_400_000)).toBe(99.405);
    expect(availabilityPct(5, 0)).toBe(100);
  });

  it('takes the overlap with one-off and weekly maintenance windows, exactly', () => {
    const oneOff = [{ startsAt: at('2026-06-01T10:00:30Z'), endsAt: at('2026-06-01T10:20:00Z') }];
    expect(
      maintenanceOverlapMs(at('2026-06-01T10:00:00Z'), at('2026-06-01T11:00:00Z'), (t) => inAnyWindow(oneOff, t), [
        oneOff[0].startsAt,
        oneOff[0].endsAt,
      ]),
    ).toBe(19.5 * 60_000);
    // Mondays 02:00–03:00 Berlin (CEST, UTC+2) = 00:00–01:00 UTC on 2026-06-01 (a Monday)
    const weekly = [{ days: ['mon' as const], start: '02:00', durationMinutes: 60, timezone: 'Europe/Berlin' }];
    expect(
      maintenanceOverlapMs(at('2026-05-31T23:30:10Z'), at('2026-06-01T00:30:00Z'), (t) => inAnyWindow(weekly, t)),
    ).toBe(30 * 60_000);
  });
});

describe('report window', () => {
  const now = at('2026-06-10T12:00:00Z');
  it('defaults to the last 7 days', () => {
    expect(resolveReportWindow({}, now)).toEqual({ ok: true, from: at('2026-06-03T12:00:00Z'), to: now });
  });
  it('names the parameter that is wrong', () => {
    expect(resolveReportWindow({ from: 'yesterday' }, now)).toEqual({
      ok: false,
      errors: ['from must be an ISO-8601 date-time'],
    });
    expect(resolveReportWindow({ from: '2026-06-05', to: '2026-06-01' }, now)).toEqual({
      ok: false,
      errors: ['to must be after from'],
    });
    expect(resolveReportWindow({ from: '2024-01-01', to: '2026-01-01' }, now)).toMatchObject({
      ok: false,
      errors: ['to must be at most 400 days after from'],
    });
  });
});
