import type { Activity } from 'botbuilder';
import { t } from '../../locales';
import type { RatingDoc, SurveyDoc } from '../../feedback/types';
import { startTestBot, texts, type TestBot } from '../helpers/harness';

const isSurvey = (activity: Partial<Activity>): boolean =>
  activity.attachments?.some((a) => a.contentType === 'application/vnd.microsoft.card.adaptive') ?? false;

describe('the inactivity survey after a hand-over that nobody took', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot({
      FAQ_SEED_DEMO: 'true',
      SURVEY_INACTIVITY_MINUTES: '1',
      HANDOFF_QUEUE_TIMEOUT_MINUTES: '1',
    });
  });
  afterAll(() => bot.close());

  const surveysTo = (conversationId: string) =>
    bot.connector.sent.filter((r) => r.conversationId === conversationId && isSurvey(r.activity));

  /** A Norwegian customer's case waits in the queue without a contact until it expires (the notice is sent). */
  const expiredWithoutContact = async (conversationId: string) => {
    const who = { locale: 'nb-NO', conversationId };
    await bot.say('Dette er helt uakseptabelt, internett har vært nede i tre dager!!!', who);
    await bot.say(t('nb', 'common.skip'), who);
    expect(texts(await bot.say('ja', who))).toEqual([
      t('nb', 'handoff.queuedNoEstimateNoContact', { position: 1 }),
    ]);
    bot.clock.advance(2 * 60_000);
    expect(await bot.app.sweeps.expireCases()).toBe(1);
    expect(bot.connector.textsTo(conversationId)).toEqual([
      `${t('nb', 'handoff.expiredNoContact')} ${t('nb', 'handoff.offerContactNow')}`,
    ]);
    return who;
  };

  it('when the queue expired and offered to take an e-mail, then no survey comes before the customer had the time to answer, and the e-mail is taken', async () => {
    const who = await expiredWithoutContact('expired-then-email');
    // The customer went quiet before the notice, not after it.
    await bot.app.sweeps.surveyIdle();
    expect(surveysTo(who.conversationId)).toEqual([]);
    expect(texts(await bot.say('ok, epost: ola@example.no', who))).toEqual([
      `${t('nb', 'handoff.ticketSaved')} ${t('nb', 'handoff.ticketReplySoon')}`,
    ]);
  });

  it('when a customer whose case expired stays quiet and rates the survey, then the rating is filed under the hand-over with the case and no agent', async () => {
    const who = await expiredWithoutContact('expired-then-quiet');
    bot.clock.advance(2 * 60_000);
    await bot.app.sweeps.surveyIdle();
    expect(surveysTo(who.conversationId)).toHaveLength(1);
    await bot.say('1', who);
    const ratings = await bot.app.db
      .collection<RatingDoc>('ratings')
      .find({ conversationId: who.conversationId });
    expect(ratings).toHaveLength(1);
    expect(ratings[0]).toMatchObject({ score: 1, resolution: 'agent' });
    expect(ratings[0]?.agentId).toBeUndefined();
    // The survey names the case that expired.
    const [survey] = await bot.app.db
      .collection<SurveyDoc>('surveys')
      .find({ conversationId: who.conversationId });
    expect(survey?.caseId).toEqual(expect.any(String));
  });

  it('when the survey sweep runs while the queue-timeout notice is on its way, then the notice comes first and the survey only after it', async () => {
    const who = { locale: 'nb-NO', conversationId: 'expiry-notice-then-survey' };
    await bot.say('Dette er helt uakseptabelt, internett har vært nede i tre dager!!!', who);
    await bot.say(t('nb', 'common.skip'), who);
    await bot.say('ja', who);
    bot.clock.advance(2 * 60_000);
    // Both sweeps are due at once, as their timers are: the survey sweep runs after the case expired, just before
    // its notice is worded (the notice reads the conversation's language first).
    const { conversations } = bot.app;
    const get = conversations.get.bind(conversations);
    let surveyed: number | undefined;
    const between = jest.spyOn(conversations, 'get').mockImplementation(async (conversationId) => {
      if (conversationId === who.conversationId && surveyed === undefined) {
        surveyed = -1;
        surveyed = await bot.app.sweeps.surveyIdle();
      }
      return get(conversationId);
    });
    try {
      expect(await bot.app.sweeps.expireCases()).toBe(1);
    } finally {
      between.mockRestore();
    }
    expect(surveyed).toBe(0);
    bot.clock.advance(2 * 60_000);
    expect(await bot.app.sweeps.surveyIdle()).toBe(1);
    const sent = bot.connector.sent.filter((r) => r.conversationId === who.conversationId);
    const notice = `${t('nb', 'handoff.expiredNoContact')} ${t('nb', 'handoff.offerContactNow')}`;
    expect(sent.map((r) => r.activity.text)).toContain(notice);
    expect(sent.findIndex((r) => isSurvey(r.activity))).toBeGreaterThan(
      sent.findIndex((r) => r.activity.text === notice),
    );
  });

  it('when a customer who got an answer goes quiet, then the survey is still self-service', async () => {
    const who = { locale: 'nb-NO', conversationId: 'answered-then-quiet' };
    await bot.say('Hvordan endrer jeg passordet til wifi?', who);
    bot.clock.advance(2 * 60_000);
    await bot.app.sweeps.surveyIdle();
    expect(surveysTo(who.conversationId)).toHaveLength(1);
    await bot.say('5', who);
    const ratings = await bot.app.db
      .collection<RatingDoc>('ratings')
      .find({ conversationId: who.conversationId });
    expect(ratings.map((r) => [r.score, r.resolution])).toEqual([[5, 'self-service']]);
  });
});
