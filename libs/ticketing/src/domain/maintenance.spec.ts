import {
  activeWindowAt,
  isInMaintenance,
  MaintenanceWindow,
  maintenanceUntil,
  OneOffWindow,
  toMaintenanceWindow,
  validateMaintenanceWindow,
  WeeklyWindow,
} from './maintenance';

const berlin = (days: WeeklyWindow['days'], start: string, durationMinutes: number): WeeklyWindow => ({
  days,
  start,
  durationMinutes,
  timezone: 'Europe/Berlin',
});
const z = (iso: string) => new Date(`${iso}Z`);

describe('isInMaintenance: one-off', () => {
  const window: OneOffWindow = { startsAt: z('2025-06-01T22:00:00'), endsAt: z('2025-06-02T02:00:00') };
  it.each([
    ['2025-06-01T21:59:59', false],
    ['2025-06-01T22:00:00', true],
    ['2025-06-02T01:59:59', true],
    ['2025-06-02T02:00:00', false],
  ])('%s → %s', (at, expected) => {
    expect(isInMaintenance(window, z(at))).toBe(expected);
  });
});

describe('isInMaintenance: weekly', () => {
  it.each<[string, WeeklyWindow, string, boolean]>([
    ['Monday 09:00 CEST is 07:00 UTC in summer', berlin(['mon'], '09:00', 60), '2025-06-02T07:00:00', true],
    ['just before', berlin(['mon'], '09:00', 60), '2025-06-02T06:59:59', false],
    ['the end is excluded', berlin(['mon'], '09:00', 60), '2025-06-02T08:00:00', false],
    ['Monday 09:00 CET is 08:00 UTC in winter', berlin(['mon'], '09:00', 60), '2025-01-06T08:00:00', true],
    ['winter, 08:30 local', berlin(['mon'], '09:00', 60), '2025-01-06T07:30:00', false],
    ['not on Tuesday', berlin(['mon'], '09:00', 60), '2025-06-03T07:30:00', false],
    ['Saturday night across midnight, at the start', berlin(['sat'], '22:00', 240), '2025-06-07T20:00:00', true],
    ['Saturday night across midnight, Sunday 01:59', berlin(['sat'], '22:00', 240), '2025-06-07T23:59:00', true],
    ['Saturday night across midnight, Sunday 02:00', berlin(['sat'], '22:00', 240), '2025-06-08T00:00:00', false],
    ['Sunday 22:00 is not Saturday', berlin(['sat'], '22:00', 240), '2025-06-08T20:30:00', false],
    ['two days', berlin(['sat', 'sun'], '22:00', 240), '2025-06-08T20:30:00', true],
    ['a whole week', berlin(['mon'], '00:00', 7 * 24 * 60), '2025-06-08T21:59:00', true],
    // Clocks go 02:00 CET → 03:00 CEST on 2025-03-30: 02:30 does not exist and starts at 03:30 CEST.
    ['spring gap: not at 01:30 CET', berlin(['sun'], '02:30', 60), '2025-03-30T00:30:00', false],
    ['spring gap: starts at 03:30 CEST', berlin(['sun'], '02:30', 60), '2025-03-30T01:30:00', true],
    ['spring gap: ends after 60 minutes', berlin(['sun'], '02:30', 60), '2025-03-30T02:30:00', false],
    ['spanning the spring jump: 180 elapsed minutes', berlin(['sun'], '01:00', 180), '2025-03-30T02:59:00', true],
    ['spanning the spring jump: ends at 05:00 CEST', berlin(['sun'], '01:00', 180), '2025-03-30T03:00:00', false],
    // Clocks go 03:00 CEST → 02:00 CET on 2025-10-26: 02:30 happens twice, the window starts at the first.
    ['autumn overlap: first 02:30', berlin(['sun'], '02:30', 30), '2025-10-26T00:30:00', true],
    ['autumn overlap: ends at 03:00 CEST', berlin(['sun'], '02:30', 30), '2025-10-26T01:00:00', false],
    ['autumn overlap: not again at the second 02:30', berlin(['sun'], '02:30', 30), '2025-10-26T01:30:00', false],
    [
      'New York Friday night is Saturday in UTC',
      { days: ['fri'], start: '23:00', durationMinutes: 120, timezone: 'America/New_York' },
      '2025-06-07T04:30:00',
      true,
    ],
    [
      'Kolkata Monday 00:00 is Sunday 18:30 UTC',
      { days: ['mon'], start: '00:00', durationMinutes: 30, timezone: 'Asia/Kolkata' },
      '2025-06-01T18:45:00',
      true,
    ],
    ['UTC', { days: ['sun'], start: '23:30', durationMinutes: 60, timezone: 'UTC' }, '2025-06-02T00:15:00', true],
  ])('%s', (_case, window, at, expected) => {
    expect(isInMaintenance(window, z(at))).toBe(expected);
  });
});

describe('activeWindowAt', () => {
  const siteNightly = { id: 'site', ...berlin(['mon', 'tue', 'wed', 'thu', 'fri'], '02:00', 60) };
  const deviceOnce = { id: 'device', startsAt: z('2025-06-02T23:00:00'), endsAt: z('2025-06-03T00:30:00') };
  const windows: (MaintenanceWindow & { id: string })[] = [deviceOnce, siteNightly];

  it.each([
    ['2025-06-02T23:10:00', 'device'],
    ['2025-06-03T00:10:00', 'device'],
    ['2025-06-03T00:40:00', 'site'],
    ['2025-06-03T02:00:00', null],
  ])('%s → %s', (at, expected) => {
    expect(activeWindowAt(windows, z(at))?.id ?? null).toBe(expected);
  });
});

describe('maintenanceUntil', () => {
  const siteNightly = berlin(['mon'], '02:30', 30); // 00:30–01:00 UTC
  const deviceOnce = { startsAt: z('2025-06-02T00:00:00'), endsAt: z('2025-06-02T00:45:00') };

  it.each([
    ['before both', '2025-06-01T23:00:00', null],
    ['the one-off alone', '2025-06-02T00:10:00', '2025-06-02T00:45:00.000Z'],
    ['overlapping: the later end', '2025-06-02T00:30:00', '2025-06-02T01:00:00.000Z'],
    ['the weekly occurrence alone', '2025-06-02T00:50:00', '2025-06-02T01:00:00.000Z'],
    ['after both', '2025-06-02T01:00:00', null],
  ])('%s', (_case, at, expected) => {
    expect(maintenanceUntil([deviceOnce, siteNightly], z(at))?.toISOString() ?? null).toBe(expected);
  });
});

describe('validateMaintenanceWindow', () => {
  it.each<[string, MaintenanceWindow, string[]]>([
    ['a valid one-off window', { startsAt: z('2025-06-01T22:00:00'), endsAt: z('2025-06-02T02:00:00') }, []],
    ['a valid weekly window', berlin(['sat', 'sun'], '22:00', 240), []],
    ['an end before the start', { startsAt: z('2025-06-02T00:00:00'), endsAt: z('2025-06-01T00:00:00') }, ['endsAt']],
    ['an invalid date', { startsAt: new Date('nope'), endsAt: z('2025-06-01T00:00:00') }, ['startsAt']],
    [
      'a one-off window over 31 days',
      { startsAt: z('2025-06-01T00:00:00'), endsAt: z('2025-07-03T00:00:00') },
      ['endsAt'],
    ],
    ['no days', berlin([], '22:00', 60), ['days']],
    ['an unknown day', berlin(['mon', 'funday' as 'mon'], '22:00', 60), ['days']],
    ['a repeated day', berlin(['mon', 'mon'], '22:00', 60), ['days']],
    ['24:00', berlin(['mon'], '24:00', 60), ['start']],
    ['9:00', berlin(['mon'], '9:00', 60), ['start']],
    ['a zero duration', berlin(['mon'], '09:00', 0), ['durationMinutes']],
    ['a duration over a week', berlin(['mon'], '09:00', 7 * 24 * 60 + 1), ['durationMinutes']],
    [
      'an unknown time zone',
      { days: ['mon'], start: '09:00', durationMinutes: 60, timezone: 'Mars/Olympus' },
      ['timezone'],
    ],
  ])('%s', (_case, window, fields) => {
    const errors = validateMaintenanceWindow(window);
    expect(errors.map((e) => e.field)).toEqual(fields);
    errors.forEach((e) => expect(e.message.startsWith(`${e.field} `)).toBe(true));
  });
});

describe('toMaintenanceWindow', () => {
  it('reads a stored row as weekly when weekly is set, else as one-off', () => {
    const weekly: WeeklyWindow = { days: ['sat'], start: '22:00', durationMinutes: 120, timezone: 'Europe/Berlin' };
    expect(toMaintenanceWindow({ startsAt: null, endsAt: null, weekly })).toBe(weekly);
    const startsAt = new Date('2026-06-01T10:00:00Z');
    const endsAt = new Date('2026-06-01T11:00:00Z');
    expect(toMaintenanceWindow({ startsAt, endsAt, weekly: null })).toEqual({ startsAt, endsAt });
  });

  it('refuses a one-off row without both ends rather than inventing a window', () => {
    expect(() => toMaintenanceWindow({ startsAt: new Date(0), endsAt: null, weekly: null })).toThrow(RangeError);
  });
});
