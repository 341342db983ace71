import type { Activity } from 'botbuilder';
import { t } from '../../locales';
import type { RatingDoc, SurveyDoc } from '../../feedback/types';
import { startTestBot, texts, type TestBot } from '../helpers/harness';

const isSurvey = (activity: Partial<Activity>): boolean =>
  activity.attachments?.some((a) => a.contentType === 'application/vnd.microsoft.card.adaptive') ?? false;

const WORDS = {
  en: {
    complaint: 'This is unacceptable, my internet has been down for three days!!!',
    yes: 'yes',
    bye: 'ok bye',
  },
  nb: {
    complaint: 'Dette er helt uakseptabelt, internett har vært nede i tre dager!!!',
    yes: 'ja',
    bye: 'ok ha det',
  },
} as const;
const locales = Object.keys(WORDS) as Array<keyof typeof WORDS>;

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true', HANDOFF_QUEUE_TIMEOUT_MINUTES: '1' });
});
afterAll(() => bot.close());

describe.each(locales)('a goodbye after a hand-over that nobody took, in %s', (locale) => {
  const w = WORDS[locale];

  it('when the customer says goodbye after the timeout notice and rates, then the rating is filed under the hand-over with the case and no agent', async () => {
    const who = { locale, conversationId: `bye-after-expiry-${locale}` };
    await bot.say(w.complaint, who);
    await bot.say(t(locale, 'common.skip'), who);
    expect(texts(await bot.say(w.yes, who))).toEqual([
      t(locale, 'handoff.queuedNoEstimateNoContact', { position: 1 }),
    ]);
    bot.clock.advance(2 * 60_000);
    expect(await bot.app.sweeps.expireCases()).toBe(1);
    expect(bot.connector.textsTo(who.conversationId)).toEqual([
      `${t(locale, 'handoff.expiredNoContact')} ${t(locale, 'handoff.offerContactNow')}`,
    ]);
    expect((await bot.say(w.bye, who)).some(isSurvey)).toBe(true);
    await bot.say('1', who);
    const ratings = await bot.app.db
      .collection<RatingDoc>('ratings')
      .find({ conversationId: who.conversationId });
    expect(ratings).toHaveLength(1);
    expect(ratings[0]).toMatchObject({ score: 1, resolution: 'agent' });
    expect(ratings[0]?.agentId).toBeUndefined();
    const [survey] = await bot.app.db
      .collection<SurveyDoc>('surveys')
      .find({ conversationId: who.conversationId });
    expect(survey?.caseId).toEqual(expect.any(String));
  });

  it('when the customer says goodbye after an answer, then the survey is still self-service', async () => {
    const who = { locale, conversationId: `bye-after-answer-${locale}` };
    await bot.say(
      locale === 'en' ? 'How do I change my wifi password?' : 'Hvordan endrer jeg passordet til wifi?',
      who,
    );
    expect((await bot.say(w.bye, who)).some(isSurvey)).toBe(true);
    await bot.say('5', who);
    const ratings = await bot.app.db
      .collection<RatingDoc>('ratings')
      .find({ conversationId: who.conversationId });
    expect(ratings.map((r) => [r.score, r.resolution])).toEqual([[5, 'self-service']]);
  });
});
