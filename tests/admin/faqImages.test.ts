import type { FaqEntry } from '../../knowledge/types';
import { startTestBot, type TestBot } from '../helpers/harness';

/**
 * Pictures in FAQ answers: no customer page loads pictures from other sites, so an answer's images are saved as
 * links named by their alt text, and the admin API says so in `warnings` (the save itself goes on).
 */

const IMAGE = '![Router back panel](https://cdn.example.com/x.png)';
const LINK = '[Router back panel](https://cdn.example.com/x.png)';

interface Warned {
  warnings?: { row?: number; path: string; code: string; message: string }[];
}

describe('the admin API and pictures in answers', () => {
  let bot: TestBot;

  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(() => bot.close());

  const send = async (path: string, method: string, body: unknown) => {
    const response = await bot.api(path, { method, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as FaqEntry & Warned };
  };

  it('when an admin saves an answer with a picture, then it is saved as a link named by its alt text and the answer warns so', async () => {
    const created = await send('/api/admin/faq', 'POST', {
      id: 'en-reset-button',
      locale: 'en',
      questions: ['Where is the reset button on my router?'],
      answer: `It is on the back panel:\n\n${IMAGE}`,
    });
    expect(created.status).toBe(201);
    expect(created.body.answer).toBe(`It is on the back panel:\n\n${LINK}`);
    expect(created.body.warnings).toEqual([
      {
        path: 'answer',
        code: 'images-as-links',
        message: 'Images are not shown to customers: each was saved as a link named by its alt text.',
      },
    ]);
    expect(bot.app.kb.get('en-reset-button')?.answer).toBe(`It is on the back panel:\n\n${LINK}`);

    const updated = await send('/api/admin/faq/en-reset-button', 'PUT', {
      locale: 'en',
      questions: ['Where is the reset button on my router?'],
      answer: `Look here: ![](https://cdn.example.com/y.png)`,
      version: created.body.version,
    });
    expect(updated.status).toBe(200);
    expect(updated.body.answer).toBe(
      'Look here: [https://cdn.example.com/y.png](https://cdn.example.com/y.png)',
    );
    expect(updated.body.warnings?.map((w) => w.code)).toEqual(['images-as-links']);
  });

  it('when an answer has links but no picture, then nothing is said', async () => {
    const created = await send('/api/admin/faq', 'POST', {
      locale: 'en',
      questions: ['Where can I see the router manual?'],
      answer: `See ${LINK} or the manual. Great!`,
    });
    expect(created.status).toBe(201);
    expect(created.body.warnings).toBeUndefined();
  });

  it('when an import has answers with pictures, then the report names their rows', async () => {
    const response = await bot.api('/api/admin/faq/import?format=json', {
      method: 'POST',
      body: JSON.stringify({
        entries: [
          { locale: 'en', questions: ['How do I pair the remote?'], answer: 'Hold OK and Back.' },
          { locale: 'en', questions: ['What does the TV box look like?'], answer: `Like this: ${IMAGE}` },
        ],
      }),
    });
    expect(response.status).toBe(200);
    const report = (await response.json()) as { created: number } & Warned;
    expect(report.created).toBe(2);
    expect(report.warnings?.map(({ row, code }) => ({ row, code }))).toEqual([
      { row: 2, code: 'images-as-links' },
    ]);
  });
});
