/**
 * Staff hours: BUSINESS_HOURS such as "Mon-Fri 08:00-18:00; Sat 10:00-14:00" in the IANA zone
 * BUSINESS_TIMEZONE, evaluated with the Intl API (daylight saving included). Grammar: rules separated by `;`;
 * a rule is days (`Mon`, `Mon-Fri`, `Mon,Wed,Fri`, `Sat-Sun`) then one or more ranges `HH:MM-HH:MM`
 * (end after start, `24:00` allowed) separated by spaces or commas. Empty text: always open.
 */
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const MINUTES_PER_DAY = 24 * 60;
const MS_PER_MINUTE = 60_000;

interface Range {
  start: number;
  end: number;
}

interface LocalTime {
  day: number;
  minute: number;
}

export class BusinessHours {
  /** Opening ranges (minutes after local midnight) per weekday, Sunday first. */
  private readonly week: Range[][];
  private readonly parts: Intl.DateTimeFormat;

  private constructor(
    readonly timeZone: string,
    week: Range[][] | null,
  ) {
    this.week = week ?? [];
    this.parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
  }

  /** Parses the configuration; throws an Error naming the problem (for config validation at start). */
  static parse(spec: string, timeZone: string): BusinessHours {
    assertTimeZone(timeZone);
    const rules = spec
      .split(';')
      .map((r) => r.trim())
      .filter(Boolean);
    if (rules.length === 0) return new BusinessHours(timeZone, null);
    const week: Range[][] = DAYS.map(() => []);
    for (const rule of rules) {
      const [days = '', ...rest] = rule.split(/\s+/);
      const ranges = rest
        .join(' ')
        .split(/[\s,]+/)
        .filter(Boolean)
        .map((r) => parseRange(r, rule));
      if (ranges.length === 0) throw new Error(`business hours "${rule}": no time range such as 08:00-18:00`);
      for (const day of parseDays(days, rule)) week[day]?.push(...ranges);
    }
    return new BusinessHours(timeZone, week);
  }

  /** True when no hours are configured: staff are always available. */
  get alwaysOpen(): boolean {
    return this.week.length === 0;
  }

  isOpen(at: Date): boolean {
    if (this.alwaysOpen) return true;
    const { day, minute } = this.localTime(at);
    return (this.week[day] ?? []).some((r) => minute >= r.start && minute < r.end);
  }

  /** The next instant at which staff are available (`at` itself when open now). */
  nextOpening(at: Date): Date {
    if (this.isOpen(at)) return at;
    const now = this.localTime(at);
    for (let offset = 0; offset <= 7; offset++) {
      const day = (now.day + offset) % 7;
      const start = (this.week[day] ?? [])
        .map((r) => r.start)
        .filter((s) => offset > 0 || s > now.minute)
        .sort((a, b) => a - b)[0];
      if (start === undefined) continue;
      const aheadMinutes = offset * MINUTES_PER_DAY + start - now.minute;
      const wholeMinute = Math.floor(at.getTime() / MS_PER_MINUTE) * MS_PER_MINUTE;
      const guess = new Date(wholeMinute + aheadMinutes * MS_PER_MINUTE);
      // A daylight-saving change in between shifts the wall clock: correct by the difference once.
      const drift = this.localTime(guess).minute - start;
      const shift = Math.abs(drift) < MINUTES_PER_DAY / 2 ? drift : 0;
      return new Date(guess.getTime() - shift * MS_PER_MINUTE);
    }
    throw new Error('business hours without an opening range'); // parse() never builds such a week
  }

  /** A moment formatted for a customer in their language, in the business time zone ("Monday 08:00 CET"). */
  format(at: Date, locale: string): string {
    return new Intl.DateTimeFormat(locale, {
      timeZone: this.timeZone,
      weekday: 'long',
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'short',
    }).format(at);
  }

  private localTime(at: Date): LocalTime {
    const parts = Object.fromEntries(this.parts.formatToParts(at).map((p) => [p.type, p.value]));
    const day = DAYS.indexOf(String(parts.weekday).toLowerCase() as (typeof DAYS)[number]);
    return { day, minute: Number(parts.hour) * 60 + Number(parts.minute) };
  }
}

/** True for a time zone the Intl API knows (an IANA name such as Europe/Oslo, or UTC). */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function assertTimeZone(timeZone: string): void {
  if (!isTimeZone(timeZone))
    throw new Error(`unknown time zone "${timeZone}" (use an IANA name such as Europe/Oslo)`);
}

function dayIndex(name: string, rule: string): number {
  const index = DAYS.findIndex((d) => d === name.slice(0, 3).toLowerCase());
  if (index < 0 || name.length < 3) throw new Error(`business hours "${rule}": unknown day "${name}"`);
  return index;
}

/** "Mon-Fri", "Sat", "Mon,Wed" or "Fri-Mon" (wrapping over the weekend). */
function parseDays(spec: string, rule: string): number[] {
  const days = new Set<number>();
  for (const part of spec.split(',').filter(Boolean)) {
    const [from = '', to] = part.split('-');
    const first = dayIndex(from, rule);
    const last = to === undefined ? first : dayIndex(to, rule);
    for (let d = first; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === last) break;
    }
  }
  if (days.size === 0) throw new Error(`business hours "${rule}": no days`);
  return [...days];
}

function parseRange(text: string, rule: string): Range {
  const match = /^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/.exec(text);
  if (!match) throw new Error(`business hours "${rule}": "${text}" is not a range such as 08:00-18:00`);
  const [h1, m1, h2, m2] = match.slice(1).map(Number) as [number, number, number, number];
  const start = h1 * 60 + m1;
  const end = h2 * 60 + m2;
  if (m1 > 59 || m2 > 59 || start >= MINUTES_PER_DAY || end > MINUTES_PER_DAY || end <= start) {
    throw new Error(`business hours "${rule}": "${text}" must end after it starts, within one day`);
  }
  return { start, end };
}
