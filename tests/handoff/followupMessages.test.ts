import { t } from '../../locales';
import { startTestBot, texts, type TestBot } from '../helpers/harness';

interface FollowupJson {
  id: string;
  conversationId: string;
  reason: string;
  contact: Array<{ kind: string; value: string }>;
  transcript?: Array<{ from: string; text: string }>;
}

/** What a customer writes in each language. */
const words = {
  en: {
    human: 'I want to talk to a human',
    yes: 'yes',
    describe: 'my bill is twice as high as last month',
    more: 'the invoice number is 2024-118, by the way',
    question: 'How do I change my wifi password?',
    complaint: 'This is unacceptable, my internet has been down for three days!!!',
    bye: 'thank you, goodbye',
  },
  id: {
    human: 'saya mau bicara dengan manusia',
    yes: 'ya',
    describe: 'tagihan saya dua kali lipat dari bulan lalu',
    more: 'nomor tagihannya 2024-118 ya',
    question: 'gimana cara ganti password wifi',
    complaint: 'Saya sangat kecewa, internet mati sudah tiga hari!!!',
    bye: 'terima kasih, itu saja',
  },
  pl: {
    human: 'chcę porozmawiać z konsultantem',
    yes: 'tak',
    describe: 'mój rachunek jest dwa razy wyższy niż w zeszłym miesiącu',
    more: 'numer faktury to 2024-118',
    question: 'jak zmienić hasło do wifi',
    complaint: 'To skandal, internet nie działa od trzech dni!!!',
    bye: 'dziękuję, to wszystko',
  },
  nb: {
    human: 'jeg vil snakke med et menneske',
    yes: 'ja',
    describe: 'regningen min er dobbelt så høy som forrige måned',
    more: 'fakturanummeret er 2024-118, forresten',
    question: 'hvordan bytter jeg wifi-passord',
    complaint: 'Dette er helt uakseptabelt, internett har vært nede i tre dager!!!',
    bye: 'takk, det var alt',
  },
} as const;
const locales = Object.keys(words) as Array<keyof typeof words>;

describe.each(locales)('messages after "I have saved your message" in %s', (locale) => {
  const w = words[locale];
  let bot: TestBot;
  const followupsOf = async (conversationId: string): Promise<FollowupJson[]> => {
    const open = (await (await bot.api('/api/agent/followups')).json()) as FollowupJson[];
    return Promise.all(
      open
        .filter((f) => f.conversationId === conversationId)
        .map(async (f) => (await (await bot.api(`/api/agent/followups/${f.id}`)).json()) as FollowupJson),
    );
  };
  const customerLines = (f: FollowupJson | undefined) =>
    (f?.transcript ?? []).filter((l) => l.from === 'customer').map((l) => l.text);

  beforeAll(async () => {
    bot = await startTestBot({
      FAQ_SEED_DEMO: 'true',
      BUSINESS_HOURS: 'Mon-Fri 08:00-18:00',
      BUSINESS_TIMEZONE: 'UTC',
    });
  });
  afterAll(() => bot.close());

  /** Moves the clock to the next Saturday noon (staff away) or Monday noon (staff there). */
  const moveTo = (day: 'saturday' | 'monday') => {
    const want = day === 'saturday' ? 6 : 1;
    while (bot.clock.now().getUTCDay() !== want || bot.clock.now().getUTCHours() !== 12)
      bot.clock.advance(60 * 60_000);
  };

  it('when the customer writes more after leaving a message out of hours, then it is added to the follow-up with a short acknowledgement', async () => {
    moveTo('saturday');
    const who = { locale, conversationId: `left-${locale}` };
    await bot.say(w.human, who);
    await bot.say(w.yes, who);
    await bot.say(w.describe, who);
    await bot.say('+48 601 234 567', who);
    const saved = texts(await bot.say(w.yes, who));
    expect(saved[0]?.startsWith(t(locale, 'handoff.ticketSaved'))).toBe(true);
    expect(texts(await bot.say(w.more, who))).toEqual([t(locale, 'handoff.addedToFollowup')]);
    const [followup] = await followupsOf(who.conversationId);
    expect(followup?.reason).toBe('left-message');
    expect(customerLines(followup)).toContain(w.more);
    // A question the knowledge base answers is answered, not added.
    const answer = bot.app.kb.get(`${locale}-wifi-password`)?.answer ?? '(no entry)';
    expect(texts(await bot.say(w.question, who))).toContain(answer);
    expect(customerLines((await followupsOf(who.conversationId))[0])).not.toContain(w.question);
    // Saying goodbye is not added: the bot closes as usual.
    expect(texts(await bot.say(w.bye, who))).not.toContain(t(locale, 'handoff.addedToFollowup'));
    expect(customerLines((await followupsOf(who.conversationId))[0])).not.toContain(w.bye);
  });

  it('when the queue expires without a contact, then the bot offers to take one now, and one given makes a follow-up that later messages join', async () => {
    moveTo('monday');
    const who = { locale, conversationId: `expired-${locale}` };
    await bot.say(w.complaint, who);
    await bot.say(t(locale, 'common.skip'), who);
    expect(texts(await bot.say(w.yes, who))).toEqual([
      t(locale, 'handoff.queuedNoEstimateNoContact', { position: 1 }),
    ]);
    bot.clock.advance(11 * 60_000);
    expect(await bot.app.sweeps.expireCases()).toBe(1);
    expect(bot.connector.textsTo(who.conversationId)).toEqual([
      `${t(locale, 'handoff.expiredNoContact')} ${t(locale, 'handoff.offerContactNow')}`,
    ]);
    expect(await followupsOf(who.conversationId)).toEqual([]);
    expect(texts(await bot.say('anna.nowak@example.com', who))).toEqual([
      `${t(locale, 'handoff.ticketSaved')} ${t(locale, 'handoff.ticketReplySoon')}`,
    ]);
    const [followup] = await followupsOf(who.conversationId);
    expect(followup).toMatchObject({
      reason: 'queue-timeout',
      contact: [{ kind: 'email', value: 'anna.nowak@example.com' }],
    });
    expect(texts(await bot.say(w.more, who))).toEqual([t(locale, 'handoff.addedToFollowup')]);
    const [followup2] = await followupsOf(who.conversationId);
    expect(customerLines(followup2)).toContain(w.more);
    // Once staff closed it, the bot answers as usual.
    const closed = await bot.api(`/api/agent/followups/${followup2?.id ?? ''}/close`, {
      method: 'POST',
      body: JSON.stringify({ note: 'Called back.' }),
    });
    expect(closed.status).toBe(200);
    expect(texts(await bot.say(w.more, who))).not.toContain(t(locale, 'handoff.addedToFollowup'));
  });
});
