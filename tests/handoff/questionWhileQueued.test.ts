import { t } from '../../locales';
import { queuedCase, startTestBot, texts, type TestBot } from '../helpers/harness';

/**
 * A usage question typed while queued for a person (the twenty-first session's tester) was only added to the case:
 * the customer waited for a person to answer what the knowledge base answers outright. Now the bot answers it "while
 * you wait", the customer keeps their place, and the question is still in the case for the agent. A question the
 * knowledge base does not answer outright is added as before; once a person has joined, the bot answers nothing.
 */
const CASES = [
  { locale: 'en', question: 'How can I pay my bill?', unanswered: 'why is the sky blue?' },
  { locale: 'id', question: 'gimana cara bayar tagihan?', unanswered: 'kenapa langit berwarna biru?' },
  { locale: 'pl', question: 'jak zaplacic rachunek?', unanswered: 'dlaczego niebo jest niebieskie?' },
  { locale: 'nb', question: 'hvordan betaler jeg regningen?', unanswered: 'hvorfor er himmelen blå?' },
] as const;

interface CaseJson {
  messages: Array<{ from: string; text: string }>;
}

describe.each(CASES)('a question while queued in $locale', (c) => {
  const { locale } = c;
  let bot: TestBot;
  let n = 0;
  /** A customer whose case waits in the queue, alone there. */
  const waiting = async () => {
    const conversationId = `queued-question-${locale}-${++n}`;
    const opened = await queuedCase(bot, conversationId, 'my internet drops every evening', locale);
    const who = { conversationId, userId: `${conversationId}-user`, locale };
    return { who, caseId: opened.caseDoc.id };
  };
  const say = async (text: string, who: { conversationId: string; userId: string; locale: string }) => {
    bot.clock.advance(5_000);
    return texts(await bot.say(text, who));
  };
  /** What staff see of the customer's messages in the case. */
  const customerLines = async (caseId: string) =>
    ((await (await bot.api(`/api/agent/cases/${caseId}`)).json()) as CaseJson).messages
      .filter((m) => m.from === 'customer')
      .map((m) => m.text);

  beforeAll(async () => {
    bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
  });
  afterAll(() => bot.close());

  it('when the knowledge base answers it outright, then the bot answers while the customer keeps their place, and the case keeps the question', async () => {
    const decision = bot.app.kb.decide(c.question, locale);
    if (decision.kind !== 'answer')
      throw new Error(`the demo knowledge base does not answer "${c.question}"`);
    const { who, caseId } = await waiting();
    expect(await say(c.question, who)).toEqual([
      `${t(locale, 'handoff.whileYouWait')}\n\n${decision.best.entry.answer}`,
      t(locale, 'handoff.placeKept', { position: await bot.app.handoff.queuePlace(caseId) }),
    ]);
    expect(await customerLines(caseId)).toContain(c.question);
    expect((await bot.app.handoff.get(caseId)).status).toBe('queued');
  });

  it('when the knowledge base does not answer it outright, then it is only added to the request', async () => {
    expect(bot.app.kb.decide(c.unanswered, locale).kind).not.toBe('answer');
    const { who, caseId } = await waiting();
    expect(await say(c.unanswered, who)).toEqual([
      t(locale, 'handoff.stillQueued', { position: await bot.app.handoff.queuePlace(caseId) }),
    ]);
    expect(await customerLines(caseId)).toContain(c.unanswered);
  });

  it('when a person has joined, then the bot answers nothing, the question goes to the person', async () => {
    const { who, caseId } = await waiting();
    expect((await bot.api(`/api/agent/cases/${caseId}/take`, { method: 'POST' })).status).toBe(200);
    expect(await say(c.question, who)).toEqual([]);
    expect(await customerLines(caseId)).toContain(c.question);
  });
});
