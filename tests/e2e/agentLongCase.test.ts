import { type Browser } from 'playwright-core';
import { t } from '../../locales';
import { launchBrowser, watchedPage } from '../helpers/browser';
import { startTestBot, type TestBot } from '../helpers/harness';

/**
 * The staff console in headless Chromium with a long case (real app, staff API): opened, it shows the latest
 * messages, as a chat does, not the start of the conversation.
 */

jest.setTimeout(120_000);

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

describe('staff console: a long case', () => {
  it('when an agent opens a case with a long conversation, then its latest message is in view', async () => {
    const conversationId = 'long-case-1';
    await bot.say('my internet keeps dropping during video calls', { conversationId });
    const { caseDoc } = await bot.app.handoff.open({
      conversationId,
      customerId: 'long-case-user',
      locale: 'en',
      channel: 'webchat',
      reason: 'complaint',
      summary: 'Internet keeps dropping during video calls',
    });
    const { token } = await bot.app.auth.issue('Anna Kowalska', 'agent', 'test');
    const api = (path: string, body?: unknown) =>
      bot.api(`/api/agent/cases/${caseDoc.id}/${path}`, {
        method: 'POST',
        token,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    expect((await api('take')).status).toBe(200);
    for (let step = 1; step <= 20; step++) {
      expect((await api('messages', { text: `Step ${step}: please check cable ${step}.` })).status).toBe(201);
      await bot.say(`cable ${step} is fine, still dropping`, { conversationId });
    }

    const problems: string[] = [];
    const page = await watchedPage(browser, problems, {
      locale: 'en-US',
      viewport: { width: 1280, height: 900 },
    });
    await page.goto(`${bot.url}/agent`);
    await page.getByLabel(t('en', 'staff.staffToken')).fill(token);
    await page.getByRole('button', { name: t('en', 'staff.signIn') }).click();
    await page
      .locator('#assigned li', { hasText: 'Internet keeps dropping' })
      .getByRole('button', { name: new RegExp(`^${t('en', 'staff.open')}`) })
      .click();
    const latest = page.locator('#conversation li', { hasText: 'cable 20 is fine' });
    await latest.waitFor();

    // The latest message lies within the conversation's visible box; the first one scrolled out of it.
    const box = await page.locator('#conversation').boundingBox();
    const last = await latest.boundingBox();
    const first = await page.locator('#conversation li').first().boundingBox();
    if (!box || !last || !first) throw new Error('the conversation is not shown');
    expect(last.y + last.height).toBeLessThanOrEqual(box.y + box.height + 1);
    expect(last.y).toBeGreaterThanOrEqual(box.y);
    expect(first.y).toBeLessThan(box.y);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe('staff console: a long summary', () => {
  it('when a case’s summary is long, then its row in the queue shows three lines of it and the case shows it whole', async () => {
    const summary = `My router ${'keeps restarting every few minutes and '.repeat(24)}nothing helps.`;
    await bot.say('hello', { conversationId: 'long-summary-1' });
    await bot.app.handoff.open({
      conversationId: 'long-summary-1',
      customerId: 'long-summary-user',
      locale: 'en',
      channel: 'webchat',
      reason: 'request',
      summary,
    });
    const { token } = await bot.app.auth.issue('Anna Kowalska', 'agent', 'test');
    const problems: string[] = [];
    const page = await watchedPage(browser, problems, {
      locale: 'en-US',
      viewport: { width: 1280, height: 900 },
    });
    await page.goto(`${bot.url}/agent`);
    await page.getByLabel(t('en', 'staff.staffToken')).fill(token);
    await page.getByRole('button', { name: t('en', 'staff.signIn') }).click();
    const row = page.locator('#queue li', { hasText: 'My router keeps restarting' });
    const shown = row.locator('.summary');
    await shown.waitFor();

    // Lines shown: the row's height over that of the same element holding one letter, measured in one go (the
    // queue may draw its rows again meanwhile; a row no longer on the page is measured again).
    const linesShown = () =>
      shown.evaluate((e) => {
        if (!e.isConnected) return null;
        const one = e.cloneNode() as HTMLElement;
        one.textContent = 'x';
        e.after(one);
        const line = one.getBoundingClientRect().height;
        one.remove();
        return line > 0 ? e.getBoundingClientRect().height / line : null;
      });
    let lines = await linesShown();
    for (let tries = 0; lines === null && tries < 20; tries++) {
      await page.waitForTimeout(100);
      lines = await linesShown();
    }
    expect(lines).not.toBeNull();
    expect(lines!).toBeLessThanOrEqual(3.05);
    // Cut for the eye only: the whole summary is there for screen readers, and the case shows it.
    await expect(shown.textContent()).resolves.toBe(summary);
    await row.getByRole('button', { name: new RegExp(`^${t('en', 'staff.take')}`) }).click();
    // The case panel fills once the take has answered: wait for its heading to name the case.
    const heading = page.locator('#caseHeading', { hasText: 'My router keeps restarting' });
    await heading.waitFor();
    await expect(heading.textContent()).resolves.toBe(summary);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
