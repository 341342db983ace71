import { LATE_RATING_MINUTES } from '../../feedback/service';
import { t } from '../../locales';
import { startTestBot, texts, type TestBot } from '../helpers/harness';
import { ratingsOf, surveysOf } from '../helpers/feedbackDocs';

/** A rating typed just after a goodbye skipped the survey, as the exploratory tester wrote them. */
const CASES = [
  {
    locale: 'en',
    question: 'How do I change my wifi password?',
    thanks: 'thanks',
    bye: 'bye',
    late: '5',
    score: 5,
  },
  {
    locale: 'pl',
    question: 'jak zmienić hasło do wifi',
    thanks: 'dzięki',
    bye: 'pa',
    late: 'piątka',
    score: 5,
  },
  {
    locale: 'pl',
    question: 'jak zmienić hasło do wifi',
    thanks: 'dzięki',
    bye: 'pa',
    late: 'jednak 4',
    score: 4,
  },
  {
    locale: 'nb',
    question: 'hvordan bytter jeg wifi-passord',
    thanks: 'takk',
    bye: 'ha det',
    late: 'terningkast 5',
    score: 5,
  },
  {
    locale: 'nb',
    question: 'hvordan bytter jeg wifi-passord',
    thanks: 'takk',
    bye: 'ha det',
    late: 'tre',
    score: 3,
  },
  {
    locale: 'id',
    question: 'gimana cara ganti password wifi',
    thanks: 'makasih',
    bye: 'dadah',
    late: 'bintang 5 kak',
    score: 5,
  },
  {
    locale: 'id',
    question: 'gimana cara ganti password wifi',
    thanks: 'makasih',
    bye: 'dadah',
    late: 'Sangat baik',
    score: 5,
  },
] as const;

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
});
afterAll(() => bot.close());

describe.each(CASES)('a rating typed after a goodbye at the survey ($locale, "$late")', (c) => {
  it('when the customer rates just after saying goodbye at the rating step, then the rating is stored and thanked', async () => {
    const who = {
      locale: c.locale,
      conversationId: `late-${c.locale}-${c.late}`,
      userId: `late-user-${c.locale}-${c.late}`,
    };
    await bot.say(c.question, who);
    expect(texts(await bot.say(c.thanks, who))).toContain(t(c.locale, 'feedback.prompt'));
    expect(texts(await bot.say(c.bye, who))).toEqual([t(c.locale, 'common.goodbye')]);
    expect(texts(await bot.say(c.late, who))).toEqual([t(c.locale, 'feedback.thanks', { score: c.score })]);
    expect(await ratingsOf(bot, who.conversationId)).toEqual([c.score]);
    expect(await surveysOf(bot, who.conversationId)).toEqual(['answered']);
  });
});

it('when the customer types a score long after the survey went unanswered, then it is read as any message', async () => {
  const who = { locale: 'en', conversationId: 'late-too-late', userId: 'late-user-too-late' };
  await bot.say('How do I change my wifi password?', who);
  await bot.say('thanks', who);
  await bot.say('bye', who);
  bot.clock.advance((LATE_RATING_MINUTES + 1) * 60_000);
  expect(texts(await bot.say('5', who))).not.toContain(t('en', 'feedback.thanks', { score: 5 }));
  expect(await ratingsOf(bot, who.conversationId)).toEqual([]);
  expect(await surveysOf(bot, who.conversationId)).toEqual(['no-response']);
});

it.each([
  ['id', 'sabtu', 'Bagaimana cara mengganti kata sandi wifi?', 'makasih', 'dadah'],
  ['pl', 'piątek', 'jak zmienić hasło do wifi', 'dzięki', 'pa'],
])(
  'when the %s word "%s" (one letter from a number) follows an unanswered survey, then it is no rating',
  async (locale, word, question, thanks, bye) => {
    const who = { locale, conversationId: `late-typo-${locale}`, userId: `late-user-typo-${locale}` };
    await bot.say(question, who);
    await bot.say(thanks, who);
    await bot.say(bye, who);
    await bot.say(word, who);
    expect(await ratingsOf(bot, who.conversationId)).toEqual([]);
  },
);

it('when a score follows a goodbye with no survey skipped, then nothing is rated', async () => {
  const who = { locale: 'en', conversationId: 'late-no-survey', userId: 'late-user-no-survey' };
  await bot.say('bye', who);
  expect(texts(await bot.say('5', who))).not.toContain(t('en', 'feedback.thanks', { score: 5 }));
  expect(await ratingsOf(bot, who.conversationId)).toEqual([]);
});

describe.each([
  { locale: 'en', question: 'how do I get an eSIM', next: 'how do I pay my bill?', late: 'four', score: 4 },
  {
    locale: 'id',
    question: 'cara dapetin esim gmn',
    next: 'cara bayar tagihan gmn?',
    late: 'empat',
    score: 4,
  },
  { locale: 'pl', question: 'jak dostać esim', next: 'jak zapłacić rachunek?', late: 'cztery', score: 4 },
  {
    locale: 'nb',
    question: 'hvordan får jeg eSIM',
    next: 'hvordan betaler jeg regningen?',
    late: 'fire',
    score: 4,
  },
] as const)('a late rating while "Did this answer your question?" waits ($locale)', (c) => {
  it('when the customer comes back with a question instead of rating and then types a score at "Did this answer your question?", then the score answers the survey and the question still waits', async () => {
    const who = {
      locale: c.locale,
      conversationId: `late-faq-${c.locale}`,
      userId: `late-faq-user-${c.locale}`,
    };
    await bot.say(c.question, who);
    expect(texts(await bot.say(t(c.locale, 'common.yes'), who))).not.toContain(
      t(c.locale, 'feedback.prompt'),
    );
    // Quiet long enough for the inactivity survey, which the customer answers with another question.
    bot.clock.advance(31 * 60_000);
    await bot.app.sweeps.surveyIdle();
    const asked = texts(await bot.say(c.next, who));
    expect(asked).toContain(t(c.locale, 'faq.wasHelpful'));
    expect(texts(await bot.say(c.late, who))).toEqual([t(c.locale, 'feedback.thanks', { score: c.score })]);
    expect(await ratingsOf(bot, who.conversationId)).toEqual([c.score]);
    // "Did this answer your question?" still takes its yes.
    expect(texts(await bot.say(t(c.locale, 'common.yes'), who))).toContain(t(c.locale, 'faq.glad'));
  });
});
