import { t } from '../../locales';
import { testUnderstanding } from '../helpers/understanding';
import { newCustomers, startTestBot, texts, type TestBot } from '../helpers/harness';

/**
 * "cs nya mana sih lama bgt" ("where's customer service, it's taking so long"; one clause, no punctuation) read as a
 * usage question (found by the twentieth session's exploratory tester). Impatience near one of the company's people
 * (words.json `impatience` and `staff`) is a complaint about waiting for a person: the bot apologises and fetches one.
 * Asking where customer service is, or praising its speed, stays what it was.
 */
const IMPATIENT: [locale: string, text: string][] = [
  ['id', 'cs nya mana sih lama bgt'],
  ['id', 'admin nya mn sih lama banget'],
  ['en', 'where is the support guy ugh so slow'],
  ['en', 'why is customer service taking forever'],
  ['pl', 'gdzie ten konsultant tyle czekam'],
  ['pl', 'gdzie jest obsluga klienta, ile mozna czekac'],
  ['nb', 'hvor er kundeservice, det tar evigheter'],
  ['nb', 'hvor er kundebehandleren, venter og venter'],
];

const NOT_IMPATIENT: [locale: string, text: string, label: string][] = [
  ['en', 'where is customer service', 'other'],
  ['en', 'the agent was quick and not slow at all, thanks', 'closing'],
  ['id', 'cs nya cepet gak lama bgt, makasih', 'closing'],
  ['nb', 'internettet er så tregt', 'other'],
];

describe("impatience with the company's people", () => {
  const understanding = testUnderstanding();

  it.each(IMPATIENT)('reads the %s "%s" as a complaint', (locale, text) => {
    expect(understanding.message(text, locale).label).toBe('complaint');
  });

  it.each(NOT_IMPATIENT)('reads the %s "%s" as %s', (locale, text, label) => {
    expect(understanding.message(text, locale).label).toBe(label);
  });

  describe('through the bot', () => {
    let bot: TestBot;
    beforeAll(async () => {
      bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
    });
    afterAll(() => bot.close());
    const who = newCustomers('impatient');

    it.each(IMPATIENT)(
      'when a %s customer writes "%s", then the bot apologises and goes on to a person',
      async (locale, text) => {
        const said = texts(await bot.say(text, who(locale)));
        expect(said[0]).toBe(t(locale, 'handoff.ackComplaint'));
        expect(said).toHaveLength(2);
      },
    );
  });
});
