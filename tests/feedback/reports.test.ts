import { csvCell, toCsv } from '../../feedback/csv';
import { BREAKDOWN_DIMENSIONS, wilsonInterval } from '../../feedback/reports';
import type { OpenSurveyInput } from '../../feedback/service';
import { openFeedback, type FeedbackFixture } from './setup';
import { itExpiresByManualClock } from '../helpers/testDatabase';

interface Fixture extends Omit<OpenSurveyInput, 'conversationId' | 'customerId'> {
  at: string;
  score?: number;
  comment?: string;
}

/** Eight surveys over two weeks; six answered. Scores 5,4,2,1,3,5: count 6, sum 20, two 5s and one 4. */
const FIXTURES: Fixture[] = [
  {
    episodeId: 'e1',
    at: '2025-03-03T09:00:00Z',
    locale: 'en',
    channel: 'webchat',
    resolution: 'self-service',
    faqEntryId: 'faq-a',
    score: 5,
  },
  {
    episodeId: 'e2',
    at: '2025-03-03T10:00:00Z',
    locale: 'en',
    channel: 'webchat',
    resolution: 'self-service',
    faqEntryId: 'faq-a',
    score: 4,
  },
  {
    episodeId: 'e3',
    at: '2025-03-03T11:00:00Z',
    locale: 'pl',
    channel: 'msteams',
    resolution: 'agent',
    agentId: 'agent-x',
    score: 2,
    comment: '=HYPERLINK("http://evil") said "hi", then\nleft',
  },
  {
    episodeId: 'e4',
    at: '2025-03-03T12:00:00Z',
    locale: 'id',
    channel: 'webchat',
    resolution: 'self-service',
    faqEntryId: 'faq-b',
  },
  {
    episodeId: 'e5',
    at: '2025-03-04T08:00:00Z',
    locale: 'nb',
    channel: 'msteams',
    resolution: 'agent',
    agentId: 'agent-y',
    score: 1,
    comment: 'Treg, ærlig talt',
  },
  {
    episodeId: 'e6',
    at: '2025-03-04T23:59:59Z',
    locale: 'en',
    channel: 'webchat',
    resolution: 'agent',
    agentId: 'agent-x',
    score: 3,
  },
  {
    episodeId: 'e7',
    at: '2025-03-10T00:00:00Z',
    locale: 'pl',
    channel: 'webchat',
    resolution: 'self-service',
    faqEntryId: 'faq-b',
    score: 5,
  },
  {
    episodeId: 'e8',
    at: '2025-03-11T15:00:00Z',
    locale: 'en',
    channel: 'webchat',
    resolution: 'self-service',
  },
];

let fx: FeedbackFixture;
beforeAll(async () => {
  fx = await openFeedback(new Date('2025-03-01T00:00:00Z'));
  for (const { at, score, comment, ...survey } of FIXTURES) {
    fx.clock.advance(Date.parse(at) - fx.clock.now().getTime());
    const who = { conversationId: `c-${survey.episodeId}`, customerId: `u-${survey.episodeId}` };
    await fx.feedback.openSurvey({ ...survey, ...who });
    if (score === undefined) continue;
    await fx.feedback.submit({ episodeId: survey.episodeId, customerId: who.customerId, score });
    if (comment)
      await fx.feedback.comment({ episodeId: survey.episodeId, customerId: who.customerId, text: comment });
  }
});
afterAll(async () => {
  await fx.db.close();
});

const reports = () => fx.feedback.reports;

describe('rating summary', () => {
  it('when every rating counts, then count, average, CSAT with its interval, distribution and response rate add up', async () => {
    expect(await reports().summary({})).toEqual({
      count: 6,
      average: 20 / 6,
      csat: 3 / 6,
      csatInterval: wilsonInterval(3, 6),
      enoughRatings: true,
      distribution: { '1': 1, '2': 1, '3': 1, '4': 1, '5': 2 },
      responseRate: 6 / 8,
    });
  });

  it('when nothing matches, then the figures are null, not zero', async () => {
    expect(await reports().summary({ locale: 'xx' })).toEqual({
      count: 0,
      average: null,
      csat: null,
      csatInterval: null,
      enoughRatings: false,
      distribution: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 },
      responseRate: null,
    });
  });

  it.each([
    ['locale pl', { locale: 'pl' }, { count: 2, average: 3.5, csat: 0.5, responseRate: 1 }],
    [
      'agent resolution',
      { resolution: 'agent' as const },
      { count: 3, average: 2, csat: 0, responseRate: 1 },
    ],
    ['agent-x', { agentId: 'agent-x' }, { count: 2, average: 2.5, csat: 0, responseRate: 1 }],
    ['channel msteams', { channel: 'msteams' }, { count: 2, average: 1.5, csat: 0, responseRate: 1 }],
    [
      'from inclusive, to exclusive',
      { from: new Date('2025-03-04T00:00:00Z'), to: new Date('2025-03-10T00:00:00Z') },
      { count: 2, average: 2, csat: 0, responseRate: 1 },
    ],
    [
      'self-service from e4 on',
      { resolution: 'self-service' as const, from: new Date('2025-03-03T12:00:00Z') },
      { count: 1, average: 5, csat: 1, responseRate: 1 / 3 },
    ],
  ])('when filtered by %s, then only those ratings count', async (_name, filter, expected) => {
    expect(await reports().summary(filter)).toMatchObject(expected);
  });
});

describe('rating trend and breakdowns', () => {
  it('when grouped by day, then each day has its own figures', async () => {
    const points = await reports().trend({}, 'day');
    expect(points.map((p) => [p.bucket, p.count, p.responseRate])).toEqual([
      ['2025-03-03', 3, 3 / 4],
      ['2025-03-04', 2, 1],
      ['2025-03-10', 1, 1],
      ['2025-03-11', 0, 0],
    ]);
  });

  it('when grouped by week, then weeks start on Monday', async () => {
    const points = await reports().trend({}, 'week');
    expect(points.map((p) => [p.bucket, p.count, p.average, p.responseRate])).toEqual([
      ['2025-03-03', 5, 15 / 5, 5 / 6],
      ['2025-03-10', 1, 5, 1 / 2],
    ]);
  });

  it.each(BREAKDOWN_DIMENSIONS)('when broken down by %s, then the rows add up to the summary', async (by) => {
    const rows = await reports().breakdown({}, by);
    const summary = await reports().summary({});
    expect(rows.reduce((sum, row) => sum + row.count, 0)).toBe(summary.count);
    for (const score of ['1', '2', '3', '4', '5'] as const) {
      expect(rows.reduce((sum, row) => sum + row.distribution[score], 0)).toBe(summary.distribution[score]);
    }
  });

  it('when broken down by FAQ entry, then entries without a rating still show their response rate', async () => {
    const rows = await reports().breakdown({}, 'faqEntryId');
    expect(rows.map((r) => [r.key, r.count, r.average, r.responseRate])).toEqual([
      [null, 3, 2, 3 / 4],
      ['faq-a', 2, 4.5, 1],
      ['faq-b', 1, 5, 1 / 2],
    ]);
  });

  it('when broken down by agent, then self-service ratings have no agent', async () => {
    const rows = await reports().breakdown({}, 'agentId');
    expect(rows.map((r) => [r.key, r.count, r.csat])).toEqual([
      [null, 3, 1],
      ['agent-x', 2, 0],
      ['agent-y', 1, 0],
    ]);
  });
});

describe('rating CSV', () => {
  it('when exported, then there is one row per rating with its comment, and the scores add up', async () => {
    const [header, ...rows] = await reports().csvTable({});
    expect(header).toEqual([
      'createdAt',
      'updatedAt',
      'episodeId',
      'conversationId',
      'score',
      'locale',
      'channel',
      'resolution',
      'faqEntryId',
      'agentId',
      'comment',
    ]);
    expect(rows.map((r) => r[2])).toEqual(['e1', 'e2', 'e3', 'e5', 'e6', 'e7']);
    expect(rows.reduce((sum, r) => sum + Number(r[4]), 0)).toBe(20);
    expect(rows.find((r) => r[2] === 'e5')?.[10]).toBe('Treg, ærlig talt');
  });

  it('when a cell has commas, quotes, line breaks or starts like a formula, then it is escaped', async () => {
    const csv = toCsv(await reports().csvTable({ agentId: 'agent-x' }));
    const lines = csv.split('\r\n');
    expect(lines).toHaveLength(4); // header, two rows (one with a line break inside quotes), final CRLF
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"") said ""hi"", then\nleft"`);
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\r\nlines', '"two\r\nlines"'],
    ['=1+1', "'=1+1"],
    ['+48 600', "'+48 600"],
    ['-5', "'-5"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ["'=1+1", "''=1+1"],
    ["'quoted", "'quoted"],
    ['\tcmd', `"'\tcmd"`],
    ['=a,b', `"'=a,b"`],
    ['ok;=2+5;@SUM(1+1)', '"ok;=2+5;@SUM(1+1)"'],
    ['a\t=1+1', '"a\t=1+1"'],
    ['', ''],
  ])('when a cell is %p, then it is written as %p', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  itExpiresByManualClock(
    'when the retention of a comment ends, then the export keeps the rating without it',
    async () => {
      fx.clock.advance(31 * 24 * 60 * 60_000);
      const rows = (await reports().csvTable({ agentId: 'agent-y' })).slice(1);
      expect(rows).toHaveLength(1);
      expect(rows[0]?.[10]).toBe('');
    },
  );
});
