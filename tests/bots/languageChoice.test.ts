import { t } from '../../locales';
import { startTestBot, texts, type TestBot } from '../helpers/harness';

describe('the language of a conversation', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
  });
  afterAll(() => bot.close());

  const answerOf = (entryId: string) => bot.app.kb.get(entryId)?.answer;

  it('when a Norwegian customer greets with "halo", then the bot stays Norwegian and answers what follows', async () => {
    const who = { locale: 'nb-NO', conversationId: 'lang-halo-nb' };
    // Not a Norwegian greeting: an unclear message, answered in Norwegian.
    expect(texts(await bot.say('halo', who))).toEqual([t('nb', 'faq.rephrase')]);
    expect(texts(await bot.say('hvordan betaler jeg regningen?', who))).toContain(answerOf('nb-pay-bill'));
    expect(texts(await bot.say('hjelp', who))).toContain(t('nb', 'common.help'));
  });

  it('when an English customer greets with "halo", then help afterwards is English', async () => {
    const who = { locale: 'en-US', conversationId: 'lang-halo-en' };
    await bot.say('halo', who);
    expect(texts(await bot.say('help', who))).toContain(t('en', 'common.help'));
  });

  it.each([
    ['wie kann ich meine rechnung bezahlen?'],
    ['Hallo, ich habe eine Frage zu meiner Rechnung'],
    ['Comment puis-je payer ma facture ?'],
    ['¿Cómo puedo pagar mi factura?'],
  ])(
    'when %p comes from a browser in an unsupported language, then the bot answers in the default language and files no other language',
    async (text) => {
      const conversationId = `lang-foreign-${text.length}`;
      const said = texts(await bot.say(text, { locale: 'de-DE', conversationId }));
      expect(said).toEqual([t('en', 'faq.rephrase')]);
      for (const locale of ['id', 'pl', 'nb'])
        expect((await bot.app.kb.unansweredList(locale)).map((item) => item.text)).not.toContain(text);
    },
  );

  it('when a Norwegian client wrote Indonesian and then writes Norwegian, then the answer is Norwegian at once', async () => {
    const who = { locale: 'nb-NO', conversationId: 'lang-back-to-client' };
    expect(texts(await bot.say('Bagaimana cara bayar tagihan saya?', who))).toContain(
      answerOf('id-pay-bill'),
    );
    expect(texts(await bot.say('hvordan betaler jeg regningen?', who))).toContain(answerOf('nb-pay-bill'));
  });

  it.each([['id-ID'], ['pl-PL'], ['nb-NO']])(
    'when a %s customer writes the English command "human", then it is a request for a person as in their own words',
    async (locale) => {
      const own = { 'id-ID': 'manusia', 'pl-PL': 'konsultant', 'nb-NO': 'menneske' }[locale] ?? '';
      const asked = texts(await bot.say('human', { locale, conversationId: `lang-human-${locale}` }));
      expect(asked).toEqual(texts(await bot.say(own, { locale, conversationId: `lang-own-${locale}` })));
    },
  );
});
