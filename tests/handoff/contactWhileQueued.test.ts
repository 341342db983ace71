import type { CaseDoc } from '../../handoff/cases';
import { t } from '../../locales';
import { startTestBot, texts, type TestBot } from '../helpers/harness';

/** What a customer writes in each language. */
const words = {
  en: {
    complaint: 'This is unacceptable, my internet has been down for three days!!!',
    yes: 'yes',
    contact: 'you can reach me at anna.nowak@example.com',
  },
  nb: {
    complaint: 'Dette er helt uakseptabelt, internett har vært nede i tre dager!!!',
    yes: 'ja',
    contact: 'ring meg gjerne på 912 34 567',
  },
} as const;
const locales = Object.keys(words) as Array<keyof typeof words>;

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true', HANDOFF_QUEUE_TIMEOUT_MINUTES: '1' });
});
afterAll(() => bot.close());

const followupsOf = async (conversationId: string) =>
  (await bot.app.followups.list()).filter((f) => f.conversationId === conversationId);

describe.each(locales)('a contact typed while waiting in the queue, in %s', (locale) => {
  const w = words[locale];

  it('when a queued customer without a contact types one, then it becomes the case contact, is acknowledged, and the timeout keeps the request as a message', async () => {
    const who = { locale, conversationId: `queued-contact-${locale}` };
    await bot.say(w.complaint, who);
    await bot.say(t(locale, 'common.skip'), who);
    expect(texts(await bot.say(w.yes, who))).toEqual([
      t(locale, 'handoff.queuedNoEstimateNoContact', { position: 1 }),
    ]);
    await bot.say(w.contact, who);
    await bot.app.handoff.idle();
    expect(bot.connector.textsTo(who.conversationId)).toEqual([t(locale, 'handoff.contactNoted')]);
    const [doc] = await bot.app.db.collection<CaseDoc>('cases').find({ conversationId: who.conversationId });
    expect(doc?.contact).toEqual(
      locale === 'en' ? { email: 'anna.nowak@example.com' } : { phone: '912 34 567' },
    );

    bot.clock.advance(2 * 60_000);
    expect(await bot.app.sweeps.expireCases()).toBe(1);
    expect(bot.connector.textsTo(who.conversationId).slice(1)).toEqual([
      `${t(locale, 'handoff.expired')} ${t(locale, 'handoff.ticketReplySoon')}`,
    ]);
    const [followup] = await followupsOf(who.conversationId);
    expect(followup).toMatchObject({
      reason: 'queue-timeout',
      contact: [
        locale === 'en'
          ? { kind: 'email', value: 'anna.nowak@example.com' }
          : { kind: 'phone', value: '912 34 567' },
      ],
    });
  });
});
