import restify, { type Server } from 'restify';
import { createLogger } from '../../core/logger';
import { MIN_RATINGS, wilsonInterval } from '../../feedback/reports';
import type { Summary } from '../../feedback/types';
import { StaffAuth } from '../../server/auth';
import { installErrorShape } from '../../server/http';
import { registerRatingRoutes } from '../../server/ratingRoutes';
import { openFeedback, surveyInput, type FeedbackFixture } from './setup';

/**
 * Honest CSAT figures for small samples, through the real restify routes and the embedded store: every figure
 * carries its 95% interval and whether it has enough ratings to judge, and "lowest rated" does not put one unlucky
 * rating above an answer many found wanting (the explorer's finding: 1 rating of 3 topped entries of 9–10).
 */
const ADMIN_TOKEN = 'small-samples-admin-token-0123456789';

let fx: FeedbackFixture;
let server: Server;
let base: string;

/** [FAQ entry or agent, scores] */
const RATED: Array<[about: string, scores: number[]]> = [
  ['faq-unlucky', [3]],
  ['faq-poor', [1, 2, 1, 4, 2, 5, 1, 2, 4, 2]],
  ['faq-fine', [5, 4, 5, 1, 4, 5, 2, 4, 5]],
  ['faq-few-bad', [1, 2]],
  ['agent-two', [5, 5]],
  ['agent-one', [5]],
  ['agent-many', [5, 4, 5, 3, 4, 5]],
];

beforeAll(async () => {
  fx = await openFeedback(new Date('2025-03-03T09:00:00Z'));
  const auth = new StaffAuth(fx.db, fx.clock, ADMIN_TOKEN);
  server = restify.createServer();
  installErrorShape(server);
  registerRatingRoutes(server, { auth, feedback: fx.feedback, log: createLogger('silent') });
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve());
  });
  base = `http://127.0.0.1:${server.address().port}`;
  for (const [about, scores] of RATED) {
    for (const score of scores) {
      const input = surveyInput(
        about.startsWith('agent')
          ? { resolution: 'agent', agentId: about }
          : { resolution: 'self-service', faqEntryId: about },
      );
      await fx.feedback.openSurvey(input);
      await fx.feedback.submit({ episodeId: input.episodeId, customerId: input.customerId, score });
    }
  }
});

afterAll(async () => {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
  });
  await fx.db.close();
});

async function get<T>(path: string): Promise<T> {
  const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

interface Breakdown {
  by: string;
  order: string;
  minRatings: number;
  rows: Array<Summary & { key: string | null }>;
}

describe('the 95% interval of a CSAT share', () => {
  it.each([
    [1, 1, 0.2065, 1],
    [0, 1, 0, 0.7935],
    [2, 2, 0.3424, 1],
    [3, 10, 0.1078, 0.6032],
    [50, 100, 0.4038, 0.5962],
  ])('when %i of %i ratings are 4 or 5, then it is the Wilson interval', (positive, count, low, high) => {
    const interval = wilsonInterval(positive, count);
    expect(interval.low).toBeCloseTo(low, 4);
    expect(interval.high).toBeCloseTo(high, 4);
  });
});

describe('CSAT reports with too few ratings', () => {
  it('when the summary is asked, then it carries its interval and that it has enough ratings', async () => {
    const summary = await get<Summary>('/api/admin/ratings/summary');
    const count = RATED.reduce((sum, [, scores]) => sum + scores.length, 0);
    const positive = RATED.reduce((sum, [, scores]) => sum + scores.filter((s) => s >= 4).length, 0);
    expect(summary).toMatchObject({
      count,
      csat: positive / count,
      csatInterval: wilsonInterval(positive, count),
      enoughRatings: true,
    });
  });

  it('when a filter leaves fewer ratings than the minimum, then the summary says so; with none, there is no interval', async () => {
    expect(await get<Summary>('/api/admin/ratings/summary?agentId=agent-two')).toMatchObject({
      count: 2,
      csat: 1,
      csatInterval: wilsonInterval(2, 2),
      enoughRatings: false,
    });
    expect(await get<Summary>('/api/admin/ratings/summary?agentId=nobody')).toMatchObject({
      count: 0,
      csatInterval: null,
      enoughRatings: false,
    });
  });

  it('when agents are broken down, then those with 1 and 2 ratings at 100% are marked as too few to judge', async () => {
    const body = await get<Breakdown>('/api/admin/ratings/breakdown?by=agentId');
    expect(body).toMatchObject({ by: 'agentId', order: 'count', minRatings: MIN_RATINGS });
    const agents = body.rows.filter((row) => row.key?.startsWith('agent'));
    expect(agents.map((row) => [row.key, row.count, row.csat, row.enoughRatings])).toEqual([
      ['agent-many', 6, 5 / 6, true],
      ['agent-two', 2, 1, false],
      ['agent-one', 1, 1, false],
    ]);
    expect(agents[2]?.csatInterval?.low).toBeCloseTo(0.2065, 4);
  });

  it('when the lowest rated answers are asked, then one unlucky rating does not top the list: answers with enough ratings come first, by the top of their interval', async () => {
    const body = await get<Breakdown>('/api/admin/ratings/breakdown?by=faqEntryId&order=lowest');
    expect(body).toMatchObject({ by: 'faqEntryId', order: 'lowest', minRatings: MIN_RATINGS });
    const answers = body.rows.filter((row) => row.key !== null);
    expect(answers.map((row) => [row.key, row.count, row.enoughRatings])).toEqual([
      ['faq-poor', 10, true],
      ['faq-fine', 9, true],
      // Too few: after the judged ones, by the top of their interval (0 of 2 can be no better than 66%; 0 of 1, 79%).
      ['faq-few-bad', 2, false],
      ['faq-unlucky', 1, false],
    ]);
    // The rows without an answer (agents' cases) have enough ratings, and are ranked with the judged ones.
    expect(body.rows.findIndex((row) => row.key === null)).toBeLessThan(
      body.rows.findIndex((row) => row.key === 'faq-few-bad'),
    );
  });

  it('when the order is not one the breakdown knows, then 400 naming order', async () => {
    const response = await fetch(`${base}/api/admin/ratings/breakdown?by=faqEntryId&order=average`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain('order');
  });
});
