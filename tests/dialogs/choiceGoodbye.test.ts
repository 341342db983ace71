import { t } from '../../locales';
import { startTestBot, texts, type TestBot } from '../helpers/harness';

/**
 * A vague message that gets a single "did you mean" suggestion, then the customer's thanks; a thanks for the help
 * after an "ok" (the customer is done: its "ok" is no yes); a real yes with a thanks for the help (a yes); a goodbye
 * that holds a yes word ("makasih ya", "see ya"); an acknowledgement with a thanks ("ok thanks", "cool thx", "sip
 * makasih": a yes, thanking for the suggestion; nothing in it says the help is over); and at the offer of a person, a
 * goodbye after an "ok".
 */
const CASES = [
  {
    locale: 'en',
    okGoodbye: 'ok thanks, bye',
    goodbyeWithYesWord: 'see ya',
    vague: 'slow',
    thanks: 'thanks',
    okThanksForHelp: 'ok thanks for the help',
    yesThanksForHelp: 'yes please, thanks for your help',
    ackThanks: ['ok thanks', 'cool thx', 'coolio thanks'],
  },
  {
    locale: 'id',
    okGoodbye: 'oke makasih ya',
    goodbyeWithYesWord: 'makasih ya kak',
    vague: 'lambat',
    thanks: 'makasih',
    okThanksForHelp: 'oke makasih atas bantuannya kak',
    yesThanksForHelp: 'iya kak, makasih atas bantuannya',
    ackThanks: ['oke makasih', 'sip makasih'],
  },
  {
    locale: 'pl',
    okGoodbye: 'ok dzieki, pa',
    goodbyeWithYesWord: 'wszystko jasne, dzięki',
    vague: 'wolny',
    thanks: 'dzieki',
    okThanksForHelp: 'ok dzieki za pomoc',
    yesThanksForHelp: 'tak, dziękuję za pomoc',
    ackThanks: ['ok dzięki', 'super dzięki'],
  },
  {
    locale: 'nb',
    okGoodbye: 'ok takk, ha det',
    goodbyeWithYesWord: 'ha det fint',
    vague: 'treg',
    thanks: 'takk',
    okThanksForHelp: 'ok takk for hjelpa',
    yesThanksForHelp: 'ja takk, takk for hjelpa',
    ackThanks: ['ok takk', 'fint takk'],
  },
] as const;

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
});
afterAll(() => bot.close());

describe.each(CASES)(
  'thanks at a "did you mean" choice ($locale)',
  ({
    locale,
    vague,
    thanks,
    okThanksForHelp,
    yesThanksForHelp,
    ackThanks,
    okGoodbye,
    goodbyeWithYesWord,
  }) => {
    const who = (name: string) => ({
      locale,
      conversationId: `${name}-${locale}`,
      userId: `${name}-user-${locale}`,
    });

    it('when the customer says thanks to a single suggestion, then the bot closes politely and shows no answer', async () => {
      const customer = who('choice-bye');
      expect(texts(await bot.say(vague, customer)).join(' ')).toContain(t(locale, 'faq.didYouMean'));
      expect(texts(await bot.say(thanks, customer))).toEqual([t(locale, 'feedback.prompt')]);
    });

    it('when the customer says "ok, thanks for the help" to a single suggestion, then the bot closes and shows no answer', async () => {
      const customer = who('choice-help');
      expect(texts(await bot.say(vague, customer)).join(' ')).toContain(t(locale, 'faq.didYouMean'));
      expect(texts(await bot.say(okThanksForHelp, customer))).toEqual([t(locale, 'feedback.prompt')]);
    });

    it('when the customer says yes to a single suggestion, then its answer is shown', async () => {
      const customer = who('choice-yes');
      await bot.say(vague, customer);
      expect(texts(await bot.say(t(locale, 'common.yes'), customer))).toContain(t(locale, 'faq.wasHelpful'));
    });

    it('when the customer says a real yes with a thanks for the help to a single suggestion, then its answer is shown', async () => {
      const customer = who('choice-yes-help');
      await bot.say(vague, customer);
      expect(texts(await bot.say(yesThanksForHelp, customer))).toContain(t(locale, 'faq.wasHelpful'));
    });

    it.each(ackThanks)(
      'when the customer says "%s" to a single suggestion, then its answer is shown, as for a yes',
      async (reply) => {
        const customer = who(`choice-ack-${reply}`);
        await bot.say(vague, customer);
        expect(texts(await bot.say(reply, customer))).toContain(t(locale, 'faq.wasHelpful'));
      },
    );

    it('when the customer accepts the offer of a person with a thanks for the help, then a person is fetched', async () => {
      const customer = who('offer-yes-help');
      await bot.say('xyzzy qwerty', customer);
      expect(texts(await bot.say('blorp flarp', customer)).join(' ')).toContain(t(locale, 'faq.offerHuman'));
      expect(texts(await bot.say(yesThanksForHelp, customer))).toContain(t(locale, 'handoff.ackNotHelpful'));
    });
    it('when the customer says a goodbye that holds a yes word to a single suggestion, then the bot closes', async () => {
      const customer = who('choice-yes-word');
      await bot.say(vague, customer);
      expect(texts(await bot.say(goodbyeWithYesWord, customer))).toEqual([t(locale, 'feedback.prompt')]);
    });

    it('when the customer answers the offer of a person with "ok thanks, bye", then no hand-over starts', async () => {
      const customer = who('offer-ok-bye');
      await bot.say('xyzzy qwerty', customer);
      expect(texts(await bot.say('blorp flarp', customer)).join(' ')).toContain(t(locale, 'faq.offerHuman'));
      expect(texts(await bot.say(okGoodbye, customer))).toEqual([t(locale, 'feedback.prompt')]);
    });
  },
);
