import { t } from '../../locales';
import { seedDemo } from '../../knowledge/seed';
import { newCustomers, startTestBot, type TestBot } from '../helpers/harness';

/**
 * The admin's "Test a question" (POST /api/admin/faq/test) next to what a customer gets for the same message: the
 * bot reads every message (complaint, a person, goodbye, greeting …) before it asks the knowledge base, and the
 * test says how it reads this one, so an admin sees when an entry would not be reached.
 */
interface TestAnswer {
  reading: { label: string; confidence: number; smallTalk?: string };
  decision: { kind: string; entryId?: string };
  matches: { id: string }[];
}

const who = newCustomers('faq-test-reading');

describe('the admin test of a question and the bot reading the message first', () => {
  let bot: TestBot;

  beforeAll(async () => {
    bot = await startTestBot();
    await seedDemo(bot.app.kb);
  });
  afterAll(() => bot.close());

  const test = async (text: string, locale: string): Promise<TestAnswer> => {
    const response = await bot.api('/api/admin/faq/test', {
      method: 'POST',
      body: JSON.stringify({ text, locale }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as TestAnswer;
  };

  it('when a message that names an entry is read as a complaint, then the test says so with its confidence, besides the entry it would answer, and a customer gets the apology and a person', async () => {
    const text = 'regningen min er feil igjen, dette er helt latterlig!!';
    const reading = bot.app.understanding.message(text, 'nb');
    expect(reading.label).toBe('complaint');

    const tested = await test(text, 'nb');
    expect(tested.reading).toEqual({ label: 'complaint', confidence: reading.confidence });
    expect(tested.matches.length).toBeGreaterThan(0);

    const replies = await bot.say(text, who('nb-NO'));
    expect(replies.map((reply) => reply.text)).toContain(t('nb', 'handoff.ackComplaint'));
  });

  it.each([
    ['jeg vil snakke med et menneske', 'nb', 'human'],
    ['dziękuję, to wszystko', 'pl', 'closing'],
    ['help', 'en', 'help'],
  ])('when "%s" (%s) is tested, then the test gives the bot\'s reading: %s', async (text, locale, label) => {
    expect((await test(text, locale)).reading).toMatchObject({ label, confidence: 1 });
  });

  it('when a greeting or a question about the bot is tested, then the test names the small talk the bot answers itself', async () => {
    expect((await test('halo kak', 'id')).reading).toMatchObject({ label: 'other', smallTalk: 'greeting' });
    expect((await test('are you a bot?', 'en')).reading).toMatchObject({
      label: 'other',
      smallTalk: 'about-bot',
    });
  });

  it('when an ordinary question is tested, then the reading is an ordinary message and the entry answers, as for a customer', async () => {
    const tested = await test('how do I restart my router', 'en');
    expect(tested.reading.label).toBe('other');
    expect(tested.reading).not.toHaveProperty('smallTalk');
    expect(tested.decision).toEqual({ kind: 'answer', entryId: 'en-restart-router' });
  });
});
