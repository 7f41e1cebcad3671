/** Time as a dependency, so cache expiry and timestamps can be tested with a fake clock. */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock that moves only when told to: for tests of TTLs and timestamps. */
export class ManualClock extends Clock {
  constructor(private current = new Date('2026-01-11T14:07:11.000Z')) {
    super();
  }
  now(): Date {
    return new Date(this.current.getTime());
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
