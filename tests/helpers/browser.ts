import { chromium, type Browser, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';

/**
 * Headless Debian Chromium for the page tests (no browser download: /usr/bin/chromium from apt). The flags
 * keep it off the network, which this machine refuses anyway.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * A new page that records what a careful user would call a problem: console errors, uncaught page errors and
 * Content-Security-Policy violations (pushed into `problems`).
 */
export async function watchedPage(
  browser: Browser,
  problems: string[],
  options: BrowserContextOptions = {},
): Promise<Page> {
  const page = await (await browser.newContext(options)).newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  await page.exposeFunction('reportViolation', (text: string) => problems.push(`csp: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as Window & { reportViolation?: (text: string) => void }).reportViolation;
      report?.(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return page;
}

/**
 * The plain-text pieces of a bot message as Web Chat shows them: markdown emphasis and quotes split the text
 * into separate elements, and Web Chat prints typographic apostrophes.
 */
export function shownFragments(markdown: string): string[] {
  return markdown
    .split(/\*\*|\n+|^> /m)
    .map((piece) => piece.trim().replaceAll("'", '\u2019'))
    .filter((piece) => piece.length > 0);
}

/** The first plain-text piece of a bot message, as Web Chat shows it. */
export const shownFirst = (markdown: string): string => shownFragments(markdown)[0] ?? '';

/** The visible element showing `text` (Web Chat also keeps a copy for screen readers). */
export const shown = (page: Page, text: string): Locator =>
  page.getByText(text).filter({ visible: true }).first();

/** Types `text` into Web Chat's send box and sends it. */
export async function sendText(page: Page, text: string): Promise<void> {
  const input = page.locator('[data-id="webchat-sendbox-input"]');
  await input.fill(text);
  await input.press('Enter');
}

/** Where the chat page keeps its tab's conversation (web/chat/chat.js). */
export const KEPT_CONVERSATION_KEY = 'webchat.conversation';

/** A conversation the chat page keeps for its tab. */
export interface KeptConversation {
  conversationId: string;
  token: string;
}

/** The conversation the page keeps for its tab, once it has one (it is kept when Web Chat is connected). */
export async function keptConversationNow(page: Page, wait: { timeout: number }): Promise<KeptConversation> {
  await page.waitForFunction(
    (key) => window.sessionStorage.getItem(key) !== null,
    KEPT_CONVERSATION_KEY,
    wait,
  );
  const raw = await page.evaluate((key) => window.sessionStorage.getItem(key), KEPT_CONVERSATION_KEY);
  if (raw === null) throw new Error('no conversation kept');
  return JSON.parse(raw) as KeptConversation;
}
