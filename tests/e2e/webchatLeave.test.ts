import { type Browser, type Page, type Response } from 'playwright-core';
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
 * "Start a new conversation" on the web chat page ends the conversation on screen for the bot (real app, built-in
 * Direct Line, headless Chromium for the customer's page and the staff console): a waiting request leaves the
 * queue, an agent who took it is told the customer left, and the old token stops working.
 */

jest.setTimeout(120_000);

/** Generous: Web Chat's first render and the Direct Line WebSocket take a while on a busy machine. */
const WAIT = { timeout: 30_000 };
const BOT_NAME = 'Nordwind Help';
const COMPLAINT = 'This is unacceptable, my internet has been down for three days!!!';
const QUESTION = 'How do I change my Wi-Fi password?';

let bot: TestBot;
let browser: Browser;

beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true', WEBCHAT_BOT_NAME: BOT_NAME });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await bot?.close();
});

const welcome = (language: string): string =>
  shownFirst(t(language, 'common.welcome', { botName: BOT_NAME }));

const keptNow = (page: Page) => keptConversationNow(page, WAIT);

/** A customer on the chat page (English) whose complaint waits in the queue; their conversation and case. */
async function queuedCustomer(
  problems: string[],
): Promise<{ page: Page; conversationId: string; token: string; caseId: string }> {
  const page = await watchedPage(browser, problems, { locale: 'en-US' });
  await page.goto(`${bot.url}/`);
  await shown(page, welcome('en')).waitFor(WAIT);
  await sendText(page, COMPLAINT);
  await shown(page, shownFirst(t('en', 'handoff.askContact', { skip: t('en', 'common.skip') }))).waitFor(
    WAIT,
  );
  await sendText(page, t('en', 'common.skip'));
  await shown(page, 'Shall I send it?').waitFor(WAIT);
  await sendText(page, t('en', 'common.yes'));
  await shown(page, shownFirst(t('en', 'handoff.queuedNoEstimate', { position: 1 }))).waitFor(WAIT);
  const { conversationId, token } = await keptNow(page);
  const active = await bot.app.handoff.activeCase(conversationId);
  if (!active) throw new Error('no case queued');
  return { page, conversationId, token, caseId: active.id };
}

/** Presses "Start a new conversation"; resolves with the answer to the page's endOfConversation. */
async function startNewConversation(page: Page): Promise<Response> {
  const ended = page.waitForResponse(
    (response) =>
      response.request().method() === 'POST' &&
      response.url().endsWith('/activities') &&
      (response.request().postData() ?? '').includes('"endOfConversation"'),
    WAIT,
  );
  await page.getByRole('button', { name: t('en', 'common.newConversation'), exact: true }).click();
  return ended;
}

/** A Direct Line REST call with a token, as any client could make it. */
const pollWith = async (conversationId: string, token: string): Promise<number> =>
  (
    await fetch(`${bot.url}/v3/directline/conversations/${conversationId}/activities`, {
      headers: { authorization: `Bearer ${token}` },
    })
  ).status;

describe('web chat: "Start a new conversation"', () => {
  it('when a waiting customer starts a new conversation, then the request leaves the queue, the old token is refused and the new conversation answers', async () => {
    const problems: string[] = [];
    const { page, conversationId, token, caseId } = await queuedCustomer(problems);
    expect(await pollWith(conversationId, token)).toBe(200);

    expect((await startNewConversation(page)).status()).toBe(200);

    expect((await bot.app.handoff.get(caseId)).status).toBe('left');
    expect((await bot.app.handoff.list({ status: 'queued' })).map((c) => c.id)).not.toContain(caseId);
    expect(await pollWith(conversationId, token)).toBe(403);
    // The new conversation: welcomed, kept, and answered.
    await page.waitForFunction(
      ([key, old]) => {
        const raw = window.sessionStorage.getItem(key);
        return raw !== null && (JSON.parse(raw) as { conversationId: string }).conversationId !== old;
      },
      [KEPT_CONVERSATION_KEY, conversationId] as const,
      WAIT,
    );
    await shown(page, welcome('en')).waitFor(WAIT);
    await sendText(page, QUESTION);
    const answer = shownFragments(bot.app.kb.get('en-wifi-password')?.answer ?? '')[0] ?? '';
    await shown(page, answer).waitFor(WAIT);
    expect(await pollWith((await keptNow(page)).conversationId, (await keptNow(page)).token)).toBe(200);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('when the customer whose case an agent took starts a new conversation, then the staff console tells the agent the customer left and closes the message box', async () => {
    const problems: string[] = [];
    const { page, caseId } = await queuedCustomer(problems);
    const staff = await watchedPage(browser, problems, { locale: 'pl-PL' });
    const { token } = await bot.app.auth.issue('Ana', 'agent', 'test');
    await staff.goto(`${bot.url}/agent`);
    await staff.getByLabel(t('pl', 'staff.staffToken')).fill(token);
    await staff.getByRole('button', { name: t('pl', 'staff.signIn') }).click();
    await staff
      .locator(`#queue li[data-case-id="${caseId}"]`)
      .getByRole('button', { name: new RegExp(`^${t('pl', 'staff.take')}`) })
      .click();
    await staff.getByText(t('pl', 'staff.stateAssigned', { agent: 'Ana' })).waitFor(WAIT);
    await shown(page, t('en', 'handoff.agentJoined', { agentName: 'Ana' })).waitFor(WAIT);
    expect(await staff.getByLabel(t('pl', 'staff.messageLabel')).isEnabled()).toBe(true);

    expect((await startNewConversation(page)).status()).toBe(200);

    await staff.getByText(t('pl', 'staff.customerLeft', { summary: COMPLAINT })).waitFor(WAIT);
    await staff.getByText(t('pl', 'staff.stateLeft'), { exact: true }).waitFor(WAIT);
    expect(await staff.getByLabel(t('pl', 'staff.messageLabel')).isDisabled()).toBe(true);
    expect((await bot.app.handoff.get(caseId)).status).toBe('left');
    expect(problems).toEqual([]);
    await staff.context().close();
    await page.context().close();
  });
});
