import { t } from '../../locales';
import { startTestBot, texts, type TestBot } from '../helpers/harness';

interface CaseJson {
  conversationId: string;
  summary: string;
}

/** A request for a person, alone and with the problem in the same message, per language. */
const cases = [
  {
    locale: 'en',
    request: 'I want to talk to a human',
    problem: 'my card was charged twice this month',
    both: 'my card was charged twice this month, I want a human',
    insult: 'damn you all, put me through to a real person',
    yes: 'yes',
  },
  {
    locale: 'id',
    request: 'mau bicara dengan CS',
    problem: 'kartu saya kena tagihan dua kali',
    both: 'kartu saya kena tagihan dua kali, mau bicara dengan CS',
    insult: 'kalian semua gak becus, mau bicara dengan CS',
    yes: 'ya',
  },
  {
    locale: 'pl',
    request: 'chcę rozmawiać z konsultantem',
    problem: 'karta została obciążona dwa razy',
    both: 'karta została obciążona dwa razy, chcę rozmawiać z konsultantem',
    insult: 'jesteście beznadziejni, chcę rozmawiać z konsultantem',
    yes: 'tak',
  },
  {
    locale: 'nb',
    request: 'kan jeg snakke med et menneske?',
    problem: 'kortet mitt ble belastet to ganger',
    both: 'kortet mitt ble belastet to ganger, kan jeg snakke med et menneske?',
    insult: 'faen ta dere, gi meg en ekte person',
    yes: 'ja',
  },
] as const;

describe.each(cases)('what staff read a request for a person is about, in $locale', (c) => {
  const { locale } = c;
  let bot: TestBot;
  let n = 0;
  const customer = () => ({
    locale,
    conversationId: `about-${locale}-${++n}`,
    userId: `about-${locale}-${n}`,
  });
  /** A customer message a few seconds after the last one, as in a real chat. */
  const say = async (text: string, who: ReturnType<typeof customer>) => {
    bot.clock.advance(5_000);
    return texts(await bot.say(text, who));
  };
  const summaryOf = async (conversationId: string): Promise<string | undefined> =>
    ((await (await bot.api('/api/agent/cases')).json()) as CaseJson[]).find(
      (x) => x.conversationId === conversationId,
    )?.summary;
  const skip = t(locale, 'common.skip');

  beforeAll(async () => {
    bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
  });
  afterAll(() => bot.close());

  it('when the first message only asks for a person, then the bot asks what it is about and the description is the summary', async () => {
    const who = customer();
    expect(await say(c.request, who)).toEqual([
      t(locale, 'handoff.ackRequest'),
      t(locale, 'handoff.describe'),
    ]);
    await say(c.problem, who);
    await say(skip, who);
    await say(c.yes, who);
    expect(await summaryOf(who.conversationId)).toBe(c.problem);
  });

  it('when the first message only asks for a person and the description is skipped, then the request is not shown as what the case is about', async () => {
    const who = customer();
    await say(c.request, who);
    await say(skip, who);
    await say(skip, who);
    await say(c.yes, who);
    // Staff read "(no description)" and the conversation, not "I want to talk to a human" as the problem.
    expect(await summaryOf(who.conversationId)).toBe('');
  });

  // The bot cannot tell which clause says what is wrong ("faen ta dere, gi meg en ekte person" is an insult and a
  // request): a message that says more than the request is the summary whole, in the customer's own words.
  it('when the first message holds both a problem and the request, then the whole message is the summary', async () => {
    const who = customer();
    const said = await say(c.both, who);
    expect(said).not.toContain(t(locale, 'handoff.describe'));
    expect(said.at(-1)).toBe(t(locale, 'handoff.askContact', { skip }));
    expect(await say(skip, who)).toEqual([t(locale, 'handoff.confirm', { summary: c.both })]);
    await say(c.yes, who);
    expect(await summaryOf(who.conversationId)).toBe(c.both);
  });

  it('when the first message is an insult and the request and the description is skipped, then the whole message is the summary, not the insult alone', async () => {
    const who = customer();
    expect((await say(c.insult, who)).at(-1)).toBe(t(locale, 'handoff.describe'));
    await say(skip, who);
    await say(skip, who);
    await say(c.yes, who);
    expect(await summaryOf(who.conversationId)).toBe(c.insult);
  });
});
