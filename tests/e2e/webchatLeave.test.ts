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
 * queue, an agent who took it is told the customer left, and the old token stops working. While a request waits or
 * a person is in the chat, the page asks first (a modal dialog in the chat's language); staying keeps everything.
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

/** The page's question before leaving a hand-over (web/chat/chat.js, LEAVING), as the customer reads it. */
const LEAVING = {
  en: {
    waiting: 'Your request to talk to a person is waiting. A new conversation withdraws it.',
    stay: 'Stay in this chat',
  },
  pl: {
    person:
      'W tej rozmowie jest osoba z naszego zespołu. Nowa rozmowa zakończy tę rozmowę i ta osoba nie będzie mogła już tu odpisać.',
    stay: 'Zostań w tej rozmowie',
  },
};

/** The next endOfConversation the page posts: the answer to it. */
const endOfConversation = (page: Page): Promise<Response> =>
  page.waitForResponse(
    (response) =>
      response.request().method() === 'POST' &&
      response.url().endsWith('/activities') &&
      (response.request().postData() ?? '').includes('"endOfConversation"'),
    WAIT,
  );

/** Another customer's conversation on the chat page (its id and token). */
async function keptConversation(problems: string[]): Promise<{ conversationId: string; token: string }> {
  const page = await watchedPage(browser, problems, { locale: 'en-US' });
  await page.goto(`${bot.url}/`);
  await shown(page, welcome('en')).waitFor(WAIT);
  const kept = await keptNow(page);
  await page.context().close();
  return kept;
}

/** Presses "Start a new conversation" and confirms it; resolves with the answer to the page's endOfConversation. */
async function startNewConversation(page: Page): Promise<Response> {
  const ended = endOfConversation(page);
  const newConversation = t('en', 'common.newConversation');
  await page.getByRole('button', { name: newConversation, exact: true }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: newConversation, exact: true }).click();
  return ended;
}

/** Where the hand-over of a conversation stands, as the page asks it (GET …/handover with a token). */
const handoverWith = (conversationId: string, token?: string): Promise<globalThis.Response> =>
  fetch(`${bot.url}/v3/directline/conversations/${conversationId}/handover`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

/** A Direct Line REST call with a token, as any client could make it. */
const pollWith = async (conversationId: string, token: string): Promise<number> =>
  (
    await fetch(`${bot.url}/v3/directline/conversations/${conversationId}/activities`, {
      headers: { authorization: `Bearer ${token}` },
    })
  ).status;

describe('web chat: "Start a new conversation"', () => {
  it('when a waiting customer presses "Start a new conversation", then the page asks first, and staying (Escape) keeps the request and the chat', async () => {
    const problems: string[] = [];
    const { page, conversationId, token, caseId } = await queuedCustomer(problems);
    let ended = false;
    page.on('request', (request) => {
      if ((request.postData() ?? '').includes('"endOfConversation"')) ended = true;
    });
    await page.getByRole('button', { name: t('en', 'common.newConversation'), exact: true }).click();
    const dialog = page.getByRole('alertdialog', { name: LEAVING.en.waiting });
    await dialog.waitFor(WAIT);
    // The safe choice has the keyboard.
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe(LEAVING.en.stay);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', ...WAIT });

    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('restart');
    expect(ended).toBe(false);
    expect((await bot.app.handoff.get(caseId)).status).toBe('queued');
    expect((await keptNow(page)).conversationId).toBe(conversationId);
    expect(await pollWith(conversationId, token)).toBe(200);
    await shown(page, shownFirst(t('en', 'handoff.queuedNoEstimate', { position: 1 }))).waitFor(WAIT);

    // By keyboard: Enter asks, Tab goes to "Start a new conversation", Enter leaves.
    const leaving = endOfConversation(page);
    await page.keyboard.press('Enter');
    await dialog.waitFor(WAIT);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    expect((await leaving).status()).toBe(200);
    expect((await bot.app.handoff.get(caseId)).status).toBe('left');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('when a Polish customer with a person in the chat picks another language, then the page asks in Polish, and staying keeps the language, the chat and the case', async () => {
    const problems: string[] = [];
    const page = await watchedPage(browser, problems, { locale: 'pl-PL' });
    await page.goto(`${bot.url}/`);
    await shown(page, welcome('pl')).waitFor(WAIT);
    await sendText(page, 'dzień dobry');
    const { conversationId, token } = await keptNow(page);
    const user = (
      JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { user: string }
    ).user;
    const { caseDoc } = await bot.app.handoff.open({
      conversationId,
      customerId: user,
      locale: 'pl',
      channel: 'webchat',
      reason: 'request',
      summary: 'Faktura',
    });
    expect(await (await handoverWith(conversationId, token)).json()).toEqual({ handover: 'waiting' });
    await bot.app.handoff.take(caseDoc.id, { id: 'kasia', name: 'Kasia Nowak' });
    expect(await (await handoverWith(conversationId, token)).json()).toEqual({ handover: 'person' });
    // Only the conversation's own token may ask.
    expect((await handoverWith(conversationId)).status).toBe(401);
    const other = await keptConversation(problems);
    expect((await handoverWith(conversationId, other.token)).status).toBe(403);

    await page.getByRole('combobox').selectOption('en-US');
    const dialog = page.getByRole('alertdialog', { name: LEAVING.pl.person });
    await dialog.waitFor(WAIT);
    expect(await dialog.getAttribute('lang')).toBe('pl-PL');
    await dialog.getByRole('button', { name: t('pl', 'common.newConversation'), exact: true }).waitFor(WAIT);
    await dialog.getByRole('button', { name: LEAVING.pl.stay, exact: true }).click();
    await dialog.waitFor({ state: 'hidden', ...WAIT });

    expect(await page.getByRole('combobox').inputValue()).toBe('pl-PL');
    expect((await bot.app.handoff.get(caseDoc.id)).status).toBe('assigned');
    expect((await keptNow(page)).conversationId).toBe(conversationId);
    expect(await pollWith(conversationId, token)).toBe(200);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('when the chat has no hand-over, then "Start a new conversation" starts over at once', async () => {
    const problems: string[] = [];
    const page = await watchedPage(browser, problems, { locale: 'en-US' });
    await page.goto(`${bot.url}/`);
    await shown(page, welcome('en')).waitFor(WAIT);
    const { conversationId, token } = await keptNow(page);
    expect(await (await handoverWith(conversationId, token)).json()).toEqual({ handover: 'none' });
    const ended = endOfConversation(page);
    await page.getByRole('button', { name: t('en', 'common.newConversation'), exact: true }).click();
    expect((await ended).status()).toBe(200);
    expect(await page.getByRole('alertdialog').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.context().close();
  });

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
