import { t } from '../../locales';
import { startTestBot, texts, type TestBot } from '../helpers/harness';

/**
 * A customer tester's finding: several questions with a thanks or a link beside them ("…? thank you so much for
 * your help guys", "check https://speedtest.net/result/12345 lol", "z góry dziękuję za pomoc") lost their answers:
 * every part had to be answered. Thanks, greetings and links are left out of the split; the questions are
 * answered as they would be alone.
 */
let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
});
afterAll(() => bot.close());

const answerAbout = (locale: string, id: string): string => {
  const entry = bot.app.kb.get(id);
  if (!entry) throw new Error(`no entry ${id}`);
  return `${t(locale, 'faq.answerAbout', { question: entry.questions[0] ?? '' })}\n\n${entry.answer}`;
};

let n = 0;
it.each([
  [
    'en',
    'how do i pay my bill? how do i change my plan? thank you so much for your help guys',
    ['en-pay-bill', 'en-change-plan'],
  ],
  [
    'en',
    'how do i pay my bill? how do i change my plan? how long is my contract? check https://speedtest.net/result/12345 lol',
    ['en-pay-bill', 'en-change-plan', 'en-contract-length'],
  ],
  [
    'pl',
    'jak zmienić pakiet i gdzie znajdę fakturę? z gory dziekuje za pomoc',
    ['pl-change-plan', 'pl-e-invoice'],
  ],
  [
    'id',
    'gimana cara ganti pin? terus tagihan bulan ini berapa? makasih banyak ya kak',
    ['id-pin-puk', 'id-bill-higher'],
  ],
  [
    'nb',
    'hvordan bytter jeg abonnement, og hvor finner jeg fakturaene mine? tusen takk for hjelpen',
    ['nb-change-plan', 'nb-e-invoice'],
  ],
])(
  '%s: when several questions come with a thanks or a link ("%s"), then each question is answered under its own heading',
  async (locale, message, ids) => {
    n += 1;
    const replies = texts(await bot.say(message, { locale, conversationId: `asides-${n}` }));
    expect(replies).toEqual([...ids.map((id) => answerAbout(locale, id)), t(locale, 'faq.wasHelpful')]);
  },
);

it('when one question comes with a thanks, then it is answered as it would be alone', async () => {
  const alone = texts(await bot.say('how do i change my plan?', { conversationId: 'asides-alone' }));
  const withThanks = texts(
    await bot.say('how do i change my plan? thank you so much for your help guys', {
      conversationId: 'asides-thanks',
    }),
  );
  expect(withThanks).toEqual(alone);
  expect(alone[0]).toBe(bot.app.kb.get('en-change-plan')?.answer);
});
