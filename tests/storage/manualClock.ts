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

/** Milliseconds from `now` to the next Saturday 12:00 UTC (a shop open on weekdays is closed then). */
export function untilSaturdayNoon(now: Date): number {
  const target = new Date(now);
  target.setUTCHours(12, 0, 0, 0);
  target.setUTCDate(target.getUTCDate() + ((6 - target.getUTCDay() + 7) % 7 || 7));
  return target.getTime() - now.getTime();
}
