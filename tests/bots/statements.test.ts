import { t } from '../../locales';
import { startTestBot, texts, type TestBot } from '../helpers/harness';

/**
 * A statement that asks nothing and matches no answer ("tomorrow is my birthday") is acknowledged and the customer
 * asked what they need; it is not listed as an unanswered question. A question without an answer still is.
 */
const CASES = [
  {
    locale: 'en',
    statement: 'tomorrow is my birthday',
    question: 'why is the sky blue?',
    report: 'i transferred the money on monday and the app still says overdue',
  },
  {
    locale: 'id',
    statement: 'besok ulang tahun saya',
    question: 'kenapa air laut asin?',
    report: 'udah transfer dari kemarin tapi status tagihan belum berubah',
  },
  {
    locale: 'pl',
    statement: 'jutro mam urodziny',
    question: 'dlaczego niebo jest niebieskie?',
    report: 'zaplacilem rachunek 3 dni temu a w aplikacji dalej pisze ze mam zaleglosc',
  },
  {
    locale: 'nb',
    statement: 'i dag er det fint vær',
    question: 'hvorfor er himmelen blå?',
    report: 'skriveren min finner ikke nettverket etter at jeg byttet plass på den',
  },
] as const;

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
});
afterAll(() => bot.close());

const unanswered = async (locale: string): Promise<string[]> => {
  const body = (await (await bot.api(`/api/admin/unanswered?locale=${locale}`)).json()) as {
    unanswered: Array<{ text: string }>;
  };
  return body.unanswered.map((item) => item.text);
};

describe.each(CASES)('a statement without an answer ($locale)', (c) => {
  it('when the customer states something that asks nothing and matches no answer, then the bot acknowledges it, asks what they need and lists no unanswered question', async () => {
    const who = { locale: c.locale, conversationId: `st-${c.locale}`, userId: `st-user-${c.locale}` };
    expect(texts(await bot.say(c.statement, who))).toEqual([t(c.locale, 'faq.statementNoted')]);
    expect(await unanswered(c.locale)).not.toContain(c.statement);
    // Not a miss either: the next question without an answer is the first, asked to be rephrased.
    expect(texts(await bot.say(c.question, who))).toEqual([t(c.locale, 'faq.rephrase')]);
  });

  it('when a calm report of a problem finds no answer, then the acknowledgement names the word that reaches a person, and that word hands over', async () => {
    const who = { locale: c.locale, conversationId: `sr-${c.locale}`, userId: `sr-user-${c.locale}` };
    const [noted] = texts(await bot.say(c.report, who));
    expect(noted).toBe(t(c.locale, 'faq.statementNoted'));
    const word = /\*\*([^*]+)\*\*/.exec(noted ?? '')?.[1] ?? '';
    expect(texts(await bot.say(word, who))[0]).toBe(t(c.locale, 'handoff.ackRequest'));
  });

  it('when a question finds no answer, then the bot asks to rephrase and lists it as unanswered', async () => {
    const who = { locale: c.locale, conversationId: `sq-${c.locale}`, userId: `sq-user-${c.locale}` };
    expect(texts(await bot.say(c.question, who))).toEqual([t(c.locale, 'faq.rephrase')]);
    expect(await unanswered(c.locale)).toContain(c.question);
  });
});
