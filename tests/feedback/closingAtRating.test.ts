import { t } from '../../locales';
import { startTestBot, texts, type TestBot } from '../helpers/harness';
import { ratingsOf, surveysOf } from '../helpers/feedbackDocs';

const QUESTIONS: Record<string, string> = {
  en: 'How do I change my wifi password?',
  id: 'gimana cara ganti password wifi',
  pl: 'jak zmienić hasło do wifi',
  nb: 'hvordan bytter jeg wifi-passord',
};
const THANKS: Record<string, string> = { en: 'thanks', id: 'makasih', pl: 'dzięki', nb: 'takk' };

/** Goodbyes at the rating step that were asked again, or stored as a score ("cukup": fair), before. */
const GOODBYES = [
  { locale: 'en', bye: "that's everything" },
  { locale: 'pl', bye: 'dzieki, to tyle' },
  { locale: 'id', bye: 'dah itu aja' },
  { locale: 'id', bye: 'udah cukup' },
  { locale: 'id', bye: 'cukup kak' },
  { locale: 'id', bye: 'cukup makasih' },
  { locale: 'nb', bye: 'ha en fin dag' },
] as const;

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
});
afterAll(() => bot.close());

let n = 0;
/** A customer at the rating step of a survey. */
async function atRatingStep(locale: string) {
  n += 1;
  const who = { locale, conversationId: `bye-rating-${n}`, userId: `bye-rating-user-${n}` };
  await bot.say(QUESTIONS[locale]!, who);
  expect(texts(await bot.say(THANKS[locale]!, who))).toContain(t(locale, 'feedback.prompt'));
  return who;
}

describe.each(GOODBYES)('a goodbye at the rating step ($locale, "$bye")', ({ locale, bye }) => {
  it('when the customer says that is all at the rating step, then the bot says goodbye and stores no score', async () => {
    const who = await atRatingStep(locale);
    expect(texts(await bot.say(bye, who))).toEqual([t(locale, 'common.goodbye')]);
    expect(await ratingsOf(bot, who.conversationId)).toEqual([]);
    expect(await surveysOf(bot, who.conversationId)).toEqual(['no-response']);
  });
});

it('when an Indonesian customer answers the rating with "cukup" alone, then it is still a 3 (fair)', async () => {
  const who = await atRatingStep('id');
  expect(texts(await bot.say('cukup', who)).join(' ')).toContain(t('id', 'feedback.thanks', { score: 3 }));
  expect(await ratingsOf(bot, who.conversationId)).toEqual([3]);
});

it('when a score beside the thanks is given, then the score counts ("dobrze, dzięki")', async () => {
  const who = await atRatingStep('pl');
  expect(texts(await bot.say('dobrze, dzięki', who)).join(' ')).toContain(
    t('pl', 'feedback.thanks', { score: 4 }),
  );
  expect(await ratingsOf(bot, who.conversationId)).toEqual([4]);
});

it('when the second reply at the rating step is a negated score ("no nie 5"), then the rating is asked again', async () => {
  const who = await atRatingStep('pl');
  expect(texts(await bot.say('hmm', who)).join(' ')).toContain(t('pl', 'feedback.askAgain'));
  const again = texts(await bot.say('no nie 5', who));
  expect(again).toEqual([t('pl', 'feedback.askAgain')]);
  expect(texts(await bot.say('4', who)).join(' ')).toContain(t('pl', 'feedback.thanks', { score: 4 }));
  expect(await ratingsOf(bot, who.conversationId)).toEqual([4]);
});

/** Declining the rating in one's own words: the locale's skip phrases, no and cancel. */
const DECLINES = [
  { locale: 'en', reply: 'skip' },
  { locale: 'en', reply: 'no' },
  { locale: 'en', reply: 'rather not' },
  { locale: 'id', reply: 'lewati' },
  { locale: 'pl', reply: 'pomiń' },
  { locale: 'pl', reply: 'nie' },
  { locale: 'pl', reply: 'wolę nie' },
  { locale: 'nb', reply: 'hopp over' },
  { locale: 'nb', reply: 'nei' },
] as const;

it.each(DECLINES)(
  'when the customer declines the rating ($locale, "$reply"), then the survey ends unanswered with a short acknowledgement',
  async ({ locale, reply }) => {
    const who = await atRatingStep(locale);
    expect(texts(await bot.say(reply, who))).toEqual([t(locale, 'feedback.ratingDeclined')]);
    expect(await ratingsOf(bot, who.conversationId)).toEqual([]);
    expect(await surveysOf(bot, who.conversationId)).toEqual(['no-response']);
    // A score typed soon after is still the survey's late answer.
    expect(texts(await bot.say('4', who)).join(' ')).toContain(t(locale, 'feedback.thanks', { score: 4 }));
    expect(await ratingsOf(bot, who.conversationId)).toEqual([4]);
  },
);
