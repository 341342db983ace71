import type { CaseDoc } from '../../handoff/cases';
import { t } from '../../locales';
import { redactText, renderRedactions } from '../../privacy/redact';
import { startTestBot, texts, type TestBot } from '../helpers/harness';

/**
 * The hand-over says what will happen, and does it: the queue's promise depends on a way back, customer text is
 * shown back as the customer's own message shows it, a saved message is remembered, an earlier contact is used
 * again, and a yes/no question stops asking after a few unclear replies.
 */
const WORDS = {
  en: {
    human: 'I want to talk to a human',
    describe: 'my bill is twice as high as last month',
    yes: 'yes',
    cancel: 'cancel',
    card: 'my card is 4111 1111 1111 1111 and it was charged twice',
    whenCalled: 'ok and when will someone call me back?',
    sameAsBefore: 'same email as before',
    unclear: ['hmm', 'idk', 'whatever'],
    question: 'my internet is down',
    bye: "thanks, that's all",
    comment: 'Nobody could fix my connection',
  },
  id: {
    human: 'saya mau bicara dengan manusia',
    describe: 'tagihan saya dua kali lipat dari bulan lalu',
    yes: 'ya',
    cancel: 'batal',
    card: 'kartu saya 4111 1111 1111 1111 dan ditagih dua kali',
    whenCalled: 'oke, terus kapan saya akan ditelepon balik?',
    sameAsBefore: 'pakai email yang tadi aja',
    unclear: ['hmm', 'entahlah', 'hmm gimana ya'],
    question: 'internet saya mati',
    bye: 'terima kasih, itu saja',
    comment: 'Tidak ada yang bisa memperbaiki koneksi saya',
  },
  pl: {
    human: 'chcę porozmawiać z konsultantem',
    describe: 'mój rachunek jest dwa razy wyższy niż w zeszłym miesiącu',
    yes: 'tak',
    cancel: 'anuluj',
    card: 'moja karta 4111 1111 1111 1111 została obciążona dwa razy',
    whenCalled: 'ok, a kiedy ktoś do mnie oddzwoni?',
    sameAsBefore: 'ten sam e-mail co wcześniej',
    unclear: ['hmm', 'bo ja wiem', 'zobaczymy'],
    question: 'internet mi nie działa',
    bye: 'dzięki, to wszystko',
    comment: 'Nikt nie naprawił mojego łącza',
  },
  nb: {
    human: 'jeg vil snakke med et menneske',
    describe: 'regningen min er dobbelt så høy som forrige måned',
    yes: 'ja',
    cancel: 'avbryt',
    card: 'kortet mitt 4111 1111 1111 1111 ble belastet to ganger',
    whenCalled: 'ok, og når ringer noen meg tilbake?',
    sameAsBefore: 'samme e-post som før',
    unclear: ['hmm', 'tja', 'får se'],
    question: 'internettet mitt virker ikke',
    bye: 'takk, det var alt',
    comment: 'Ingen klarte å fikse tilkoblingen min',
  },
} as const;
const locales = Object.keys(WORDS) as Array<keyof typeof WORDS>;

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({
    FAQ_SEED_DEMO: 'true',
    BUSINESS_HOURS: 'Mon-Fri 08:00-18:00',
    BUSINESS_TIMEZONE: 'UTC',
  });
});
afterAll(() => bot.close());

/** Moves the clock to the next Saturday noon (staff away) or Monday noon (staff there, none online). */
const moveTo = (day: 'saturday' | 'monday') => {
  const want = day === 'saturday' ? 6 : 1;
  while (bot.clock.now().getUTCDay() !== want || bot.clock.now().getUTCHours() !== 12)
    bot.clock.advance(60 * 60_000);
};
const casesOf = (conversationId: string) => bot.app.db.collection<CaseDoc>('cases').find({ conversationId });
const followupsOf = async (conversationId: string) =>
  (await bot.app.followups.list()).filter((f) => f.conversationId === conversationId);
let n = 0;
const customer = (locale: string, what: string) => {
  n += 1;
  return { locale, conversationId: `honest-${what}-${locale}-${n}`, userId: `honest-${n}` };
};

describe.each(locales)('the hand-over in %s', (locale) => {
  const w = WORDS[locale];
  const skip = t(locale, 'common.skip');

  it('when the customer gives no contact and nobody is online, then the queue does not promise to keep the request as a message', async () => {
    moveTo('monday');
    const who = customer(locale, 'nocontact');
    await bot.say(w.human, who);
    await bot.say(w.describe, who);
    await bot.say(skip, who);
    expect(texts(await bot.say(w.yes, who))).toEqual([
      t(locale, 'handoff.queuedNoEstimateNoContact', { position: 1 }),
    ]);
    await bot.say(w.cancel, who);
    // With a contact, the promise stands.
    const withContact = customer(locale, 'contact');
    await bot.say(w.human, withContact);
    await bot.say(w.describe, withContact);
    await bot.say('jan@example.com', withContact);
    expect(texts(await bot.say(w.yes, withContact))).toEqual([
      t(locale, 'handoff.queuedNoEstimate', { position: 1 }),
    ]);
    await bot.say(w.cancel, withContact);
  });

  it('when the description held a card number, then the summary shown back has the removal marker, never the internal token', async () => {
    moveTo('monday');
    const who = customer(locale, 'card');
    await bot.say(w.human, who);
    await bot.say(w.card, who);
    const [confirm] = texts(await bot.say(skip, who));
    expect(confirm).toBe(
      t(locale, 'handoff.confirm', { summary: renderRedactions(redactText(w.card), locale) }),
    );
    expect(confirm).toContain(t(locale, 'staff.redactedCard').slice(1, -1));
    expect(confirm).not.toMatch(/redacted/);
    await bot.say(w.cancel, who);
  });

  it('when a message is saved out of hours, then a question about it or another request for a person is answered with how and when, and nothing is saved twice', async () => {
    moveTo('saturday');
    const who = customer(locale, 'saved');
    await bot.say(w.human, who);
    await bot.say(w.yes, who);
    await bot.say(w.describe, who);
    await bot.say('+48 601 234 567', who);
    const saved = texts(await bot.say(w.yes, who));
    expect(saved[0]?.startsWith(t(locale, 'handoff.ticketSaved'))).toBe(true);
    const status = `${t(locale, 'handoff.savedStatus', { contact: '+48 601 234 567' })} ${bot.app.handoff.replyExpectation(locale)}`;
    const whenReply = texts(await bot.say(w.whenCalled, who));
    expect(whenReply).toHaveLength(1);
    expect(whenReply[0]).toContain(status);
    expect(whenReply.join(' ')).not.toContain(t(locale, 'handoff.closedOffer', { when: '' }).slice(0, 20));
    expect(texts(await bot.say(w.human, who))).toEqual([status]);
    expect(await casesOf(who.conversationId)).toHaveLength(1);
    expect(await followupsOf(who.conversationId)).toHaveLength(1);
  });

  it('when the customer gave an e-mail address before, then "the same as before" at a call-back uses it', async () => {
    moveTo('monday');
    const who = customer(locale, 'same');
    await bot.say(w.human, who);
    await bot.say(w.describe, who);
    await bot.say('jan@example.com', who);
    await bot.say(w.yes, who);
    await bot.say(w.cancel, who);
    await bot.say(w.question, who);
    await bot.say(w.bye, who);
    await bot.say('1', who);
    await bot.say(w.comment, who);
    expect(texts(await bot.say(w.yes, who))).toEqual([
      t(locale, 'handoff.ackLowRating'),
      t(locale, 'handoff.askContactKnown', { contact: 'jan@example.com', skip }),
    ]);
    expect(texts(await bot.say(w.sameAsBefore, who))).toEqual([
      t(locale, 'handoff.confirmContact', { summary: w.comment, contact: 'jan@example.com' }),
    ]);
  });

  it('when there is no contact from before, then "the same as before" is asked for clearly', async () => {
    moveTo('monday');
    const who = customer(locale, 'nosame');
    await bot.say(w.human, who);
    await bot.say(w.describe, who);
    expect(texts(await bot.say(w.sameAsBefore, who))).toEqual([t(locale, 'handoff.contactRetry', { skip })]);
    await bot.say(w.cancel, who);
  });

  it('when the customer answers "shall I send it?" unclearly three times, then each re-ask says what yes and no do, and the request is sent with a word on why', async () => {
    moveTo('monday');
    const who = customer(locale, 'unclear');
    await bot.say(w.human, who);
    await bot.say(w.describe, who);
    await bot.say(skip, who);
    const [first, second, third] = w.unclear;
    expect(texts(await bot.say(first, who))).toEqual([t(locale, 'handoff.confirmRetry')]);
    expect(texts(await bot.say(second, who))).toEqual([t(locale, 'handoff.confirmRetry')]);
    expect(await casesOf(who.conversationId)).toEqual([]);
    expect(texts(await bot.say(third, who))).toEqual([
      t(locale, 'handoff.unclearSend'),
      t(locale, 'handoff.queuedNoEstimateNoContact', { position: 1 }),
    ]);
    expect(await casesOf(who.conversationId)).toHaveLength(1);
    await bot.say(w.cancel, who);
  });

  it('when the customer answers the offer to leave a message unclearly three times, then a message is taken, saying so', async () => {
    moveTo('saturday');
    const who = customer(locale, 'unclear-away');
    await bot.say(w.human, who);
    const [first, second, third] = w.unclear;
    expect(texts(await bot.say(first, who))).toEqual([t(locale, 'handoff.closedOfferRetry')]);
    expect(texts(await bot.say(second, who))).toEqual([t(locale, 'handoff.closedOfferRetry')]);
    expect(texts(await bot.say(third, who))).toEqual([
      t(locale, 'handoff.unclearLeaveMessage'),
      t(locale, 'handoff.describe'),
    ]);
  });
});
