import { t } from '../../locales';
import { startTestBot, texts, type TestBot } from '../helpers/harness';

/**
 * A vague message that gets a single "did you mean" suggestion, then the customer's thanks, and a thanks for the help
 * after an "ok" (whose "ok" is no yes: the customer is done).
 */
const CASES = [
  { locale: 'en', vague: 'slow', thanks: 'thanks', okThanksForHelp: 'ok thanks for the help' },
  { locale: 'id', vague: 'lambat', thanks: 'makasih', okThanksForHelp: 'oke makasih atas bantuannya kak' },
  { locale: 'pl', vague: 'wolny', thanks: 'dzieki', okThanksForHelp: 'ok dzieki za pomoc' },
  { locale: 'nb', vague: 'treg', thanks: 'takk', okThanksForHelp: 'ok takk for hjelpa' },
] as const;

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
});
afterAll(() => bot.close());

describe.each(CASES)(
  'thanks at a "did you mean" choice ($locale)',
  ({ locale, vague, thanks, okThanksForHelp }) => {
    it('when the customer says thanks to a single suggestion, then the bot closes politely and shows no answer', async () => {
      const who = { locale, conversationId: `choice-bye-${locale}`, userId: `choice-bye-user-${locale}` };
      expect(texts(await bot.say(vague, who)).join(' ')).toContain(t(locale, 'faq.didYouMean'));
      expect(texts(await bot.say(thanks, who))).toEqual([t(locale, 'feedback.prompt')]);
    });

    it('when the customer says "ok, thanks for the help" to a single suggestion, then the bot closes and shows no answer', async () => {
      const who = { locale, conversationId: `choice-help-${locale}`, userId: `choice-help-user-${locale}` };
      expect(texts(await bot.say(vague, who)).join(' ')).toContain(t(locale, 'faq.didYouMean'));
      expect(texts(await bot.say(okThanksForHelp, who))).toEqual([t(locale, 'feedback.prompt')]);
    });

    it('when the customer says yes to a single suggestion, then its answer is shown', async () => {
      const who = { locale, conversationId: `choice-yes-${locale}`, userId: `choice-yes-user-${locale}` };
      await bot.say(vague, who);
      expect(texts(await bot.say(t(locale, 'common.yes'), who))).toContain(t(locale, 'faq.wasHelpful'));
    });
  },
);
