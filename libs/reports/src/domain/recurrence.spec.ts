import { isPattern, isRecurring, recurringKeys } from './recurrence';

const day = (d: number, h = 0) => new Date(Date.UTC(2026, 5, d, h));
const rule = { min: 3, windowDays: 7 };

describe('recurrence', () => {
  it('counts occurrences in (at − 7 days, at]', () => {
    expect(isRecurring([day(1), day(3), day(8)], day(8), rule)).toBe(false); // day 1 is exactly 7 days back: out
    expect(isRecurring([day(1, 1), day(3), day(8)], day(8), rule)).toBe(true);
    expect(isRecurring([day(3), day(8)], day(8), rule)).toBe(false);
    expect(isRecurring([day(3), day(4), day(9)], day(5), rule)).toBe(false); // later ones do not count
  });

  it('needs distinct devices for a pattern', () => {
    const at = day(5);
    expect(
      isPattern(
        [1, 2, 3].map((d) => ({ deviceId: 'a', startedAt: day(d) })),
        at,
        rule,
      ),
    ).toBe(false);
    expect(
      isPattern(
        ['a', 'b', 'c'].map((deviceId) => ({ deviceId, startedAt: day(4) })),
        at,
        rule,
      ),
    ).toBe(true);
  });

  it('keeps the keys with enough occurrences in [from, to)', () => {
    const e = (key: string, d: number) => ({ key, startedAt: day(d) });
    const groups = recurringKeys([e('x', 1), e('x', 2), e('x', 3), e('y', 1), e('y', 2), e('y', 9)], day(1), day(9), 3);
    expect([...groups.keys()]).toEqual(['x']);
  });
});
