import { t } from '../../locales';
import { newCustomers, startTestBot, texts, type TestBot } from '../helpers/harness';

/**
 * 🙏 says please as often as thanks, in Indonesian chat above all. It was only a goodbye phrase: a customer asking
 * for help with it ("kak tolong 🙏") or opening with it was wished a nice day. Now it is also politeness (`filler`)
 * and a greeting gesture (`greeting`), so a request with it is a request and before the conversation has started it
 * greets; after an answer it still thanks.
 */
let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
});
afterAll(() => bot.close());

const who = newCustomers('praying');

it.each([
  ['id', 'kak tolong 🙏'],
  ['id', 'tolong kak 🙏🙏'],
  ['en', 'please help 🙏'],
])('when a %s customer opens with "%s", then the bot says what it can help with', async (locale, text) => {
  expect(texts(await bot.say(text, who(locale)))).toEqual([t(locale, 'common.help')]);
});

it.each([
  ['id', '🙏'],
  ['id', '🙏🙏'],
  ['id', 'selamat pagi kak 🙏'],
  ['en', '🙏'],
  ['pl', '🙏'],
  ['nb', '🙏'],
])(
  'when a %s customer opens with "%s", then the bot greets and asks how it can help',
  async (locale, text) => {
    expect(texts(await bot.say(text, who(locale)))).toEqual([t(locale, 'common.greeting')]);
  },
);

it('when "🙏" follows a greeting, then the bot says it is there, no goodbye and no survey', async () => {
  const customer = who('id');
  await bot.say('permisi kak 🙏', customer);
  expect(texts(await bot.say('🙏', customer))).toEqual([t('id', 'common.stillHere')]);
});

it('when "🙏" answers "did this help?", then it thanks: the episode closes with the survey', async () => {
  const customer = who('id');
  await bot.say('Bagaimana cara mengganti kata sandi wifi?', customer);
  expect(texts(await bot.say('🙏', customer))).toEqual([t('id', 'feedback.prompt')]);
});
