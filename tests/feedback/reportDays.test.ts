import { startTestBot, type TestBot } from '../helpers/harness';

/**
 * The CSAT reports count by the admin's days: `from`/`to` days and the trend's buckets in the time zone `tz`
 * (UTC without it, as before); an empty filter parameter means no filter on every report.
 */
let bot: TestBot;

const LA = 'America/Los_Angeles';

/** Ratings around midnight in Los Angeles (UTC−8 in December, UTC−7 from 8 March 2026). */
const RATINGS: Array<[at: string, locale: string, score: number, comment?: string]> = [
  ['2025-12-05T07:30:00Z', 'en', 1, 'Late on the 4th in LA'], // LA 4 Dec 23:30, UTC 5 Dec
  ['2025-12-05T09:00:00Z', 'pl', 4], // LA 5 Dec 01:00
  ['2025-12-06T07:42:00Z', 'en', 5, 'Late on the 5th in LA'], // LA 5 Dec 23:42, UTC 6 Dec
  ['2026-03-09T06:30:00Z', 'nb', 3], // LA Sun 8 Mar 23:30 PDT: still the week of 2 March
  ['2026-03-09T07:30:00Z', 'nb', 4], // LA Mon 9 Mar 00:30 PDT: the week of 9 March
];

beforeAll(async () => {
  bot = await startTestBot();
  for (const [i, [at, locale, score, comment]] of RATINGS.entries()) {
    bot.clock.advance(Date.parse(at) - bot.clock.now().getTime());
    const input = {
      episodeId: `ep-${i}`,
      conversationId: `conv-${i}`,
      customerId: `cust-${i}`,
      locale,
      channel: 'webchat',
      resolution: 'self-service' as const,
    };
    await bot.app.feedback.openSurvey(input);
    await bot.app.feedback.submit({ episodeId: input.episodeId, customerId: input.customerId, score });
    if (comment) await bot.app.feedback.comment({ ...input, text: comment });
  }
});

afterAll(async () => {
  await bot.close();
});

const get = async <T>(path: string): Promise<T> => {
  const response = await bot.api(path);
  expect(response.status).toBe(200);
  return (await response.json()) as T;
};
const count = async (query: string) =>
  (await get<{ count: number }>(`/api/admin/ratings/summary?${query}`)).count;

describe('report days in a time zone', () => {
  it('when from = to = a day in Los Angeles, then exactly that local day’s ratings count', async () => {
    const day = await get<{ count: number; average: number }>(
      `/api/admin/ratings/summary?from=2025-12-05&to=2025-12-05&tz=${LA}`,
    );
    expect(day).toMatchObject({ count: 2, average: 4.5 });
    const comments = await get<{ comments: { text: string }[] }>(
      `/api/admin/ratings/comments?from=2025-12-05&to=2025-12-05&tz=${encodeURIComponent(LA)}`,
    );
    expect(comments.comments.map((c) => c.text)).toEqual(['Late on the 5th in LA']);
  });

  it('without tz, then days are UTC days, as before', async () => {
    const day = await get<{ count: number; average: number }>(
      '/api/admin/ratings/summary?from=2025-12-05&to=2025-12-05',
    );
    expect(day).toMatchObject({ count: 2, average: 2.5 });
  });

  it('when the trend is asked with tz, then its days and weeks are the local ones, across a daylight-saving change', async () => {
    const days = await get<{ points: { bucket: string; count: number }[] }>(
      `/api/admin/ratings/trend?bucket=day&tz=${LA}&from=2025-12-01&to=2025-12-31`,
    );
    expect(days.points.map((p) => [p.bucket, p.count])).toEqual([
      ['2025-12-04', 1],
      ['2025-12-05', 2],
    ]);
    const weeks = await get<{ points: { bucket: string; count: number }[] }>(
      `/api/admin/ratings/trend?bucket=week&tz=${LA}&from=2026-03-01`,
    );
    expect(weeks.points.map((p) => [p.bucket, p.count])).toEqual([
      ['2026-03-02', 1],
      ['2026-03-09', 1],
    ]);
    const open = await get<{ points: { bucket: string; count: number }[] }>(
      `/api/admin/ratings/trend?bucket=day&tz=Asia/Jakarta`,
    );
    expect(open.points.map((p) => [p.bucket, p.count])).toEqual([
      ['2025-12-05', 2],
      ['2025-12-06', 1],
      ['2026-03-09', 2],
    ]);
  });

  it('when tz is not a time zone, then the report is refused with 400', async () => {
    const response = await bot.api('/api/admin/ratings/summary?tz=Mars/Base');
    expect(response.status).toBe(400);
  });

  // A zone's offsets are looked up over the period: years 1 to 9999 kept the process (every chat) busy for seconds.
  it.each([
    ['from', 'ratings/trend?from=1999-12-31&tz=Europe/Oslo'],
    ['to', 'ratings/trend?to=2100-01-01&tz=Europe/Oslo'],
    ['from', 'ratings/comments?from=0001-01-01T00:00:00Z'],
    ['to', 'ratings.csv?to=9999-12-31'],
  ])(
    'when the period names a year outside 2000–2099, then %s is refused with 400 (%s)',
    async (field, query) => {
      const response = await bot.api(`/api/admin/${query}`);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'bad_request', details: [{ path: field }] });
    },
  );

  it('when the period is the years 2000 to 2099 in a time zone, then it is answered', async () => {
    const trend = await get<{ points: unknown[] }>(
      `/api/admin/ratings/trend?from=2000-01-01&to=2099-12-31&tz=${LA}`,
    );
    expect(trend.points).toHaveLength(4);
  });
});

describe('an empty filter parameter', () => {
  it.each(['summary', 'trend', 'breakdown?by=channel&', 'comments'])(
    'when %s gets locale= and tz= empty, then it answers as without them',
    async (report) => {
      const path = `/api/admin/ratings/${report.includes('?') ? report : `${report}?`}`;
      expect(await get(`${path}locale=&tz=&from=`)).toEqual(await get(path));
    },
  );

  it('when the summary gets a locale, then only that language counts', async () => {
    expect(await count('locale=nb')).toBe(2);
    expect(await count('locale=')).toBe(RATINGS.length);
  });
});
