import { type Browser, type Locator, type Page } from 'playwright-core';
import { t } from '../../locales';
import { launchBrowser, sendText, shown, shownFirst, shownFragments, watchedPage } from '../helpers/browser';
import { ADMIN_TOKEN, startTestBot, type TestBot } from '../helpers/harness';

/**
 * Issue 6, "Done when": the whole customer journey in headless Chromium against the real app (demo knowledge
 * base, built-in Direct Line, embedded store). The customer uses Web Chat at `/`, a member of staff the console
 * at `/agent`; each step builds on the one before.
 */

jest.setTimeout(90_000);

/** Generous: Web Chat's first render and the Direct Line WebSocket take a while on a busy machine. */
const WAIT = { timeout: 30_000 };
const BOT_NAME = 'Nordwind Help';
const QUESTION = 'How do I change my Wi-Fi password?';
const DESCRIPTION = 'My internet connection drops every evening since Monday';
const AGENT_MESSAGE = 'Hello, I am looking at your line right now.';
const CUSTOMER_REPLY = 'It usually drops around 8 pm for ten minutes.';
/** The admin token signs in to the console as "admin". */
const AGENT_NAME = 'admin';

let bot: TestBot;
let browser: Browser;
let customer: Page;
let staff: Page;
const customerProblems: string[] = [];
const staffProblems: string[] = [];
/** Console warnings of both pages (watchedPage records errors only). */
const warnings: string[] = [];

/** The first plain-text piece of a catalogue message, as shown. */
const shownText = (...args: Parameters<typeof t>): string => shownFirst(t(...args));

/** Web Chat's transcript items, oldest first. */
const activities = (): Locator => customer.locator('.webchat__basic-transcript__activity');

/** A suggested-action button under the last bot message. */
const suggested = (label: string): Locator =>
  customer.locator('.webchat__suggested-actions').getByRole('button', { name: label, exact: true });

const type = (text: string): Promise<void> => sendText(customer, text);

beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true', WEBCHAT_BOT_NAME: BOT_NAME });
  browser = await launchBrowser();
  customer = await watchedPage(browser, customerProblems);
  staff = await watchedPage(browser, staffProblems);
  for (const [who, page] of [
    ['customer', customer],
    ['staff', staff],
  ] as const) {
    page.on('console', (message) => {
      if (message.type() === 'warning') warnings.push(`${who}: ${message.text()}`);
    });
  }
});

afterAll(async () => {
  await browser?.close();
  await bot?.close();
});

describe('the customer journey in Web Chat and the staff console', () => {
  it('when the customer types a usage question in Web Chat, then the knowledge-base answer appears with "Did this answer your question?"', async () => {
    await customer.goto(`${bot.url}/`);
    await shown(customer, shownText('en', 'common.welcome', { botName: BOT_NAME })).waitFor(WAIT);
    await type(QUESTION);

    const answer = bot.app.kb.get('en-wifi-password')?.answer ?? '';
    const pieces = shownFragments(answer);
    expect(pieces.length).toBeGreaterThan(1);
    const bubble = activities().filter({ hasText: pieces[0] ?? '' });
    await bubble.first().waitFor(WAIT);
    const bubbleText = (await bubble.first().innerText()).replace(/\s+/g, ' ');
    for (const piece of pieces) expect(bubbleText).toContain(piece.replace(/\s+/g, ' '));

    await shown(customer, t('en', 'faq.wasHelpful')).waitFor(WAIT);
    await suggested(t('en', 'common.yes')).waitFor(WAIT);
    await suggested(t('en', 'common.no')).waitFor(WAIT);
  });

  it('when the customer says it helped, has nothing else and presses 4 on the rating card, then the thanks shows 4/5 and the rating is in the summary', async () => {
    await suggested(t('en', 'common.yes')).click();
    await shown(customer, t('en', 'common.anythingElse')).waitFor(WAIT);
    await suggested(t('en', 'common.no')).click();

    const card = customer.locator('.ac-adaptiveCard').filter({ hasText: t('en', 'feedback.cardTitle') });
    await card.first().waitFor(WAIT);
    await card.first().getByRole('button', { name: /^4\b/ }).click();
    await shown(customer, shownText('en', 'feedback.thanks', { score: 4 })).waitFor(WAIT);

    const response = await bot.api('/api/admin/ratings/summary', { token: ADMIN_TOKEN });
    expect(response.status).toBe(200);
    const summary = (await response.json()) as { count: number; distribution: Record<string, number> };
    expect(summary.count).toBe(1);
    expect(summary.distribution['4']).toBe(1);
  });

  it('when the customer asks for a human and answers the questions, then the case is queued and appears live in the staff console', async () => {
    await staff.goto(`${bot.url}/agent`);
    await staff.getByLabel('Staff token').fill(ADMIN_TOKEN);
    await staff.getByRole('button', { name: 'Sign in' }).click();
    await staff.getByText('Nobody is waiting right now.').waitFor(WAIT);
    await staff.getByText('Live', { exact: true }).waitFor(WAIT);

    await type('I want to talk to a human');
    await shown(customer, shownText('en', 'handoff.ackRequest')).waitFor(WAIT);
    await shown(customer, shownText('en', 'handoff.describe')).waitFor(WAIT);
    await type(DESCRIPTION);
    await shown(customer, shownText('en', 'handoff.askContact', { skip: t('en', 'common.skip') })).waitFor(
      WAIT,
    );
    await suggested(t('en', 'common.skip')).click();
    await shown(customer, DESCRIPTION).waitFor(WAIT);
    await shown(customer, 'Shall I send it?').waitFor(WAIT);
    await suggested(t('en', 'common.yes')).click();
    await shown(customer, shownText('en', 'handoff.queued', { position: 1, minutes: 0 })).waitFor(WAIT);

    const row = staff.locator('#queue li', { hasText: DESCRIPTION });
    await row.waitFor(WAIT);
    await expect(row.innerText()).resolves.toContain('Asked for a person');
  });

  it('when the agent takes the case and writes, then the customer reads it in Web Chat, and the customer reply reaches the console while the bot stays silent', async () => {
    const row = staff.locator('#queue li', { hasText: DESCRIPTION });
    await row.getByRole('button', { name: /^Take/ }).click();
    await staff.getByText(`Taken by ${AGENT_NAME}`).waitFor(WAIT);
    await shown(customer, shownText('en', 'handoff.agentJoinedNeutral')).waitFor(WAIT);

    await staff.getByLabel('Message to the customer').fill(AGENT_MESSAGE);
    await staff.getByRole('button', { name: 'Send' }).click();
    await staff.locator('#conversation li.from-agent', { hasText: AGENT_MESSAGE }).waitFor(WAIT);
    await shown(customer, AGENT_MESSAGE).waitFor(WAIT);

    await type(CUSTOMER_REPLY);
    await staff.locator('#conversation li.from-customer', { hasText: CUSTOMER_REPLY }).waitFor(WAIT);
  });

  it('when the agent resolves the case, then the customer is told the bot is back, with a new rating card, and the bot said nothing in between', async () => {
    await staff.getByRole('button', { name: 'Resolve' }).click();
    await staff.getByText('Resolved: the customer is back with the bot.').waitFor(WAIT);
    const resolved = shownText('en', 'handoff.resolved');
    await shown(customer, resolved).waitFor(WAIT);
    const cards = customer.locator('.ac-adaptiveCard').filter({ hasText: t('en', 'feedback.cardTitle') });
    await cards.nth(1).waitFor(WAIT);

    // Turns of a conversation run one at a time, so any bot answer to the customer's reply would come before
    // the message about the resolved case.
    const texts = await activities().allInnerTexts();
    const reply = texts.findIndex((text) => text.includes(CUSTOMER_REPLY));
    expect(reply).toBeGreaterThan(-1);
    expect(texts[reply + 1]).toContain(resolved);
  });

  it('neither page logs an error or a Content-Security-Policy violation', () => {
    expect(customerProblems).toEqual([]);
    expect(staffProblems).toEqual([]);
  });

  it('Web Chat shows what the bot sends on its own (staff messages, case updates, the survey) at once: neither page logs a warning', () => {
    // Web Chat holds back an activity whose replyToId names an activity it has not seen, and warns
    // "Timed out while waiting for activity …" when it gives up waiting.
    expect(warnings).toEqual([]);
  });
});
