import { type Browser, type Page } from 'playwright-core';
import { MAX_AGENT_MESSAGE_CHARS } from '../../handoff/service';
import { t } from '../../locales';
import { launchBrowser, watchedPage } from '../helpers/browser';
import { queuedCase, startTestBot, type TestBot } from '../helpers/harness';

/**
 * What the staff console tells an agent about a reply before and after it is sent (real app, restify HTTP,
 * headless Chromium; the console in Polish): a reply over the limit is kept whole and the agent is told by how much
 * it is over; a reply sent other than typed (HTML removed) is said so, and HTML links to web addresses stay links.
 */

jest.setTimeout(120_000);

const WAIT = { timeout: 30_000 };

let bot: TestBot;
let browser: Browser;
let page: Page;
let agentToken: string;
const problems: string[] = [];

beforeAll(async () => {
  bot = await startTestBot();
  browser = await launchBrowser();
  page = await watchedPage(browser, problems, { locale: 'pl-PL' });
  ({ token: agentToken } = await bot.app.auth.issue('Kasia Nowak', 'agent', 'test'));
  await page.goto(`${bot.url}/agent`);
  await page.getByLabel(t('pl', 'staff.staffToken')).fill(agentToken);
  await page.getByRole('button', { name: t('pl', 'staff.signIn') }).click();
});

afterAll(async () => {
  await browser?.close();
  await bot?.close();
});

/** A case of `conversationId` taken by Kasia and open in the console. */
async function openTakenCase(conversationId: string, summary: string): Promise<string> {
  const { caseDoc } = await queuedCase(bot, conversationId, summary, 'nb');
  await page
    .locator(`#queue li[data-case-id="${caseDoc.id}"]`)
    .getByRole('button', { name: new RegExp(`^${t('pl', 'staff.take')}`) })
    .click();
  await page.getByText(t('pl', 'staff.stateAssigned', { agent: 'Kasia Nowak' })).waitFor(WAIT);
  return caseDoc.id;
}

const box = () => page.getByLabel(t('pl', 'staff.messageLabel'));
const notice = () => page.locator('#notice');
const polish = (n: number) => new Intl.NumberFormat('pl').format(n);

describe('staff console: a reply over the limit', () => {
  it('when an agent pastes a reply over the limit, then nothing is cut, the hint says by how much and Send does not send it', async () => {
    const conversationId = 'reply-too-long';
    await openTakenCase(conversationId, 'Long reply');
    const length = MAX_AGENT_MESSAGE_CHARS + 100;
    const long = `Start ${'x'.repeat(length - 'Start '.length - ' end'.length)} end`;
    await box().focus();
    await page.keyboard.insertText(long);

    const over = t('pl', 'staff.messageOverLimit', {
      length: polish(length),
      max: polish(MAX_AGENT_MESSAGE_CHARS),
      over: polish(100),
    });
    expect(await box().inputValue()).toBe(long);
    await page.locator('#messageHint').getByText(over, { exact: true }).waitFor(WAIT);
    await notice().getByText(over, { exact: true }).waitFor(WAIT);
    expect(await box().getAttribute('aria-invalid')).toBe('true');

    await page.getByRole('button', { name: t('pl', 'staff.send') }).click();
    await notice().getByText(over, { exact: true }).waitFor(WAIT);
    expect(await box().inputValue()).toBe(long);
    expect(bot.connector.textsTo(conversationId).some((text) => text.includes('Start x'))).toBe(false);

    // Shortened to the limit: the usual hint, and the reply goes.
    await box().fill(long.slice(0, MAX_AGENT_MESSAGE_CHARS));
    await page.locator('#messageHint').getByText(t('pl', 'staff.messageHint'), { exact: true }).waitFor(WAIT);
    expect(await box().getAttribute('aria-invalid')).toBe('false');
    await page.getByRole('button', { name: t('pl', 'staff.send') }).click();
    await bot.connector.waitFor(
      () => bot.connector.textsTo(conversationId).some((text) => text.startsWith('Start x')),
      'the shortened reply at the customer',
    );
    expect(problems).toEqual([]);
  });
});

describe('staff console: a reply with HTML', () => {
  it('when an agent sends an HTML link with other HTML, then the customer gets the link as a link and the console says the HTML was removed', async () => {
    const conversationId = 'reply-with-html';
    await openTakenCase(conversationId, 'HTML reply');
    await box().fill('Se <a href="https://example.com/min-side?a=1&amp;b=2">Min side</a> <b>nå</b>');
    await page.getByRole('button', { name: t('pl', 'staff.send') }).click();

    await bot.connector.waitFor(
      () =>
        bot.connector
          .textsTo(conversationId)
          .includes('Se [Min side](https://example.com/min-side?a=1&b=2) nå'),
      'the reply with its link at the customer',
    );
    // The catalog escapes markdown in its parameters; the console fills in the tag names as they are.
    const withoutHtml = t('pl', 'staff.sentWithoutHtml', { tags: 'TAGS' }).replace('TAGS', '<b>');
    await notice().getByText(withoutHtml, { exact: true }).waitFor(WAIT);
    // The console shows the link as the customer sees it.
    expect(
      await page
        .locator('#conversation li.from-agent')
        .getByRole('link', { name: 'Min side' })
        .getAttribute('href'),
    ).toBe('https://example.com/min-side?a=1&b=2');

    // A link only: sent as typed in meaning, nothing to say.
    await box().fill('<a href="https://example.com/faktura">Faktura</a>');
    await page.getByRole('button', { name: t('pl', 'staff.send') }).click();
    await bot.connector.waitFor(
      () => bot.connector.textsTo(conversationId).includes('[Faktura](https://example.com/faktura)'),
      'the link at the customer',
    );
    await page.locator('#conversation li.from-agent').getByRole('link', { name: 'Faktura' }).waitFor(WAIT);
    expect(await notice().textContent()).toBe('');
    expect(problems).toEqual([]);
  });

  it('when an agent sends a script link over the API, then it keeps only its text and the answer says what was removed', async () => {
    const conversationId = 'reply-unsafe-api';
    const caseId = await openTakenCase(conversationId, 'Unsafe reply');
    const response = await fetch(`${bot.url}/api/agent/cases/${caseId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agentToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        text: 'Hi <script>alert(1)</script><a href="javascript:alert(2)">here</a> [link](javascript:alert(3))',
      }),
    });
    expect(response.status).toBe(201);
    const sent = (await response.json()) as { text: string; removed?: unknown };
    expect(sent.text).toBe('Hi here link');
    expect(sent.removed).toEqual({ tags: ['script', 'a'], unsafeLinks: 1, shownAsText: false });

    const plain = await fetch(`${bot.url}/api/agent/cases/${caseId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agentToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'See [your page](https://example.com/page), **today**.' }),
    });
    expect(plain.status).toBe(201);
    expect(await plain.json()).not.toHaveProperty('removed');
  });
});
