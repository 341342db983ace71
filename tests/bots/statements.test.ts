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

/**
 * Messages without "?" or a question word at their start that still ask: a question word at the end (Indonesian
 * puts it there), or a request ("tell me a joke"). Without an answer they are asked to be rephrased (a miss), never
 * thanked for as news.
 */
const ASKING = [
  { locale: 'en', texts: ['tell me a joke', 'i want to buy a new phone', 'your shop closes when'] },
  {
    locale: 'id',
    texts: ['toko nya dimana kak', 'cuaca hari ini gimana', 'ceritain lelucon dong', 'aku mau beli hp baru'],
  },
  { locale: 'pl', texts: ['o ktorej zamykacie sklep', 'opowiedz mi dowcip', 'chce zamowic pizze z serem'] },
  { locale: 'nb', texts: ['fortell en vits', 'jeg vil kjøpe ny telefon', 'dere stenger butikken når'] },
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

describe.each(ASKING.flatMap(({ locale, texts: asked }) => asked.map((text) => ({ locale, text }))))(
  'a question or request without "?" ($locale: "$text")',
  ({ locale, text }) => {
    it('when it finds no answer, then the bot asks to rephrase and does not thank for it as news', async () => {
      const who = { locale, conversationId: `ask-${text}`, userId: `ask-user-${text}` };
      expect(texts(await bot.say(text, who))).toEqual([t(locale, 'faq.rephrase')]);
    });
  },
);
