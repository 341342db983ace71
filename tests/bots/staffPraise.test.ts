import { t } from '../../locales';
import { testUnderstanding } from '../helpers/understanding';
import { startTestBot, texts, type TestBot } from '../helpers/harness';

/**
 * Praise of a person in words the `praise` list lacks ("the agent was so patient", "pani konsultantka była
 * przemiła", "kundebehandleren var kjempehyggelig", "cs nya sabar") named a person in a message of a few words and
 * started a hand-over: after an agent had helped, the customer who thanked them was queued again. The
 * `staffPraise` lists make such a clause praise its person; asking for a person stays a request, also when the
 * praise word is negated or wished for.
 */
type Case = [locale: string, text: string];

const PRAISE: Case[] = [
  ['en', 'agent was patient'],
  ['en', 'the agent helped me a lot'],
  ['id', 'cs nya sabar'],
  ['id', 'adminnya gercep bgt'],
  ['pl', 'pani konsultantka byla przemila'],
  ['pl', 'konsultantka pomogła mi bardzo'],
  ['pl', 'pan konsultant pomógł'],
  ['nb', 'kundebehandleren var kjempehyggelig'],
  ['nb', 'damen var blid'],
];

const REQUESTS: Case[] = [
  ['en', "the agent didn't help, i want another person"],
  ['en', 'i want a patient agent'],
  ['pl', 'konsultant nie pomógł, chcę z kimś innym'],
  ['nb', 'agenten var ikke tålmodig, vil snakke med noen andre'],
  ['id', 'mau cs yang sabar'],
];

describe('praise of a person in words of the staffPraise lists', () => {
  const understanding = testUnderstanding();

  it.each(PRAISE)('reads the %s "%s" as no request for a person', (locale, text) => {
    expect(understanding.message(text, locale).label).not.toBe('human');
  });

  it.each(REQUESTS)('reads the %s "%s" as a request for a person', (locale, text) => {
    expect(understanding.message(text, locale).label).toBe('human');
  });

  describe('through the bot', () => {
    let bot: TestBot;
    beforeAll(async () => {
      bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
    });
    afterAll(() => bot.close());

    it.each(PRAISE)(
      'when a %s customer writes "%s", then the bot thanks them and starts no hand-over',
      async (locale, text) => {
        const said = texts(
          await bot.say(text, { locale, conversationId: `praise-${text}`, userId: `user-${text}` }),
        );
        // Thanked for the praise, or for the news when the rest of it is no praise the classifier knows.
        expect(said).toHaveLength(1);
        expect([t(locale, 'common.praiseThanks'), t(locale, 'faq.statementNoted')]).toContain(said[0]);
      },
    );
  });
});
