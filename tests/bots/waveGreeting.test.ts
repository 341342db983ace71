import { t } from '../../locales';
import { startTestBot, texts, type TestBot } from '../helpers/harness';

const CASES = [
  { locale: 'en', hi: 'hi', question: 'How do I change my wifi password?' },
  { locale: 'id', hi: 'halo', question: 'gimana cara ganti password wifi' },
  { locale: 'pl', hi: 'cześć', question: 'jak zmienić hasło do wifi' },
  { locale: 'nb', hi: 'hei', question: 'hvordan bytter jeg wifi-passord' },
] as const;

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
});
afterAll(() => bot.close());

let n = 0;
function customer(locale: string) {
  n += 1;
  return { locale, conversationId: `wave-${n}`, userId: `wave-user-${n}` };
}

describe.each(CASES)('a wave ($locale)', ({ locale, hi, question }) => {
  it('when the first message is a wave, then the bot greets back and asks how it can help', async () => {
    expect(texts(await bot.say('👋', customer(locale)))).toEqual([t(locale, 'common.greeting')]);
  });

  it('when a wave follows a greeting, then the bot says it is here rather than saying goodbye', async () => {
    const who = customer(locale);
    await bot.say(hi, who);
    expect(texts(await bot.say('👋', who))).toEqual([t(locale, 'common.stillHere')]);
  });

  it('when a wave answers "anything else?" after help was given, then the episode closes with the survey', async () => {
    const who = customer(locale);
    await bot.say(question, who);
    expect(texts(await bot.say(t(locale, 'common.yes'), who))).toContain(t(locale, 'common.anythingElse'));
    expect(texts(await bot.say('👋', who))).toEqual([t(locale, 'feedback.prompt')]);
  });

  it('when the customer waves after the survey, then the bot says goodbye', async () => {
    const who = customer(locale);
    await bot.say(question, who);
    await bot.say(t(locale, 'common.yes'), who);
    await bot.say(t(locale, 'common.no'), who);
    await bot.say('5', who);
    await bot.say(t(locale, 'common.skip'), who);
    expect(texts(await bot.say('👋', who))).toEqual([t(locale, 'common.goodbye')]);
  });
});

it('when a Norwegian customer opens with a thumbs-up, then the bot asks how it can help instead of closing', async () => {
  expect(texts(await bot.say('👍', customer('nb')))).toEqual([t('nb', 'common.okay')]);
});
