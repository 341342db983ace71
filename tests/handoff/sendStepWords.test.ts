import { t } from '../../locales';
import { newCustomers, startTestBot, texts, type TestBot } from '../helpers/harness';

/**
 * "Shall I send it?" (the twenty-first session's review, left). A no worded as seeing to it oneself ("no thanks i will
 * figure it out myself", "nah I'll sort it out myself") was added to the request as more detail and the question
 * asked again; a yes with more after it ("yes, and also the router is blinking red") sent the request without what
 * followed the yes.
 */
interface CaseJson {
  conversationId: string;
  summary: string;
}

const CASES = [
  {
    locale: 'en',
    request: 'I want to talk to a human',
    problem: 'my internet drops every evening',
    myself: [
      'no thanks i will figure it out myself',
      "nah I'll sort it out myself",
      'nvm ill handle it myself',
    ],
    tried: 'i already tried restarting the modem myself yesterday evening',
    yesAnd: {
      reply: 'yes, and also the router is blinking red',
      added: 'and also the router is blinking red',
    },
  },
  {
    locale: 'id',
    request: 'mau bicara dengan CS',
    problem: 'internet saya putus tiap malam',
    myself: [
      'gak usah kak, saya coba sendiri dulu',
      'sy coba sendiri aja deh',
      'ga usah, biar sy urus sendiri',
    ],
    tried: 'udah sy coba sendiri tapi tetep ga bisa',
    yesAnd: { reply: 'iya, oh iya lampunya juga kedip merah', added: 'oh iya lampunya juga kedip merah' },
  },
  {
    locale: 'pl',
    request: 'chcę rozmawiać z konsultantem',
    problem: 'internet rozłącza się co wieczór',
    myself: ['nie sam sobie poradze', 'dzieki, sama sobie poradzę', 'nie trzeba, sam to ogarne'],
    tried: 'probowalem sam to naprawic ale nic z tego',
    yesAnd: { reply: 'tak, i jeszcze router miga', added: 'i jeszcze router miga' },
  },
  {
    locale: 'nb',
    request: 'kan jeg snakke med et menneske?',
    problem: 'nettet faller ut hver kveld',
    myself: [
      'nei takk, jeg fikser det selv',
      'nei takk jeg ordner det selv',
      'trenger ikke, jeg finner ut av det selv',
    ],
    tried: 'jeg har prøvd å fikse det selv uten hell',
    yesAnd: { reply: 'ja, og ruteren blinker rødt', added: 'og ruteren blinker rødt' },
  },
] as const;

describe.each(CASES)('the reply to "Shall I send it?" in $locale', (c) => {
  const { locale } = c;
  let bot: TestBot;
  const next = newCustomers(`send-words-${locale}`);
  const say = async (text: string, who: ReturnType<typeof next>) => {
    bot.clock.advance(5_000);
    return texts(await bot.say(text, who));
  };
  const cases = async (): Promise<CaseJson[]> =>
    (await (await bot.api('/api/agent/cases')).json()) as CaseJson[];
  /** Asks for a person, describes the problem, skips the contact: the bot asks "Shall I send it?". */
  const atSend = async () => {
    const who = next(locale);
    await say(c.request, who);
    await say(c.problem, who);
    expect(await say(t(locale, 'common.skip'), who)).toEqual([
      t(locale, 'handoff.confirm', { summary: c.problem }),
    ]);
    return who;
  };

  beforeAll(async () => {
    bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
  });
  afterAll(() => bot.close());

  it.each(c.myself)(
    'when the customer says "%s", then it is a no: nothing is sent, and the bot says so',
    async (reply) => {
      const who = await atSend();
      const said = await say(reply, who);
      // "gak usah", "nie trzeba" are also the cancel command (its notice then asks what else): either way, said once.
      expect(said).toHaveLength(1);
      const [answer = ''] = said;
      expect(
        answer === t(locale, 'handoff.notSent') || answer.startsWith(t(locale, 'handoff.stepCancelled')),
      ).toBe(true);
      expect((await cases()).find((x) => x.conversationId === who.conversationId)).toBeUndefined();
    },
  );

  it('when the customer says what they tried themselves, then it is more detail, not a no', async () => {
    const who = await atSend();
    expect(await say(c.tried, who)).toEqual([
      t(locale, 'handoff.confirm', { summary: `${c.problem}\n${c.tried}` }),
    ]);
  });

  it('when the customer says yes and adds more, then the request is sent with what was added', async () => {
    const who = await atSend();
    const said = await say(c.yesAnd.reply, who);
    const all = await cases();
    const sent = all.find((x) => x.conversationId === who.conversationId);
    expect(sent?.summary).toBe(`${c.problem}\n${c.yesAnd.added}`);
    expect(said).toEqual([t(locale, 'handoff.queuedNoEstimateNoContact', { position: all.length })]);
  });
});
