import type { CaseDoc } from '../../handoff/cases';
import { t } from '../../locales';
import { startTestBot, texts, type TestBot } from '../helpers/harness';

/**
 * In business hours, after a hand-over nobody took became a saved message (it had a phone number), a question
 * about it is answered with how and when the customer will be contacted, not with a second hand-over; an explicit
 * request for a person still hands over.
 */
const WORDS = {
  en: {
    human: 'I want to talk to a human',
    describe: 'my bill is twice as high as last month',
    yes: 'yes',
    whenCalled: 'when will someone call me back?',
    cancel: 'cancel',
  },
  id: {
    human: 'saya mau bicara dengan manusia',
    describe: 'tagihan saya dua kali lipat dari bulan lalu',
    yes: 'ya',
    whenCalled: 'kapan saya ditelpon?',
    cancel: 'batal',
  },
  pl: {
    human: 'chcę porozmawiać z konsultantem',
    describe: 'mój rachunek jest dwa razy wyższy niż w zeszłym miesiącu',
    yes: 'tak',
    whenCalled: 'kiedy ktoś oddzwoni?',
    cancel: 'anuluj',
  },
  nb: {
    human: 'jeg vil snakke med et menneske',
    describe: 'regningen min er dobbelt så høy som forrige måned',
    yes: 'ja',
    whenCalled: 'når ringer dere meg?',
    cancel: 'avbryt',
  },
} as const;
const locales = Object.keys(WORDS) as Array<keyof typeof WORDS>;
const PHONE = '+48 601 234 567';

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({
    FAQ_SEED_DEMO: 'true',
    BUSINESS_HOURS: 'Mon-Fri 08:00-18:00',
    BUSINESS_TIMEZONE: 'UTC',
    HANDOFF_QUEUE_TIMEOUT_MINUTES: '1',
  });
});
afterAll(() => bot.close());

/** Moves the clock to the next Monday noon (staff there, none online). */
const toMondayNoon = () => {
  while (bot.clock.now().getUTCDay() !== 1 || bot.clock.now().getUTCHours() !== 12)
    bot.clock.advance(60 * 60_000);
};
const casesOf = (conversationId: string) => bot.app.db.collection<CaseDoc>('cases').find({ conversationId });
const followupsOf = async (conversationId: string) =>
  (await bot.app.followups.list()).filter((f) => f.conversationId === conversationId);

describe.each(locales)('a saved message in business hours, in %s', (locale) => {
  const w = WORDS[locale];

  it('when the customer asks when they will be called back, then they hear how and when, and no second hand-over starts; an explicit request for a person still hands over', async () => {
    toMondayNoon();
    const who = { locale, conversationId: `saved-question-${locale}` };
    await bot.say(w.human, who);
    await bot.say(w.describe, who);
    await bot.say(PHONE, who);
    expect(texts(await bot.say(w.yes, who))).toEqual([
      t(locale, 'handoff.queuedNoEstimate', { position: 1 }),
    ]);
    bot.clock.advance(2 * 60_000);
    expect(await bot.app.sweeps.expireCases()).toBe(1);
    expect(await followupsOf(who.conversationId)).toHaveLength(1);

    const status = `${t(locale, 'handoff.savedStatus', { contact: PHONE })} ${bot.app.handoff.replyExpectation(locale)}`;
    const reply = texts(await bot.say(w.whenCalled, who));
    expect(reply).toHaveLength(1);
    expect(reply[0]).toContain(status);
    expect(reply.join(' ')).not.toContain(t(locale, 'handoff.ackRequest'));
    expect(await casesOf(who.conversationId)).toHaveLength(1);
    expect(await followupsOf(who.conversationId)).toHaveLength(1);

    // "I want to talk to a human" asks for a person now: staff are in, so the hand-over starts as always.
    expect(texts(await bot.say(w.human, who))[0]).toBe(t(locale, 'handoff.ackRequest'));
    await bot.say(w.cancel, who);
  });
});
