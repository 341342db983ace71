import type { Browser, Page } from 'playwright-core';
import { t } from '../../locales';
import { launchBrowser, shownFirst, watchedPage } from '../helpers/browser';
import { startTestBot, type TestBot } from '../helpers/harness';

jest.setTimeout(90_000);

const BOT_NAME = 'Acme Help';
const WAIT = { timeout: 30_000 };
/** The first paragraph of a catalogue message as Web Chat shows it. */
const shownText = (key: 'common.welcome' | 'common.help'): string =>
  shownFirst(t('en', key, { botName: BOT_NAME }));

let bot: TestBot;
let browser: Browser;

beforeAll(async () => {
  // PUBLIC_URL unset: the config's default names http://localhost:PORT.
  bot = await startTestBot({ WEBCHAT_BOT_NAME: BOT_NAME });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await bot?.close();
});

describe('the web chat on a host name other than PUBLIC_URL', () => {
  it('when the page is opened at 127.0.0.1 while the default public URL says localhost, then the bot answers', async () => {
    const port = new URL(bot.url).port;
    expect(new URL(bot.url).hostname).toBe('localhost');
    const problems: string[] = [];
    const page: Page = await watchedPage(browser, problems, { locale: 'en-US' });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    page.on('websocket', (socket) => requests.push(socket.url()));

    await page.goto(`http://127.0.0.1:${port}/`);
    await page.getByText(shownText('common.welcome')).filter({ visible: true }).first().waitFor(WAIT);
    const input = page.locator('[data-id="webchat-sendbox-input"]');
    await input.fill('help');
    await input.press('Enter');
    await page.getByText(shownText('common.help')).filter({ visible: true }).first().waitFor(WAIT);

    expect(requests.filter((url) => url.includes('localhost'))).toEqual([]);
    expect(requests.some((url) => url.startsWith(`ws://127.0.0.1:${port}/v3/directline/`))).toBe(true);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
