import { t } from '../../locales';
import { testUnderstanding } from '../helpers/understanding';
import { newCustomers, startTestBot, texts, type TestBot } from '../helpers/harness';

/**
 * A message of nothing but crying emoji ("😭😭😭", "😭"), as the first message or after an answer, got "I couldn't find
 * an answer" (found by the twenty-first session's exploratory tester). It is distress: like nothing but angry emoji
 * ("😡😡", "🤬"), the apology of a complaint and the way to a person, in the conversation's language. Beside words a
 * crying emoji is no complaint ("makasih kak 😭": moved, or laughing).
 */
const UPSET = ['😭😭😭', '😭', '😢', '😡😡', '🤬'];
const LOCALES = ['en', 'id', 'pl', 'nb'] as const;
const QUESTIONS = {
  en: 'How do I change my wifi password?',
  id: 'Bagaimana cara mengganti kata sandi wifi?',
  pl: 'jak zmienić hasło do wifi?',
  nb: 'hvordan bytter jeg wifi-passord?',
} as const;

const cases = LOCALES.flatMap((locale) => UPSET.map((text) => [locale, text] as const));

describe('a message of nothing but upset emoji', () => {
  const understanding = testUnderstanding();

  it.each(cases)('reads the %s "%s" as a complaint', (locale, text) => {
    expect(understanding.message(text, locale).label).toBe('complaint');
  });

  it.each([
    ['id', 'makasih kak 😭'],
    ['en', 'the movie was so sad 😭'],
  ])('reads the %s "%s", crying beside words, as no complaint', (locale, text) => {
    expect(understanding.message(text, locale).label).not.toBe('complaint');
  });

  describe('through the bot', () => {
    let bot: TestBot;
    beforeAll(async () => {
      bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
    });
    afterAll(() => bot.close());
    const who = newCustomers('upset');

    it.each(cases)(
      'when a %s customer opens with "%s", then the bot apologises and goes on to a person',
      async (locale, text) => {
        const said = texts(await bot.say(text, who(locale)));
        expect(said[0]).toBe(t(locale, 'handoff.ackComplaint'));
        expect(said).toHaveLength(2);
      },
    );

    it.each(LOCALES)(
      'when a %s customer answers "did this help?" with "😭", then the bot apologises and goes on to a person',
      async (locale) => {
        const customer = who(locale);
        await bot.say(QUESTIONS[locale], customer);
        const said = texts(await bot.say('😭', customer));
        expect(said[0]).toBe(t(locale, 'handoff.ackComplaint'));
        expect(said).toHaveLength(2);
      },
    );

    it('when a customer whose client says English wrote in Indonesian, then "😭😭😭" is answered in Indonesian', async () => {
      const customer = who('en');
      await bot.say(QUESTIONS.id, customer);
      const said = texts(await bot.say('😭😭😭', customer));
      expect(said[0]).toBe(t('id', 'handoff.ackComplaint'));
    });
  });
});
