import { startTestBot, texts, type TestBot } from '../helpers/harness';

/** "How much …" questions of the demo knowledge base, per language. */
const HOW_MUCH = [
  ['en', 'How much does it cost to call from abroad?', 'en-roaming'],
  ['id', 'Berapa tarif telepon dari luar negeri?', 'id-roaming'],
  ['pl', 'Ile kosztują rozmowy z zagranicy?', 'pl-roaming'],
  ['nb', 'Hva koster det å ringe fra utlandet?', 'nb-roaming'],
] as const;

/**
 * Common questions an exploratory tester asked (their wording, typos and missing diacritics included), with the
 * entry that answers them: blocking the SIM after losing the phone (it got the SIM activation steps), the account
 * or app password (it got the Wi-Fi password), changing personal details (it got the data deletion request) and
 * the bill by e-mail in other words ("regningen på epost", "rachunek na maila").
 */
const COMMON = [
  ['pl', 'a jak zablokowac karte?', 'pl-lost-phone'],
  ['pl', 'jak zablokowac karte sim?', 'pl-lost-phone'],
  ['nb', 'og hvordan sperrer jeg sim-kortet?', 'nb-lost-phone'],
  ['id', 'terus cara blokir kartunya?', 'id-lost-phone'],
  ['en', 'and how do I block my SIM card?', 'en-lost-phone'],
  ['nb', 'jeg har glemt passordet til min side', 'nb-reset-password'],
  ['id', 'saya lupa password akun', 'id-reset-password'],
  ['en', 'I forgot my password for the app', 'en-reset-password'],
  ['pl', 'zapomnialem hasla do aplikacji', 'pl-reset-password'],
  ['id', 'cara update data pribadi', 'id-contact-details'],
  ['nb', 'hvordan endrer jeg personopplysningene mine', 'nb-contact-details'],
  ['en', 'how do I change my name and address?', 'en-contact-details'],
  ['pl', 'jak zmienić dane osobowe', 'pl-contact-details'],
  ['nb', 'kan jeg få regningen på epost', 'nb-e-invoice'],
  ['nb', 'kan jeg fa regningen pa epost', 'nb-e-invoice'],
  ['en', 'can I get my invoice by email', 'en-e-invoice'],
  ['id', 'bisa kirim invoice lewat email?', 'id-e-invoice'],
  ['pl', 'rachunek na maila', 'pl-e-invoice'],
] as const;

/** The neighbouring entries those questions went to keep their own questions. */
const NEIGHBOURS = [
  ['en', 'how do I activate my SIM card', 'en-sim-activation'],
  ['id', 'cara aktivasi kartu sim', 'id-sim-activation'],
  ['pl', 'jak aktywować kartę sim', 'pl-sim-activation'],
  ['nb', 'hvordan aktiverer jeg sim-kortet', 'nb-sim-activation'],
  ['en', 'forgot my wifi password', 'en-wifi-password'],
  ['id', 'lupa password wifi', 'id-wifi-password'],
  ['pl', 'zapomniałem hasła do wifi', 'pl-wifi-password'],
  ['nb', 'glemt passordet til wifi', 'nb-wifi-password'],
  ['en', 'delete my personal data', 'en-privacy-data-deletion'],
  ['id', 'hapus data pribadi saya', 'id-privacy-data-deletion'],
  ['pl', 'usunięcie danych osobowych', 'pl-privacy-data-deletion'],
  ['nb', 'slette personopplysningene mine', 'nb-privacy-data-deletion'],
  ['nb', 'hvorfor er regningen så høy', 'nb-bill-higher'],
  ['pl', 'za wysoki rachunek', 'pl-bill-higher'],
] as const;

/** The opening clause of an answer (up to the first full stop, comma, colon, semicolon or exclamation mark). */
const openingClause = (answer: string) => answer.split(/[.,:;!]/)[0]?.trim() ?? '';

describe('the demo answers', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
  });
  afterAll(() => bot.close());

  it.each(HOW_MUCH)(
    'when a %s customer asks how much it costs, then the answer reads as an answer to that, not as a bare "yes"',
    async (locale, question, id) => {
      const answer = bot.app.kb.get(id)?.answer ?? '';
      const said = texts(await bot.say(question, { locale, conversationId: `how-much-${locale}` }));
      expect(said).toContain(answer);
      expect(openingClause(answer).split(/\s+/).length).toBeGreaterThan(1);
    },
  );

  /** The entry the bot answers with, or its first "Did you mean" choice. */
  const firstOffered = (text: string, locale: string): string | undefined => {
    const decision = bot.app.kb.decide(text, locale);
    if (decision.kind === 'answer') return decision.best.entry.id;
    return decision.kind === 'clarify' ? decision.choices[0]?.entry.id : undefined;
  };

  it.each([...COMMON, ...NEIGHBOURS])(
    'when a %s customer asks "%s", then the bot answers with %s or offers it first',
    (locale, text, id) => {
      expect(firstOffered(text, locale)).toBe(id);
    },
  );

  it.each([
    ['pl', 'a jak zablokowac karte?', 'pl-lost-phone'],
    ['nb', 'og hvordan sperrer jeg sim-kortet?', 'nb-lost-phone'],
    ['id', 'terus cara blokir kartunya?', 'id-lost-phone'],
    ['en', 'and how do I block my SIM card?', 'en-lost-phone'],
  ] as const)(
    'when a %s customer asks how to block the SIM ("%s"), then the reply is the lost or stolen phone answer (block it, a replacement with the same number), not the SIM activation steps',
    async (locale, question, id) => {
      const said = texts(await bot.say(question, { locale, conversationId: `block-sim-${locale}` }));
      expect(said).toContain(bot.app.kb.get(id)?.answer ?? '');
      expect(said).not.toContain(bot.app.kb.get(`${locale}-sim-activation`)?.answer ?? '');
    },
  );

  it('when any demo answer is read, then it does not open with a one-word reply ("Yes.", "Bisa,", "Tak.", "Ja.") that misfits its "how" questions', () => {
    const demo = ['en', 'id', 'pl', 'nb'].flatMap((locale) => bot.app.kb.list({ locale }));
    expect(demo.length).toBeGreaterThan(100);
    const bare = demo.filter((entry) => openingClause(entry.answer).split(/\s+/).length <= 1);
    expect(bare.map((entry) => `${entry.id}: ${openingClause(entry.answer)}`)).toEqual([]);
  });
});
