import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { t } from '../../locales';
import {
  KEPT_CONVERSATION_KEY,
  keptConversationNow,
  launchBrowser,
  sendText,
  shown,
  shownFirst,
  shownFragments,
  watchedPage,
} from '../helpers/browser';
import { startTestBot, type TestBot } from '../helpers/harness';

/**
 * The web chat keeps its conversation through a reload (real app, built-in Direct Line, headless Chromium): the
 * page reconnects to the conversation kept in the tab's sessionStorage and shows its transcript; a token that
 * expired or was revoked starts a new conversation quietly; "Start a new conversation" leaves the old one.
 */

jest.setTimeout(120_000);

/** Generous: Web Chat's first render and the Direct Line WebSocket take a while on a busy machine. */
const WAIT = { timeout: 30_000 };
const BOT_NAME = 'Nordwind Help';
const QUESTION = 'How do I change my Wi-Fi password?';
const COMPLAINT = 'This is unacceptable, my internet has been down for three days!!!';
const AGENT_MESSAGE = 'Hello, I am looking at your line right now.';

let bot: TestBot;
let browser: Browser;

interface Watched {
  page: Page;
  context: BrowserContext;
  problems: string[];
}

/** The chat page in a fresh browser context (its own sessionStorage) preferring `locale`. */
async function openChat(locale: string): Promise<Watched> {
  const problems: string[] = [];
  const page = await watchedPage(browser, problems, { locale });
  await page.goto(`${bot.url}/`);
  return { page, context: page.context(), problems };
}

const welcome = (language: string): string =>
  shownFirst(t(language, 'common.welcome', { botName: BOT_NAME }));

/** How many activities of the transcript show `text`. */
const countShown = (page: Page, text: string): Promise<number> =>
  page.locator('.webchat__basic-transcript__activity').filter({ hasText: text }).count();

const keptNow = (page: Page) => keptConversationNow(page, WAIT);

/**
 * What the customer would call a problem, without the browser's own note of the refused reconnect (a 401 or 403
 * the page expects and answers by starting a new conversation).
 */
const problemsBesidesRefusedReconnect = (problems: string[]): string[] =>
  problems.filter((p) => !/Failed to load resource: the server responded with a status of 40[13]/.test(p));

/**
 * No error of the page's own, and Web Chat connected: its status line (connecting, or an error that stays) is
 * gone.
 */
async function expectNoErrorShown(page: Page): Promise<void> {
  await page.locator('.webchat__connectivityStatus').waitFor({ state: 'hidden', ...WAIT });
  expect(await page.locator('#problem').isVisible()).toBe(false);
}

beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true', WEBCHAT_BOT_NAME: BOT_NAME });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await bot?.close();
});

describe('web chat after a reload', () => {
  it('when the customer reloads the page, then the transcript is still there and the next answer arrives in the same conversation', async () => {
    const { page, context, problems } = await openChat('en-US');
    await shown(page, welcome('en')).waitFor(WAIT);
    await sendText(page, QUESTION);
    const answer = shownFragments(bot.app.kb.get('en-wifi-password')?.answer ?? '')[0] ?? '';
    await shown(page, answer).waitFor(WAIT);

    await page.reload();
    await shown(page, QUESTION).waitFor(WAIT);
    await shown(page, answer).waitFor(WAIT);
    await shown(page, t('en', 'faq.wasHelpful')).waitFor(WAIT);

    // The answer to a new message comes into the same conversation: no second welcome, the old turns above it.
    await page
      .locator('.webchat__suggested-actions')
      .getByRole('button', { name: t('en', 'common.yes'), exact: true })
      .click();
    await shown(page, t('en', 'common.anythingElse')).waitFor(WAIT);
    expect(await countShown(page, welcome('en'))).toBe(1);
    expect(await countShown(page, QUESTION)).toBe(1);
    const transcript = (await page.locator('.webchat__basic-transcript__activity').allInnerTexts()).join(
      '\n',
    );
    expect(transcript.indexOf(QUESTION)).toBeLessThan(transcript.indexOf(t('en', 'common.anythingElse')));
    // Kept for this tab only: nothing in localStorage or cookies.
    expect(await page.evaluate(() => window.localStorage.length)).toBe(0);
    expect(await context.cookies()).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('when a queued customer reloads and then an agent takes the case and writes, then the customer reads it', async () => {
    const { page, context, problems } = await openChat('en-US');
    await shown(page, welcome('en')).waitFor(WAIT);
    await sendText(page, COMPLAINT);
    await shown(page, shownFirst(t('en', 'handoff.askContact', { skip: t('en', 'common.skip') }))).waitFor(
      WAIT,
    );
    await sendText(page, t('en', 'common.skip'));
    await shown(page, 'Shall I send it?').waitFor(WAIT);
    await sendText(page, t('en', 'common.yes'));
    const queued = shownFirst(t('en', 'handoff.queuedNoEstimate', { position: 1 }));
    await shown(page, queued).waitFor(WAIT);

    await page.reload();
    await shown(page, queued).waitFor(WAIT);

    const cases = (await (await bot.api('/api/agent/cases?status=queued')).json()) as Array<{
      id: string;
      conversationId: string;
    }>;
    const { conversationId } = await keptNow(page);
    const caseId = cases.find((c) => c.conversationId === conversationId)?.id ?? '';
    expect((await bot.api(`/api/agent/cases/${caseId}/take`, { method: 'POST' })).status).toBe(200);
    await shown(page, t('en', 'handoff.agentJoinedNeutral')).waitFor(WAIT);
    const sent = await bot.api(`/api/agent/cases/${caseId}/messages`, {
      method: 'POST',
      body: JSON.stringify({ text: AGENT_MESSAGE }),
    });
    expect(sent.status).toBe(201);
    await shown(page, AGENT_MESSAGE).waitFor(WAIT);
    expect(await countShown(page, welcome('en'))).toBe(1);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("when the tab is duplicated (its sessionStorage copied), then both tabs show the conversation and neither takes the other one's token", async () => {
    const { page, context, problems } = await openChat('en-US');
    await shown(page, welcome('en')).waitFor(WAIT);
    await sendText(page, 'hello from the first tab');
    await shown(page, 'hello from the first tab').waitFor(WAIT);
    const first = await keptNow(page);

    const copy = await context.newPage();
    await copy.addInitScript(
      ([key, value]) => {
        if (window.sessionStorage.getItem(key) === null) window.sessionStorage.setItem(key, value);
      },
      [
        KEPT_CONVERSATION_KEY,
        JSON.stringify(
          await page.evaluate(
            (key) => JSON.parse(window.sessionStorage.getItem(key) ?? 'null') as unknown,
            KEPT_CONVERSATION_KEY,
          ),
        ),
      ] as const,
    );
    await copy.goto(`${bot.url}/`);
    await shown(copy, 'hello from the first tab').waitFor(WAIT);
    const second = await keptNow(copy);
    expect(second.conversationId).toBe(first.conversationId);
    expect(second.token).not.toBe(first.token);

    // The first tab goes on with its own token, and the copy sees what it writes.
    await sendText(page, 'and again from the first tab');
    await shown(copy, 'and again from the first tab').waitFor(WAIT);
    await shown(page, 'and again from the first tab').waitFor(WAIT);
    expect(await countShown(copy, welcome('en'))).toBe(1);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('when the customer presses "Start a new conversation" (in Polish on a Polish page), then the old conversation is gone, also after a reload', async () => {
    const { page, context, problems } = await openChat('pl-PL');
    await shown(page, welcome('pl')).waitFor(WAIT);
    const message = 'Mój numer klienta to 12345';
    await sendText(page, message);
    await shown(page, message).waitFor(WAIT);
    const before = await keptNow(page);

    await page.getByRole('button', { name: t('pl', 'common.newConversation'), exact: true }).click();
    await shown(page, welcome('pl')).waitFor(WAIT);
    expect(await countShown(page, message)).toBe(0);
    await page.waitForFunction(
      ([key, old]) => {
        const raw = window.sessionStorage.getItem(key);
        return raw !== null && (JSON.parse(raw) as { conversationId: string }).conversationId !== old;
      },
      [KEPT_CONVERSATION_KEY, before.conversationId] as const,
      WAIT,
    );

    await page.reload();
    await shown(page, welcome('pl')).waitFor(WAIT);
    expect(await countShown(page, message)).toBe(0);
    expect((await keptNow(page)).conversationId).not.toBe(before.conversationId);
    expect(await page.getAttribute('html', 'lang')).toBe('pl');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('when the kept token was revoked, then a reload quietly starts a new conversation in the page language, which a later reload keeps', async () => {
    const { page, context, problems } = await openChat('id-ID');
    await shown(page, welcome('id')).waitFor(WAIT);
    const before = await keptNow(page);
    // A refresh elsewhere (another copy of the token) revokes the kept one.
    const refreshed = await fetch(`${bot.url}/v3/directline/tokens/refresh`, {
      method: 'POST',
      headers: { authorization: `Bearer ${before.token}` },
    });
    expect(refreshed.status).toBe(200);

    await page.reload();
    await shown(page, welcome('id')).waitFor(WAIT);
    const after = await keptNow(page);
    expect(after.conversationId).not.toBe(before.conversationId);
    await expectNoErrorShown(page);

    const message = 'Nomor pelanggan saya 12345';
    await sendText(page, message);
    await shown(page, message).waitFor(WAIT);
    await page.reload();
    await shown(page, message).waitFor(WAIT);
    expect(await countShown(page, welcome('id'))).toBe(1);
    expect((await keptNow(page)).conversationId).toBe(after.conversationId);
    await expectNoErrorShown(page);
    expect(problemsBesidesRefusedReconnect(problems)).toEqual([]);
    await context.close();
  });

  // Last: it moves the app's clock past every token's lifetime.
  it('when the kept token has expired, then a reload quietly starts a new conversation in the page language', async () => {
    const { page, context, problems } = await openChat('nb-NO');
    await shown(page, welcome('nb')).waitFor(WAIT);
    const message = 'Kundenummeret mitt er 12345';
    await sendText(page, message);
    await shown(page, message).waitFor(WAIT);
    const before = await keptNow(page);

    bot.clock.advance(31 * 60 * 1000);
    await page.reload();
    await shown(page, welcome('nb')).waitFor(WAIT);
    expect(await countShown(page, message)).toBe(0);
    await page.waitForFunction(
      ([key, old]) => {
        const raw = window.sessionStorage.getItem(key);
        return raw !== null && (JSON.parse(raw) as { conversationId: string }).conversationId !== old;
      },
      [KEPT_CONVERSATION_KEY, before.conversationId] as const,
      WAIT,
    );
    await expectNoErrorShown(page);
    expect(problemsBesidesRefusedReconnect(problems)).toEqual([]);
    await context.close();
  });
});
