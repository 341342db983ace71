import type { Browser, Page } from 'playwright-core';
import { t } from '../../locales';
import { launchBrowser, watchedPage } from '../helpers/browser';
import { queuedCase, startTestBot, type TestBot } from '../helpers/harness';

/**
 * The staff console keeps what an agent typed and did not send (reply drafts by case, closing notes by
 * follow-up) in the tab's sessionStorage. A draft whose case or follow-up is no longer the agent's to finish
 * (closed, or someone else's) goes: when the lists load (after a sign-in, a reload, a reconnection) and when the
 * live stream says so, not only at Sign out.
 */
jest.setTimeout(90_000);

let bot: TestBot;
let browser: Browser;
const problems: string[] = [];

beforeAll(async () => {
  bot = await startTestBot();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await bot?.close();
});

async function signIn(page: Page, token: string): Promise<void> {
  await page.getByLabel('Staff token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Live', { exact: true }).waitFor();
}

/** A customer's left message: an open follow-up. */
async function followup(conversationId: string, summary: string): Promise<string> {
  await bot.say('Please call me back', { conversationId });
  const { id } = await bot.app.followups.open({
    conversationId,
    customerId: `${conversationId}-user`,
    channel: 'webchat',
    locale: 'en',
    reason: 'left-message',
    summary,
    contact: [{ kind: 'email', value: `${conversationId}@example.com` }],
  });
  return id;
}

const noteOf = (page: Page, id: string) =>
  page.locator(`#followups li[data-followup-id="${id}"]`).getByLabel('Note (what was done)');
const stored = (page: Page): Promise<string> =>
  page.evaluate(() => sessionStorage.getItem('agentDrafts') ?? '');
const asStaff = (token: string, path: string, body: unknown) =>
  bot.api(path, { method: 'POST', body: JSON.stringify(body), token });

/** Vera takes the queued case `summary` in the console and types a reply she does not send. */
async function takeAndType(page: Page, conversationId: string, summary: string, reply: string) {
  await queuedCase(bot, conversationId, summary);
  await page.locator('#queue li', { hasText: summary }).getByRole('button', { name: /^Take/ }).click();
  await page.locator('#caseHeading', { hasText: summary }).waitFor();
  await page.getByLabel('Message to the customer').fill(reply);
}

it('when follow-ups and a case close, or go to someone else, while the agent is signed out, then signing in again (after a reload) drops their drafts and keeps the others', async () => {
  const page = await watchedPage(browser, problems);
  await page.goto(`${bot.url}/agent`);
  const first = await bot.app.auth.issue('Vera', 'agent', 'test');
  const bob = await bot.app.auth.issue('Bob', 'agent', 'test');
  await signIn(page, first.token);
  const kept = await followup('drafts-kept', 'Still open');
  const closed = await followup('drafts-closed', 'Closed while away');
  const claimed = await followup('drafts-claimed', 'Claimed by Bob while away');
  await noteOf(page, kept).fill('Note still useful');
  await noteOf(page, closed).fill('Note for a closed one');
  await noteOf(page, claimed).fill('Note for Bob’s one');
  await takeAndType(page, 'drafts-case-away', 'Case closed while away', 'Reply to nobody');
  const before = await stored(page);
  for (const text of ['Note still useful', 'Note for a closed one', 'Note for Bob’s one', 'Reply to nobody'])
    expect(before).toContain(text);

  // Vera's sign-in ends; meanwhile Bob closes one follow-up and claims another, and the customer of her case
  // (back in the queue since her sign-in ended) leaves.
  await bot.app.auth.revoke(first.id);
  await page.getByRole('alert').getByText(t('en', 'staff.signInExpired')).waitFor();
  expect((await asStaff(bob.token, `/api/agent/followups/${closed}/close`, { note: 'Done' })).status).toBe(
    200,
  );
  expect((await asStaff(bob.token, `/api/agent/followups/${claimed}/claim`, {})).status).toBe(200);
  expect(await bot.app.handoff.customerLeft('drafts-case-away')).toBe(true);

  await page.reload();
  const second = await bot.app.auth.issue('Vera', 'agent', 'test');
  await signIn(page, second.token);
  await page.locator('#followupCount', { hasText: '(2)' }).waitFor();
  await expect(noteOf(page, kept).inputValue()).resolves.toBe('Note still useful');
  await expect(noteOf(page, claimed).inputValue()).resolves.toBe('');
  const after = await stored(page);
  expect(after).toContain('Note still useful');
  for (const text of ['Note for a closed one', 'Note for Bob’s one', 'Reply to nobody'])
    expect(after).not.toContain(text);
  await page.context().close();
});

it('when the live stream says a follow-up or a case of the agent closed, then its draft goes at once', async () => {
  const page = await watchedPage(browser, problems);
  await page.goto(`${bot.url}/agent`);
  const vera = await bot.app.auth.issue('Vera', 'agent', 'test');
  const bob = await bot.app.auth.issue('Bob', 'agent', 'test');
  await signIn(page, vera.token);
  const live = await followup('drafts-live', 'Closed by Bob while Vera types');
  await noteOf(page, live).fill('Half a live note');
  await takeAndType(page, 'drafts-case-live', 'Customer leaves while Vera types', 'Half a live reply');
  expect(await stored(page)).toContain('Half a live note');
  expect(await stored(page)).toContain('Half a live reply');

  expect((await asStaff(bob.token, `/api/agent/followups/${live}/close`, { note: 'Done' })).status).toBe(200);
  await page.locator(`#followups li[data-followup-id="${live}"]`).waitFor({ state: 'detached' });
  expect(await bot.app.handoff.customerLeft('drafts-case-live')).toBe(true);
  await page
    .getByText(t('en', 'staff.customerLeft', { summary: 'Customer leaves while Vera types' }))
    .waitFor();

  const after = await stored(page);
  expect(after).not.toContain('Half a live note');
  expect(after).not.toContain('Half a live reply');
  await page.context().close();
});

it('never logs an error or a CSP violation (besides the refused calls of the ended sign-in)', () => {
  expect(problems.filter((problem) => !/status of 401/.test(problem))).toEqual([]);
});
