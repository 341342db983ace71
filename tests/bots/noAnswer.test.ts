import { t } from '../../locales';
import { startTestBot, texts, type TestBot } from '../helpers/harness';

/** Whenever the bot finds no answer, the customer sees the way to a person, in their language, and it works. */
let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
});
afterAll(() => bot.close());

it.each([
  ['en', 'qwzx vbnm plokij', 'human'],
  ['id', 'qwzx vbnm plokij', 'agen'],
  ['pl', 'qwzx vbnm plokij', 'konsultant'],
  ['nb', 'qwzx vbnm plokij', 'menneske'],
])(
  '%s: when the first question finds no answer, then the reply names the word for a person, and typing it starts the hand-over',
  async (locale, question, word) => {
    const customer = { locale, conversationId: `no-answer-${locale}`, userId: `no-answer-user-${locale}` };
    const reply = texts(await bot.say(question, customer));
    expect(reply).toEqual([t(locale, 'faq.rephrase')]);
    expect(reply[0]).toContain(`**${word}**`);
    expect(texts(await bot.say(word, customer))[0]).toBe(t(locale, 'handoff.ackRequest'));
  },
);
