import { readFile } from 'node:fs/promises';
import { launchBrowser, watchedPage } from '../helpers/browser';
import { type Browser, type Page } from 'playwright-core';
import { createLogger } from '../../core/logger';
import { t } from '../../locales';
import { seedDemo } from '../../knowledge/seed';
import { ReviewLog } from '../../review/log';
import { ADMIN_TOKEN, startTestBot, type TestBot } from '../helpers/harness';

jest.setTimeout(90_000);

let bot: TestBot;
let browser: Browser;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  bot = await startTestBot();
  await seedDemo(bot.app.kb);
  await bot.app.kb.recordUnanswered('the router smells of smoke', 'en', 0.1);
  await bot.app.kb.recordUnanswered('the router smells of smoke', 'en', 0.1);
  browser = await launchBrowser();
  page = await watchedPage(browser, problems);
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
  });
  page.on('dialog', (dialog) => void dialog.accept());
});

afterAll(async () => {
  await browser.close();
  await bot.close();
});

const status = () => page.locator('#status');
const pwned = () => page.evaluate(() => (window as Window & { pwned?: unknown }).pwned);

describe('the admin page in a browser', () => {
  it('when an admin signs in with the token, then the entries are listed', async () => {
    await page.goto(`${bot.url}/admin`);
    await page.waitForLoadState('networkidle');
    // Known: web/admin/dashboard.js asks for its figures before anyone signs in (four 401s, each also logged to
    // the console). Everything else on the page must load cleanly.
    const dashboardBeforeSignIn = /^401 .*\/api\/admin\/ratings\/|^console: .*status of 401/;
    expect(problems.filter((p) => !dashboardBeforeSignIn.test(p))).toEqual([]);
    problems.length = 0;
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Signed in.').waitFor();
    await page.locator('#entries tbody tr').first().waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('adminToken'))).toBe(ADMIN_TOKEN);
  });

  it('when the admin creates staff tokens, then each is valid for the days chosen (90 unless changed), and the list says until when', async () => {
    await page.getByLabel('Name', { exact: true }).fill('Summer temp');
    await expect(page.getByLabel('Valid for').inputValue()).resolves.toBe('90');
    await page.getByLabel('Valid for').selectOption({ label: '30 days' });
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.locator('#status', { hasText: 'Token created.' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Team lead');
    await page.getByLabel('Valid for').selectOption({ label: 'until revoked' });
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.locator('#tokens tr', { hasText: 'Team lead' }).waitFor();
    const tokens = await bot.app.auth.list();
    const temp = tokens.find((token) => token.name === 'Summer temp');
    const lead = tokens.find((token) => token.name === 'Team lead');
    expect((temp?.expiresAt?.getTime() ?? 0) - (temp?.createdAt.getTime() ?? 0)).toBe(30 * 86_400_000);
    expect(lead?.expiresAt).toBeUndefined();
    await expect(page.locator('#tokens tr', { hasText: 'Summer temp' }).textContent()).resolves.toContain(
      'active until',
    );
    const leadRow = await page.locator('#tokens tr', { hasText: 'Team lead' }).textContent();
    expect(leadRow).toContain('active');
    expect(leadRow).not.toContain('until');
  });

  it('when the admin renews a staff token, then the new token is shown once and read out, it signs in as the same member of staff, and the old one no longer does', async () => {
    const cases = (token: string) =>
      fetch(`${bot.url}/api/agent/cases`, { headers: { authorization: `Bearer ${token}` } });
    await page.getByLabel('Name', { exact: true }).fill('Night shift');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.locator('#tokens tr', { hasText: 'Night shift' }).waitFor();
    const old = (await page.locator('#new-token-value').textContent()) ?? '';
    await page.getByRole('button', { name: 'Renew the token Night shift' }).click();
    await status().filter({ hasText: 'Renewed Night shift. Copy the new token now' }).waitFor();
    const renewed = (await page.locator('#new-token-value').textContent()) ?? '';
    expect(renewed).toMatch(/^csb_/);
    expect(renewed).not.toBe(old);
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('new-token');
    expect((await cases(old)).status).toBe(401);
    expect((await cases(renewed)).status).toBe(200);
    // Still one member of staff of that name: the same token, with a new secret.
    expect((await bot.app.auth.list()).filter((token) => token.name === 'Night shift')).toHaveLength(1);
    await expect(page.locator('#tokens tr', { hasText: 'Night shift' }).textContent()).resolves.toMatch(
      /renewed .* by admin/,
    );
  });

  it('when an admin renews the token they are signed in with, then the page goes on signed in with the new one', async () => {
    const own = await bot.app.auth.issue('Deputy admin', 'admin', 'test');
    const problems: string[] = [];
    const deputy = await watchedPage(browser, problems);
    deputy.on('dialog', (dialog) => void dialog.accept());
    await deputy.goto(`${bot.url}/admin`);
    await deputy.getByLabel('Admin token').fill(own.token);
    await deputy.getByRole('button', { name: 'Sign in' }).click();
    await deputy.getByRole('button', { name: 'Renew the token Deputy admin' }).click();
    await deputy.locator('#status', { hasText: 'Renewed Deputy admin.' }).waitFor();
    const renewed = (await deputy.locator('#new-token-value').textContent()) ?? '';
    expect(await deputy.evaluate(() => sessionStorage.getItem('adminToken'))).toBe(renewed);
    // Still signed in: the list was reloaded with the new secret, and the page works on.
    expect(await deputy.locator('#main').isVisible()).toBe(true);
    await deputy
      .locator('#tokens tr', { hasText: 'Deputy admin' })
      .getByText(/renewed/)
      .waitFor();
    expect(problems).toEqual([]);
    await deputy.context().close();
  });

  it('when an admin whose browser writes numbers 1,5 (Norwegian) exports the FAQ as CSV, then its cells are separated by semicolons, as Excel there splits them', async () => {
    const problems: string[] = [];
    const nb = await watchedPage(browser, problems, { locale: 'nb-NO', acceptDownloads: true });
    await nb.goto(`${bot.url}/admin`);
    await nb.getByLabel(t('nb', 'admin.adminToken')).fill(ADMIN_TOKEN);
    await nb.getByRole('button', { name: t('nb', 'staff.signIn') }).click();
    await nb.locator('#entries tbody tr').first().waitFor();
    await nb.locator('#export-format').selectOption('csv');
    await nb.locator('#export-locale').selectOption('nb');
    const [download] = await Promise.all([
      nb.waitForEvent('download'),
      nb
        .locator('#export-form')
        .getByRole('button', { name: t('nb', 'admin.export') })
        .click(),
    ]);
    const file = await readFile(await download.path(), 'utf8');
    expect(file).toMatch(/^\uFEFFid;locale;topic;category;questions;answer;enabled\r\nnb-/);
    expect(problems).toEqual([]);
    await nb.context().close();
  });

  it('when the admin checks the health of a language with two colliding entries, then the pair and its questions are listed, and the list empties once fixed', async () => {
    await bot.app.kb.create(
      {
        id: 'pl-quit',
        locale: 'pl',
        questions: [
          'jak zrezygnować z usługi i rozwiązać umowę',
          'chcę zrezygnować z abonamentu, jak to zrobić?',
        ],
        answer: 'Napisz do nas.',
      },
      'test',
    );
    await page.locator('#health-locale').selectOption('pl');
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    const row = page.locator('#health tbody tr', { hasText: 'pl-quit' }).first();
    await row.waitFor();
    const pair = await row.locator('td button').allTextContents();
    expect(pair.sort()).toEqual(['pl-cancellation', 'pl-quit']);
    expect(await row.locator('li').first().textContent()).toMatch(/\(0\.\d\d\)$/);
    // Colliding both ways (two rows) is still one pair.
    expect(await page.locator('#health tbody tr').count()).toBe(2);
    expect(await page.locator('#health-summary').textContent()).toBe(
      'Pairs of colliding entries in Polish: 1.',
    );
    await row.getByRole('button', { name: 'Edit pl-quit' }).click();
    await page.locator('#editor-heading', { hasText: 'Edit entry pl-quit' }).waitFor();
    await page.getByRole('button', { name: 'Delete' }).click();
    await status().filter({ hasText: 'Deleted pl-quit.' }).waitFor();
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await page.getByText('No colliding entries in Polish.').waitFor();
    expect(await page.locator('#health').isHidden()).toBe(true);
  });

  it('when the admin searches in one language, then only matching entries of it are shown', async () => {
    await page.getByLabel('Search').fill('restart');
    await page.locator('#filter-locale').selectOption('en');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('button', { name: 'Edit en-restart-router' }).waitFor();
    // That row was listed before the search too: wait for the search's list to replace the whole table.
    const localeCells = page.locator('#entries tbody tr td:nth-child(2)');
    await localeCells
      .filter({ hasNotText: /^English$/ })
      .first()
      .waitFor({ state: 'detached' });
    const locales = await localeCells.allTextContents();
    expect(new Set(locales)).toEqual(new Set(['English'])); // language names, not codes
  });

  it('when the admin types markdown with a script into the answer, then the preview is safe and nothing runs', async () => {
    await page.getByRole('button', { name: 'Edit en-restart-router' }).click();
    await page.locator('#editor-heading', { hasText: 'Edit entry en-restart-router' }).waitFor();
    const answer = [
      'Unplug the router for **ten** seconds.',
      '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">',
      '[bad](javascript:window.pwned=3) [help](https://example.com/help)',
      '[away](//evil.example) [away too](/\\evil.example) [faq](/faq)',
    ].join('\n\n');
    await page.getByLabel('Answer (markdown)').fill(answer);
    const preview = page.locator('#preview');
    await preview.locator('strong', { hasText: 'ten' }).waitFor();
    expect(await preview.locator('script, img, iframe, [onerror]').count()).toBe(0);
    expect(await preview.locator('a[href^="javascript"]').count()).toBe(0);
    // No link leaves the site but the one to example.com ("//host" and "/\\host" are other sites to a browser).
    const hosts = await preview
      .locator('a')
      .evaluateAll((links) => links.map((link) => new URL((link as HTMLAnchorElement).href).host));
    expect(new Set(hosts)).toEqual(new Set([new URL(bot.url).host, 'example.com']));
    expect(await preview.locator('a[href="/faq"]').count()).toBe(1);
    expect(await preview.locator('a[href="https://example.com/help"]').count()).toBe(1);
    expect(await page.locator('script:not([src])').count()).toBe(0);
    expect(await pwned()).toBeUndefined();

    await page.getByRole('button', { name: 'Add question' }).click();
    await page.getByRole('textbox', { name: 'Question 7' }).fill('my box needs a reboot');
    await page.getByRole('button', { name: 'Save' }).click();
    await status().filter({ hasText: 'Saved en-restart-router' }).waitFor();

    const saved = bot.app.kb.get('en-restart-router');
    expect(saved?.questions).toContain('my box needs a reboot');
    expect(saved?.answer).toContain('Unplug the router for **ten** seconds.');
    expect(saved?.answer).not.toMatch(/<script|<img|javascript:/);
    expect(await page.getByLabel('Answer (markdown)').inputValue()).not.toMatch(/<script|onerror/);
    expect(await pwned()).toBeUndefined();

    // Closing the editor hides the focused button: the keyboard goes back to the list of entries.
    await page.getByRole('button', { name: 'Close', exact: true }).click();
    expect(await page.locator('#editor').isHidden()).toBe(true);
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('entries-heading');
  });

  it('when the admin tests the new question, then the edited entry is first', async () => {
    await page.getByLabel('Question', { exact: true }).fill('my box needs a reboot');
    await page.locator('#test-locale').selectOption('en');
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await page.locator('#test-results li').first().waitFor();
    expect(await page.locator('#test-results li .id').first().textContent()).toBe('en-restart-router');
    expect(await page.locator('#test-decision').textContent()).toMatch(/Answers with en-restart-router/);
  });

  it('when the admin adds an unanswered question to an entry in one click, then the entry answers it', async () => {
    const row = page.locator('#unanswered tbody tr', { hasText: 'the router smells of smoke' });
    await row.locator('select').selectOption('en-no-internet');
    await row.getByRole('button', { name: 'Add to entry' }).click();
    await status().filter({ hasText: 'Added "the router smells of smoke" to en-no-internet' }).waitFor();
    expect(bot.app.kb.get('en-no-internet')?.questions).toContain('the router smells of smoke');
    // The list reloads after the status line: wait for the row to go rather than count at once.
    await row.waitFor({ state: 'detached' });
    expect(await page.locator('#unanswered tbody tr').count()).toBe(0);
    // Not a bare heading row: the list says it is empty.
    expect(await page.locator('#unanswered').isHidden()).toBe(true);
    expect(await page.locator('#unanswered-empty').textContent()).toBe('No unanswered questions right now.');
    // The pressed button went with its row: the keyboard is back at the section's heading.
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('unanswered-heading');
  });

  it('when the admin works on a 360 px wide phone, then the page never scrolls sideways: the tables become stacked rows, each value under its heading', async () => {
    await bot.app.auth.issue('An agent with a rather long name', 'agent', 'test');
    await bot.app.kb.recordUnanswered(
      'my router keeps blinking orange after the storm last night',
      'en',
      0.1,
    );
    const phone = await watchedPage(browser, problems, { viewport: { width: 360, height: 740 } });
    const sideways = () =>
      phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await phone.goto(`${bot.url}/admin`);
    await phone.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await phone.getByRole('button', { name: 'Sign in' }).click();
    await phone.getByText('Signed in.').waitFor();
    for (const table of ['entries', 'unanswered', 'tokens'])
      await phone.locator(`#${table} tbody tr`).first().waitFor();
    await expect(phone.evaluate(() => window.innerWidth)).resolves.toBe(360);
    await expect(sideways()).resolves.toBeLessThanOrEqual(0);
    const firstEntry = phone.locator('#entries tbody tr').first();
    expect(await firstEntry.locator('td').first().getAttribute('data-label')).toBe('Id');
    expect((await firstEntry.boundingBox())?.width).toBeLessThanOrEqual(360);

    await phone.getByRole('button', { name: 'Edit en-restart-router' }).click();
    await phone.locator('#editor-heading', { hasText: 'Edit entry en-restart-router' }).waitFor();
    await expect(sideways()).resolves.toBeLessThanOrEqual(0);

    // A dry-run import with a bad row: its report table too.
    await phone.locator('#import-file').setInputFiles({
      name: 'faq.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ entries: [{ locale: 'en', questions: [], answer: '' }] })),
    });
    await phone.getByRole('button', { name: 'Check (dry run)' }).click();
    await phone.locator('#import-skipped tbody tr').waitFor();
    await expect(sideways()).resolves.toBeLessThanOrEqual(0);

    // Revoking a token: its button is gone afterwards, and the keyboard is back at the section's heading.
    phone.on('dialog', (dialog) => void dialog.accept());
    await phone.getByRole('button', { name: 'Revoke the token An agent with a rather long name' }).click();
    await phone.locator('#status', { hasText: 'Revoked An agent with a rather long name.' }).waitFor();
    await expect(phone.evaluate(() => document.activeElement?.id)).resolves.toBe('tokens-heading');
    await phone.context().close();
  });

  it('when the admin labels a message to review that held a card number, then it reads as removed, and the keyboard goes on to the next message', async () => {
    const entry = (text: string) => ({
      conversationId: 'admin-review',
      locale: 'en',
      task: 'message' as const,
      text,
      why: 'unread' as const,
      read: { label: 'other' as const, confidence: 0.4 },
    });
    // What the dialogs record (stored redacted), written by the app's own review log on the test's store.
    await new ReviewLog(bot.app.db, bot.clock, 30, createLogger('silent')).record([
      entry('my card [[redacted:card]] was charged twice'),
      entry('second one'),
    ]);
    await page.locator('#review-filter').getByRole('button', { name: 'Refresh' }).click();
    const item = page.locator('#review-items li', { hasText: 'was charged twice' });
    await expect(item.locator('.review-text').textContent()).resolves.toBe(
      'my card [card number removed] was charged twice',
    );
    await expect(item.getByRole('group').getAttribute('aria-label')).resolves.toBe(
      'my card [card number removed] was charged twice',
    );
    await item.getByRole('button', { name: 'Complaint' }).click();
    await item.waitFor({ state: 'detached' });
    await expect(page.locator('#review-status span').textContent()).resolves.toBe(
      'Labelled: "my card [card number removed] was charged twice" is now Complaint.',
    );
    const next = page.locator('#review-items li', { hasText: 'second one' });
    await expect(
      next
        .locator('button')
        .first()
        .evaluate((b) => b === document.activeElement),
    ).resolves.toBe(true);
    await page.keyboard.press('Enter');
    await next.waitFor({ state: 'detached' });
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('review-heading');
    // That was the last message: the status line says that nothing is left, besides Undo.
    await expect(page.locator('#review-status span').textContent()).resolves.toBe(
      'Labelled: "second one" is now Complaint. Nothing to review.',
    );
  });

  it('when the admin signs out, then the token is forgotten', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('Signed out.').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('adminToken'))).toBeNull();
    expect(await page.locator('#main').isHidden()).toBe(true);
  });

  it('when the admin saves an entry twice quickly, then it is saved once and no conflict is reported', async () => {
    await bot.app.kb.create(
      { id: 'en-save-twice', locale: 'en', questions: ['can I save twice'], answer: 'Once is enough.' },
      'test',
    );
    const seen: string[] = [];
    const admin = await watchedPage(browser, seen);
    admin.on('response', (response) => {
      if (response.status() >= 400) seen.push(`${response.status()} ${response.url()}`);
    });
    await admin.goto(`${bot.url}/admin`);
    await admin.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await admin.getByRole('button', { name: 'Sign in' }).click();
    await admin.getByRole('button', { name: 'Edit en-save-twice' }).click();
    await admin.locator('#editor-heading', { hasText: 'Edit entry en-save-twice' }).waitFor();
    await admin.getByLabel('Answer (markdown)').fill('Once is enough, really.');

    // The first save is on its way while the admin saves again (Enter in a field of the form).
    const puts: string[] = [];
    let letGo!: () => void;
    const held = new Promise<void>((resolve) => (letGo = resolve));
    await admin.route('**/api/admin/faq/en-save-twice', async (route) => {
      if (route.request().method() !== 'PUT') return route.continue();
      puts.push(route.request().postData() ?? '');
      await held;
      await route.continue();
    });
    const save = admin.getByRole('button', { name: 'Save', exact: true });
    const first = admin.waitForRequest((request) => request.method() === 'PUT');
    await save.click();
    await first;
    await expect(save.isDisabled()).resolves.toBe(true);
    await admin.getByLabel('Topic').press('Enter');
    letGo();
    await admin.locator('#status').filter({ hasText: 'Saved en-save-twice (version 2)' }).waitFor();
    await expect(save.isEnabled()).resolves.toBe(true);
    expect(puts).toHaveLength(1);
    expect(bot.app.kb.get('en-save-twice')?.answer).toBe('Once is enough, really.');
    expect(await admin.locator('#entry-conflict').isHidden()).toBe(true);
    expect(seen).toEqual([]);
    await admin.context().close();
  });

  it('when someone else saved the entry while the admin edited it, then saving says so in their language and offers to reload the entry', async () => {
    const seen: string[] = [];
    const admin = await watchedPage(browser, seen, { locale: 'pl-PL' });
    await admin.goto(`${bot.url}/admin`);
    await admin.getByLabel(t('pl', 'admin.adminToken')).fill(ADMIN_TOKEN);
    await admin.getByRole('button', { name: t('pl', 'staff.signIn') }).click();
    await admin.getByRole('button', { name: t('pl', 'admin.editNamed', { id: 'en-save-twice' }) }).click();
    await admin
      .locator('#editor-heading', { hasText: t('pl', 'admin.editEntry', { id: 'en-save-twice' }) })
      .waitFor();
    const answer = admin.getByLabel(t('pl', 'admin.answerMarkdown'));
    await answer.fill('My version.');

    // Another admin saves the entry meanwhile.
    const current = bot.app.kb.get('en-save-twice');
    if (!current) throw new Error('the entry is missing');
    await bot.app.kb.update('en-save-twice', { ...current, answer: 'Their version.' }, 'another admin');
    await admin.getByRole('button', { name: t('pl', 'admin.save'), exact: true }).click();
    const conflict = admin.getByRole('alert');
    await conflict.getByText(t('pl', 'admin.entryConflict')).waitFor();
    // The keyboard is at the way out: reloading the entry.
    const reload = admin.getByRole('button', { name: t('pl', 'admin.reloadEntry') });
    await expect(reload.evaluate((button) => button === document.activeElement)).resolves.toBe(true);
    // No server text (English) anywhere.
    expect(await admin.locator('body').innerText()).not.toContain('Someone else changed this entry');
    expect(bot.app.kb.get('en-save-twice')?.answer).toBe('Their version.');

    await admin.keyboard.press('Enter');
    await admin
      .locator('#status')
      .filter({ hasText: t('pl', 'admin.entryReloaded', { id: 'en-save-twice' }) })
      .waitFor();
    await expect(answer.inputValue()).resolves.toBe('Their version.');
    expect(await admin.locator('#entry-conflict').isHidden()).toBe(true);
    await answer.fill('Their version, and mine.');
    await admin.getByRole('button', { name: t('pl', 'admin.save'), exact: true }).click();
    await admin
      .locator('#status')
      .filter({ hasText: t('pl', 'admin.saved', { id: 'en-save-twice', version: 4 }) })
      .waitFor();
    expect(bot.app.kb.get('en-save-twice')?.answer).toBe('Their version, and mine.');
    expect(seen.filter((problem) => !/status of 409/.test(problem))).toEqual([]);
    await admin.context().close();
  });

  it('when the whole session is over, then there were no console errors and no CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
