import { startTestBot, texts, type TestBot } from '../helpers/harness';

/** "How much …" questions of the demo knowledge base, per language. */
const HOW_MUCH = [
  ['en', 'How much does it cost to call from abroad?', 'en-roaming'],
  ['id', 'Berapa tarif telepon dari luar negeri?', 'id-roaming'],
  ['pl', 'Ile kosztują rozmowy z zagranicy?', 'pl-roaming'],
  ['nb', 'Hva koster det å ringe fra utlandet?', 'nb-roaming'],
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

  it('when any demo answer is read, then it does not open with a one-word reply ("Yes.", "Bisa,", "Tak.", "Ja.") that misfits its "how" questions', () => {
    const demo = ['en', 'id', 'pl', 'nb'].flatMap((locale) => bot.app.kb.list({ locale }));
    expect(demo.length).toBeGreaterThan(100);
    const bare = demo.filter((entry) => openingClause(entry.answer).split(/\s+/).length <= 1);
    expect(bare.map((entry) => `${entry.id}: ${openingClause(entry.answer)}`)).toEqual([]);
  });
});
