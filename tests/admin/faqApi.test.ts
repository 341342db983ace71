import { seedDemo } from '../../knowledge/seed';
import type { FaqDoc } from '../../knowledge/store';
import type { FaqEntry } from '../../knowledge/types';
import { startTestBot, type TestBot } from '../helpers/harness';

interface HistoryItem {
  action: string;
  by: string;
  at: string;
  before: FaqEntry | null;
  after: FaqEntry | null;
}

const json = (body: unknown): RequestInit => ({ body: JSON.stringify(body) });

describe('the admin knowledge-base API', () => {
  let bot: TestBot;
  let agentToken: string;

  beforeAll(async () => {
    bot = await startTestBot();
    expect(await seedDemo(bot.app.kb)).toBeGreaterThanOrEqual(100);
    const issued = await bot.api('/api/admin/tokens', {
      method: 'POST',
      ...json({ name: 'ann', role: 'agent' }),
    });
    agentToken = ((await issued.json()) as { token: string }).token;
  });
  afterAll(() => bot.close());

  const create = async (body: Record<string, unknown>) => {
    const response = await bot.api('/api/admin/faq', { method: 'POST', ...json(body) });
    return { status: response.status, entry: (await response.json()) as FaqEntry };
  };

  describe('access', () => {
    it.each([
      ['GET', '/api/admin/faq'],
      ['POST', '/api/admin/faq'],
      ['GET', '/api/admin/faq/en-pay-bill'],
      ['PUT', '/api/admin/faq/en-pay-bill'],
      ['DELETE', '/api/admin/faq/en-pay-bill'],
      ['GET', '/api/admin/faq/en-pay-bill/history'],
      ['POST', '/api/admin/faq/import'],
      ['GET', '/api/admin/faq/export'],
      ['POST', '/api/admin/faq/test'],
      ['POST', '/api/admin/faq/preview'],
      ['GET', '/api/admin/unanswered'],
      ['POST', '/api/admin/unanswered/x/resolve'],
      ['GET', '/api/admin/votes'],
      ['GET', '/api/admin/tokens'],
      ['POST', '/api/admin/tokens'],
      ['DELETE', '/api/admin/tokens/x'],
    ])('when %s %s comes without a token, then 401; with an agent token, then 403', async (method, path) => {
      const anonymous = await fetch(`${bot.url}${path}`, { method });
      expect(anonymous.status).toBe(401);
      expect(await anonymous.json()).toMatchObject({ error: 'unauthorized' });
      expect((await bot.api(path, { method, token: agentToken })).status).toBe(403);
      expect((await bot.api(path, { method, token: 'not-a-token' })).status).toBe(401);
    });

    it('when the demo is seeded twice, then the second time adds nothing', async () => {
      expect(await seedDemo(bot.app.kb)).toBe(0);
    });
  });

  describe('entries', () => {
    it('when an admin creates, reads, updates and deletes an entry, then each step answers and history says who, when, before and after', async () => {
      const created = await create({
        id: 'en-crud-check',
        locale: 'en',
        questions: ['Do you sell carrier pigeons?'],
        answer: 'No, only *internet*.',
        category: 'Tests',
      });
      expect(created.status).toBe(201);
      expect(created.entry).toMatchObject({
        id: 'en-crud-check',
        version: 1,
        enabled: true,
        updatedBy: 'admin',
      });
      bot.clock.advance(1000);

      const read = await bot.api('/api/admin/faq/en-crud-check');
      expect(await read.json()).toMatchObject({ answer: 'No, only *internet*.' });

      const listed = await bot.api('/api/admin/faq?locale=en&q=pigeons');
      expect(((await listed.json()) as { entries: FaqEntry[] }).entries.map((e) => e.id)).toEqual([
        'en-crud-check',
      ]);
      const byCategory = await bot.api('/api/admin/faq?category=Tests');
      expect(((await byCategory.json()) as { entries: FaqEntry[] }).entries).toHaveLength(1);

      const updated = await bot.api('/api/admin/faq/en-crud-check', {
        method: 'PUT',
        ...json({
          locale: 'en',
          questions: ['Do you sell carrier pigeons?'],
          answer: 'Still no.',
          version: 1,
        }),
      });
      expect(updated.status).toBe(200);
      expect(await updated.json()).toMatchObject({ version: 2, answer: 'Still no.', topic: 'crud-check' });
      bot.clock.advance(1000);

      const stale = await bot.api('/api/admin/faq/en-crud-check', {
        method: 'PUT',
        ...json({ locale: 'en', questions: ['pigeons?'], answer: 'Overwritten', version: 1 }),
      });
      expect(stale.status).toBe(409);
      expect(bot.app.kb.get('en-crud-check')?.answer).toBe('Still no.');

      expect((await bot.api('/api/admin/faq/en-crud-check', { method: 'DELETE' })).status).toBe(204);
      expect((await bot.api('/api/admin/faq/en-crud-check')).status).toBe(404);

      const history = await bot.api('/api/admin/faq/en-crud-check/history');
      const items = ((await history.json()) as { history: HistoryItem[] }).history;
      expect(items.map((h) => h.action)).toEqual(['delete', 'update', 'create']);
      for (const item of items) {
        expect(item.by).toBe('admin');
        expect(Number.isNaN(Date.parse(item.at))).toBe(false);
      }
      expect(items[1]?.before?.answer).toBe('No, only *internet*.');
      expect(items[1]?.after?.answer).toBe('Still no.');
      expect(items[0]?.after).toBeNull();
    });

    it.each([
      ['GET', '/api/admin/faq/en-nope'],
      ['PUT', '/api/admin/faq/en-nope'],
      ['DELETE', '/api/admin/faq/en-nope'],
      ['GET', '/api/admin/faq/en-nope/history'],
    ])('when %s %s names an unknown entry, then 404', async (method, path) => {
      const init = method === 'PUT' ? json({ locale: 'en', questions: ['q'], answer: 'a' }) : {};
      const response = await bot.api(path, { method, ...init });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: 'not_found' });
    });

    it('when a token from another admin edits, then history names that token', async () => {
      const issued = await bot.api('/api/admin/tokens', {
        method: 'POST',
        ...json({ name: 'berit', role: 'admin' }),
      });
      const { token } = (await issued.json()) as { token: string };
      const entry = bot.app.kb.get('nb-pay-bill');
      bot.clock.advance(1000);
      const response = await bot.api('/api/admin/faq/nb-pay-bill', {
        method: 'PUT',
        token,
        ...json({
          locale: 'nb',
          questions: entry?.questions,
          answer: `${entry?.answer ?? ''}\n\nOppdatert.`,
        }),
      });
      expect(response.status).toBe(200);
      const history = (await (await bot.api('/api/admin/faq/nb-pay-bill/history')).json()) as {
        history: HistoryItem[];
      };
      expect(history.history[0]).toMatchObject({ action: 'update', by: 'berit' });
    });
  });

  describe('follow-ups', () => {
    it('when an entry offered as a follow-up is deleted, then the other entry offers it no more and can still be saved', async () => {
      expect(
        (
          await create({
            id: 'en-router-reset',
            locale: 'en',
            questions: ['reset the router'],
            answer: 'Hold the button.',
          })
        ).status,
      ).toBe(201);
      const offering = await create({
        id: 'en-router-lights-help',
        locale: 'en',
        questions: ['what do the router lights mean'],
        answer: 'Green is good.',
        followUps: ['en-router-reset'],
      });
      expect(offering.entry.followUps).toEqual(['en-router-reset']);
      expect((await bot.api('/api/admin/faq/en-router-reset', { method: 'DELETE' })).status).toBe(204);
      // The store's change feed brings the edit to this instance's copy.
      let after = (await (await bot.api('/api/admin/faq/en-router-lights-help')).json()) as FaqEntry;
      for (let tries = 0; after.followUps && tries < 100; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        after = (await (await bot.api('/api/admin/faq/en-router-lights-help')).json()) as FaqEntry;
      }
      expect(after.followUps).toBeUndefined();
      const saved = await bot.api('/api/admin/faq/en-router-lights-help', {
        method: 'PUT',
        ...json({ locale: 'en', questions: after.questions, answer: 'Green is good; red is not.' }),
      });
      expect(saved.status).toBe(200);
    });
  });

  describe('validation', () => {
    const valid = { locale: 'en', questions: ['A valid question?'], answer: 'A valid answer.' };
    it.each([
      ['an operator where the answer belongs', { ...valid, answer: { $gt: '' } }],
      ['an operator where a question belongs', { ...valid, questions: [{ $ne: null }] }],
      ['an operator where the locale belongs', { ...valid, locale: { $regex: '.*' } }],
      ['questions as a string', { ...valid, questions: 'one question' }],
      ['no questions', { ...valid, questions: [] }],
      ['51 questions', { ...valid, questions: Array.from({ length: 51 }, (_, i) => `question ${i}`) }],
      ['a question of 301 characters', { ...valid, questions: ['x'.repeat(301)] }],
      ['an answer of 5001 characters', { ...valid, answer: 'x'.repeat(5001) }],
      ['an empty answer', { ...valid, answer: '   ' }],
      ['an unsupported locale', { ...valid, locale: 'xx' }],
      ['an unknown field', { ...valid, $where: 'sleep(1000)' }],
      ['an id with a slash', { ...valid, id: 'en/../../etc' }],
      ['enabled as a string', { ...valid, enabled: 'yes' }],
      ['an unknown follow-up', { ...valid, followUps: ['en-does-not-exist'] }],
      ['a follow-up in another language', { ...valid, followUps: ['pl-pay-bill'] }],
    ])('when a new entry has %s, then 400 and nothing is stored', async (_name, body) => {
      const before = bot.app.kb.list().length;
      const response = await bot.api('/api/admin/faq', { method: 'POST', ...json(body) });
      expect(response.status).toBe(400);
      const error = (await response.json()) as { error: unknown; message: unknown };
      expect([error.error, typeof error.message]).toEqual(['bad_request', 'string']);
      expect(bot.app.kb.list()).toHaveLength(before);
    });

    it('when an update has an operator in the version or a stale type, then 400', async () => {
      const response = await bot.api('/api/admin/faq/en-pay-bill', {
        method: 'PUT',
        ...json({ ...valid, version: { $gt: 0 } }),
      });
      expect(response.status).toBe(400);
    });

    it('when the list is filtered by an operator or an unknown locale, then 400', async () => {
      expect((await bot.api('/api/admin/faq?locale[$ne]=en')).status).toBe(400);
      expect((await bot.api('/api/admin/faq?locale=xx')).status).toBe(400);
    });

    it.each([
      ['a Norwegian entry', 'pl-', 'nb', 'pl-nb-entry'],
      ['a Polish entry', 'nb-', 'pl', 'NB-pl-entry'],
      ['an English entry', 'id-', 'en', 'id-card-lost'],
    ])(
      'when %s is created with an id that starts with %s (another language), then 400 naming the id and nothing is stored',
      async (_name, _prefix, locale, id) => {
        const before = bot.app.kb.list().length;
        const { status, entry } = await create({ ...valid, locale, id });
        expect(status).toBe(400);
        expect(entry).toMatchObject({ error: 'bad_request', details: [{ path: 'id' }] });
        expect(JSON.stringify(entry)).toContain(`${locale}-`);
        expect(bot.app.kb.list()).toHaveLength(before);
      },
    );

    it('when an entry of one language is updated as another language its id does not name, then 400 naming the id and the entry is unchanged', async () => {
      const before = bot.app.kb.get('pl-pay-bill');
      const response = await bot.api('/api/admin/faq/pl-pay-bill', {
        method: 'PUT',
        ...json({ ...valid, locale: 'nb' }),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'bad_request', details: [{ path: 'id' }] });
      expect(bot.app.kb.get('pl-pay-bill')).toEqual(before);
    });

    it('when an entry saved before this rule has another language’s prefix, then it can still be edited in its own language', async () => {
      await bot.app.db.collection<FaqDoc>('faq').insertOne({
        _id: 'pl-older-nb',
        topic: 'older-nb',
        locale: 'nb',
        questions: ['Et eldre spørsmål?'],
        answer: 'Et eldre svar.',
        enabled: true,
        version: 1,
        updatedAt: bot.clock.now(),
        updatedBy: 'admin',
      });
      await bot.app.kb.load();
      const response = await bot.api('/api/admin/faq/pl-older-nb', {
        method: 'PUT',
        ...json({ locale: 'nb', questions: ['Et eldre spørsmål?'], answer: 'Et nytt svar.' }),
      });
      expect(response.status).toBe(200);
      expect(bot.app.kb.get('pl-older-nb')?.answer).toBe('Et nytt svar.');
    });

    it('when an import row names an id with another language’s prefix, then the row is skipped with the reason, also in a dry run', async () => {
      const csv = 'id,locale,questions,answer\r\npl-import-nb,nb,Et importert spørsmål?,Et svar.\r\n';
      for (const dryRun of ['true', 'false']) {
        const response = await bot.api(`/api/admin/faq/import?format=csv&dryRun=${dryRun}`, {
          method: 'POST',
          headers: { 'content-type': 'text/csv' },
          body: csv,
        });
        expect(response.status).toBe(200);
        const report = (await response.json()) as {
          created: number;
          skipped: { row: number; reason: string }[];
        };
        expect(report.created).toBe(0);
        expect(report.skipped).toEqual([expect.objectContaining({ row: 2, code: 'refused' })]);
        expect(report.skipped[0]?.reason).toContain('pl-import-nb');
      }
      expect(bot.app.kb.get('pl-import-nb')).toBeUndefined();
    });

    it('when an id already exists, then 409 with its own code (the page says the ID is taken, not "someone else changed this")', async () => {
      const { status, entry } = await create({ ...valid, id: 'en-pay-bill' });
      expect(status).toBe(409);
      expect(entry).toMatchObject({ error: 'id_taken' });
    });
  });

  describe('script neutralisation', () => {
    const hostile = [
      'Hello <script>alert(1)</script> there',
      '<img src=x onerror="alert(2)">',
      '[click](javascript:alert(3)) and [data](data:text/html;base64,PHNjcmlwdD4=)',
      '[tab](java\tscript:alert(4)) <iframe src="https://evil.example"></iframe> **bold** [ok](https://example.com)',
    ].join('\n\n');
    // `[tab](java\tscript:…)` is no link in CommonMark (a destination has no blanks), so it stays plain text.
    const unsafe = /<script|<img|onerror|<iframe|javascript:|data:text/i;

    it('when an answer holds scripts, event handlers and javascript: or data: links, then none of them ever comes back out', async () => {
      const { status, entry } = await create({
        id: 'en-hostile',
        locale: 'en',
        questions: ['is the hostile answer safe?'],
        answer: hostile,
      });
      expect(status).toBe(201);
      expect(entry.answer).not.toMatch(unsafe);
      expect(entry.answer).toContain('**bold** [ok](https://example.com)');
      expect(entry.answer).toContain('click');

      const read = await (await bot.api('/api/admin/faq/en-hostile')).text();
      expect(read).not.toMatch(unsafe);
      for (const format of ['json', 'csv', 'qna']) {
        const exported = await (await bot.api(`/api/admin/faq/export?format=${format}&locale=en`)).text();
        expect(exported).not.toMatch(unsafe);
      }
      const updated = await bot.api('/api/admin/faq/en-hostile', {
        method: 'PUT',
        ...json({ locale: 'en', questions: ['is the hostile answer safe?'], answer: `again ${hostile}` }),
      });
      expect(await updated.text()).not.toMatch(unsafe);
      // A question of several words: one word alone gets "Did you mean" choices, never an answer outright.
      const decision = bot.app.kb.decide('is the hostile answer safe?', 'en');
      expect(decision.kind).toBe('answer');
      expect(decision.kind === 'answer' && decision.best.entry.answer).not.toMatch(unsafe);
    });

    it('when an import carries scripts, then they are removed too', async () => {
      const response = await bot.api('/api/admin/faq/import?format=json', {
        method: 'POST',
        ...json({
          entries: [
            { id: 'en-hostile-import', locale: 'en', questions: ['import hostile?'], answer: hostile },
          ],
        }),
      });
      expect(await response.json()).toMatchObject({ created: 1 });
      expect(bot.app.kb.get('en-hostile-import')?.answer).not.toMatch(unsafe);
    });

    it('when an answer is only a script, then it is refused as empty, naming the answer field', async () => {
      const { status, entry } = await create({
        locale: 'en',
        questions: ['only a script?'],
        answer: '<script>alert(1)</script>',
      });
      expect(status).toBe(400);
      expect(entry).toMatchObject({ error: 'bad_request', details: [{ path: 'answer' }] });
    });

    it('when a saved answer loses HTML or unsafe links, then the save says what was removed', async () => {
      const { status, entry } = await create({
        id: 'en-removed-parts',
        locale: 'en',
        questions: ['what does the save remove?'],
        answer:
          'Hi <script>steal()</script><img src=x onerror=alert(1)> [x](javascript:alert(1)) `<b>` <Enter>',
      });
      expect(status).toBe(201);
      expect(entry.answer).toBe('Hi  x `<b>` \\<Enter\\>');
      const { warnings } = entry as FaqEntry & { warnings?: { code: string }[] };
      expect(warnings).toEqual([
        expect.objectContaining({ path: 'answer', code: 'html-removed', tags: ['script', 'img'] }),
        expect.objectContaining({ path: 'answer', code: 'unsafe-links-removed', count: 1 }),
      ]);
      const again = await bot.api('/api/admin/faq/en-removed-parts', {
        method: 'PUT',
        ...json({ locale: 'en', questions: ['what does the save remove?'], answer: entry.answer }),
      });
      expect(await again.json()).not.toHaveProperty('warnings');
    });

    it('when the editor asks for a preview, then it gets the answer as a save would store it and the same warnings', async () => {
      const preview = async (answer: string) =>
        (await (await bot.api('/api/admin/faq/preview', { method: 'POST', ...json({ answer }) })).json()) as {
          answer: string;
          warnings?: { code: string; tags?: string[] }[];
        };
      expect(await preview('Press <Enter> <img src=x onerror=alert(1)>')).toEqual({
        answer: 'Press \\<Enter\\>',
        warnings: [expect.objectContaining({ code: 'html-removed', tags: ['img'] })],
      });
      expect(await preview('  ')).toEqual({ answer: '' });
      expect(await preview('Plain **text**')).toEqual({ answer: 'Plain **text**' });
      expect(
        (await bot.api('/api/admin/faq/preview', { method: 'POST', ...json({ answer: 1 }) })).status,
      ).toBe(400);
    });
  });

  describe('live answers', () => {
    it('when an entry is edited through the API, then the next match answers with the edit', async () => {
      const question = 'Can I pay my bill with seashells?';
      expect(bot.app.kb.decide(question, 'en')).not.toMatchObject({
        best: { entry: { id: 'en-seashells' } },
      });
      await create({
        id: 'en-seashells',
        locale: 'en',
        questions: ['Do you take seashells?'],
        answer: 'Not yet.',
      });
      const current = bot.app.kb.get('en-seashells');
      const response = await bot.api('/api/admin/faq/en-seashells', {
        method: 'PUT',
        ...json({
          locale: 'en',
          questions: [question],
          answer: 'We now accept seashells.',
          version: current?.version,
        }),
      });
      expect(response.status).toBe(200);
      const decision = bot.app.kb.decide(question, 'en');
      expect(decision).toMatchObject({
        kind: 'answer',
        best: { entry: { id: 'en-seashells', answer: 'We now accept seashells.' } },
      });
    });

    it('when an entry is disabled, then it is no longer answered', async () => {
      const current = bot.app.kb.get('en-seashells');
      await bot.api('/api/admin/faq/en-seashells', {
        method: 'PUT',
        ...json({ locale: 'en', questions: current?.questions, answer: current?.answer, enabled: false }),
      });
      expect(bot.app.kb.rank('Can I pay my bill with seashells?', 'en').map((c) => c.entry.id)).not.toContain(
        'en-seashells',
      );
    });

    it('when an entry is deleted, then it is no longer matched', async () => {
      const question = 'Is there a discount for owls?';
      await create({ id: 'en-owls', locale: 'en', questions: [question], answer: 'Owls ride free.' });
      expect(bot.app.kb.decide(question, 'en')).toMatchObject({
        kind: 'answer',
        best: { entry: { id: 'en-owls' } },
      });
      await bot.api('/api/admin/faq/en-owls', { method: 'DELETE' });
      expect(bot.app.kb.rank(question, 'en').map((c) => c.entry.id)).not.toContain('en-owls');
    });

    it('when an admin tests a question, then ranked matches with scores and the decision come back', async () => {
      const response = await bot.api('/api/admin/faq/test', {
        method: 'POST',
        ...json({ text: 'how do I restart my router', locale: 'en' }),
      });
      const body = (await response.json()) as {
        decision: { kind: string; entryId?: string };
        matches: { id: string; score: number; question: string }[];
      };
      expect(body.decision).toEqual({ kind: 'answer', entryId: 'en-restart-router' });
      expect(body.matches[0]).toMatchObject({
        id: 'en-restart-router',
        question: 'How do I restart my router?',
      });
      const scores = body.matches.map((m) => m.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    });

    it('when the test text is not a string, then 400', async () => {
      const response = await bot.api('/api/admin/faq/test', {
        method: 'POST',
        ...json({ text: { $gt: '' }, locale: 'en' }),
      });
      expect(response.status).toBe(400);
    });
  });

  describe('unanswered questions and votes', () => {
    it('when questions go unanswered, then they are listed by frequency per locale and one click adds one to an entry', async () => {
      const kb = bot.app.kb;
      await kb.recordUnanswered('my fibre box blinks purple', 'en', 0.1);
      await kb.recordUnanswered('My fibre box blinks PURPLE', 'en', 0.2);
      await kb.recordUnanswered('my fibre box blinks purple', 'en', 0.15);
      await kb.recordUnanswered('does the router speak klingon', 'en', 0.05);
      await kb.recordUnanswered('czy router mówi po klingońsku', 'pl', 0.05);

      const response = await bot.api('/api/admin/unanswered?locale=en');
      const { unanswered } = (await response.json()) as {
        unanswered: { id: string; text: string; count: number; bestScore: number; locale: string }[];
      };
      expect(unanswered.map((u) => [u.text, u.count])).toEqual([
        ['my fibre box blinks purple', 3],
        ['does the router speak klingon', 1],
      ]);
      expect(unanswered[0]?.bestScore).toBeCloseTo(0.2);

      const first = unanswered[0];
      const resolved = await bot.api(`/api/admin/unanswered/${first?.id ?? ''}/resolve`, {
        method: 'POST',
        ...json({ entryId: 'en-router-lights' }),
      });
      expect(resolved.status).toBe(200);
      expect(((await resolved.json()) as FaqEntry).questions).toContain('my fibre box blinks purple');
      expect(kb.decide('my fibre box blinks purple', 'en')).toMatchObject({
        kind: 'answer',
        best: { entry: { id: 'en-router-lights' } },
      });
      const after = (await (await bot.api('/api/admin/unanswered?locale=en')).json()) as {
        unanswered: unknown[];
      };
      expect(after.unanswered).toHaveLength(1);
    });

    it('when a question is added to an entry of another language, an unknown entry or an unknown question, then 400 or 404', async () => {
      const { unanswered } = (await (await bot.api('/api/admin/unanswered?locale=pl')).json()) as {
        unanswered: { id: string }[];
      };
      const id = unanswered[0]?.id ?? '';
      const post = (path: string, entryId: unknown) =>
        bot.api(path, { method: 'POST', ...json({ entryId }) });
      expect((await post(`/api/admin/unanswered/${id}/resolve`, 'en-pay-bill')).status).toBe(400);
      expect((await post(`/api/admin/unanswered/${id}/resolve`, 'pl-nope')).status).toBe(404);
      expect((await post(`/api/admin/unanswered/${id}/resolve`, { $gt: '' })).status).toBe(400);
      expect((await post('/api/admin/unanswered/nope/resolve', 'pl-pay-bill')).status).toBe(404);
    });

    it('when a question is added to a disabled entry, then it is refused (customers would get no answer) and stays unanswered', async () => {
      const kb = bot.app.kb;
      await kb.recordUnanswered('czy router gra na skrzypcach', 'pl', 0.05);
      const sleeping = await create({
        id: 'pl-sleeping',
        locale: 'pl',
        questions: ['Czy router śpi?'],
        answer: 'Nie.',
        enabled: false,
      });
      expect(sleeping.status).toBe(201);
      const list = async () =>
        (
          (await (await bot.api('/api/admin/unanswered?locale=pl')).json()) as {
            unanswered: { id: string; text: string }[];
          }
        ).unanswered;
      const item = (await list()).find((u) => u.text === 'czy router gra na skrzypcach');
      const refused = await bot.api(`/api/admin/unanswered/${item?.id ?? ''}/resolve`, {
        method: 'POST',
        ...json({ entryId: 'pl-sleeping' }),
      });
      expect(refused.status).toBe(409);
      expect(await refused.json()).toMatchObject({ error: 'entry_disabled' });
      expect(kb.get('pl-sleeping')?.questions).toEqual(['Czy router śpi?']);
      expect((await list()).map((u) => u.text)).toContain('czy router gra na skrzypcach');
    });

    it('when customers vote, then helpfulness per entry is listed', async () => {
      await bot.app.kb.vote('en-pay-bill', true);
      await bot.app.kb.vote('en-pay-bill', true);
      await bot.app.kb.vote('en-pay-bill', false);
      const { votes } = (await (await bot.api('/api/admin/votes')).json()) as {
        votes: { entryId: string; helpful: number; notHelpful: number; helpfulShare: number }[];
      };
      expect(votes.find((v) => v.entryId === 'en-pay-bill')).toMatchObject({ helpful: 2, notHelpful: 1 });
      expect(votes.find((v) => v.entryId === 'en-pay-bill')?.helpfulShare).toBeCloseTo(2 / 3);
    });
  });

  describe('tokens', () => {
    it('when an admin issues a token, then it works once shown, is listed without its secret and stops working when revoked', async () => {
      const issued = await bot.api('/api/admin/tokens', {
        method: 'POST',
        ...json({ name: 'carla', role: 'admin' }),
      });
      expect(issued.status).toBe(201);
      const { id, token } = (await issued.json()) as { id: string; token: string };
      expect((await bot.api('/api/admin/faq?locale=pl', { token })).status).toBe(200);

      const listed = await (await bot.api('/api/admin/tokens')).text();
      expect(listed).toContain('carla');
      expect(listed).not.toContain(token);
      expect(listed).not.toContain('tokenHash');

      expect((await bot.api(`/api/admin/tokens/${id}`, { method: 'DELETE' })).status).toBe(204);
      expect((await bot.api('/api/admin/faq', { token })).status).toBe(401);
      expect((await bot.api(`/api/admin/tokens/${id}`, { method: 'DELETE' })).status).toBe(404);
    });

    it.each([
      ['an unknown role', { name: 'x', role: 'root' }],
      ['an operator as name', { name: { $gt: '' }, role: 'agent' }],
      ['no name', { role: 'agent' }],
    ])('when a token request has %s, then 400', async (_name, body) => {
      expect((await bot.api('/api/admin/tokens', { method: 'POST', ...json(body) })).status).toBe(400);
    });
  });
});
