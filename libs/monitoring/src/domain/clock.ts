/** The only way domain rules learn the time; production wires a system clock, tests a ManualClock. */
export interface Clock {
  now(): Date;
}

/** A clock that moves only when told to, for tests of timing rules without sleeps. */
export class ManualClock implements Clock {
  private currentMs: number;

  constructor(start: Date) {
    this.currentMs = start.getTime();
  }

  now(): Date {
    return new Date(this.currentMs);
  }

  advance(ms: number): Date {
    if (ms < 0) throw new RangeError(`a clock cannot go back (advance by ${ms} ms)`);
    this.currentMs += ms;
    return this.now();
  }
}
