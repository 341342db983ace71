import { t } from '../../locales';
import { startTestBot, texts, type TestBot } from '../helpers/harness';
import { commentsOf, ratingsOf } from '../helpers/feedbackDocs';

/**
 * At the comment step, a score typed alone is the customer changing (or confirming) the rating, as a correction
 * is; a comment that mentions a score is a comment.
 */
const CASES = [
  {
    locale: 'en',
    question: 'How do I change my wifi password?',
    bye: "thanks, that's all",
    word: 'five',
    comment: '5 stars, quick help',
  },
  {
    locale: 'id',
    question: 'gimana cara ganti password wifi',
    bye: 'makasih, udah cukup itu aja',
    word: 'lima',
    comment: '5 bintang, pelayanan cepat',
  },
  {
    locale: 'pl',
    question: 'jak zmienić hasło do wifi',
    bye: 'dzięki, to wszystko',
    word: 'pięć',
    comment: '5 gwiazdek, szybka obsługa',
  },
  {
    locale: 'nb',
    question: 'hvordan bytter jeg wifi-passord',
    bye: 'takk, det var alt',
    word: 'fem',
    comment: '5 stjerner, rask hjelp',
  },
] as const;

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
});
afterAll(() => bot.close());

describe.each(CASES)('a score typed at the comment step ($locale)', (c) => {
  it('when the customer types only a score where a comment is asked, then the rating changes and the comment is still asked', async () => {
    const who = { locale: c.locale, conversationId: `cs-${c.locale}`, userId: `cs-user-${c.locale}` };
    const changed = (score: number) =>
      `${t(c.locale, 'feedback.changed', { score })} ${t(c.locale, 'feedback.commentOffer')}`;
    await bot.say(c.question, who);
    await bot.say(c.bye, who);
    expect(texts(await bot.say('3', who))).toEqual([
      t(c.locale, 'feedback.thanks', { score: 3 }) + ' ' + t(c.locale, 'feedback.commentOffer'),
    ]);
    expect(texts(await bot.say(c.word, who))).toEqual([changed(5)]);
    expect(await ratingsOf(bot, who.conversationId)).toEqual([5]);
    expect(texts(await bot.say('4', who))).toEqual([changed(4)]);
    expect(await ratingsOf(bot, who.conversationId)).toEqual([4]);
    expect(await commentsOf(bot, who.conversationId)).toEqual([]);
  });

  it('when the comment mentions a score with more to say, then it is stored as the comment and the rating stays', async () => {
    const who = { locale: c.locale, conversationId: `cc-${c.locale}`, userId: `cc-user-${c.locale}` };
    await bot.say(c.question, who);
    await bot.say(c.bye, who);
    await bot.say('4', who);
    expect(texts(await bot.say(c.comment, who))).toEqual([t(c.locale, 'feedback.commentThanks')]);
    expect(await ratingsOf(bot, who.conversationId)).toEqual([4]);
    expect(await commentsOf(bot, who.conversationId)).toEqual([c.comment]);
  });
});
