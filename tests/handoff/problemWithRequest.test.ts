import { t } from '../../locales';
import { startTestBot, texts, type TestBot } from '../helpers/harness';

interface CaseJson {
  conversationId: string;
  summary: string;
}

/** Requests for a person that name the problem in a few words of a clause of their own. */
const cases = [
  { locale: 'en', text: "my router doesn't work, I want to talk to a person", yes: 'yes' },
  { locale: 'en', text: 'router not working. human please', yes: 'yes' },
  { locale: 'id', text: 'tagihan saya salah, mau bicara dengan cs', yes: 'ya' },
  { locale: 'pl', text: 'router mi nie dziala, chce rozmawiac z konsultantem', yes: 'tak' },
  { locale: 'nb', text: 'ruteren virker ikke. menneske takk', yes: 'ja' },
  { locale: 'nb', text: 'faktura er feil, jeg vil snakke med et menneske', yes: 'ja' },
] as const;

/** Requests whose other clause is a greeting, thanks or anger: the bot still asks what it is about. */
const notProblems = [
  { locale: 'en', text: 'hi there, I want a human' },
  { locale: 'en', text: 'thanks anyway, can I talk to a person' },
  { locale: 'id', text: 'halo kak, mau ngomong sama cs' },
  { locale: 'pl', text: 'dzien dobry, chce rozmawiac z konsultantem' },
  { locale: 'nb', text: 'hei hei, jeg vil snakke med et menneske' },
] as const;

describe('a request for a person that names the problem', () => {
  let bot: TestBot;
  let n = 0;
  const customer = (locale: string) => ({
    locale,
    conversationId: `named-${locale}-${++n}`,
    userId: `named-${locale}-${n}`,
  });
  const say = async (text: string, who: ReturnType<typeof customer>) => {
    bot.clock.advance(5_000);
    return texts(await bot.say(text, who));
  };
  const summaryOf = async (conversationId: string): Promise<string | undefined> =>
    ((await (await bot.api('/api/agent/cases')).json()) as CaseJson[]).find(
      (x) => x.conversationId === conversationId,
    )?.summary;

  beforeAll(async () => {
    bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
  });
  afterAll(() => bot.close());

  it.each(cases)(
    'when it is "$text" ($locale), then the bot does not ask to describe it and the message is the summary',
    async ({ locale, text, yes }) => {
      const who = customer(locale);
      const skip = t(locale, 'common.skip');
      const said = await say(text, who);
      expect(said).not.toContain(t(locale, 'handoff.describe'));
      expect(said.at(-1)).toBe(t(locale, 'handoff.askContact', { skip }));
      expect(await say(skip, who)).toEqual([t(locale, 'handoff.confirm', { summary: text })]);
      await say(yes, who);
      expect(await summaryOf(who.conversationId)).toBe(text);
    },
  );

  it('when such a request was not sent and a later one skips the description, then the case shows that message', async () => {
    const who = customer('nb');
    const skip = t('nb', 'common.skip');
    const text = 'ruteren virker ikke. menneske takk';
    let said = await say(text, who);
    // Skips whichever steps come until "Shall I send it?", and says no.
    while (!said.some((line) => line.endsWith('Skal jeg sende det?'))) said = await say(skip, who);
    await say('nei', who);
    expect((await say('menneske', who)).at(-1)).toBe(t('nb', 'handoff.describe'));
    await say(skip, who);
    expect(await say(skip, who)).toEqual([
      t('nb', 'handoff.confirm', { summary: t('nb', 'handoff.noDescription') }),
    ]);
    await say('ja', who);
    // The last three messages before it, the request that names the problem first.
    expect((await summaryOf(who.conversationId))?.split('\n')[0]).toBe(text);
  });

  it.each(notProblems)(
    'when it is "$text" ($locale), then the bot asks what it is about',
    async ({ locale, text }) => {
      expect((await say(text, customer(locale))).at(-1)).toBe(t(locale, 'handoff.describe'));
    },
  );
});
