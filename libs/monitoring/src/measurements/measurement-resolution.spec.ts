import { loadConfig } from '@netdesk/config';
import { metricColumn } from './measurement.metrics';
import { pgArray } from './measurement.repository';
import {
  bucketStart,
  resolveWindow,
  retentionCutoff,
  rollupRange,
  rollupSince,
  ROLLUP_LATENESS_MS,
} from './measurement-resolution';

const at = (iso: string) => new Date(iso);
const RETENTION = { rawHours: 48, fiveMinuteDays: 30, hourlyDays: 400 };
const NOW = at('2026-03-10T12:34:56.789Z');
const H = 3_600_000;
const D = 24 * H;
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

describe('metric columns', () => {
  it('maps metric names to snake_case columns', () => {
    expect(metricColumn('rttMs')).toBe('rtt_ms');
    expect(metricColumn('outDiscards')).toBe('out_discards');
  });
});

describe('pgArray', () => {
  it('writes one column of a batch as a PostgreSQL array literal, null as NULL', () => {
    const rows = [{ v: 1.5 }, { v: null }, { v: 1e21 }, { v: -2 }];
    expect(pgArray(rows, (r) => r.v)).toBe('{1.5,NULL,1e+21,-2}');
    expect(pgArray([new Date('2026-01-01T00:00:00Z')], (d) => d.toISOString())).toBe('{2026-01-01T00:00:00.000Z}');
    expect(pgArray([], () => 1)).toBe('{}');
  });
});

describe('bucket boundaries', () => {
  it('puts a time in the UTC-aligned 5-minute and hourly bucket holding it', () => {
    expect(bucketStart(NOW, '5m')).toEqual(at('2026-03-10T12:30:00Z'));
    expect(bucketStart(NOW, '1h')).toEqual(at('2026-03-10T12:00:00Z'));
    expect(bucketStart(at('2026-03-10T12:35:00Z'), '5m')).toEqual(at('2026-03-10T12:35:00Z'));
  });

  it('recomputes whole buckets from the one holding `since` through the one holding `now`', () => {
    expect(rollupRange(at('2026-03-10T11:58:00Z'), NOW, '5m')).toEqual({
      from: at('2026-03-10T11:55:00Z'),
      to: at('2026-03-10T12:35:00Z'),
    });
    expect(rollupRange(at('2026-03-10T10:10:00Z'), NOW, '1h')).toEqual({
      from: at('2026-03-10T10:00:00Z'),
      to: at('2026-03-10T13:00:00Z'),
    });
  });

  it('still covers one bucket when `since` is after `now`', () => {
    expect(rollupRange(at('2026-03-10T13:01:00Z'), NOW, '5m')).toEqual({
      from: at('2026-03-10T13:00:00Z'),
      to: at('2026-03-10T13:05:00Z'),
    });
  });
});

describe('where a rollup run starts', () => {
  it('goes back as far as raw samples are kept on the first run', () => {
    expect(rollupSince(null, NOW, 48 * H)).toEqual(new Date(NOW.getTime() - 48 * H));
  });

  it('restarts a little before the previous run, for late samples', () => {
    const previous = new Date(NOW.getTime() - 60_000);
    expect(rollupSince(previous, NOW, 48 * H)).toEqual(new Date(previous.getTime() - ROLLUP_LATENESS_MS));
  });

  it('never reaches back beyond the raw retention, even after a long stop', () => {
    expect(rollupSince(new Date(NOW.getTime() - 30 * D), NOW, 48 * H)).toEqual(new Date(NOW.getTime() - 48 * H));
  });
});

describe('retention cut-off', () => {
  it('is the retention age when the next rollup is current', () => {
    expect(retentionCutoff(NOW, 48 * H, NOW)).toEqual(new Date(NOW.getTime() - 48 * H));
  });

  it('keeps rows the next rollup has not consumed yet', () => {
    const lagging = new Date(NOW.getTime() - 72 * H);
    expect(retentionCutoff(NOW, 48 * H, lagging)).toEqual(new Date(lagging.getTime() - ROLLUP_LATENESS_MS));
  });
});

describe('resolveWindow', () => {
  const ok = (req: Parameters<typeof resolveWindow>[0]) => {
    const r = resolveWindow(req, NOW, RETENTION);
    if (!r.ok) throw new Error(r.problems.join('; '));
    return r.window;
  };
  const problems = (req: Parameters<typeof resolveWindow>[0]) => {
    const r = resolveWindow(req, NOW, RETENTION);
    if (r.ok) throw new Error('expected problems');
    return r.problems;
  };

  it('defaults to the last hour at raw resolution', () => {
    expect(ok({})).toEqual({ from: new Date(NOW.getTime() - H), to: NOW, resolution: 'raw' });
  });

  it('defaults `from` to one hour before an explicit `to`', () => {
    expect(ok({ to: '2026-03-01T00:00:00Z' }).from).toEqual(at('2026-02-28T23:00:00Z'));
  });

  it.each([
    [2 * H, 'raw'],
    [6 * H, 'raw'],
    [6 * H + 1, '5m'],
    [7 * D, '5m'],
    [7 * D + 1, '1h'],
    [400 * D, '1h'],
  ])('picks the resolution for a window of %d ms ending now: %s', (length, resolution) => {
    expect(ok({ from: ago(length) }).resolution).toBe(resolution);
  });

  it('picks a coarser resolution when the finer one is past its retention at `from`', () => {
    expect(ok({ from: ago(50 * H), to: ago(49 * H) }).resolution).toBe('5m');
    expect(ok({ from: ago(40 * D), to: ago(39 * D) }).resolution).toBe('1h');
  });

  it('honours an explicit resolution within its limit', () => {
    expect(ok({ from: ago(20 * H), resolution: 'raw' }).resolution).toBe('raw');
    expect(ok({ from: ago(10 * D), resolution: '5m' }).resolution).toBe('5m');
  });

  it('rejects a window too long for the chosen resolution, naming from and the resolution', () => {
    const [p] = problems({ from: ago(25 * H), resolution: 'raw' });
    expect(p).toMatch(/^from: .*longer than 24 h.*resolution raw/);
    expect(problems({ from: ago(32 * D), resolution: '5m' })[0]).toMatch(/^from: .*31 days.*resolution 5m/);
    expect(problems({ from: ago(401 * D) })[0]).toMatch(/^from: .*400 days/);
  });

  it('rejects an inverted or empty window, naming the parameter', () => {
    expect(problems({ from: '2026-03-10T12:00:00Z', to: '2026-03-10T11:00:00Z' })[0]).toMatch(/^from: .*before to/);
    expect(problems({ from: '2026-03-10T12:00:00Z', to: '2026-03-10T12:00:00Z' })[0]).toMatch(/^from:/);
  });

  it('reads offsets and answers in UTC', () => {
    expect(ok({ to: '2026-03-10T12:00:00+02:00' }).to).toEqual(at('2026-03-10T10:00:00Z'));
  });
});

describe('retention settings', () => {
  it('default to raw 48 h, 5-minute 30 days, hourly 400 days', () => {
    expect(loadConfig({}).measurementRetention).toEqual({ rawHours: 48, fiveMinuteDays: 30, hourlyDays: 400 });
  });

  it('are read from the environment and validated, naming the variable', () => {
    const config = loadConfig({
      NETDESK_RETENTION_RAW_HOURS: '6',
      NETDESK_RETENTION_5M_DAYS: '7',
      NETDESK_RETENTION_1H_DAYS: '90',
    });
    expect(config.measurementRetention).toEqual({ rawHours: 6, fiveMinuteDays: 7, hourlyDays: 90 });
    expect(() => loadConfig({ NETDESK_RETENTION_RAW_HOURS: '0' })).toThrow(/NETDESK_RETENTION_RAW_HOURS/);
    expect(() => loadConfig({ NETDESK_RETENTION_5M_DAYS: 'month' })).toThrow(/NETDESK_RETENTION_5M_DAYS/);
  });
});
