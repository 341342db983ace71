/** The source of time, injected so tests control it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

const MS_PER_DAY = 86_400_000;

/** The instant `days` days after `from` (retention ends, TTL `expiresAt` fields). */
export function daysAfter(from: Date, days: number): Date {
  return new Date(from.getTime() + days * MS_PER_DAY);
}
