import { t } from '../../locales';
import { startTestBot, texts, type TestBot } from '../helpers/harness';
import { DatabaseStorage } from '../../storage/botStateStore';
import type { Doc } from '../../storage/port';
import { REVIEW_READINGS, type RouterMemory } from '../../dialogs/mainDialog';

describe('a customer conversation', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot({ FAQ_SEED_DEMO: 'true', WEBCHAT_BOT_NAME: 'Ava' });
  });
  afterAll(() => bot.close());

  const welcomeOf = async (locale: string, conversationId: string) =>
    texts(
      await bot.send(
        {
          type: 'conversationUpdate',
          membersAdded: [
            { id: 'user-1', name: 'Customer' },
            { id: 'bot', name: 'Bot' },
          ],
        },
        { locale, conversationId },
      ),
    );

  it.each([
    ['en-US', /virtual assistant/],
    ['id-ID', /asisten virtual/],
    ['pl-PL', /wirtualny asystent/],
    ['nb-NO', /virtuelle assistent/],
  ])(
    'when a %s customer joins, then the welcome is in that language and only once',
    async (locale, pattern) => {
      const conversationId = `welcome-${locale}`;
      const first = await welcomeOf(locale, conversationId);
      expect(first).toHaveLength(1);
      expect(first[0]).toMatch(pattern);
      expect(first[0]).toContain('Ava');
      expect(await welcomeOf(locale, conversationId)).toEqual([]);
    },
  );

  it.each([
    ['en-US', 'How do I change my wifi password?', 'en-wifi-password'],
    ['id-ID', 'Bagaimana cara mengganti kata sandi wifi?', 'id-wifi-password'],
    ['pl-PL', 'Jak zmienić hasło do wifi?', 'pl-wifi-password'],
    ['nb-NO', 'Hvordan endrer jeg passordet til wifi?', 'nb-wifi-password'],
  ])(
    'when a %s customer asks a usage question, then the answer comes with "did this help?"',
    async (locale, question, id) => {
      const entry = bot.app.kb.get(id);
      expect(entry).toBeDefined();
      const replies = await bot.say(question, { locale, conversationId: `faq-${locale}` });
      const said = texts(replies);
      expect(said).toContain(entry?.answer);
      const last = replies[replies.length - 1];
      expect(last?.suggestedActions?.actions.length).toBeGreaterThanOrEqual(2);
    },
  );

  it('when the customer says the answer helped and needs nothing else, then the survey follows in their language', async () => {
    const who = { locale: 'pl-PL', conversationId: 'faq-close-pl' };
    await bot.say('Jak zmienić hasło do wifi?', who);
    expect(texts(await bot.say('tak', who)).join(' ')).toMatch(/cieszę/i);
    const survey = await bot.say('nie', who);
    expect(
      survey.some((a) =>
        a.attachments?.some((c) => c.contentType === 'application/vnd.microsoft.card.adaptive'),
      ),
    ).toBe(true);
  });

  it('when an admin edits an answer, then the next turn gives the new answer; a deleted entry is no longer answered', async () => {
    const entry = bot.app.kb.get('en-wifi-password');
    if (!entry) throw new Error('demo entry missing');
    await bot.app.kb.update(
      entry.id,
      { ...entry, answer: 'Open **Nordwind app → Wi-Fi** and choose a new password.' },
      'test',
    );
    expect(texts(await bot.say('change wifi password', { conversationId: 'edit-1' }))).toContain(
      'Open **Nordwind app → Wi-Fi** and choose a new password.',
    );
    await bot.app.kb.remove(entry.id, 'test');
    const after = texts(await bot.say('change wifi password', { conversationId: 'edit-2' })).join('\n');
    expect(after).not.toContain('Nordwind app → Wi-Fi');
  });

  it('when the question is out of scope twice, then the bot asks to rephrase and then offers a person', async () => {
    const who = { conversationId: 'miss-1', locale: 'nb-NO' };
    expect(texts(await bot.say('qwrtz plokm ystra', who)).join(' ')).toMatch(/andre ord/);
    expect(texts(await bot.say('zzkv brrmf ququx', who)).join(' ')).toMatch(/person/);
  });

  it.each([
    ['jak zaplacic rachunek', 'pl-pay-bill'],
    ['hei, internett funker ikke', 'nb-no-internet'],
    ['dzien dobry, nie dziala mi internet', 'pl-no-internet'],
  ])(
    'when the first message of an English client is %p (no diacritics, few function words), then the answer is in its language',
    async (text, entryId) => {
      const said = texts(await bot.say(text, { locale: 'en-US', conversationId: `plain-${entryId}` }));
      expect(said).toContain(bot.app.kb.get(entryId)?.answer);
    },
  );

  it.each([
    ['hi', 'jak zaplacic rachunek', 'pl-pay-bill'],
    ['hello', 'hei, internett funker ikke', 'nb-no-internet'],
    ['halo kak', 'gimana cara bayar tagihan', 'id-pay-bill'],
  ])(
    'when an English client greets with %p and then writes %p, then the answer is in that language (a greeting sets no language)',
    async (greeting, text, entryId) => {
      const who = { locale: 'en-US', conversationId: `greet-${entryId}` };
      await bot.say(greeting, who);
      expect(texts(await bot.say(text, who))).toContain(bot.app.kb.get(entryId)?.answer);
    },
  );

  it('when a customer writes Polish in an English client, then the bot answers in Polish, short replies included', async () => {
    const who = { locale: 'en-US', conversationId: 'written-pl' };
    const first = texts(await bot.say('Jak zmienić hasło do wifi?', who));
    expect(first).toContain(bot.app.kb.get('pl-wifi-password')?.answer);
    expect(first.join(' ')).toMatch(/Czy to odpowiada/);
    expect(texts(await bot.say('tak', who)).join(' ')).toMatch(/cieszę/i);
  });

  it('when a Polish conversation gets one short English phrase, then the bot stays in Polish; a second one switches', async () => {
    const who = { locale: 'pl-PL', conversationId: 'written-mixed' };
    await bot.say('jak zaplacic fakture', who);
    // A question at "did this answer?" is routed as a question (no answer for it), still in Polish.
    expect(texts(await bot.say('sorry, is it free?', who))).toEqual([t('pl', 'faq.rephrase')]);
    // The second English question switches: the second miss in a row offers a person, in English.
    expect(texts(await bot.say('what is it for?', who))).toEqual([t('en', 'faq.offerHuman')]);
  });

  it('when the activity locale is unsupported, then the stored preference or the default applies', async () => {
    const who = { conversationId: 'locale-1', userId: 'user-locale' };
    await bot.say('hei', { ...who, locale: 'nb-NO' });
    const replies = texts(await bot.say('hjelp', { ...who, locale: 'xx' }));
    expect(replies.join(' ')).toMatch(/Dette kan jeg hjelpe deg med/);
  });

  it('when a known customer starts a new conversation without a locale, then their last locale applies', async () => {
    await bot.say('hei', { conversationId: 'locale-2a', userId: 'user-returning', locale: 'nb-NO' });
    bot.clock.advance(60_000);
    await bot.say('cześć', { conversationId: 'locale-2b', userId: 'user-returning', locale: 'pl-PL' });
    const replies = texts(
      await bot.say('help', { conversationId: 'locale-2c', userId: 'user-returning', locale: '' }),
    );
    expect(replies.join(' ')).toMatch(/Oto w czym mogę pomóc/);
    const stranger = texts(
      await bot.say('help', { conversationId: 'locale-2d', userId: 'user-new', locale: '' }),
    );
    expect(stranger.join(' ')).toMatch(/what I can do/);
  });

  it('when a question is answered, then its episode notes the entry and the transcript holds both sides', async () => {
    const conversationId = 'episode-answer-1';
    const replies = texts(await bot.say('How can I pay my bill?', { conversationId }));
    const doc = await bot.app.conversations.get(conversationId);
    // The inactivity survey rates the entry that answered (bots/inactivity.ts reads it from the episode).
    const answered = bot.app.kb.get(doc?.episode?.faqEntryId ?? '');
    expect(replies).toContain(answered?.answer);
    expect(doc?.recent.map((line) => [line.from, line.text])).toEqual([
      ['customer', 'How can I pay my bill?'],
      ...replies.map((text) => ['bot', text]),
    ]);
  });

  it('when a customer asks two questions, then the conversation record is never read: its first write tells the turn the open episode', async () => {
    const conversationId = 'episode-known-1';
    const docs = bot.app.db.collection<Doc>('conversations');
    const prototype = Object.getPrototypeOf(docs) as typeof docs;
    const spies = (['findOne', 'find', 'findOneAndUpdate', 'updateOne'] as const).map(
      (method) => [method, jest.spyOn(prototype, method)] as const,
    );
    /** The operations on the conversation records since the last call, by kind. */
    const operations = (): Record<string, number> => {
      const counts: Record<string, number> = {};
      for (const [method, spy] of spies) {
        const onRecords = spy.mock.contexts.filter(
          (self: { name: string }) => self.name === 'conversations',
        ).length;
        if (onRecords > 0) counts[method] = onRecords;
        spy.mockClear();
      }
      return counts;
    };
    try {
      expect(texts(await bot.say('How can I pay my bill?', { conversationId }))).toContain(
        t('en', 'faq.wasHelpful'),
      );
      // The customer's line (returns the episode: none); the bot's lines with the episode the question opened.
      expect(operations()).toEqual({ findOneAndUpdate: 1, updateOne: 1 });
      const episode = (await bot.app.conversations.get(conversationId))?.episode;
      expect(episode).toEqual({
        id: expect.any(String) as string,
        startedAt: expect.any(Date) as Date,
        faqEntryId: 'en-pay-bill',
      });
      operations();
      expect(texts(await bot.say('How do I reset my password?', { conversationId }))).toContain(
        t('en', 'faq.wasHelpful'),
      );
      // The same episode, known from the customer's line: nothing read, nothing opened.
      expect(operations()).toEqual({ findOneAndUpdate: 1, updateOne: 1 });
      expect((await bot.app.conversations.get(conversationId))?.episode?.id).toBe(episode?.id);
    } finally {
      for (const [, spy] of spies) spy.mockRestore();
    }
  });

  /** Records a customer message in the conversation's record, as a turn's first write does. */
  const touch = (conversationId: string) =>
    bot.app.conversations.touch({
      conversationId,
      reference: {},
      customerId: 'c',
      channel: 'webchat',
      locale: 'en',
    });

  it('when an episode was opened since the turn saw none, then opening one returns that episode, not a second one', async () => {
    const { conversations } = bot.app;
    const conversationId = 'episode-known-2';
    expect(await touch(conversationId)).toBeNull();
    const opened = await conversations.openEpisode(conversationId);
    // A turn that saw no episode (another instance opened it meanwhile) gets the open one.
    expect(await conversations.openEpisode(conversationId, null)).toEqual(opened);
    expect(await touch(conversationId)).toEqual(opened);
    await conversations.closeEpisode(conversationId);
    expect(await touch(conversationId)).toBeNull();
  });

  it('when a turn writes the episode its question opened and one was opened meanwhile, then that one stays and gets the answer', async () => {
    const { conversations } = bot.app;
    // Nothing in between: the episode is opened by the write of the bot's lines, with the answer on it.
    await touch('episode-unsaved-1');
    const opening = conversations.newEpisode();
    await conversations.record('episode-unsaved-1', 'bot', ['Here you go.'], { faqEntryId: 'a', opening });
    const first = await conversations.get('episode-unsaved-1');
    expect(first?.episode).toEqual({ ...opening, faqEntryId: 'a' });
    expect(first?.recent.map((line) => line.text)).toEqual(['Here you go.']);
    // Opened meanwhile (another instance, a lost lease): kept, and the answer is noted on it.
    await touch('episode-unsaved-2');
    const opened = await conversations.openEpisode('episode-unsaved-2');
    await conversations.record('episode-unsaved-2', 'bot', ['Here you go.'], {
      faqEntryId: 'b',
      opening: conversations.newEpisode(),
    });
    const second = await conversations.get('episode-unsaved-2');
    expect(second?.episode).toEqual({ ...opened, faqEntryId: 'b' });
    expect(second?.recent.map((line) => line.text)).toEqual(['Here you go.']);
  });

  it('when a conversation has been silent for the transcript retention, then its record and state are deleted', async () => {
    const who = { conversationId: 'retention-1' };
    await bot.say('How do I change my wifi password?', who);
    expect((await bot.app.conversations.get('retention-1'))?.recent.length).toBeGreaterThan(0);
    const state = bot.app.db.collection('botState');
    expect(await state.countDocuments({ _id: /retention-1/ })).toBe(1);
    bot.clock.advance(91 * 86_400_000);
    expect(await bot.app.conversations.get('retention-1')).toBeNull();
    expect(await state.countDocuments({ _id: /retention-1/ })).toBe(0);
  });

  it('when a conversation was saved with the router waiting (an earlier version), then the next question is answered', async () => {
    const stack = [{ id: 'mainDialog', state: { dialogs: { dialogStack: [{ id: 'route', state: {} }] } } }];
    await bot.app.db.collection<Doc & { state: string; eTag: string }>('botState').insertOne({
      _id: 'webchat/conversations/old-stack/',
      state: JSON.stringify({ dialogState: { dialogStack: stack } }),
      eTag: 'old',
    });
    const replies = texts(
      await bot.say('How do I change my wifi password?', { conversationId: 'old-stack' }),
    );
    expect(replies.join(' ')).toMatch(/Did this answer your question/);
  });

  it('when a turn fails, then the customer gets an apology in their language with a reference, and the next turn works', async () => {
    const who = { conversationId: 'failing-turn', locale: 'pl-PL' };
    const decide = jest.spyOn(bot.app.kb, 'decide').mockImplementationOnce(() => {
      throw new Error('index unavailable');
    });
    try {
      const apology = texts(await bot.say('Jak zapłacić rachunek?', who)).join(' ');
      expect(apology).toMatch(/Przepraszam, po naszej stronie wystąpił błąd/);
      expect(apology).toMatch(/konsultant/);
      expect(apology).not.toMatch(/index unavailable/);
    } finally {
      decide.mockRestore();
    }
    expect(texts(await bot.say('Jak zapłacić rachunek?', who)).join(' ')).toMatch(/Czy to odpowiada/);
  });

  it('when a turn fails before its language is known, then the apology follows the client locale', async () => {
    // The state cannot be read, so the turn fails before the language is resolved. (An activity without a
    // sender, used here before, is now refused at the door with a 400.)
    const read = jest
      .spyOn(DatabaseStorage.prototype, 'readText')
      .mockRejectedValueOnce(new Error('state unavailable'));
    try {
      const replies = await bot.send(
        { type: 'message', text: 'hei' },
        { conversationId: 'no-state', locale: 'nb-NO' },
      );
      expect(texts(replies).join(' ')).toMatch(/Beklager, noe gikk galt hos oss/);
    } finally {
      read.mockRestore();
    }
  });

  it('when many messages of one conversation arrive at once, then every turn runs and state is not lost', async () => {
    const who = { conversationId: 'burst-1' };
    const questions = [
      'How do I book a technician?',
      'How do I set up my router?',
      'How do I restart my router?',
      'How do I pay my bill?',
      'How long is my contract?',
    ];
    expect(questions).toHaveLength(REVIEW_READINGS);
    // A slow store (each turn waits for it between reading and saving the state), so that turns which were not
    // run one at a time would overlap.
    const { conversations } = bot.app;
    const openEpisode = conversations.openEpisode.bind(conversations);
    const slow = jest
      .spyOn(conversations, 'openEpisode')
      .mockImplementation(async (conversationId, known) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return openEpisode(conversationId, known);
      });
    const results = await Promise.all(questions.map((question) => bot.say(question, who))).finally(() =>
      slow.mockRestore(),
    );
    for (const replies of results) expect(texts(replies)).toContain(t('en', 'faq.wasHelpful'));
    // Each turn added its question to the router's memory (the episode's messages kept for review). Turns that
    // ran side by side would each have saved what they read before the others wrote: questions would be missing.
    const saved = await bot.app.db
      .collection<Doc & { state: string }>('botState')
      .findOne({ _id: 'webchat/conversations/burst-1/' });
    const state = JSON.parse(saved?.state ?? '{}') as { router?: RouterMemory };
    expect(state.router?.read?.messages.map((m) => m.text).sort()).toEqual([...questions].sort());
    // The last answer still waits for "did this help?".
    expect(texts(await bot.say('yes', who)).join(' ')).toMatch(/glad/i);
  });
});
