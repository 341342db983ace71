import { seedDemo } from '../../knowledge/seed';
import { DEFAULT_ANSWER_THRESHOLD } from '../../knowledge/thresholds';
import type { EntryCollision } from '../../knowledge/store';
import { startTestBot, type TestBot } from '../helpers/harness';

interface HealthBody {
  locale: string;
  collisions: EntryCollision[];
}

describe('knowledge-base health and vague questions', () => {
  let bot: TestBot;

  beforeAll(async () => {
    bot = await startTestBot();
    await seedDemo(bot.app.kb);
  });
  afterAll(() => bot.close());

  const health = async (locale: string): Promise<HealthBody> => {
    const response = await bot.api(`/api/admin/faq/health?locale=${locale}`);
    expect(response.status).toBe(200);
    return (await response.json()) as HealthBody;
  };

  it('when GET /api/admin/faq/health comes without a token, then 401; without a locale, then 400', async () => {
    expect((await fetch(`${bot.url}/api/admin/faq/health?locale=en`)).status).toBe(401);
    expect((await bot.api('/api/admin/faq/health')).status).toBe(400);
    expect((await bot.api('/api/admin/faq/health?locale=xx')).status).toBe(400);
  });

  it.each(['en', 'id', 'pl', 'nb'])(
    'when the demo knowledge base in %s is checked, then no entries collide',
    async (locale) => {
      expect((await health(locale)).collisions).toEqual([]);
    },
  );

  it('when an admin adds an entry that repeats another entry’s questions, then the pair is listed with those questions, and goes when it is fixed', async () => {
    const created = await bot.api('/api/admin/faq', {
      method: 'POST',
      body: JSON.stringify({
        id: 'en-forgot-login',
        locale: 'en',
        questions: ['I forgot my account password', 'How can I reset the password of My Account?'],
        answer: 'Use "Forgot password" on the sign-in page.',
      }),
    });
    expect(created.status).toBe(201);
    const { collisions } = await health('en');
    const pairs = collisions.map(({ entryId, winnerId }) => `${entryId} → ${winnerId}`);
    expect(pairs).toContain('en-forgot-login → en-reset-password');
    const pair = collisions.find((c) => c.entryId === 'en-forgot-login')!;
    expect(pair.questions.map((q) => q.text)).toContain('I forgot my account password');
    for (const q of pair.questions) expect(q.score).toBeGreaterThanOrEqual(DEFAULT_ANSWER_THRESHOLD);

    expect((await bot.api('/api/admin/faq/en-forgot-login', { method: 'DELETE' })).status).toBe(204);
    expect((await health('en')).collisions).toEqual([]);
  });

  it('when entries have one example question each, then none is listed: left out, its entry would have only its answer', async () => {
    const add = (id: string, question: string, answer: string) =>
      bot.api('/api/admin/faq', {
        method: 'POST',
        body: JSON.stringify({ id, locale: 'nb', questions: [question], answer }),
      });
    expect(
      (await add('nb-dog-in-shop', 'Kan jeg ta med hunden i butikken?', 'Ja, hunder i bånd er velkomne.'))
        .status,
    ).toBe(201);
    expect(
      (await add('nb-bergen-shop', 'Hvor er butikken i Bergen?', 'Strandgaten 5, åpent 10–18.')).status,
    ).toBe(201);
    try {
      expect((await health('nb')).collisions).toEqual([]);
      // Asked as a customer would, each still finds its own entry.
      const asked = await bot.api('/api/admin/faq/test', {
        method: 'POST',
        body: JSON.stringify({ text: 'Hvor er butikken i Bergen?', locale: 'nb' }),
      });
      const { matches } = (await asked.json()) as { matches: { id: string }[] };
      expect(matches[0]?.id).toBe('nb-bergen-shop');
    } finally {
      for (const id of ['nb-dog-in-shop', 'nb-bergen-shop'])
        expect((await bot.api(`/api/admin/faq/${id}`, { method: 'DELETE' })).status).toBe(204);
    }
  });

  it.each([
    ['en', 'invoice'],
    ['en', 'password'],
    ['id', 'tagihan'],
    ['id', 'kata sandi'],
    ['pl', 'faktura'],
    ['pl', 'hasło'],
    ['nb', 'faktura'],
    ['nb', 'passord'],
  ])(
    'when a customer writes only "%s" in %s, then the bot offers choices and never one answer',
    (locale, text) => {
      const decision = bot.app.kb.decide(text, locale);
      expect(decision.kind).toBe('clarify');
    },
  );

  it.each([
    ['en', 'how much does a pizza cost'],
    ['id', 'berapa harga pizza'],
    ['pl', 'ile kosztuje pizza'],
    ['nb', 'hva koster en pizza'],
  ])(
    'when a customer in %s asks "%s", where only one word is one the entries know, then no answer is given outright',
    (locale, text) => {
      expect(bot.app.kb.decide(text, locale).kind).not.toBe('answer');
    },
  );

  it.each([
    ['en', 'i forgot my acount pasword', 'en-reset-password'],
    ['pl', 'jak zmienic pakit na tanszy', 'pl-change-plan'],
  ])(
    'when a customer in %s misspells a known word ("%s"), then the bot still answers with %s',
    (locale, text, id) => {
      expect(bot.app.kb.decide(text, locale)).toMatchObject({ kind: 'answer', best: { entry: { id } } });
    },
  );

  it.each([
    ['en', 'How do I cancel my subscription?', 'en-cancellation'],
    ['pl', 'jak zrezygnować z abonamentu', 'pl-cancellation'],
    ['id', 'bagaimana cara berhenti berlangganan?', 'id-cancellation'],
    ['nb', 'hvordan sier jeg opp abonnementet mitt?', 'nb-cancellation'],
  ])('when a customer in %s asks "%s", then the bot answers with %s', (locale, text, id) => {
    expect(bot.app.kb.decide(text, locale)).toMatchObject({ kind: 'answer', best: { entry: { id } } });
  });
});
