import { t } from '../../locales';
import { queuedCase, startTestBot, texts, type TestBot } from '../helpers/harness';

/**
 * A goodbye while waiting in the queue ("thanks bye", "ok dzięki, pa") got "Thanks, I've added this to your
 * request. You're number 1…": the customer left believing nothing more would happen, and an agent later took the
 * case of someone gone (found by the twenty-first session's exploratory tester). Now they hear that the request
 * stays, so someone will still answer, and how to withdraw it, at the pace of the other notices; the request is kept
 * unless they do. An acknowledgement ("ok", "ok, czekam"), which the classifier may read as a goodbye, is none.
 */
interface CaseJson {
  status: string;
  messages?: Array<{ from: string; text: string }>;
}

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
});
afterAll(() => bot.close());

it.each([
  ['en', 'thanks bye'],
  ['id', 'makasih kak, dadah'],
  ['pl', 'ok dzięki, pa'],
  ['nb', 'takk, ha det bra'],
])(
  'when a waiting %s customer says "%s", then the bot says the request stays and how to withdraw it',
  async (locale, goodbye) => {
    const conversationId = `queued-goodbye-${locale}`;
    const { caseDoc } = await queuedCase(bot, conversationId, 'internet down', locale);
    const customer = { conversationId, userId: `${conversationId}-user`, locale };
    expect(texts(await bot.say(goodbye, customer))).toEqual([t(locale, 'handoff.queuedGoodbye')]);
    const detail = (await (await bot.api(`/api/agent/cases/${caseDoc.id}`)).json()) as CaseJson;
    expect(detail.status).toBe('queued');
    expect(detail.messages?.map((m) => m.text)).toContain(goodbye);
  },
);

it.each([
  ['en', 'ok'],
  ['pl', 'dobrze, czekam'],
  ['nb', 'ok'],
  ['id', 'oke kak'],
])(
  'when a waiting %s customer acknowledges with "%s", then the bot gives the plain notice, not the goodbye one',
  async (locale, ack) => {
    const conversationId = `queued-ack-${locale}`;
    await queuedCase(bot, conversationId, 'internet down', locale);
    const customer = { conversationId, userId: `${conversationId}-user`, locale };
    const said = texts(await bot.say(ack, customer));
    expect(said).toHaveLength(1);
    expect(said[0]).not.toBe(t(locale, 'handoff.queuedGoodbye'));
  },
);

it('when a waiting customer says goodbye twice, then the second time, within the pace of notices, gets no reply', async () => {
  const conversationId = 'queued-goodbye-twice';
  await queuedCase(bot, conversationId, 'internet down', 'en');
  const customer = { conversationId, userId: `${conversationId}-user`, locale: 'en' };
  expect(texts(await bot.say('thanks bye', customer))).toEqual([t('en', 'handoff.queuedGoodbye')]);
  expect(texts(await bot.say('thank you, bye', customer))).toEqual([]);
});
