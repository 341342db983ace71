import { t } from '../../locales';
import { newCustomers, startTestBot, texts, type TestBot } from '../helpers/harness';

/**
 * "ok" at "Did this answer your question?" is a yes, but the classifier reads a bare "ok" as a goodbye, and the bot
 * closed with the survey at once, never asking "anything else?" (found by the twenty-first session's exploratory
 * tester). A bare yes is a yes there; a goodbye ("ok thanks, bye", "oke siap, makasih") still closes.
 */
const CASES = [
  { locale: 'en', question: 'How do I change my wifi password?', ok: 'ok', goodbye: 'ok thanks, bye' },
  {
    locale: 'id',
    question: 'Bagaimana cara mengganti kata sandi wifi?',
    ok: 'oke',
    goodbye: 'oke siap, makasih',
  },
  { locale: 'pl', question: 'jak zmienić hasło do wifi?', ok: 'ok', goodbye: 'ok dzięki, pa' },
  { locale: 'nb', question: 'hvordan bytter jeg wifi-passord?', ok: 'ok', goodbye: 'ok takk, ha det' },
] as const;

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
});
afterAll(() => bot.close());

const who = newCustomers('ok-helpful');

describe.each(CASES)('"ok" at "did this help?" ($locale)', (c) => {
  it('when the customer answers "ok", then the bot is glad and asks whether there is anything else', async () => {
    const customer = who(c.locale);
    await bot.say(c.question, customer);
    expect(texts(await bot.say(c.ok, customer))).toEqual([
      t(c.locale, 'faq.glad'),
      t(c.locale, 'common.anythingElse'),
    ]);
  });

  it('when the customer answers with a goodbye, then the bot closes with the survey', async () => {
    const customer = who(c.locale);
    await bot.say(c.question, customer);
    expect(texts(await bot.say(c.goodbye, customer))).toEqual([t(c.locale, 'feedback.prompt')]);
  });
});
