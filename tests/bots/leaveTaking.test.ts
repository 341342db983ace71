import { t } from '../../locales';
import { startTestBot, texts, type TestBot } from '../helpers/harness';

/**
 * A leave-taking after an answer closes the conversation like a plain goodbye, also when it opens with a word that
 * opens questions ("skal bli") or with a salutation said on leaving as well ("assalamualaikum"). ("will do, thanks
 * bye" is still read as a question: see docs/understanding.md.)
 */
const CASES = [
  {
    locale: 'id',
    question: 'bagaimana cara ganti paket?',
    yes: 'ya',
    goodbye: 'terima kasih',
    leaving: ['assalamualaikum, terima kasih', 'assalamualaikum, makasih banyak kak'],
  },
  {
    locale: 'nb',
    question: 'hvordan bytter jeg abonnement?',
    yes: 'ja',
    goodbye: 'takk, ha det',
    leaving: ['skal bli, takk ha det', 'skal bli, tusen hjertelig takk'],
  },
] as const;

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
});
afterAll(() => bot.close());

let n = 0;
const customer = (locale: string) => ({ locale, conversationId: `leave-${++n}`, userId: `leave-${n}` });

describe.each(CASES)('taking leave after an answer ($locale)', (c) => {
  const { locale } = c;

  it.each([
    ['at "Did this answer your question?"', [] as string[]],
    ['at "anything else?"', [c.yes]],
  ])(
    'when the customer takes leave %s, then the bot closes with the rating as for a goodbye',
    async (_at, before) => {
      for (const leaving of c.leaving) {
        const who = customer(locale);
        await bot.say(c.question, who);
        for (const text of before) await bot.say(text, who);
        expect(texts(await bot.say(leaving, who))).toEqual([t(locale, 'feedback.prompt')]);
      }
      const plain = customer(locale);
      await bot.say(c.question, plain);
      for (const text of before) await bot.say(text, plain);
      expect(texts(await bot.say(c.goodbye, plain))).toEqual([t(locale, 'feedback.prompt')]);
    },
  );
});

describe('what stays as it was', () => {
  it('when a one-clause question opens with "will", then it is still a question', async () => {
    const who = customer('en');
    await bot.say('how do I change my plan?', who);
    await bot.say('yes', who);
    const said = texts(await bot.say('will you be open tomorrow?', who));
    expect(said).not.toContain(t('en', 'feedback.prompt'));
    expect(said).not.toContain(t('en', 'common.goodbye'));
  });

  it('when "assalamualaikum, terima kasih" is the first message, then the bot greets back', async () => {
    expect(texts(await bot.say('assalamualaikum, terima kasih', customer('id')))).toEqual([
      t('id', 'common.greeting'),
    ]);
  });
});
