import { t } from '../../locales';
import { newCustomers, startTestBot, texts, type TestBot } from '../helpers/harness';

/**
 * A question in another language after the first message: answered in that language when its knowledge base
 * answers it outright and the conversation's does not; a short phrase that only one language's words suggest and
 * no knowledge base answers keeps the conversation's language.
 */
describe('a question in another language later in the conversation', () => {
  let bot: TestBot;
  const customer = newCustomers('after-miss');

  beforeAll(async () => {
    bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
  });
  afterAll(() => bot.close());

  it.each([
    ['en-US', 'where is the moon', 'jak zaplacic rachunek', 'pl-pay-bill'],
    ['en-US', 'where is the moon', 'gimana cara bayar tagihan', 'id-pay-bill'],
    ['nb-NO', 'hvor er månen', 'jak zaplacic rachunek', 'pl-pay-bill'],
  ])(
    'when a %s chat misses %p and then gets %p, then it is answered in that language',
    async (locale, miss, question, entryId) => {
      const who = customer(locale);
      await bot.say(miss, who);
      expect(texts(await bot.say(question, who))).toContain(bot.app.kb.get(entryId)?.answer);
    },
  );

  it('when an English chat misses and a Polish question is answered, then the chat goes on in Polish', async () => {
    const who = customer('en-US');
    await bot.say('where is the moon', who);
    await bot.say('jak zaplacic rachunek', who);
    expect(texts(await bot.say('tak', who)).join(' ')).toMatch(/cieszę/i);
  });

  it('when a Polish chat gets "sorry, is it free?", then it stays Polish', async () => {
    const who = customer('pl-PL');
    await bot.say('jak zaplacic fakture', who);
    expect(texts(await bot.say('sorry, is it free?', who))).toEqual([t('pl', 'faq.rephrase')]);
  });
});
