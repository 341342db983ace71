import { startTestBot, type TestBot } from '../helpers/harness';

/** The CSAT dashboard's latest comments: newest first, by score and language, paged, admins only. */
let bot: TestBot;
let agentToken: string;

interface Page {
  comments: { episodeId: string; score: number; locale: string; text: string; faqEntryId?: string }[];
  more: boolean;
  offset: number;
  limit: number;
}

beforeAll(async () => {
  bot = await startTestBot();
  agentToken = (await bot.app.auth.issue('Agent Anna', 'agent', 'admin')).token;
  const rate = async (n: number, locale: string, score: number, comment?: string) => {
    const input = {
      episodeId: `ep-${n}`,
      conversationId: `conv-${n}`,
      customerId: `cust-${n}`,
      locale,
      channel: 'webchat',
      resolution: 'self-service' as const,
      faqEntryId: `faq-${n}`,
    };
    await bot.app.feedback.openSurvey(input);
    await bot.app.feedback.submit({ episodeId: input.episodeId, customerId: input.customerId, score });
    if (comment)
      await bot.app.feedback.comment({
        episodeId: input.episodeId,
        customerId: input.customerId,
        text: comment,
      });
    bot.clock.advance(60_000);
  };
  await rate(1, 'en', 5, 'Great, thanks');
  await rate(2, 'pl', 1, 'Nie da się anulować <img src=x onerror=alert(1)>');
  await rate(3, 'pl', 2, 'Za długo');
  await rate(4, 'nb', 1, 'Ikke hjelpsomt');
  await rate(5, 'en', 1);
  await rate(6, 'pl', 1, 'Nadal nie działa');
});

afterAll(async () => {
  await bot.close();
});

const page = async (query: string, token?: string) => {
  const response = await bot.api(`/api/admin/ratings/comments${query}`, token ? { token } : {});
  return { status: response.status, body: (await response.json()) as Page & { error?: string } };
};

describe('the latest comments', () => {
  it('when an admin asks, then the comments come newest first with their score, language and answer', async () => {
    const { status, body } = await page('');
    expect(status).toBe(200);
    expect(body.comments.map((c) => c.episodeId)).toEqual(['ep-6', 'ep-4', 'ep-3', 'ep-2', 'ep-1']);
    expect(body.comments[0]).toMatchObject({ score: 1, locale: 'pl', faqEntryId: 'faq-6' });
    expect(body.more).toBe(false);
  });

  it('when filtered by score and language, then only those come back', async () => {
    const { body } = await page('?score=1&locale=pl');
    expect(body.comments.map((c) => c.text)).toEqual([
      'Nadal nie działa',
      expect.stringContaining('Nie da się anulować') as unknown as string,
    ]);
    expect((await page('?score=&locale=')).body.comments).toHaveLength(5);
  });

  it('when paged, then each page follows the last and says whether more follow', async () => {
    const first = await page('?limit=2');
    expect(first.body.comments.map((c) => c.episodeId)).toEqual(['ep-6', 'ep-4']);
    expect(first.body.more).toBe(true);
    const last = await page('?limit=2&offset=4');
    expect(last.body.comments.map((c) => c.episodeId)).toEqual(['ep-1']);
    expect(last.body.more).toBe(false);
  });

  it('when the query is not valid, then 400 and nothing is read', async () => {
    for (const query of ['?score=6', '?score=0', '?limit=0', '?limit=101', '?offset=-1', '?from=yesterday']) {
      const { status, body } = await page(query);
      expect([query, status, body.error]).toEqual([query, 400, 'bad_request']);
    }
  });

  it('when the query carries operators, then they are names of unknown parameters, never operators', async () => {
    const { status, body } = await page('?score[$ne]=1&locale[$ne]=pl');
    expect(status).toBe(200);
    expect(body.comments).toHaveLength(5);
  });

  it('when an agent or nobody asks, then the comments stay hidden', async () => {
    expect((await page('', agentToken)).status).toBe(403);
    const anonymous = await fetch(`${bot.url}/api/admin/ratings/comments`);
    expect(anonymous.status).toBe(401);
  });
});
