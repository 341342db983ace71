import MarkdownIt from 'markdown-it';
import type { FaqEntry } from '../../knowledge/types';
import type { FaqDoc } from '../../knowledge/store';
import { startTestBot, texts, type TestBot } from '../helpers/harness';

/** What a customer reads once Web Chat (markdown-it, raw HTML off) has rendered a message. */
const shownText = (markdown: string): string =>
  new MarkdownIt()
    .render(markdown)
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .trim();

interface Report {
  created: number;
  updated: number;
  unchanged: number;
}

describe('answers keep what the admin typed through saves, round trips and imports', () => {
  let bot: TestBot;

  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(() => bot.close());

  const put = async (entry: FaqEntry): Promise<FaqEntry> => {
    const { id, locale, questions, answer, enabled, version, topic } = entry;
    const response = await bot.api(`/api/admin/faq/${id}`, {
      method: 'PUT',
      body: JSON.stringify({ locale, questions, answer, enabled, version, topic }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as FaqEntry;
  };

  it('when an answer with words in angle brackets is saved again and again, then it stays as after the first save, and customers read it as typed', async () => {
    const typed = 'Wpisz <numer klienta> i naciśnij <Enter>. W kodzie: `<br>`.';
    const created = await bot.api('/api/admin/faq', {
      method: 'POST',
      body: JSON.stringify({
        id: 'pl-frobnicator',
        locale: 'pl',
        questions: ['Jak zresetować frobnikator?'],
        answer: typed,
      }),
    });
    expect(created.status).toBe(201);
    const first = (await created.json()) as FaqEntry;
    let saved = first;
    for (let save = 0; save < 3; save++) saved = await put(saved);
    expect(saved.answer).toBe(first.answer);
    expect(saved.version).toBe(first.version + 3);
    expect(first.answer).toContain('`<br>`');
    expect(shownText(saved.answer)).toBe(typed.replace('`<br>`', '<br>'));

    const said = texts(
      await bot.say('Jak zresetować frobnikator?', { locale: 'pl-PL', conversationId: 'h1' }),
    );
    const answer = said.find((text) => text.includes('numer klienta')) ?? '';
    expect(shownText(answer)).toBe(typed.replace('`<br>`', '<br>'));
  });

  it('when the base is exported as CSV and imported back, then the answer is unchanged', async () => {
    const before = bot.app.kb.get('pl-frobnicator');
    for (let round = 0; round < 2; round++) {
      const file = await (await bot.api('/api/admin/faq/export?format=csv&locale=pl')).text();
      const response = await bot.api('/api/admin/faq/import?format=csv', {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: file,
      });
      expect(((await response.json()) as Report).updated).toBe(0);
    }
    expect(bot.app.kb.get('pl-frobnicator')?.answer).toBe(before?.answer);
  });

  it('when an answer was stored with backslashes piled up by earlier saves, then it is served repaired', async () => {
    const first = bot.app.kb.get('pl-frobnicator')?.answer ?? '';
    // What four saves before the fix made of it: each save escaped the escapes again.
    const pile = (word: string) => `${'\\'.repeat(4)}<${word}${'\\'.repeat(15)}>`;
    const piled = `Wpisz ${pile('numer klienta')} i naciśnij ${pile('Enter')}. W kodzie: \`<br>\`.`;
    const faq = bot.app.db.collection<FaqDoc>('faq');
    await faq.updateOne({ _id: 'pl-frobnicator' }, { $set: { answer: piled } });
    await bot.app.kb.load();
    const served = bot.app.kb.get('pl-frobnicator')?.answer ?? '';
    expect(served).toBe(first);
    const response = await bot.api('/api/admin/faq/pl-frobnicator');
    expect(((await response.json()) as FaqEntry).answer).toBe(served);
  });
});
