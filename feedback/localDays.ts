/*
 * Days in an admin's time zone, with the Intl API (daylight saving included): where a local day starts, and the
 * zone's offsets over a range, so that a report pipeline can date documents by local day on every store (the
 * embedded store's `$dateTrunc` and `$dateToString` do not take every IANA zone).
 */

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** Steps of the search for offset changes (zones change at most a few times a year). */
const STEP_MS = 7 * DAY_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** Whether the name is a time zone the runtime knows (an IANA name such as Europe/Oslo, or UTC). */
export function isTimeZone(name: string): boolean {
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

/** Milliseconds the zone's wall clock is ahead of UTC at the instant. */
export function zoneOffset(timeZone: string, at: number): number {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(at))
      .map((p) => [p.type, p.value]),
  );
  const wall = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return wall - Math.floor(at / 1000) * 1000;
}

/** The instant a local day (YYYY-MM-DD) starts in the zone. */
export function startOfLocalDay(day: string, timeZone: string): Date {
  const midnight = Date.parse(`${day}T00:00:00Z`);
  const guess = midnight - zoneOffset(timeZone, midnight);
  return new Date(midnight - zoneOffset(timeZone, guess));
}

/** The local day (YYYY-MM-DD) that follows one. */
export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

/** A stretch of time with one offset: until `until` (exclusive), or for good (null). */
export interface OffsetSegment {
  until: Date | null;
  offset: number;
}

/** The zone's offsets between two instants, oldest first. */
export function offsetSegments(timeZone: string, start: number, end: number): OffsetSegment[] {
  const segments: OffsetSegment[] = [];
  let at = Math.floor(start / MINUTE_MS) * MINUTE_MS;
  let offset = zoneOffset(timeZone, at);
  while (at < end) {
    const next = Math.min(at + STEP_MS, end);
    const nextOffset = zoneOffset(timeZone, next);
    if (nextOffset !== offset) {
      // The first minute with the new offset.
      let low = at;
      let high = next;
      while (high - low > MINUTE_MS) {
        const middle = low + Math.floor((high - low) / 2 / MINUTE_MS) * MINUTE_MS;
        if (zoneOffset(timeZone, middle) === offset) low = middle;
        else high = middle;
      }
      segments.push({ until: new Date(high), offset });
      offset = nextOffset;
    }
    at = next;
  }
  segments.push({ until: null, offset });
  return segments;
}
