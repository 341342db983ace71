import type { Browser, Page, Route } from 'playwright-core';
import { t } from '../../locales';
import { launchBrowser, watchedPage } from '../helpers/browser';
import { queuedCase, startTestBot, type TestBot } from '../helpers/harness';

jest.setTimeout(120_000);

/**
 * What the staff console tells a screen reader in Chromium: the lists' empty lines are status lines that say
 * nothing before the lists are loaded (no false "Nobody is waiting" on a slow connection) and are read out when a
 * list empties or fills; changes made by others to what the agent is working on (a case, a follow-up) are said
 * once in the notice line.
 */

let bot: TestBot;
let browser: Browser;

beforeAll(async () => {
  bot = await startTestBot();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await bot?.close();
});

const BOB = { id: 'bob', name: 'Bob', role: 'agent' } as const;
const ADMIN = { id: 'admin', name: 'admin', role: 'admin' } as const;

// Each test starts with empty lists: whatever a test left open is taken and resolved.
afterEach(async () => {
  for (const c of await bot.app.handoff.list({ status: 'queued' })) await bot.app.handoff.take(c.id, BOB);
  for (const c of await bot.app.handoff.list({ status: 'assigned' }))
    await bot.app.handoff.resolve(c.id, ADMIN);
  for (const f of await bot.app.followups.list()) await bot.app.followups.close(f.id, ADMIN, 'Done');
});

/** The console's page in `browserLocale`, signed in as a new agent named `name`. */
async function consolePage(name: string, problems: string[], browserLocale = 'en-GB'): Promise<Page> {
  const { token } = await bot.app.auth.issue(name, 'agent', 'test');
  const page = await watchedPage(browser, problems, { locale: browserLocale });
  await page.goto(`${bot.url}/agent`);
  await page.locator('#token').fill(token);
  return page;
}

const signIn = (page: Page) => page.locator('#signInForm button[type=submit]').click();

/** The status line `id` when it says `text` (exactly). */
const statusLine = (page: Page, id: string, text: string) =>
  page
    .getByRole('status')
    .and(page.locator(`#${id}`))
    .filter({ hasText: new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) });

/** Holds the requests of `path` until `release()` is called. */
async function hold(page: Page, path: string): Promise<{ asked: Promise<void>; release: () => void }> {
  let release = (): void => undefined;
  let asked = (): void => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  const seen = new Promise<void>((resolve) => (asked = resolve));
  await page.route(
    (url) => url.pathname === path,
    async (route: Route) => {
      asked();
      await released;
      await route.continue();
    },
  );
  return { asked: seen, release };
}

/** Waits until the line `id` says nothing. */
const saysNothing = (page: Page, id: string) =>
  page.waitForFunction((line) => document.getElementById(line)?.textContent === '', id);

const emptyTexts = (page: Page) =>
  page.evaluate(() =>
    ['queueEmpty', 'assignedEmpty', 'followupsEmpty'].map((id) => document.getElementById(id)?.textContent),
  );

describe('the console lists while they load', () => {
  it('when the lists are slow to arrive, then their empty lines say nothing until loaded, then say so in the page language', async () => {
    const problems: string[] = [];
    const page = await consolePage('Ola', problems, 'pl-PL');
    const cases = await hold(page, '/api/agent/cases');
    const followups = await hold(page, '/api/agent/followups');
    await signIn(page);
    await cases.asked;
    await page.locator('#workspace').waitFor();
    // The workspace is there, its lists are not: no "Nobody is waiting" yet.
    expect(await emptyTexts(page)).toEqual(['', '', '']);
    expect(await page.getByText(t('pl', 'staff.queueEmpty')).count()).toBe(0);

    cases.release();
    await statusLine(page, 'queueEmpty', t('pl', 'staff.queueEmpty')).waitFor();
    await statusLine(page, 'assignedEmpty', t('pl', 'staff.assignedEmpty')).waitFor();
    // The follow-ups load when the live stream is open: not yet.
    await followups.asked;
    expect(await page.locator('#followupsEmpty').textContent()).toBe('');
    followups.release();
    await statusLine(page, 'followupsEmpty', t('pl', 'staff.followupsEmpty')).waitFor();
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('when the agent signs out and in again, then the lists of the last sign-in are gone until the new ones load', async () => {
    const problems: string[] = [];
    const page = await consolePage('Per', problems);
    await signIn(page);
    await statusLine(page, 'queueEmpty', t('en', 'staff.queueEmpty')).waitFor();
    await queuedCase(bot, 'announce-signout', 'Modem blinking');
    await page.locator('#queue li', { hasText: 'Modem blinking' }).waitFor();
    await page.getByRole('button', { name: t('en', 'staff.signOut') }).click();

    const cases = await hold(page, '/api/agent/cases');
    const { token } = await bot.app.auth.issue('Per again', 'agent', 'test');
    await page.locator('#token').fill(token);
    await signIn(page);
    await cases.asked;
    await page.locator('#workspace').waitFor();
    expect(await page.locator('#queue li').count()).toBe(0);
    expect(await emptyTexts(page)).toEqual(['', '', '']);
    cases.release();
    await page.locator('#queue li', { hasText: 'Modem blinking' }).waitFor();
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe('the console while the agent watches', () => {
  it('when a case and a follow-up come and go, then each list’s status line empties and fills', async () => {
    const problems: string[] = [];
    const page = await consolePage('Ana', problems);
    await signIn(page);
    await page.getByText(t('en', 'staff.live'), { exact: true }).waitFor();
    await statusLine(page, 'queueEmpty', t('en', 'staff.queueEmpty')).waitFor();
    await statusLine(page, 'followupsEmpty', t('en', 'staff.followupsEmpty')).waitFor();

    const { caseDoc } = await queuedCase(bot, 'announce-come-go', 'Bill too high');
    await page.locator('#queue li', { hasText: 'Bill too high' }).waitFor();
    await saysNothing(page, 'queueEmpty');
    await statusLine(page, 'notice', t('en', 'staff.newCase', { summary: 'Bill too high' })).waitFor();

    // Bob takes it: the queue is empty again, the case is in progress.
    await bot.app.handoff.take(caseDoc.id, BOB);
    await statusLine(page, 'queueEmpty', t('en', 'staff.queueEmpty')).waitFor();
    await saysNothing(page, 'assignedEmpty');
    await bot.app.handoff.resolve(caseDoc.id, BOB);
    await statusLine(page, 'assignedEmpty', t('en', 'staff.assignedEmpty')).waitFor();

    const followup = await bot.app.followups.open({
      conversationId: 'announce-followup',
      customerId: 'announce-followup-user',
      channel: 'webchat',
      locale: 'en',
      reason: 'left-message',
      summary: 'Call me',
    });
    await page.locator(`#followups li[data-followup-id="${followup.id}"]`).waitFor();
    await saysNothing(page, 'followupsEmpty');
    await bot.app.followups.close(followup.id, BOB, 'Called back');
    await statusLine(page, 'followupsEmpty', t('en', 'staff.followupsEmpty')).waitFor();
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('when someone else takes the case whose Take button has the keyboard, then the agent is told and the keyboard is on the queue', async () => {
    const problems: string[] = [];
    const page = await consolePage('Sari', problems);
    await signIn(page);
    await page.getByText(t('en', 'staff.live'), { exact: true }).waitFor();
    const { caseDoc } = await queuedCase(bot, 'announce-taken', 'Roaming not working');
    const take = page.locator('#queue li', { hasText: 'Roaming not working' }).locator('button.take');
    await take.focus();
    await page.locator('#notice').evaluate((notice) => (notice.textContent = ''));

    await bot.app.handoff.take(caseDoc.id, BOB);
    await statusLine(page, 'notice', t('en', 'staff.someoneElseTook')).waitFor();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('queueHeading');
    await bot.app.handoff.resolve(caseDoc.id, BOB);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('when someone else releases, takes or resolves the case open on the right, then its new state is said; the agent’s own resolve says only its own notice', async () => {
    const problems: string[] = [];
    const page = await consolePage('Dan', problems);
    await signIn(page);
    await page.getByText(t('en', 'staff.live'), { exact: true }).waitFor();
    const notices: string[] = [];
    await page.exposeFunction('noticed', (text: string) => notices.push(text));
    await page.locator('#notice').evaluate((notice) => {
      const report = (window as Window & { noticed?: (text: string) => void }).noticed;
      new MutationObserver(() => report?.(notice.textContent ?? '')).observe(notice, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });

    // An admin releases the case Dan has open, Bob takes it and resolves it: Dan is told each time.
    const first = await queuedCase(bot, 'announce-open-1', 'Slow internet');
    await page.locator('#queue li', { hasText: 'Slow internet' }).locator('button.take').click();
    await page.locator('#caseHeading', { hasText: 'Slow internet' }).waitFor();
    notices.length = 0;
    await bot.app.handoff.release(first.caseDoc.id, ADMIN);
    await statusLine(page, 'notice', t('en', 'staff.stateQueued')).waitFor();
    await bot.app.handoff.take(first.caseDoc.id, BOB);
    await statusLine(page, 'notice', t('en', 'staff.stateAssignedReadOnly', { agent: 'Bob' })).waitFor();
    expect(await page.locator('#messageText').isDisabled()).toBe(true);
    await bot.app.handoff.resolve(first.caseDoc.id, BOB);
    await statusLine(page, 'notice', t('en', 'staff.stateResolved', { agent: 'Bob' })).waitFor();
    expect(notices.filter(Boolean)).toEqual([
      t('en', 'staff.stateQueued'),
      t('en', 'staff.stateAssignedReadOnly', { agent: 'Bob' }),
      t('en', 'staff.stateResolved', { agent: 'Bob' }),
    ]);

    // Dan resolves his next case himself: only his own notice, not the stream's state of it as well.
    await queuedCase(bot, 'announce-open-2', 'No dial tone');
    await page.locator('#queue li', { hasText: 'No dial tone' }).locator('button.take').click();
    await page.locator('#caseHeading', { hasText: 'No dial tone' }).waitFor();
    notices.length = 0;
    await page.getByRole('button', { name: t('en', 'staff.resolve') }).click();
    await statusLine(page, 'notice', t('en', 'staff.resolvedNotice')).waitFor();
    await bot.app.handoff.idle();
    await page.locator('#assignedEmpty', { hasText: t('en', 'staff.assignedEmpty') }).waitFor();
    expect(notices.filter(Boolean)).toEqual([t('en', 'staff.resolvedNotice')]);
    expect(problems).toEqual([]);
    await page.context().close();
  });
  it('when someone else claims or closes the follow-up the agent is on, then the agent is told in the page language and the keyboard is not lost', async () => {
    const problems: string[] = [];
    const page = await consolePage('Kari', problems, 'nb-NO');
    await signIn(page);
    await page.getByText(t('nb', 'staff.live'), { exact: true }).waitFor();
    const open = (n: number) =>
      bot.app.followups.open({
        conversationId: `announce-followup-${n}`,
        customerId: `announce-followup-${n}-user`,
        channel: 'webchat',
        locale: 'nb',
        reason: 'left-message',
        summary: `Ring meg ${n}`,
      });
    const first = await open(1);
    const second = await open(2);
    const row = (id: string) => page.locator(`#followups li[data-followup-id="${id}"]`);

    // Bob claims the follow-up whose Claim button has the keyboard: the button goes, the keyboard to the heading.
    await row(first.id).locator('button.claim').focus();
    await bot.app.followups.claim(first.id, BOB);
    const claimed = t('nb', 'staff.followupAlreadyClaimed', { name: 'Bob' });
    await statusLine(page, 'notice', claimed).waitFor();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('followupsHeading');

    // Bob closes the one whose note Kari is typing: its row goes, and she is told.
    await row(second.id).locator('textarea').fill('Ringte');
    await bot.app.followups.close(second.id, BOB, 'Done');
    await statusLine(page, 'notice', t('nb', 'staff.followupAlreadyClosed')).waitFor();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('followupsHeading');
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
