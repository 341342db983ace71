import type { Browser, Page } from 'playwright-core';
import { t } from '../../locales';
import { launchBrowser, watchedPage } from '../helpers/browser';
import { ADMIN_TOKEN, startTestBot, type TestBot } from '../helpers/harness';

jest.setTimeout(120_000);

/**
 * The admin page in Chromium where a list has nothing to show (a new install, a search that finds nothing), and
 * where a staff token is asked for under the name of an active one.
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

describe('a new staff token under the name of an active one', () => {
  const named = async (name: string) =>
    (await bot.app.auth.list()).filter((token) => token.name === name && !token.revokedAt);
  const cases = (token: string) =>
    fetch(`${bot.url}/api/agent/cases`, { headers: { authorization: `Bearer ${token}` } });

  it('when the admin asks for one whatever the case and spacing of the name, then nothing is created yet: the page offers to renew the active token, and Renew gives it a new secret instead of a second token', async () => {
    const problems: string[] = [];
    const old = await bot.app.auth.issue('Ana Lopez', 'agent', 'test');
    const page = await signedIn('en-GB', problems);
    await page.locator('#tokens tr', { hasText: 'Ana Lopez' }).waitFor();

    await page.getByLabel('Name', { exact: true }).fill('  ana   LOPEZ ');
    await page.getByRole('button', { name: 'Create token' }).click();
    const offer = page.locator('#token-duplicate');
    await offer.waitFor();
    expect(await page.locator('#token-duplicate-text').textContent()).toBe(
      t('en', 'admin.tokenDuplicate', { name: 'ana   LOPEZ' }),
    );
    expect(await named('Ana Lopez')).toHaveLength(1);
    expect((await bot.app.auth.list()).filter((token) => token.name !== 'Ana Lopez')).toEqual([]);

    // The keyboard is on the offer's Renew button, which is described by the warning and the token it renews
    // (read once, with the focus: the offer is no alert as well).
    const renew = offer.getByRole('button', { name: t('en', 'admin.tokenRenewExisting') });
    await expect(renew.evaluate((button) => button === document.activeElement)).resolves.toBe(true);
    expect(await offer.getAttribute('role')).toBeNull();
    const [warning, about] = (await renew.getAttribute('aria-describedby'))?.split(' ') ?? [];
    expect(warning).toBe('token-duplicate-text');
    expect(await page.locator(`#${about}`).textContent()).toMatch(
      /^Ana Lopez · Agent · .* by test · active$/,
    );

    await page.keyboard.press('Enter');
    await page
      .locator('#status')
      .filter({ hasText: t('en', 'admin.tokenRenewed', { name: 'Ana Lopez' }) })
      .waitFor();
    const renewed = (await page.locator('#new-token-value').textContent()) ?? '';
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('new-token');
    expect(await offer.isHidden()).toBe(true);
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('');
    expect((await cases(old.token)).status).toBe(401);
    expect((await cases(renewed)).status).toBe(200);
    expect(await named('Ana Lopez')).toEqual([expect.objectContaining({ _id: old.id, renewedBy: 'admin' })]);
    expect(problems.filter((problem) => !dashboardBeforeSignIn.test(problem))).toEqual([]);
    await page.context().close();
  });

  it('when the admin still wants a second token of that name, then "Create a second token anyway" creates it', async () => {
    const problems: string[] = [];
    const page = await signedIn('en-GB', problems);
    await page.getByLabel('Name', { exact: true }).fill('Ana Lopez');
    await page.getByLabel('Role').selectOption({ label: 'Admin' });
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByRole('button', { name: t('en', 'admin.tokenIssueAnyway') }).click();
    await page
      .locator('#status')
      .filter({ hasText: t('en', 'admin.tokenCreated') })
      .waitFor();
    expect((await named('Ana Lopez')).map((token) => token.role).sort()).toEqual(['admin', 'agent']);
    expect(await page.locator('#token-duplicate').isHidden()).toBe(true);
    expect(problems.filter((problem) => !dashboardBeforeSignIn.test(problem))).toEqual([]);
    await page.context().close();
  });

  it('when the name is changed after the offer, then the offer goes; a name only a revoked token had is created at once', async () => {
    const problems: string[] = [];
    const gone = await bot.app.auth.issue('Summer temp', 'agent', 'test');
    await bot.app.auth.revoke(gone.id);
    const page = await signedIn('en-GB', problems);
    const name = page.getByLabel('Name', { exact: true });
    await name.fill('ana lopez');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.locator('#token-duplicate').waitFor();
    await name.fill('Summer temp');
    expect(await page.locator('#token-duplicate').isHidden()).toBe(true);
    await page.getByRole('button', { name: 'Create token' }).click();
    await page
      .locator('#status')
      .filter({ hasText: t('en', 'admin.tokenCreated') })
      .waitFor();
    expect(await named('Summer temp')).toHaveLength(1);
    expect(await page.locator('#token-duplicate').isHidden()).toBe(true);
    expect(problems.filter((problem) => !dashboardBeforeSignIn.test(problem))).toEqual([]);
    await page.context().close();
  });

  it.each(LANGUAGES.filter(({ locale }) => locale !== 'en'))(
    'when the page is in $locale, then the offer is in $locale',
    async ({ locale, browser: browserLocale }) => {
      const problems: string[] = [];
      const name = `Kari ${locale}`;
      await bot.app.auth.issue(name, 'agent', 'test');
      const page = await signedIn(browserLocale, problems);
      await page.locator('#token-name').fill(name);
      await page.locator('#token-form button[type=submit]').click();
      await page.locator('#token-duplicate').waitFor();
      expect(await page.locator('#token-duplicate-text').textContent()).toBe(
        t(locale, 'admin.tokenDuplicate', { name }),
      );
      expect(await page.locator('#token-duplicate button').allTextContents()).toEqual([
        t(locale, 'admin.tokenRenewExisting'),
        t(locale, 'admin.tokenIssueAnyway'),
      ]);
      expect(await named(name)).toHaveLength(1);
      expect(problems.filter((problem) => !dashboardBeforeSignIn.test(problem))).toEqual([]);
      await page.context().close();
    },
  );
});
