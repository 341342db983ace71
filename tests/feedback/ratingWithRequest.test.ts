import { t } from '../../locales';
import { startTestBot, texts, type TestBot } from '../helpers/harness';
import { commentsOf, ratingsOf, surveysOf } from '../helpers/feedbackDocs';

/**
 * A customer tester's findings at the rating prompt: a score that came with a request for a person was lost (the
 * request interrupted the survey), a bare "jelek" (bad) started a complaint hand-over, and a question instead of
 * the score was followed by a second survey after its answer.
 */
const QUESTIONS: Record<string, string> = {
  en: 'How do I change my wifi password?',
  id: 'gimana cara ganti password wifi',
  pl: 'jak zmienić hasło do wifi',
  nb: 'hvordan bytter jeg wifi-passord',
};
const THANKS: Record<string, string> = { en: 'thanks', id: 'makasih', pl: 'dzięki', nb: 'takk' };

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
});
afterAll(() => bot.close());

let n = 0;
/** A customer at the rating step of a survey. */
async function atRatingStep(locale: string) {
  n += 1;
  const who = { locale, conversationId: `rating-request-${n}`, userId: `rating-request-user-${n}` };
  await bot.say(QUESTIONS[locale]!, who);
  expect(texts(await bot.say(THANKS[locale]!, who))).toContain(t(locale, 'feedback.prompt'));
  return who;
}

describe.each([
  { locale: 'en', reply: '1 star, nobody ever answers, I want to talk to a manager now', score: 1 },
  { locale: 'en', reply: '2 stars. this is ridiculous, get me a human', score: 2 },
  { locale: 'pl', reply: '1, chce rozmawiac z konsultantem', score: 1 },
  { locale: 'id', reply: '1, mau ngomong sama agen', score: 1 },
  { locale: 'nb', reply: '1, jeg vil snakke med et menneske', score: 1 },
] as const)('a low score with a request for a person ($locale, "$reply")', ({ locale, reply, score }) => {
  it('when the customer rates low and asks for a person, then the score and comment are stored and a person is fetched with an apology', async () => {
    const who = await atRatingStep(locale);
    const replies = texts(await bot.say(reply, who));
    expect(replies.slice(0, 2)).toEqual([
      t(locale, 'feedback.thanks', { score }),
      t(locale, 'handoff.ackComplaint'),
    ]);
    expect(await ratingsOf(bot, who.conversationId)).toEqual([score]);
    expect(await commentsOf(bot, who.conversationId)).toEqual([reply]);
    expect(await surveysOf(bot, who.conversationId)).toEqual(['answered']);
  });
});

it('when a good score comes with a request for a person, then the score is stored and the request is taken as one', async () => {
  const who = await atRatingStep('en');
  const replies = texts(await bot.say('4, but can I talk to a human about my contract', who));
  expect(replies.slice(0, 2)).toEqual([
    t('en', 'feedback.thanks', { score: 4 }),
    t('en', 'handoff.ackRequest'),
  ]);
  expect(await ratingsOf(bot, who.conversationId)).toEqual([4]);
});

it('when only a request for a person is typed at the rating step, then a person is fetched and no score is stored', async () => {
  const who = await atRatingStep('en');
  expect(texts(await bot.say('I want to talk to a human', who))).toContain(t('en', 'handoff.ackRequest'));
  expect(await ratingsOf(bot, who.conversationId)).toEqual([]);
});

it.each([
  ['jelek', 2],
  ['jelek bgt', 1],
] as const)(
  'when an Indonesian customer answers the rating with "%s" alone, then it is a score (%i), not a complaint',
  async (reply, score) => {
    const who = await atRatingStep('id');
    expect(texts(await bot.say(reply, who))).toEqual([
      `${t('id', 'feedback.thanks', { score })} ${t('id', 'feedback.apology')}`,
    ]);
    expect(await ratingsOf(bot, who.conversationId)).toEqual([score]);
  },
);

describe.each([
  { locale: 'en', question: 'how do i pay my bill?' },
  { locale: 'id', question: 'gimana cara bayar tagihan?' },
  { locale: 'pl', question: 'jak zapłacić rachunek?' },
  { locale: 'nb', question: 'hvordan betaler jeg regningen?' },
] as const)('a question at the rating step ($locale)', ({ locale, question }) => {
  it('when the customer asks a question instead of rating, then it is answered and the survey is not offered a second time', async () => {
    const who = await atRatingStep(locale);
    const answer = texts(await bot.say(question, who));
    expect(answer[answer.length - 1]).toBe(t(locale, 'faq.wasHelpful'));
    expect(texts(await bot.say(THANKS[locale]!, who))).toEqual([t(locale, 'common.goodbye')]);
    expect(await surveysOf(bot, who.conversationId)).toEqual(['no-response']);
    // A score typed now still answers the survey that was offered.
    expect(texts(await bot.say('5', who))).toEqual([t(locale, 'feedback.thanks', { score: 5 })]);
    expect(await ratingsOf(bot, who.conversationId)).toEqual([5]);
  });
});
