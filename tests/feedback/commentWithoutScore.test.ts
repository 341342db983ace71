import type { SurveyDoc } from '../../feedback/types';
import { t } from '../../locales';
import type { ReviewItemDoc } from '../../review/log';
import { newCustomers, startTestBot, texts, type TestBot } from '../helpers/harness';
import { commentsOf, ratingsOf } from '../helpers/feedbackDocs';

/**
 * At the rating step, a comment typed without a score is kept as the survey's comment, and the score is asked for
 * once: given, the survey has both; skipped, the comment stays, and no score is counted.
 */
const CASES = [
  {
    locale: 'en',
    question: 'How do I change my wifi password?',
    bye: "thanks, that's all",
    comment: 'the agent was very kind but it took too long',
  },
  {
    locale: 'id',
    question: 'gimana cara ganti password wifi',
    bye: 'makasih, udah cukup itu aja',
    comment: 'agennya ramah sekali tapi prosesnya agak lama',
  },
  {
    locale: 'pl',
    question: 'jak zmienić hasło do wifi',
    bye: 'dzięki, to wszystko',
    comment: 'konsultant był bardzo miły, ale trwało to za długo',
  },
  {
    locale: 'nb',
    question: 'hvordan bytter jeg wifi-passord',
    bye: 'takk, det var alt',
    comment: 'kundebehandleren var veldig hyggelig, men det tok for lang tid',
  },
] as const;

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
});
afterAll(() => bot.close());

const surveyOf = async (conversationId: string) =>
  (await bot.app.db.collection<SurveyDoc>('surveys').find({ conversationId }))[0];
const reviewedTexts = async (conversationId: string) =>
  (await bot.app.db.collection<ReviewItemDoc>('reviewItems').find({ conversationId })).map(
    (item) => item.text,
  );
const ratedCount = async () =>
  ((await (await bot.api('/api/admin/ratings/summary')).json()) as { count: number }).count;

describe.each(CASES)('a comment typed at the rating step without a score ($locale)', (c) => {
  const { locale } = c;
  const next = newCustomers(`cws-${locale}`);
  const customer = () => next(locale);
  const skip = t(locale, 'common.skip');
  const kept = () =>
    `${t(locale, 'feedback.commentThanks')} ${t(locale, 'feedback.scoreForComment', { skip })}`;
  /** Asks a question, says goodbye, and gets the rating card. */
  const atRating = async () => {
    const who = customer();
    await bot.say(c.question, who);
    expect(texts(await bot.say(c.bye, who))).toEqual([t(locale, 'feedback.prompt')]);
    return who;
  };

  it('when the customer then gives a score, then the survey keeps both and no comment is asked again', async () => {
    const who = await atRating();
    const reply = await bot.say(c.comment, who);
    expect(texts(reply)).toEqual([kept()]);
    expect(reply[0]?.suggestedActions?.actions.map((a) => a.title)).toEqual([skip]);
    expect(await commentsOf(bot, who.conversationId)).toEqual([c.comment]);
    expect(texts(await bot.say('4', who))).toEqual([t(locale, 'feedback.thanks', { score: 4 })]);
    expect(await ratingsOf(bot, who.conversationId)).toEqual([4]);
    expect(await commentsOf(bot, who.conversationId)).toEqual([c.comment]);
    expect((await surveyOf(who.conversationId))?.status).toBe('answered');
    // The comment is the survey's, not a message the bot could not read.
    expect(await reviewedTexts(who.conversationId)).not.toContain(c.comment);
  });

  it('when the customer then gives a low score, then the comment goes with it to the call-back offer', async () => {
    const who = await atRating();
    await bot.say(c.comment, who);
    expect(texts(await bot.say('2', who))).toEqual([
      `${t(locale, 'feedback.thanks', { score: 2 })} ${t(locale, 'feedback.sorry')} ${t(locale, 'feedback.callbackOffer')}`,
    ]);
    expect(await ratingsOf(bot, who.conversationId)).toEqual([2]);
    expect(await commentsOf(bot, who.conversationId)).toEqual([c.comment]);
  });

  it('when the customer skips the score, then the comment is kept and no score is counted', async () => {
    const before = await ratedCount();
    const who = await atRating();
    await bot.say(c.comment, who);
    expect(texts(await bot.say(skip, who))).toEqual([t(locale, 'feedback.noComment')]);
    expect(await ratingsOf(bot, who.conversationId)).toEqual([]);
    expect(await commentsOf(bot, who.conversationId)).toEqual([c.comment]);
    expect((await surveyOf(who.conversationId))?.status).toBe('no-response');
    expect(await ratedCount()).toBe(before);
  });

  it('when a score follows the skip moments later, then it is the late answer and the survey has both', async () => {
    const who = await atRating();
    await bot.say(c.comment, who);
    await bot.say(skip, who);
    expect(texts(await bot.say('5', who))).toEqual([t(locale, 'feedback.thanks', { score: 5 })]);
    expect(await ratingsOf(bot, who.conversationId)).toEqual([5]);
    expect(await commentsOf(bot, who.conversationId)).toEqual([c.comment]);
  });
});

describe('what is no comment at the rating step', () => {
  it.each([
    ['en', 'hmm, not sure yet, we will see'],
    ['id', 'hmm belum tahu deh, nanti saja'],
    ['pl', 'hmm trudno powiedzieć, zobaczymy jeszcze'],
    ['nb', 'hmm vanskelig å si, vi får se'],
  ])(
    'when the customer (%s) answers without judging the service, then no comment is kept and the rating is asked again',
    async (locale, undecided) => {
      const c = CASES.find((x) => x.locale === locale);
      const who = { locale, conversationId: `cws-undecided-${locale}`, userId: `cws-undecided-${locale}` };
      await bot.say(c?.question ?? '', who);
      await bot.say(c?.bye ?? '', who);
      expect(texts(await bot.say(undecided, who))).toEqual([t(locale, 'feedback.askAgain')]);
      expect(await commentsOf(bot, who.conversationId)).toEqual([]);
    },
  );

  it('when the customer only greets, then no comment is kept and the rating is asked again', async () => {
    const who = { locale: 'en', conversationId: 'cws-greeting', userId: 'cws-greeting' };
    await bot.say('How do I change my wifi password?', who);
    await bot.say("thanks, that's all", who);
    expect(texts(await bot.say('hey there, hello again', who))).toEqual([t('en', 'feedback.askAgain')]);
    expect(await commentsOf(bot, who.conversationId)).toEqual([]);
  });
});
