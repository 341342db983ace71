import { t } from '../../locales';
import { startTestBot, texts, type TestBot } from '../helpers/harness';
import { ratingsOf } from '../helpers/feedbackDocs';

/** A rating corrected in words after the survey ended, as customers do when they pressed or typed the wrong score. */
const CASES = [
  {
    locale: 'en',
    question: 'How do I change my wifi password?',
    bye: "thanks, that's all",
    fix: 'oops i meant 4',
  },
  {
    locale: 'id',
    question: 'gimana cara ganti password wifi',
    bye: 'makasih, udah cukup itu aja',
    fix: 'eh salah, harusnya 4 deh',
  },
  {
    locale: 'pl',
    question: 'jak zmienić hasło do wifi',
    bye: 'dzięki, to wszystko',
    fix: 'sorry, pomyłka, miało być 4',
  },
  { locale: 'nb', question: 'hvordan bytter jeg wifi-passord', bye: 'takk, det var alt', fix: 'oi, mente 4' },
] as const;

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
});
afterAll(() => bot.close());

describe.each(CASES)('a typed correction after the survey ($locale)', (c) => {
  it('when the customer corrects the score in words after the survey ended, then the rating changes and is confirmed', async () => {
    const who = { locale: c.locale, conversationId: `fix-${c.locale}`, userId: `fix-user-${c.locale}` };
    await bot.say(c.question, who);
    await bot.say(c.bye, who);
    await bot.say('3', who);
    await bot.say(t(c.locale, 'common.skip'), who);
    expect(await ratingsOf(bot, who.conversationId)).toEqual([3]);
    expect(texts(await bot.say(c.fix, who))).toEqual([t(c.locale, 'feedback.changed', { score: 4 })]);
    expect(await ratingsOf(bot, who.conversationId)).toEqual([4]);
    // A question with a correction word and a number is a question, and after the change window nothing changes.
    expect(texts(await bot.say('eh, my bill is 2 times higher', who))).not.toContain(
      t(c.locale, 'feedback.changed', { score: 2 }),
    );
    bot.clock.advance(24 * 60 * 60_000);
    expect(texts(await bot.say(c.fix.replace('4', '5'), who))).not.toContain(t(c.locale, 'feedback.tooLate'));
    expect(await ratingsOf(bot, who.conversationId)).toEqual([4]);
  });
});

it('when someone who never rated writes a correction phrase, then it is read as any message', async () => {
  const said = texts(await bot.say('oops i meant 4', { conversationId: 'fix-none' }));
  expect(said).not.toContain(t('en', 'feedback.changed', { score: 4 }));
});
