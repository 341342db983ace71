import { t } from '../../locales';
import { startTestBot, texts, type TestBot } from '../helpers/harness';

/** A vague message that gets a single "did you mean" suggestion, then the customer's thanks. */
const CASES = [
  { locale: 'en', vague: 'slow', thanks: 'thanks' },
  { locale: 'id', vague: 'lambat', thanks: 'makasih' },
  { locale: 'pl', vague: 'wolny', thanks: 'dzieki' },
  { locale: 'nb', vague: 'treg', thanks: 'takk' },
] as const;

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
});
afterAll(() => bot.close());

describe.each(CASES)('thanks at a "did you mean" choice ($locale)', ({ locale, vague, thanks }) => {
  it('when the customer says thanks to a single suggestion, then the bot closes politely and shows no answer', async () => {
    const who = { locale, conversationId: `choice-bye-${locale}`, userId: `choice-bye-user-${locale}` };
    expect(texts(await bot.say(vague, who)).join(' ')).toContain(t(locale, 'faq.didYouMean'));
    expect(texts(await bot.say(thanks, who))).toEqual([t(locale, 'feedback.prompt')]);
  });

  it('when the customer says yes to a single suggestion, then its answer is shown', async () => {
    const who = { locale, conversationId: `choice-yes-${locale}`, userId: `choice-yes-user-${locale}` };
    await bot.say(vague, who);
    expect(texts(await bot.say(t(locale, 'common.yes'), who))).toContain(t(locale, 'faq.wasHelpful'));
  });
});
