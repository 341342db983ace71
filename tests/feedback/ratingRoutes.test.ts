import restify, { type Server } from 'restify';
import { createLogger } from '../../core/logger';
import { wilsonInterval } from '../../feedback/reports';
import { supportedLocales } from '../../language/words';
import { StaffAuth } from '../../server/auth';
import { installErrorShape } from '../../server/http';
import { registerRatingRoutes } from '../../server/ratingRoutes';
import { openFeedback, surveyInput, type FeedbackFixture } from './setup';

const ADMIN_TOKEN = 'ratings-admin-token-0123456789';

let fx: FeedbackFixture;
let server: Server;
let base: string;
let agentToken: string;

beforeAll(async () => {
  fx = await openFeedback(new Date('2025-03-03T09:00:00Z'));
  const auth = new StaffAuth(fx.db, fx.clock, ADMIN_TOKEN);
  agentToken = (await auth.issue('Agent Anna', 'agent', 'admin')).token;
  server = restify.createServer();
  installErrorShape(server);
  registerRatingRoutes(server, { auth, feedback: fx.feedback, log: createLogger('silent') });
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve());
  });
  base = `http://127.0.0.1:${server.address().port}`;

  const rate = async (score: number, overrides: Parameters<typeof surveyInput>[0], comment?: string) => {
    const input = surveyInput(overrides);
    await fx.feedback.openSurvey(input);
    await fx.feedback.submit({ episodeId: input.episodeId, customerId: input.customerId, score });
    if (comment)
      await fx.feedback.comment({ episodeId: input.episodeId, customerId: input.customerId, text: comment });
  };
  await rate(5, { locale: 'en' });
  await rate(
    4,
    { locale: 'pl', channel: 'msteams', resolution: 'agent', agentId: 'agent-anna' },
    '@cmd, "quoted"',
  );
  fx.clock.advance(24 * 60 * 60_000);
  await rate(1, { locale: 'en', faqEntryId: 'faq-1' }, '-ugh');
  await fx.feedback.openSurvey(surveyInput({ locale: 'nb' }));
});

afterAll(async () => {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
  });
  await fx.db.close();
});

const get = (path: string, token: string | null = ADMIN_TOKEN) =>
  fetch(`${base}${path}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });

describe('rating routes', () => {
  it('when an admin asks for the summary, then exactly the figures, the interval and the too-few flag come back', async () => {
    const response = await get('/api/admin/ratings/summary');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      count: 3,
      average: 10 / 3,
      csat: 2 / 3,
      csatInterval: wilsonInterval(2, 3),
      enoughRatings: false,
      distribution: { '1': 1, '2': 0, '3': 0, '4': 1, '5': 1 },
      responseRate: 3 / 4,
    });
  });

  it.each([
    ['?from=2025-03-03&to=2025-03-03', { count: 2, average: 4.5 }],
    ['?from=2025-03-04T00:00:00Z', { count: 1, average: 1 }],
    ['?to=2025-03-04T00:00:00%2B00:00', { count: 2 }],
    [
      '?locale=pl&channel=msteams&resolution=agent&agentId=agent-anna',
      { count: 1, average: 4, responseRate: 1 },
    ],
    ['?locale=nb', { count: 0, average: null, csat: null, responseRate: 0 }],
  ])('when the summary is filtered with %s, then the figures follow', async (query, expected) => {
    const response = await get(`/api/admin/ratings/summary${query}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject(expected);
  });

  it.each([
    '?from=yesterday',
    '?from=2025-13-01',
    '?to=2025-03-01T10:00:00',
    '?from=2025-03-05&to=2025-03-01',
    '?resolution=robot',
  ])('when the query %s is invalid, then 400 with the error shape', async (query) => {
    const response = await get(`/api/admin/ratings/summary${query}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'bad_request' });
  });

  it.each([
    '/api/admin/ratings/summary',
    '/api/admin/ratings/trend',
    '/api/admin/ratings/breakdown?by=channel&',
    '/api/admin/ratings/comments',
    '/api/admin/ratings.csv',
  ])(
    'when %s is asked for a locale the bot does not serve, then 400 naming locale and the served ones',
    async (path) => {
      const response = await get(`${path}${path.endsWith('&') ? '' : '?'}locale=de`);
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: string; details: { path: string; message: string }[] };
      expect(body).toMatchObject({ error: 'bad_request', details: [{ path: 'locale' }] });
      for (const served of supportedLocales()) expect(body.details[0]?.message).toContain(served);
      expect(supportedLocales()).toEqual(expect.arrayContaining(['en', 'id', 'pl', 'nb']));
    },
  );

  it.each([
    ['no token', 401, null],
    ['a wrong token', 401, 'not-a-token'],
    ['an agent token', 403, 'agent'],
  ])('when called with %s, then every report answers %i', async (_name, status, token) => {
    for (const path of [
      '/api/admin/ratings/summary',
      '/api/admin/ratings.csv',
      '/api/admin/ratings/trend',
      '/api/admin/ratings/breakdown?by=locale',
    ]) {
      const response = await get(path, token === 'agent' ? agentToken : token);
      expect(response.status).toBe(status);
      expect(Object.keys((await response.json()) as object).sort()).toEqual(['error', 'message']);
    }
  });

  it('when the CSV is exported, then it has a header, one row per rating and safe cells', async () => {
    const response = await get('/api/admin/ratings.csv?locale=pl');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="ratings.csv"');
    const body = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer());
    expect(body.startsWith('\uFEFFcreatedAt,updatedAt,episodeId,')).toBe(true);
    const lines = body.slice(1).trimEnd().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/,4,pl,msteams,agent,,agent-anna,"'@cmd, ""quoted"""$/);
  });

  it('when the CSV is exported with semicolons (for Excel set up for pl, nb or id), then its rows split on them and a cell holding one is quoted', async () => {
    const response = await get('/api/admin/ratings.csv?locale=pl&separator=semicolon');
    expect(response.status).toBe(200);
    const body = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer());
    expect(body.startsWith('\uFEFFcreatedAt;updatedAt;episodeId;')).toBe(true);
    const lines = body.slice(1).trimEnd().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/;4;pl;msteams;agent;;agent-anna;"'@cmd, ""quoted"""$/);
  });

  it('when the CSV separator is not one the export knows, then 400 naming separator', async () => {
    const response = await get('/api/admin/ratings.csv?separator=tab');
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain('separator');
  });

  it('when the CSV of everything is exported, then its rows add up to the summary', async () => {
    const body = await (await get('/api/admin/ratings.csv')).text();
    const rows = body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n')
      .slice(1);
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => Number(r.split(',')[4])).reduce((a, b) => a + b, 0)).toBe(10);
    expect(body).toContain(",'-ugh");
  });

  it('when the trend is asked by day, then there is a point per day', async () => {
    const response = await get('/api/admin/ratings/trend?bucket=day');
    const body = (await response.json()) as { bucket: string; points: { bucket: string; count: number }[] };
    expect(body.bucket).toBe('day');
    expect(body.points.map((p) => [p.bucket, p.count])).toEqual([
      ['2025-03-03', 2],
      ['2025-03-04', 1],
    ]);
    expect((await get('/api/admin/ratings/trend?bucket=month')).status).toBe(400);
  });

  it('when a breakdown is asked, then its rows carry their key; an unknown dimension is a 400', async () => {
    const response = await get('/api/admin/ratings/breakdown?by=resolution');
    const body = (await response.json()) as { by: string; rows: { key: string | null; count: number }[] };
    expect(body.rows.map((r) => [r.key, r.count])).toEqual([
      ['self-service', 2],
      ['agent', 1],
    ]);
    expect((await get('/api/admin/ratings/breakdown?by=customerId')).status).toBe(400);
    expect((await get('/api/admin/ratings/breakdown')).status).toBe(400);
  });
});
