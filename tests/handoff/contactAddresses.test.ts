import { t } from '../../locales';
import { ADMIN_TOKEN, startTestBot, texts, type TestBot } from '../helpers/harness';

/**
 * The e-mail address a customer gives at the contact step is kept whole, as staff need it to write back: followed
 * by the sentence's full stop, with a top-level domain of more than six letters, with letters beyond ASCII.
 */
const CASES = [
  { locale: 'en', reply: 'my email is ola.nordmann@example.no.', email: 'ola.nordmann@example.no' },
  { locale: 'pl', reply: 'jan.kowalski@firma.consulting', email: 'jan.kowalski@firma.consulting' },
  { locale: 'pl', reply: 'mój e-mail to józef@poczta.pl', email: 'józef@poczta.pl' },
] as const;

const COMPLAINT: Record<string, string> = {
  en: 'This is unacceptable, my internet has been down for three days!!!',
  pl: 'To skandal, internet nie działa od trzech dni!!!',
};

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot();
});
afterAll(() => bot.close());

it.each(CASES)(
  'when the customer gives "$reply" as the contact, then the case keeps $email',
  async ({ locale, reply, email }) => {
    const who = { locale, conversationId: `addr-${email}`, userId: `addr-user-${email}` };
    await bot.say(COMPLAINT[locale] ?? '', who);
    expect(texts(await bot.say(reply, who))).toEqual([
      t(locale, 'handoff.confirmContact', { summary: COMPLAINT[locale] ?? '', contact: email }),
    ]);
    await bot.say(t(locale, 'common.yes'), who);
    const cases = (await (await bot.api('/api/agent/cases', { token: ADMIN_TOKEN })).json()) as Array<{
      conversationId: string;
      contact: { email?: string };
    }>;
    expect(cases.find((c) => c.conversationId === who.conversationId)?.contact.email).toBe(email);
  },
);
