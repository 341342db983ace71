import { t } from '../../locales';
import { newCustomers, startTestBot, texts, type TestBot } from '../helpers/harness';

/**
 * A leave-taking after an answer closes the conversation like a plain goodbye, also when it opens with a word that
 * opens questions ("skal bli", "will do") or says the customer will do as told ("zrobię tak"), or with a salutation
 * said on leaving as well ("assalamualaikum", "selamat siang"), or praises a person ("great agent, thank you"), which
 * hands over to no one.
 */
const CASES = [
  {
    locale: 'id',
    question: 'bagaimana cara ganti paket?',
    yes: 'ya',
    goodbye: 'terima kasih',
    leaving: [
      'assalamualaikum, terima kasih',
      'assalamualaikum, makasih banyak kak',
      'makasih, selamat siang',
      'terima kasih, selamat malam',
      'oke siap, makasih',
      'cs nya mantap',
    ],
  },
  {
    locale: 'nb',
    question: 'hvordan bytter jeg abonnement?',
    yes: 'ja',
    goodbye: 'takk, ha det',
    leaving: ['skal bli, takk ha det', 'skal bli, tusen hjertelig takk', 'flink kundebehandler, takk'],
  },
  {
    locale: 'en',
    question: 'how do I change my plan?',
    yes: 'yes',
    goodbye: 'thanks, bye',
    leaving: ['will do, thanks bye', 'ok will do, cheers', 'great agent, thank you'],
  },
  {
    locale: 'pl',
    question: 'jak zablokować kartę sim?',
    yes: 'tak',
    goodbye: 'dzięki, pa',
    leaving: ['dobrze, zrobię tak, pa', 'konsultant był bardzo pomocny, dzięki'],
  },
] as const;

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
});
afterAll(() => bot.close());

const customer = newCustomers('leave');

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

  it.each(['assalamualaikum, terima kasih', 'selamat siang'])(
    'when "%s" is the first message, then the bot greets back',
    async (text) => {
      expect(texts(await bot.say(text, customer('id')))).toEqual([t('id', 'common.greeting')]);
    },
  );
});

describe('a fault or a request for a person after an answer', () => {
  it.each([
    ['id', 'bagaimana cara ganti paket?', 'lemot kak'],
    ['id', 'bagaimana cara ganti paket?', 'gangguan kak'],
    ['en', 'how do I change my plan?', 'not working mate'],
  ])(
    'when the %s customer names a fault after an answer ("%s", then "%s"), then the bot neither says goodbye nor is glad',
    async (locale, question, fault) => {
      const who = customer(locale);
      await bot.say(question, who);
      const said = texts(await bot.say(fault, who));
      expect(said).not.toContain(t(locale, 'feedback.prompt'));
      expect(said).not.toContain(t(locale, 'common.goodbye'));
      expect(said).not.toContain(t(locale, 'faq.glad'));
    },
  );

  it.each([
    ['en', 'how do I change my plan?', 'I want an agent'],
    ['id', 'bagaimana cara ganti paket?', 'mau ngomong sama cs kak'],
  ])(
    'when the %s customer asks for a person after an answer ("%s", then "%s"), then a person is on the way',
    async (locale, question, request) => {
      const who = customer(locale);
      await bot.say(question, who);
      expect(texts(await bot.say(request, who))[0]).toBe(t(locale, 'handoff.ackRequest'));
    },
  );
});
