import type { Activity } from 'botbuilder';
import { t } from '../../locales';
import { sanitizeMarkdown } from '../../core/markdown';
import { neutralizeText, textProblem } from '../../core/text';
import { startTestBot, texts, type TestBot } from '../helpers/harness';

/** Text with references to no character and a lone surrogate, inside and outside a link. */
const HOSTILE = 'See [the form](&#x110000;) &#xD800; &#0; \uD800 and &#1114112;';

describe('text validation', () => {
  it.each([
    ['&#x110000;', /&#x110000;/],
    ['[a](&#xDFFF;)', /&#xDFFF;/],
    ['&#0;', /&#0;/],
    ['&#99999999999999999999;', /not a character/],
    ['x\uD800', /lone surrogate/],
    ['\uDC00x', /lone surrogate/],
  ])('when text holds %p, then the problem names it', (text, reason) => {
    expect(textProblem(text)).toMatch(reason);
  });

  it.each(['plain', 'emoji \uD83D\uDE00 and &#x1F600; &#128512;', '&amp; &lt;', '&#x10FFFF;'])(
    'when text is well formed (%p), then there is no problem and nothing changes',
    (text) => {
      expect(textProblem(text)).toBeUndefined();
      expect(neutralizeText(text)).toBe(text);
    },
  );

  it('when markdown holds references to no character, then sanitising replaces them and never throws', () => {
    expect(sanitizeMarkdown(HOSTILE)).toBe('See the form \uFFFD \uFFFD \uFFFD and \uFFFD');
    expect(sanitizeMarkdown('[x](&#x110000;)')).toBe('x');
    expect(sanitizeMarkdown('[ok](https://example.com/&#x41;)')).toBe('[ok](https://example.com/&#x41;)');
  });
});

describe('code points beyond U+10FFFF through the app', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
  });
  afterAll(() => bot.close());

  const entry = (id: string, answer: string) => ({
    id,
    locale: 'en',
    questions: [`question ${id}`],
    answer,
  });

  it('when an admin saves an FAQ answer with &#x110000;, then it answers 400 naming the answer', async () => {
    const response = await bot.api('/api/admin/faq', {
      method: 'POST',
      body: JSON.stringify(entry('en-bad-answer', 'See [the form](&#x110000;)')),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { details: Array<{ path: string; message: string }> };
    expect(body.details).toEqual([
      { path: 'answer', message: expect.stringMatching(/&#x110000;/) as unknown },
    ]);
  });

  it('when an import holds one bad entry, then the good ones are imported and the bad one is reported', async () => {
    const response = await bot.api('/api/admin/faq/import?format=json', {
      method: 'POST',
      body: JSON.stringify({
        entries: [
          entry('en-import-good', 'A good answer.'),
          entry('en-import-bad', 'Broken [link](&#x110000;)'),
          { ...entry('en-import-bad-question', 'Fine.'), questions: ['why \uD800?'] },
        ],
      }),
    });
    expect(response.status).toBe(200);
    const report = (await response.json()) as {
      created: number;
      skipped: Array<{ row: number; reason: string }>;
    };
    expect(report.created).toBe(1);
    expect(report.skipped).toEqual([
      {
        row: 2,
        reason: expect.stringMatching(/answer.*&#x110000;/) as unknown,
        code: 'invalid',
        fields: ['answer'],
      },
      {
        row: 3,
        reason: expect.stringMatching(/questions.*lone surrogate/) as unknown,
        code: 'invalid',
        fields: ['questions'],
      },
    ]);
    expect(bot.app.kb.get('en-import-good')).toBeDefined();
  });

  it('when an agent message holds &#x110000;, then it is delivered with U+FFFD instead', async () => {
    await bot.say('hello', { conversationId: 'cp-case' });
    const { caseDoc } = await bot.app.handoff.open({
      conversationId: 'cp-case',
      customerId: 'user-1',
      locale: 'en',
      channel: 'webchat',
      reason: 'request',
      summary: 'Help',
    });
    expect((await bot.api(`/api/agent/cases/${caseDoc.id}/take`, { method: 'POST' })).status).toBe(200);
    const response = await bot.api(`/api/agent/cases/${caseDoc.id}/messages`, {
      method: 'POST',
      body: JSON.stringify({ text: 'Use [this](&#x110000;) &#x110000; form' }),
    });
    expect(response.status).toBe(201);
    await bot.connector.waitFor((sent) => sent.some((r) => r.activity.text === 'Use this \uFFFD form'));
  });

  it('when a rating comment holds &#x110000;, then the comment is kept (with U+FFFD) and thanked', async () => {
    const who = { conversationId: 'cp-rating', userId: 'cp-rating-user' };
    await bot.say('how do I reset my password?', who);
    const survey = await bot.say("thanks, that's all", who);
    const episodeId = episodeOf(survey);
    await bot.say('', { ...who, value: { verb: 'rating.submit', episodeId, score: 4 } });
    expect(texts(await bot.say('Great [help](&#x110000;) &#x110000;!', who))).toEqual([
      t('en', 'feedback.commentThanks'),
    ]);
    const csv = await (await bot.api('/api/admin/ratings.csv')).text();
    expect(csv).toContain('Great help \uFFFD!');
  });
});

/** The episode id carried by the rating card among the replies. */
function episodeOf(replies: Partial<Activity>[]): string {
  for (const reply of replies) {
    for (const attachment of reply.attachments ?? []) {
      const card = attachment.content as { actions?: { data?: { verb?: string; episodeId?: string } }[] };
      const episodeId = card.actions?.[0]?.data?.episodeId;
      if (card.actions?.[0]?.data?.verb === 'rating.submit' && episodeId) return episodeId;
    }
  }
  throw new Error('no rating card in the replies');
}
