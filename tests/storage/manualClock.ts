import type { Clock } from '../../core/clock';

/** A clock that stands still until the test moves it. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start = new Date('2025-01-01T00:00:00Z')) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
