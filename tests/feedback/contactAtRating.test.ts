import type { Activity } from 'botbuilder';
import { t } from '../../locales';
import type { RatingDoc } from '../../feedback/types';
import { startTestBot, texts, type TestBot } from '../helpers/harness';

const isSurvey = (activity: Partial<Activity>): boolean =>
  activity.attachments?.some((a) => a.contentType === 'application/vnd.microsoft.card.adaptive') ?? false;

/** What a customer writes in each language. */
const words = {
  en: {
    complaint: 'This is unacceptable, my internet has been down for three days!!!',
    yes: 'yes',
    contact: 'ok, email: anna.nowak@example.com',
  },
  nb: {
    complaint: 'Dette er helt uakseptabelt, internett har vært nede i tre dager!!!',
    yes: 'ja',
    contact: 'ok, epost: ola@example.no',
  },
} as const;
const locales = Object.keys(words) as Array<keyof typeof words>;

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({
    FAQ_SEED_DEMO: 'true',
    SURVEY_INACTIVITY_MINUTES: '1',
    HANDOFF_QUEUE_TIMEOUT_MINUTES: '1',
  });
});
afterAll(() => bot.close());

const followupsOf = async (conversationId: string) =>
  (await bot.app.followups.list()).filter((f) => f.conversationId === conversationId);

describe.each(locales)('a contact typed at the rating step after the queue expired, in %s', (locale) => {
  const w = words[locale];
  const email = w.contact.split(' ').at(-1);

  it('when the survey asks for a rating and the customer types the e-mail the expiry notice asked for, then the request is kept as a message and the rating is asked again', async () => {
    const who = { locale, conversationId: `contact-at-rating-${locale}` };
    await bot.say(w.complaint, who);
    await bot.say(t(locale, 'common.skip'), who);
    expect(texts(await bot.say(w.yes, who))).toEqual([
      t(locale, 'handoff.queuedNoEstimateNoContact', { position: 1 }),
    ]);
    bot.clock.advance(2 * 60_000);
    expect(await bot.app.sweeps.expireCases()).toBe(1);
    bot.clock.advance(2 * 60_000);
    await bot.app.sweeps.surveyIdle();
    expect(
      bot.connector.sent.filter((r) => r.conversationId === who.conversationId && isSurvey(r.activity)),
    ).toHaveLength(1);

    expect(texts(await bot.say(w.contact, who))).toEqual([
      `${t(locale, 'handoff.ticketSaved')} ${t(locale, 'handoff.ticketReplySoon')} ${t(locale, 'feedback.prompt')}`,
    ]);
    const [followup] = await followupsOf(who.conversationId);
    expect(followup).toMatchObject({ reason: 'queue-timeout', contact: [{ kind: 'email', value: email }] });

    // The survey goes on: the rating is taken.
    await bot.say('4', who);
    const ratings = await bot.app.db
      .collection<RatingDoc>('ratings')
      .find({ conversationId: who.conversationId });
    expect(ratings.map((r) => r.score)).toEqual([4]);
  });
});
