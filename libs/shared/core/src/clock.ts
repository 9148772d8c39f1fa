/** Where domain code gets the time from, so that timing rules can be tested with a fake clock. */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock for tests: time moves only when told to, and only forwards. */
export class FakeClock extends Clock {
  constructor(private current = new Date('2026-01-01T00:00:00Z')) {
    super();
  }
  now(): Date {
    return new Date(this.current);
  }
  /** Moves the clock on and returns the new time. */
  advance(ms: number): Date {
    if (ms < 0) throw new RangeError(`a clock cannot go back (advance by ${ms} ms)`);
    this.current = new Date(this.current.getTime() + ms);
    return this.now();
  }
  set(at: Date): void {
    this.current = new Date(at);
  }
}
