import { FakeClock } from './clock';

describe('FakeClock', () => {
  it('stands still until advanced, then moves by exactly the given amount', () => {
    const clock = new FakeClock(new Date('2025-01-01T00:00:00.000Z'));
    expect(clock.now().toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(clock.now().toISOString()).toBe('2025-01-01T00:00:00.000Z');

    clock.advance(1500);
    expect(clock.now().toISOString()).toBe('2025-01-01T00:00:01.500Z');
  });

  it('hands out copies, so a caller cannot move the clock by mutating a Date', () => {
    const clock = new FakeClock(new Date(0));
    clock.now().setTime(99_999);
    expect(clock.now().getTime()).toBe(0);
  });

  it('refuses to go backwards', () => {
    expect(() => new FakeClock(new Date(0)).advance(-1)).toThrow(RangeError);
  });
});
