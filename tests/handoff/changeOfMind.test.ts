import { t } from '../../locales';
import { newCustomers, startTestBot, texts, type TestBot } from '../helpers/harness';

interface CaseJson {
  id: string;
  status: string;
  conversationId: string;
  messages?: Array<{ from: string; text: string }>;
}

/** What a customer who changes their mind writes, per language. */
const cases = [
  {
    locale: 'en',
    human: 'I want to talk to a human',
    complaint: 'This is unacceptable, my internet has been down for three days!!!',
    yes: 'yes',
    cancels: ['never mind', 'nvm', 'forget it', 'cancel'],
    queueCancel: 'ok never mind, cancel',
    thenAsk: 'actually nvm, how do i change my plan',
    /** A change of mind with what the customer will do instead: nothing to answer. */
    callSelf: "never mind, I'll call you",
  },
  {
    locale: 'id',
    human: 'saya mau bicara dengan manusia',
    complaint: 'Saya sangat kecewa, internet mati sudah tiga hari!!!',
    yes: 'ya',
    cancels: ['gak jadi', 'ga jadi deh', 'batal', 'gak usah', 'gak usah deh, nanti aja'],
    queueCancel: 'oke deh, ga jadi, batal aja',
    thenAsk: 'ga jadi deh, gimana cara ganti paket?',
    /** A change of mind with what the customer will do instead: nothing to answer. */
    callSelf: 'gak jadi, aku telpon aja',
  },
  {
    locale: 'pl',
    human: 'chcę porozmawiać z konsultantem',
    complaint: 'To skandal, internet nie działa od trzech dni!!!',
    yes: 'tak',
    cancels: ['nieważne', 'nie trzeba', 'anuluj', 'jednak nie'],
    queueCancel: 'a dobra, nie trzeba, anuluj',
    thenAsk: 'a jednak nie, jak zmienić pakiet?',
    /** A change of mind with what the customer will do instead: nothing to answer. */
    callSelf: 'nieważne, zadzwonię sam',
  },
  {
    locale: 'nb',
    human: 'jeg vil snakke med et menneske',
    complaint: 'Dette er helt uakseptabelt, internett har vært nede i tre dager!!!',
    yes: 'ja',
    cancels: ['glem det', 'avbryt', 'trenger ikke', 'det går bra likevel'],
    queueCancel: 'ok, det går bra likevel',
    thenAsk: 'glem det, hvordan bytter jeg pakke?',
    /** A change of mind with what the customer will do instead: nothing to answer. */
    callSelf: 'glem det, jeg ringer selv',
  },
] as const;

describe.each(cases)('a change of mind during a hand-over in $locale', (c) => {
  const { locale } = c;
  let bot: TestBot;
  const next = newCustomers(`mind-${locale}`);
  /** A new conversation for each scenario. */
  const customer = () => next(locale);
  const planAnswer = () => bot.app.kb.get(`${locale}-change-plan`)?.answer ?? '(no entry)';
  const casesOf = async (conversationId: string): Promise<CaseJson[]> =>
    ((await (await bot.api('/api/agent/cases')).json()) as CaseJson[]).filter(
      (x) => x.conversationId === conversationId,
    );
  const stepCancelled = `${t(locale, 'handoff.stepCancelled')} ${t(locale, 'common.anythingElse')}`;

  beforeAll(async () => {
    bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
  });
  afterAll(() => bot.close());

  /** Asks for a person and gets to the complaint's contact step, then sends the case; returns the customer. */
  const queued = async () => {
    const who = customer();
    await bot.say(c.complaint, who);
    await bot.say(t(locale, 'common.skip'), who);
    expect(texts(await bot.say(c.yes, who))).toEqual([
      t(locale, 'handoff.queuedNoEstimateNoContact', { position: 1 }),
    ]);
    return who;
  };

  it.each(c.cancels)(
    'when the customer says %p at "describe your problem", then the hand-over stops, politely, with the way back to a person',
    async (cancel) => {
      const who = customer();
      expect(texts(await bot.say(c.human, who))).toEqual([
        t(locale, 'handoff.ackRequest'),
        t(locale, 'handoff.describe'),
      ]);
      expect(texts(await bot.say(cancel, who))).toEqual([stepCancelled]);
      expect(await casesOf(who.conversationId)).toEqual([]);
    },
  );

  it('when a question follows the cancel at "describe your problem", then the hand-over stops and the question is answered', async () => {
    const who = customer();
    await bot.say(c.human, who);
    const said = texts(await bot.say(c.thenAsk, who));
    expect(said[0]).toBe(t(locale, 'handoff.stepCancelled'));
    expect(said).toContain(planAnswer());
    expect(await casesOf(who.conversationId)).toEqual([]);
  });

  it('when a question follows the cancel at the contact step, then the hand-over stops and the question is answered', async () => {
    const who = customer();
    await bot.say(c.complaint, who);
    const said = texts(await bot.say(c.thenAsk, who));
    expect(said[0]).toBe(t(locale, 'handoff.stepCancelled'));
    expect(said).toContain(planAnswer());
  });

  it('when the waiting customer changes their mind in a few words, then they leave the queue and nothing is added to the case', async () => {
    const who = await queued();
    expect(texts(await bot.say(c.queueCancel, who))).toEqual([
      `${t(locale, 'handoff.cancelledByCustomer')} ${t(locale, 'common.anythingElse')}`,
    ]);
    const [withdrawn] = await casesOf(who.conversationId);
    expect(withdrawn?.status).toBe('cancelled');
    const detail = (await (await bot.api(`/api/agent/cases/${withdrawn?.id ?? ''}`)).json()) as CaseJson;
    expect(detail.messages ?? []).toEqual([]);
  });

  it('when the waiting customer changes their mind and says what they will do instead, then they leave the queue with one reply', async () => {
    const who = await queued();
    expect(texts(await bot.say(c.callSelf, who))).toEqual([
      `${t(locale, 'handoff.cancelledByCustomer')} ${t(locale, 'common.anythingElse')}`,
    ]);
    const [withdrawn] = await casesOf(who.conversationId);
    expect(withdrawn?.status).toBe('cancelled');
    expect(await casesOf(who.conversationId)).toHaveLength(1);
  });

  it('when the customer changes their mind at "describe your problem" and says what they will do instead, then the hand-over stops with one reply', async () => {
    const who = customer();
    await bot.say(c.human, who);
    expect(texts(await bot.say(c.callSelf, who))).toEqual([stepCancelled]);
    expect(await casesOf(who.conversationId)).toEqual([]);
  });

  it('when the waiting customer cancels and asks a question in one message, then they leave the queue and the question is answered', async () => {
    const who = await queued();
    const said = texts(await bot.say(c.thenAsk, who));
    expect(said[0]).toBe(t(locale, 'handoff.cancelledByCustomer'));
    expect(said).toContain(planAnswer());
    expect((await casesOf(who.conversationId))[0]?.status).toBe('cancelled');
  });
});
