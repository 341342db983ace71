import { startTestBot, type TestBot } from '../helpers/harness';

/**
 * Erasing a customer leaves every CSAT figure as it was: their surveys and ratings stay, anonymised, so a survey
 * they answered still counts as sent and answered, in the summary and in every breakdown.
 */
let bot: TestBot;

interface Rated {
  customerId: string;
  locale: string;
  channel: string;
  resolution: 'self-service' | 'agent';
  agentId?: string;
  agentName?: string;
  faqEntryId?: string;
  score?: number;
}

/** Five answered surveys and two unanswered, over two days; the first customer answered two. */
const SURVEYS: Rated[] = [
  {
    customerId: 'erased',
    locale: 'nb',
    channel: 'msteams',
    resolution: 'agent',
    agentId: 'aad-ana',
    agentName: 'Ana Nowak',
    score: 5,
  },
  {
    customerId: 'erased',
    locale: 'nb',
    channel: 'webchat',
    resolution: 'self-service',
    faqEntryId: 'nb-hours',
    score: 4,
  },
  {
    customerId: 'erased',
    locale: 'nb',
    channel: 'webchat',
    resolution: 'self-service',
    faqEntryId: 'nb-hours',
  },
  {
    customerId: 'kept-1',
    locale: 'nb',
    channel: 'msteams',
    resolution: 'agent',
    agentId: 'aad-ana',
    agentName: 'Ana Nowak',
  },
  {
    customerId: 'kept-1',
    locale: 'en',
    channel: 'webchat',
    resolution: 'self-service',
    faqEntryId: 'en-hours',
    score: 2,
  },
  {
    customerId: 'kept-2',
    locale: 'pl',
    channel: 'webchat',
    resolution: 'agent',
    agentId: 'console-1',
    score: 1,
  },
  {
    customerId: 'kept-2',
    locale: 'en',
    channel: 'msteams',
    resolution: 'self-service',
    faqEntryId: 'en-hours',
    score: 3,
  },
];

beforeAll(async () => {
  bot = await startTestBot();
  for (const [i, { score, customerId, ...facts }] of SURVEYS.entries()) {
    const episodeId = `ep-${i}`;
    await bot.app.feedback.openSurvey({
      episodeId,
      conversationId: `conv-${customerId}-${i}`,
      customerId,
      ...facts,
    });
    if (score !== undefined) await bot.app.feedback.submit({ episodeId, customerId, score });
    bot.clock.advance(8 * 60 * 60_000);
  }
});

afterAll(async () => {
  await bot.close();
});

const get = async (path: string): Promise<unknown> => {
  const response = await bot.api(path);
  expect(response.status).toBe(200);
  return (await response.json()) as unknown;
};

/** Every report the dashboard shows: the summary, the trend, and each breakdown. */
async function reports(): Promise<{ summary: unknown; nb: unknown; trend: unknown; by: unknown[] }> {
  return {
    summary: await get('/api/admin/ratings/summary'),
    nb: await get('/api/admin/ratings/summary?locale=nb'),
    trend: await get('/api/admin/ratings/trend?bucket=day'),
    by: await Promise.all(
      ['locale', 'channel', 'agentId', 'resolution', 'faqEntryId'].map((by) =>
        get(`/api/admin/ratings/breakdown?by=${by}`),
      ),
    ),
  };
}

describe('CSAT reports across an erasure', () => {
  it('when a customer who rated is erased, then the summary and every breakdown stay exactly as before', async () => {
    const before = await reports();
    expect(before.summary).toMatchObject({ count: 5, responseRate: 5 / 7 });
    expect(before.nb).toMatchObject({ count: 2, responseRate: 2 / 4 });

    const response = await bot.api('/api/admin/customers/erased', { method: 'DELETE' });
    expect(response.status).toBe(200);
    const { erased } = (await response.json()) as { erased: Record<string, number> };

    expect(await reports()).toEqual(before);
    expect(erased).toMatchObject({ ratingsAnonymised: 2, surveysAnonymised: 3 });
    // Nothing links the anonymised surveys to the customer or their conversations.
    const surveys = await bot.app.db.collection('surveys').find({});
    expect(JSON.stringify(surveys)).not.toMatch(/conv-erased|"erased"|ep-[012]"/);
    const exported = (await get('/api/admin/customers/erased/export')) as {
      surveys: unknown[];
      ratings: unknown[];
    };
    expect([exported.surveys, exported.ratings]).toEqual([[], []]);
  });
});
