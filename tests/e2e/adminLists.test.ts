import type { Browser, Page } from 'playwright-core';
import { t } from '../../locales';
import { launchBrowser, watchedPage } from '../helpers/browser';
import { ADMIN_TOKEN, startTestBot, type TestBot } from '../helpers/harness';

jest.setTimeout(120_000);

/**
 * The admin page in Chromium where a list has nothing to show (a new install, a search that finds nothing).
 */

let bot: TestBot;
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
  // A new install: no FAQ entries, no unanswered questions, no staff tokens, nothing to review.
  bot = await startTestBot();
});

afterAll(async () => {
  await browser?.close();
  await bot?.close();
});

const LANGUAGES = [
  { locale: 'en', browser: 'en-GB' },
  { locale: 'id', browser: 'id-ID' },
  { locale: 'pl', browser: 'pl-PL' },
  { locale: 'nb', browser: 'nb-NO' },
] as const;

async function signedIn(browserLocale: string, problems: string[]): Promise<Page> {
  const page = await watchedPage(browser, problems, { locale: browserLocale });
  page.on('dialog', (dialog) => void dialog.accept());
  const locale = browserLocale.split('-')[0] ?? 'en';
  await page.goto(`${bot.url}/admin`);
  await page.getByLabel(t(locale, 'admin.adminToken')).fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: t(locale, 'staff.signIn') }).click();
  await page
    .locator('#status')
    .filter({ hasText: t(locale, 'admin.signedInStatus') })
    .waitFor();
  return page;
}

/** Known (tests/e2e/admin.test.ts): the CSAT dashboard asks for its figures before anyone signs in. */
const dashboardBeforeSignIn = /^console: .*status of 401/;

describe('an admin page with nothing to list', () => {
  it.each(LANGUAGES)(
    'when the page is in $locale, then each empty list says so in a status line instead of a bare table heading',
    async ({ locale, browser: browserLocale }) => {
      const problems: string[] = [];
      const page = await signedIn(browserLocale, problems);
      const emptyLine = (table: string, text: string) =>
        page
          .getByRole('status')
          .and(page.locator(`#${table}-empty`))
          .filter({ hasText: text });

      await emptyLine('entries', t(locale, 'admin.entriesNone')).waitFor();
      await emptyLine('unanswered', t(locale, 'admin.unansweredNone')).waitFor();
      await emptyLine('tokens', t(locale, 'admin.tokensNone')).waitFor();
      for (const table of ['entries', 'unanswered', 'tokens'])
        expect({ table, hidden: await page.locator(`#${table}`).isHidden() }).toEqual({
          table,
          hidden: true,
        });
      // The empty line says it: no "Entries shown: 0" beside it.
      expect(await page.locator('#entry-count').textContent()).toBe('');

      // With a filter, the line says that nothing matches it.
      await page.locator('#filter-q').fill('router');
      await page.locator('#filter button[type=submit]').click();
      await emptyLine('entries', t(locale, 'admin.entriesNoneMatch')).waitFor();
      await page.locator('#unanswered-locale').selectOption('pl');
      await page.locator('#unanswered-filter button[type=submit]').click();
      const polish = (await page.locator('#unanswered-locale option[value=pl]').textContent()) ?? '';
      await emptyLine('unanswered', t(locale, 'admin.unansweredNoneIn', { language: polish })).waitFor();
      await page.locator('#review-locale').selectOption('pl');
      await page.locator('#review-filter button[type=submit]').click();
      await page
        .locator('#review-status')
        .filter({ hasText: t(locale, 'admin.reviewEmptyIn', { language: polish }) })
        .waitFor();

      expect(problems.filter((problem) => !dashboardBeforeSignIn.test(problem))).toEqual([]);
      await page.context().close();
    },
  );

  it('when the search finds entries again, then the table is back and the empty line says nothing', async () => {
    const problems: string[] = [];
    const page = await signedIn('en-GB', problems);
    await page.locator('#entries-empty', { hasText: t('en', 'admin.entriesNone') }).waitFor();
    await bot.app.kb.create(
      { id: 'en-router', locale: 'en', questions: ['my router is broken'], answer: 'Restart it.' },
      'test',
    );
    await page.locator('#filter-q').fill('router');
    await page.locator('#filter button[type=submit]').click();
    await page.locator('#entries tbody tr', { hasText: 'en-router' }).waitFor();
    expect(await page.locator('#entries').isVisible()).toBe(true);
    expect(await page.locator('#entries-empty').textContent()).toBe('');
    expect(await page.locator('#entry-count').textContent()).toBe(t('en', 'admin.entryCount', { count: 1 }));
    await bot.app.kb.remove('en-router', 'test');
    expect(problems.filter((problem) => !dashboardBeforeSignIn.test(problem))).toEqual([]);
    await page.context().close();
  });
});
