import { t } from '../../locales';
import { testUnderstanding } from '../helpers/understanding';
import { newCustomers, startTestBot, texts, type TestBot } from '../helpers/harness';

/**
 * "mohon bantuannya kak" ("please help me") was read as thanks by the model and wished a nice day, and "minta
 * bantuannya dong", "i need help" got "I couldn't find an answer": a plea for help said alone (words.json `helpPleas`,
 * with filler words) is the help command. A thanks for the help ("makasih bantuannya kak") still says goodbye.
 */
const PLEAS: [locale: string, text: string][] = [
  ['id', 'mohon bantuannya kak'],
  ['id', 'mohon bantuannya'],
  ['id', 'mohon bantuannya kak 🙏'],
  ['id', 'minta bantuannya dong'],
  ['en', 'i need help'],
  ['en', 'need help pls'],
  ['pl', 'potrzebuje pomocy'],
  ['nb', 'jeg trenger hjelp'],
];

describe('a plea for help said alone', () => {
  const understanding = testUnderstanding();

  it.each(PLEAS)('reads the %s "%s" as help', (locale, text) => {
    expect(understanding.message(text, locale).label).toBe('help');
  });

  it.each([
    ['id', 'makasih bantuannya kak'],
    ['id', 'terima kasih atas bantuannya'],
  ])('reads the %s "%s" as a goodbye', (locale, text) => {
    expect(understanding.message(text, locale).label).toBe('closing');
  });

  describe('through the bot', () => {
    let bot: TestBot;
    beforeAll(async () => {
      bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
    });
    afterAll(() => bot.close());
    const who = newCustomers('plea');

    it.each(PLEAS)(
      'when a %s customer writes "%s", then the bot says what it can help with',
      async (locale, text) => {
        expect(texts(await bot.say(text, who(locale)))).toEqual([t(locale, 'common.help')]);
      },
    );
  });
});
