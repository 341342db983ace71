import { type Browser, type Page } from 'playwright-core';
import { t } from '../../locales';
import { ADMIN_TOKEN, startTestBot, type TestBot } from '../helpers/harness';
import { launchBrowser, watchedPage } from '../helpers/browser';

/**
 * The FAQ editor of the admin page in Polish: what the admin typed as plain text survives saving again, the
 * preview shows what a save stores and says what it removes, and errors (a save, an import, adding a question
 * to an entry) are told in the page's language with the form's own words.
 */

jest.setTimeout(120_000);

const WAIT = { timeout: 30_000 };
const TYPED = 'Wpisz <numer klienta> i naciśnij <Enter>. W kodzie: `<br>`.';

let bot: TestBot;
let browser: Browser;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  bot = await startTestBot();
  await bot.app.kb.create(
    { id: 'pl-sleeping', locale: 'pl', questions: ['Czy router śpi?'], answer: 'Nie.', enabled: false },
    'test',
  );
  await bot.app.kb.recordUnanswered('czy router gra na skrzypcach', 'pl', 0.05);
  browser = await launchBrowser();
  page = await watchedPage(browser, problems, { locale: 'pl-PL' });
  await page.goto(`${bot.url}/admin`);
  await page.locator('#token').fill(ADMIN_TOKEN);
  await page.locator('#token').press('Enter');
  await page.locator('#signed-in').waitFor(WAIT);
});

afterAll(async () => {
  await browser?.close();
  await bot?.close();
});

const status = () => page.locator('#status');
const statusSays = (text: string) => page.locator('#status', { hasText: text }).waitFor(WAIT);
/** The Polish note on removed HTML, naming `tags` (as the page does, not escaped as markdown). */
const htmlRemoved = (tags: string) =>
  t('pl', 'admin.answerHtmlRemoved', { tags: '{tags}' }).replace('{tags}', tags);

describe('the FAQ editor in Polish', () => {
  it('when an answer has HTML, then the preview shows it as a save stores it and says what the save removes', async () => {
    await page.locator('#new-entry').click();
    await page.locator('#entry-id').fill('pl-numer');
    // The id names the entry's language: the language field follows it.
    expect(await page.locator('#entry-locale').inputValue()).toBe('pl');
    await page.locator('#questions input').first().fill('Jak podać numer klienta?');
    await page
      .locator('#entry-answer')
      .fill(`${TYPED} <img src=x onerror="window.pwned=1"><script>window.pwned=2</script>`);
    const removed = htmlRemoved('<script>, <img>');
    await page.locator('#entry-answer-removed', { hasText: removed }).waitFor(WAIT);
    const preview = page.locator('#preview');
    expect((await preview.textContent())?.trim()).toBe(
      'Wpisz <numer klienta> i naciśnij <Enter>. W kodzie: <br>.',
    );
    expect(await preview.locator('code').textContent()).toBe('<br>');
    expect(await page.evaluate(() => (window as Window & { pwned?: unknown }).pwned)).toBeUndefined();
  });

  it('when the admin saves twice without changes, then the answer stays as after the first save, and the save named what it removed', async () => {
    await page.locator('#save-entry').click();
    await statusSays(t('pl', 'admin.saved', { id: 'pl-numer', version: 1 }));
    await expect(status().textContent()).resolves.toContain(htmlRemoved('<script>, <img>'));
    const first = await page.locator('#entry-answer').inputValue();
    expect(first).toBe(bot.app.kb.get('pl-numer')?.answer);
    await page.locator('#save-entry').click();
    await statusSays(t('pl', 'admin.saved', { id: 'pl-numer', version: 2 }));
    await page.locator('#save-entry').click();
    await statusSays(t('pl', 'admin.saved', { id: 'pl-numer', version: 3 }));
    expect(await page.locator('#entry-answer').inputValue()).toBe(first);
    expect(bot.app.kb.get('pl-numer')?.answer).toBe(first);
    expect((await page.locator('#preview').textContent())?.trim()).toBe(
      'Wpisz <numer klienta> i naciśnij <Enter>. W kodzie: <br>.',
    );
    await page.locator('#entry-answer-removed').waitFor({ state: 'hidden', ...WAIT });
  });

  it('when a save is refused, then the status names the form fields by their labels', async () => {
    await page.locator('#questions input').first().fill('');
    await page.locator('#save-entry').click();
    await statusSays(t('pl', 'staff.error.fields', { fields: t('pl', 'admin.questions') }));
    expect(await status().textContent()).not.toContain('questions');
  });

  it('when a CSV saved by a spreadsheet with semicolons is imported, then it is read; an unreadable one is explained', async () => {
    const upload = async (name: string, text: string, encoding: BufferEncoding = 'utf8') => {
      await page.locator('#import-format').selectOption('csv');
      await page
        .locator('#import-file')
        .setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text, encoding) });
      await page.locator('#import-apply').click();
    };
    await upload(
      'excel.csv',
      '\uFEFFid;locale;questions;answer;enabled\r\npl-excel;pl;Czy działa Excel? | A | B?;"Tak; działa.";PRAWDA\r\n',
    );
    await statusSays(t('pl', 'admin.importCounts', { created: 1, updated: 0, unchanged: 0, skipped: 0 }));
    expect(bot.app.kb.get('pl-excel')?.questions).toEqual(['Czy działa Excel?', 'A', 'B?']);
    await upload('zle.csv', 'pytania|odpowiedź\r\nx|y\r\n');
    await statusSays(t('pl', 'admin.error.csv_no_header'));
    // Excel's "CSV (rozdzielany przecinkami)" is Windows-1250: "ł" is the byte B3, no UTF-8.
    await upload('ansi.csv', 'id;locale;questions;answer\r\npl-ansi;pl;Czy dzia\u00b3a?;Tak\r\n', 'latin1');
    await statusSays(t('pl', 'admin.error.file_not_utf8'));
    expect(bot.app.kb.get('pl-ansi')).toBeUndefined();
  });

  it('when the admin adds an unanswered question to a disabled entry, then the page says why it is refused', async () => {
    const row = page.locator('#unanswered tr', { hasText: 'czy router gra na skrzypcach' });
    await row.locator('select').selectOption('pl-sleeping');
    await row.getByRole('button').click();
    await statusSays(t('pl', 'admin.error.entry_disabled'));
    expect(bot.app.kb.get('pl-sleeping')?.questions).toEqual(['Czy router śpi?']);
  });

  it('when the page was used, then nothing went wrong but the refusals asked for', () => {
    const refused = /status of (400|409)/;
    expect(problems.filter((p) => !refused.test(p))).toEqual([]);
  });
});
