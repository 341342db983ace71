import { launchBrowser, shown, shownFirst, watchedPage } from '../helpers/browser';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { t } from '../../locales';
import { startDirectLineServer, TEST_BOT_NAME, type DirectLineServer } from '../directline/directLineServer';

jest.setTimeout(90_000);

const BOT_NAME = 'Acme Help';
/** The first paragraph of the bot's welcome as Web Chat shows it. */
const welcomeText = (language: string) =>
  shownFirst(t(language, 'common.welcome', { botName: TEST_BOT_NAME }));

let server: DirectLineServer;
let browser: Browser;
/** Another site that embeds the chat with /embed.js (a real server: browsers keep loopback for loopback pages). */
let hostSite: Server;
let hostOrigin = '';

interface Watched {
  page: Page;
  context: BrowserContext;
  problems: string[];
}

/** A page in a fresh browser context that records CSP violations and console errors. */
async function openPage(locale: string): Promise<Watched> {
  const problems: string[] = [];
  const page = await watchedPage(browser, problems, { locale });
  return { page, context: page.context(), problems };
}

beforeAll(async () => {
  hostSite = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><html lang="id"><body><script src="${server.url}/embed.js"></script></body></html>`,
    );
  });
  await new Promise<void>((resolve) => {
    hostSite.listen(0, '127.0.0.1', resolve);
  });
  hostOrigin = `http://127.0.0.1:${(hostSite.address() as AddressInfo).port}`;
  server = await startDirectLineServer({
    webChat: {
      WEBCHAT_BOT_NAME: BOT_NAME,
      WEBCHAT_ACCENT_COLOR: '#8a1538',
      DIRECT_LINE_TRUSTED_ORIGINS: hostOrigin,
    },
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser.close();
  await server.close();
  await new Promise<void>((resolve) => {
    hostSite.close(() => resolve());
  });
});

describe('web chat in a real browser', () => {
  it('when a customer types a question, then the bot answers in Web Chat, under a strict CSP without violations', async () => {
    const { page, context, problems } = await openPage('en-US');
    const response = await page.goto(`${server.url}/`);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(response?.headers()['x-content-type-options']).toBe('nosniff');

    await shown(page, welcomeText('en')).waitFor();
    expect(await page.title()).toBe(BOT_NAME);
    const input = page.locator('[data-id="webchat-sendbox-input"]');
    await input.fill('hello from chromium');
    await input.press('Enter');
    await shown(page, 'echo: hello from chromium').waitFor();

    expect(problems).toEqual([]);
    await context.close();
  });

  it('when the customer picks another language, then a new conversation starts and the welcome is in that language', async () => {
    const { page, context, problems } = await openPage('en-US');
    await page.goto(`${server.url}/`);
    await shown(page, welcomeText('en')).waitFor();
    await page.getByLabel('Language · Bahasa · Język · Språk').selectOption('pl-PL');
    await shown(page, welcomeText('pl')).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('pl');
    expect(await page.getByText(welcomeText('en')).count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('when the browser prefers Norwegian, then the chat starts in Norwegian', async () => {
    const { page, context } = await openPage('nb-NO');
    await page.goto(`${server.url}/`);
    await shown(page, welcomeText('nb')).waitFor();
    expect(await page.locator('#locale').inputValue()).toBe('nb-NO');
    await context.close();
  });

  it('when another site embeds the chat with /embed.js, then its button opens the chat in an iframe', async () => {
    const { page, context } = await openPage('id-ID');
    await page.goto(`${hostOrigin}/`);
    await page.getByRole('button', { name: BOT_NAME }).click();
    const frame = page.frameLocator(`iframe[title="${BOT_NAME}"]`);
    await frame.getByText(welcomeText('id')).filter({ visible: true }).first().waitFor();
    await context.close();
  });
});
