import { t } from '../../locales';
import { newCustomers, startTestBot, texts, type TestBot } from '../helpers/harness';

/**
 * A question typed at the contact step (the twenty-first session's tester: "promo ini masih berlaku?") was neither
 * answered nor acknowledged: the bot only said it found no e-mail address or phone number. Now the question goes
 * with the request (staff read it in the summary, the customer sees it before sending), the bot says so and asks
 * for the contact again in the customer's language; "why do you need that?" still gets the retry.
 */
interface CaseJson {
  conversationId: string;
  summary: string;
}

const CASES = [
  {
    locale: 'en',
    why: 'why do you need that?',
    request: 'I want to talk to a human',
    problem: 'my internet drops every evening',
    question: 'is the promo still valid?',
    contact: 'anna.nowak@example.com',
    yes: 'yes',
  },
  {
    locale: 'id',
    why: 'buat apa kak minta nomor?',
    request: 'mau bicara dengan CS',
    problem: 'internet saya putus tiap malam',
    question: 'promo ini masih berlaku?',
    contact: 'budi@example.co.id',
    yes: 'ya',
  },
  {
    locale: 'pl',
    why: 'po co wam to?',
    request: 'chcę rozmawiać z konsultantem',
    problem: 'internet rozłącza się co wieczór',
    question: 'czy ta promocja jest jeszcze aktualna?',
    contact: 'jan@example.pl',
    yes: 'tak',
  },
  {
    locale: 'nb',
    why: 'hvorfor trenger dere det?',
    request: 'kan jeg snakke med et menneske?',
    problem: 'nettet faller ut hver kveld',
    question: 'gjelder tilbudet fortsatt?',
    contact: 'ola@example.no',
    yes: 'ja',
  },
] as const;

describe.each(CASES)('a question at the contact step in $locale', (c) => {
  const { locale } = c;
  const skip = t(locale, 'common.skip');
  let bot: TestBot;
  const next = newCustomers(`contact-question-${locale}`);
  const say = async (text: string, who: ReturnType<typeof next>) => {
    bot.clock.advance(5_000);
    return texts(await bot.say(text, who));
  };

  beforeAll(async () => {
    bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
  });
  afterAll(() => bot.close());

  it('when the customer asks a question instead of a contact, then it goes with the request and the contact is asked again', async () => {
    const who = next(locale);
    await say(c.request, who);
    expect(await say(c.problem, who)).toEqual([t(locale, 'handoff.askContact', { skip })]);
    expect(await say(c.question, who)).toEqual([
      `${t(locale, 'handoff.questionKept')} ${t(locale, 'handoff.askContact', { skip })}`,
    ]);
    const summary = `${c.problem}\n${c.question}`;
    expect(await say(c.contact, who)).toEqual([
      t(locale, 'handoff.confirmContact', { summary, contact: c.contact }),
    ]);
    await say(c.yes, who);
    const cases = (await (await bot.api('/api/agent/cases')).json()) as CaseJson[];
    expect(cases.find((x) => x.conversationId === who.conversationId)?.summary).toBe(summary);
  });

  it('when the customer asks why the bot needs a contact, then it is no question for staff: the bot asks again', async () => {
    const who = next(locale);
    await say(c.request, who);
    await say(c.problem, who);
    expect(await say(c.why, who)).toEqual([t(locale, 'handoff.contactRetry', { skip })]);
  });
});
