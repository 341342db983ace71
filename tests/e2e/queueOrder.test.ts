import { type Browser, type Page } from 'playwright-core';
import { t } from '../../locales';
import { launchBrowser, watchedPage } from '../helpers/browser';
import { queuedCase, startTestBot, texts, type TestBot } from '../helpers/harness';

jest.setTimeout(90_000);

const MINUTE = 60_000;

let bot: TestBot;
let browser: Browser;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  bot = await startTestBot();
  // The server's day starts 20 minutes before the browser's: a case opened now has waited 20 minutes there.
  bot.clock.advance(-20 * MINUTE);
  browser = await launchBrowser();
  page = await watchedPage(browser, problems);
});

afterAll(async () => {
  await browser?.close();
  await bot?.close();
});

const queueCase = (conversationId: string, locale: string, summary: string) =>
  queuedCase(bot, conversationId, summary, locale);

/** The summaries of the console's queue, top to bottom. */
const consoleQueue = (on: Page): Promise<string[]> => on.locator('#queue li .summary').allInnerTexts();

/** The console's queue once it shows `expected` (or after 10 s, to tell what it shows instead). */
async function consoleQueueOnce(on: Page, expected: string[]): Promise<string[]> {
  await on
    .waitForFunction(
      (summaries) =>
        [...document.querySelectorAll('#queue li .summary')].map((item) => item.textContent).join('\n') ===
        summaries.join('\n'),
      expected,
      { timeout: 10_000 },
    )
    .catch(() => undefined);
  return consoleQueue(on);
}

/** The summaries of the server's queue (what customers' places are counted from), first to last. */
async function serverQueue(): Promise<string[]> {
  return (await bot.app.handoff.list({ status: 'queued' })).map((c) => c.summary);
}

/** The minutes the console says a queued case has waited. */
async function waitedMinutes(on: Page, summary: string): Promise<number> {
  const meta = await on.locator('#queue li', { hasText: summary }).locator('.meta').innerText();
  const minutes = /(\d+) min/.exec(meta)?.[1];
  if (minutes === undefined) throw new Error(`no minutes in "${meta}"`);
  return Number(minutes);
}

/** Takes a case on the console and, `minutes` later (server time), releases it. */
async function takeAndRelease(on: Page, summary: string, after: number): Promise<void> {
  await on.getByRole('button', { name: `Take: ${summary}` }).click();
  await on.getByText('Taken by Ana').waitFor();
  bot.clock.advance(after);
  await on.getByRole('button', { name: t('en', 'staff.release') }).click();
  await on.locator('#queue li', { hasText: summary }).waitFor();
  await on.locator('#notice', { hasText: t('en', 'staff.releasedNotice') }).waitFor();
}

/** "Is anyone there?" in the customer's language (a message in another one may switch the conversation's). */
const ANYONE: Record<string, string> = { en: 'Is anyone there?', pl: 'Czy ktoś tam jest?' };

/** The place in the queue a waiting customer is told when they write (the notice comes at most every 2 minutes). */
async function customerHears(conversationId: string, locale: string): Promise<number | undefined> {
  const replies = texts(await bot.say(ANYONE[locale] ?? '', { conversationId, locale }));
  const places = [1, 2, 3, 4].filter((position) =>
    replies.includes(t(locale, 'handoff.stillQueued', { position })),
  );
  return places[0];
}

describe('the queue after a release', () => {
  it('when an agent releases a case, then it goes back to its place by when the customer asked, the same for the console and the customers, and the console counts the wait from then', async () => {
    await queueCase('queue-pl', 'pl', 'Polish case');
    bot.clock.advance(MINUTE);
    const english = await queueCase('queue-en', 'en', 'English case');
    expect(english.position).toBe(2);

    const { token } = await bot.app.auth.issue('Ana', 'agent', 'test');
    await page.goto(`${bot.url}/agent`);
    await page.getByLabel('Staff token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Live', { exact: true }).waitFor();
    await expect(consoleQueueOnce(page, ['Polish case', 'English case'])).resolves.toEqual([
      'Polish case',
      'English case',
    ]);

    // Ana takes the Polish case and has to leave it a minute later (the tester's report: the English customer
    // was told "number 2" while the console listed them first).
    bot.clock.advance(MINUTE);
    await takeAndRelease(page, 'Polish case', MINUTE);
    await expect(serverQueue()).resolves.toEqual(['Polish case', 'English case']);
    await expect(consoleQueueOnce(page, ['Polish case', 'English case'])).resolves.toEqual([
      'Polish case',
      'English case',
    ]);
    expect(await customerHears('queue-en', 'en')).toBe(2);

    // She takes it again and leaves it ten minutes later: the Polish customer's wait still counts from their request.
    await takeAndRelease(page, 'Polish case', 10 * MINUTE);
    await expect(serverQueue()).resolves.toEqual(['Polish case', 'English case']);
    await expect(consoleQueueOnce(page, ['Polish case', 'English case'])).resolves.toEqual([
      'Polish case',
      'English case',
    ]);
    expect(await customerHears('queue-en', 'en')).toBe(2);
    expect(await customerHears('queue-pl', 'pl')).toBe(1);
    // The Polish customer asked 20 minutes ago (browser time), not when the case was released.
    expect(await waitedMinutes(page, 'Polish case')).toBeGreaterThanOrEqual(20);
    expect(await waitedMinutes(page, 'English case')).toBeGreaterThanOrEqual(19);
    expect(problems).toEqual([]);
  });

  it('when a new case arrives, then the console puts it where the server does', async () => {
    const complaint = await bot.app.handoff.open({
      conversationId: 'queue-complaint',
      customerId: 'queue-complaint-user',
      locale: 'nb',
      channel: 'webchat',
      reason: 'complaint',
      anger: 1,
      summary: 'Angry complaint',
    });
    expect(complaint.position).toBe(1);
    await page.locator('#queue li', { hasText: 'Angry complaint' }).waitFor();
    const server = await serverQueue();
    expect(server[0]).toBe('Angry complaint');
    await expect(consoleQueueOnce(page, server)).resolves.toEqual(server);
  });

  it('when an agent’s token is revoked, then their case goes back to its place and the customer hears that our colleague had to step away', async () => {
    const finn = await bot.app.auth.issue('Finn', 'agent', 'test');
    const before = await serverQueue();
    expect(before).toEqual(['Angry complaint', 'Polish case', 'English case']);
    const english = (await bot.app.handoff.list({ status: 'queued' })).find((c) => c.locale === 'en');
    if (!english) throw new Error('no English case in the queue');
    await bot.app.handoff.take(english.id, { id: finn.id, name: 'Finn', role: 'agent' });
    await page.locator('#assigned li', { hasText: 'English case' }).waitFor();
    bot.clock.advance(MINUTE);
    expect((await bot.api(`/api/admin/tokens/${finn.id}`, { method: 'DELETE' })).ok).toBe(true);
    await bot.connector.waitFor(
      () =>
        bot.connector.textsTo('queue-en').some((text) => text.startsWith('Our colleague had to step away.')),
      'the English customer told that our colleague had to step away',
    );
    await page.locator('#queue li', { hasText: 'English case' }).waitFor();
    await expect(serverQueue()).resolves.toEqual(before);
    await expect(consoleQueueOnce(page, before)).resolves.toEqual(before);
  });
});
