import { startTestBot, texts, type TestBot } from '../helpers/harness';

/**
 * A comment a customer typed instead of the score, who then skipped the score, is in the CSAT section's latest
 * comments without a score, and counts as no score in the figures and the export.
 */
let bot: TestBot;

interface Page {
  comments: { episodeId: string; score?: number; locale: string; text: string }[];
}

const COMMENT = 'the agent was very kind but it took too long';

beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
  const who = { locale: 'en', conversationId: 'unrated-1', userId: 'unrated-1' };
  await bot.say('How do I change my wifi password?', who);
  expect(texts(await bot.say("thanks, that's all", who))).toHaveLength(1);
  await bot.say(COMMENT, who);
  await bot.say('skip', who);
});
afterAll(() => bot.close());

const comments = async (query: string) =>
  ((await (await bot.api(`/api/admin/ratings/comments${query}`)).json()) as Page).comments;

it('when the latest comments are listed, then the comment shows without a score', async () => {
  const [listed] = await comments('');
  expect(listed).toMatchObject({ locale: 'en', text: COMMENT });
  expect(listed?.score).toBeUndefined();
  expect(await comments('?locale=en')).toHaveLength(1);
  expect(await comments('?locale=pl')).toEqual([]);
});

it('when comments of a score are listed, then the comment without one is not among them', async () => {
  for (const score of [1, 2, 3, 4, 5]) expect(await comments(`?score=${score}`)).toEqual([]);
});

it('when the figures and the export are read, then the comment counts as no score', async () => {
  const summary = (await (await bot.api('/api/admin/ratings/summary')).json()) as { count: number };
  expect(summary.count).toBe(0);
  const csv = await (await bot.api('/api/admin/ratings.csv')).text();
  expect(csv).not.toContain(COMMENT);
});
