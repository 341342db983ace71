import { BusinessHours } from '../../handoff/businessHours';

describe('business hours', () => {
  const oslo = BusinessHours.parse('Mon-Fri 08:00-18:00; Sat 10:00-14:00', 'Europe/Oslo');

  it.each([
    ['a Tuesday morning in Oslo (winter, UTC+1)', '2025-03-04T07:30:00Z', true],
    ['just before opening in Oslo', '2025-03-04T06:59:00Z', false],
    ['the last minute before closing', '2025-03-04T16:59:00Z', true],
    ['closing time itself', '2025-03-04T17:00:00Z', false],
    ['a Saturday at noon', '2025-03-08T11:00:00Z', true],
    ['a Saturday afternoon after 14:00', '2025-03-08T13:30:00Z', false],
    ['a Sunday', '2025-03-09T11:00:00Z', false],
    ['a summer Monday at 07:30 local (UTC+2)', '2025-06-02T05:30:00Z', false],
    ['a summer Monday at 08:30 local (UTC+2)', '2025-06-02T06:30:00Z', true],
  ])('on %s, open is %s', (_when, iso, open) => {
    expect(oslo.isOpen(new Date(iso))).toBe(open);
  });

  it('when it is Saturday afternoon, then the next opening is Monday 08:00 local time', () => {
    expect(oslo.nextOpening(new Date('2025-03-08T13:30:00Z')).toISOString()).toBe('2025-03-10T07:00:00.000Z');
  });

  it('when closed overnight across the daylight-saving change, then the next opening is still 08:00 local', () => {
    // Friday 28 March 2025 19:00 local → Monday 31 March, after the switch to summer time (UTC+2).
    const weekdays = BusinessHours.parse('Mon-Fri 08:00-18:00', 'Europe/Oslo');
    expect(weekdays.nextOpening(new Date('2025-03-28T18:00:00Z')).toISOString()).toBe(
      '2025-03-31T06:00:00.000Z',
    );
  });

  it('when open, then the next opening is now', () => {
    const now = new Date('2025-03-04T09:00:00Z');
    expect(oslo.nextOpening(now)).toBe(now);
  });

  it('when the same hours are in Jakarta, then the time zone decides', () => {
    const jakarta = BusinessHours.parse('Mon-Fri 08:00-17:00', 'Asia/Jakarta');
    expect(jakarta.isOpen(new Date('2025-03-04T02:00:00Z'))).toBe(true); // 09:00 WIB
    expect(jakarta.isOpen(new Date('2025-03-04T11:00:00Z'))).toBe(false); // 18:00 WIB
    expect(jakarta.isOpen(new Date('2025-03-07T23:00:00Z'))).toBe(false); // Saturday 06:00 WIB
  });

  it('when the hours are empty, then staff are always available', () => {
    const always = BusinessHours.parse('', 'UTC');
    expect(always.alwaysOpen).toBe(true);
    expect(always.isOpen(new Date('2025-03-09T03:00:00Z'))).toBe(true);
  });

  it('when a rule has several ranges and day lists, then each applies', () => {
    const split = BusinessHours.parse('Mon,Wed 09:00-12:00, 13:00-17:00; Fri-Sun 10:00-11:00', 'UTC');
    expect(split.isOpen(new Date('2025-03-05T12:30:00Z'))).toBe(false); // Wednesday lunch
    expect(split.isOpen(new Date('2025-03-05T13:30:00Z'))).toBe(true);
    expect(split.isOpen(new Date('2025-03-04T10:00:00Z'))).toBe(false); // Tuesday
    expect(split.isOpen(new Date('2025-03-09T10:30:00Z'))).toBe(true); // Sunday (Fri-Sun wraps)
  });

  it('when an opening time is shown to a customer, then it is in their language and the business time zone', () => {
    const monday = new Date('2025-03-10T07:00:00Z');
    expect(oslo.format(monday, 'en')).toMatch(/Monday.*08:00/);
    expect(oslo.format(monday, 'nb')).toMatch(/mandag.*08[:.]00/);
    expect(oslo.format(monday, 'pl')).toMatch(/poniedziałek.*08:00/);
    expect(oslo.format(monday, 'id')).toMatch(/Senin.*08[.:]00/);
  });

  it.each([
    ['Mon-Fri', 'no time range'],
    ['Mon-Fri 8-18', 'is not a range'],
    ['Funday 08:00-18:00', 'unknown day'],
    ['Mon 18:00-08:00', 'must end after it starts'],
    ['Mon 08:00-24:30', 'must end after it starts'],
  ])('when the setting is %j, then it is rejected with a clear message', (spec, message) => {
    expect(() => BusinessHours.parse(spec, 'UTC')).toThrow(message);
  });

  it('when the time zone is unknown, then it is rejected', () => {
    expect(() => BusinessHours.parse('', 'Mars/Olympus')).toThrow('unknown time zone');
  });
});
