import type { Activity } from 'botbuilder';
import { wilsonInterval } from '../../feedback/reports';
import { t } from '../../locales';
import { startTestBot, texts, type TestBot } from '../helpers/harness';

/** The whole app: a customer closes, gets the survey in their language, rates; the admin reports add up. */
const CASES = [
  { locale: 'en', question: 'how do I reset my password?', bye: "thanks, that's all", rating: 'four' },
  { locale: 'id', question: 'bagaimana cara reset kata sandi?', bye: 'terima kasih', rating: '4/5' },
  { locale: 'pl', question: 'jak zresetować hasło?', bye: 'dzięki, to wszystko', rating: 'cztery' },
  { locale: 'nb', question: 'hvordan tilbakestiller jeg passordet?', bye: 'takk', rating: '⭐⭐⭐⭐' },
] as const;

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot();
});
afterAll(async () => {
  await bot.close();
});

const who = (locale: string, n = 1) => ({
  locale,
  conversationId: `conv-${locale}-${n}`,
  userId: `user-${locale}-${n}`,
});

/** The episode id carried by the rating card among the replies. */
function episodeOf(replies: Partial<Activity>[]): string {
  for (const reply of replies) {
    for (const attachment of reply.attachments ?? []) {
      const card = attachment.content as { actions?: { data?: { verb?: string; episodeId?: string } }[] };
      const episodeId = card.actions?.[0]?.data?.episodeId;
      if (card.actions?.[0]?.data?.verb === 'rating.submit' && episodeId) return episodeId;
    }
  }
  throw new Error('no rating card in the replies');
}

const summary = async () =>
  (await bot.api('/api/admin/ratings/summary')).json() as Promise<{ count: number }>;

describe('the survey through the whole app', () => {
  const episodes = new Map<string, string>();

  it.each(CASES)('when a $locale customer closes and types "$rating", then 4 is stored once', async (c) => {
    await bot.say(c.question, who(c.locale));
    const survey = await bot.say(c.bye, who(c.locale));
    expect(texts(survey)).toEqual([t(c.locale, 'feedback.prompt')]);
    episodes.set(c.locale, episodeOf(survey));
    expect(texts(await bot.say(c.rating, who(c.locale)))).toEqual([
      `${t(c.locale, 'feedback.thanks', { score: 4 })} ${t(c.locale, 'feedback.commentOffer')}`,
    ]);
    expect(texts(await bot.say(t(c.locale, 'common.skip'), who(c.locale)))).toEqual([
      t(c.locale, 'feedback.noComment'),
    ]);
  });

  it('when a customer presses a card button, then that rating is stored too', async () => {
    await bot.say('where is my invoice?', who('en', 2));
    const episodeId = episodeOf(await bot.say('bye', who('en', 2)));
    const value = { verb: 'rating.submit', episodeId, score: 5 };
    expect(texts(await bot.say('', { ...who('en', 2), value }))).toEqual([
      `${t('en', 'feedback.thanks', { score: 5 })} ${t('en', 'feedback.commentOffer')}`,
    ]);
    expect(texts(await bot.say('Very quick, thank you!', who('en', 2)))).toEqual([
      t('en', 'feedback.commentThanks'),
    ]);
  });

  it('when the card is pressed again or by someone else, then the numbers do not change', async () => {
    const before = await summary();
    const episodeId = episodes.get('pl') ?? '';
    await bot.say('', { ...who('pl'), value: { verb: 'rating.submit', episodeId, score: 4 } });
    const foreign = await bot.say('', {
      ...who('pl', 9),
      value: { verb: 'rating.submit', episodeId, score: 1 },
    });
    expect(texts(foreign)).toEqual([t('pl', 'feedback.notYourSurvey')]);
    expect(await summary()).toEqual(before);
  });

  it('when the admin reads the reports, then summary and CSV add up exactly', async () => {
    expect(await summary()).toEqual({
      count: 5,
      average: 21 / 5,
      csat: 1,
      csatInterval: wilsonInterval(5, 5),
      enoughRatings: true,
      distribution: { '1': 0, '2': 0, '3': 0, '4': 4, '5': 1 },
      responseRate: 1,
    });
    const csv = (await (await bot.api('/api/admin/ratings.csv')).text()).replace(/^\uFEFF/, '');
    const rows = csv.trimEnd().split('\r\n').slice(1);
    expect(rows).toHaveLength(5);
    expect(rows.map((r) => r.split(',')[5]).sort()).toEqual(['en', 'en', 'id', 'nb', 'pl']);
    expect(rows.reduce((sum, r) => sum + Number(r.split(',')[4]), 0)).toBe(21);
    expect(csv).toContain('Very quick, thank you!');
  });
});
