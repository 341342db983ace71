import { type Browser } from 'playwright-core';
import { t } from '../../locales';
import { launchBrowser, watchedPage } from '../helpers/browser';
import { startDirectLineServer, type DirectLineServer } from '../directline/directLineServer';

/**
 * The web chat page's header at every width from a small phone to a desktop, in every language: the bot's name
 * stays readable and "Start a new conversation" stays on one line (the sign alone where its words do not fit).
 */

jest.setTimeout(90_000);

const WAIT = { timeout: 30_000 };
/** The default WEBCHAT_BOT_NAME. */
const BOT_NAME = 'Support';
const WIDTHS = [320, 360, 400, 480, 481, 500, 520, 560, 600, 640, 641, 700, 768, 1024, 1200];

let server: DirectLineServer;
let browser: Browser;

beforeAll(async () => {
  server = await startDirectLineServer({ webChat: { WEBCHAT_BOT_NAME: BOT_NAME } });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the web chat header', () => {
  it.each([
    ['en-US', 'en'],
    ['id-ID', 'id'],
    ['pl-PL', 'pl'],
    ['nb-NO', 'nb'],
  ])(
    'when the page (%s) is 320 to 1200 px wide, then the bot name is shown whole and the new conversation button is one line',
    async (locale, language) => {
      const problems: string[] = [];
      const page = await watchedPage(browser, problems, { locale, viewport: { width: 1200, height: 700 } });
      await page.goto(`${server.url}/`);
      const restart = page.getByRole('button', { name: t(language, 'common.newConversation'), exact: true });
      await restart.waitFor(WAIT);
      expect(await restart.getAttribute('title')).toBe(t(language, 'common.newConversation'));

      const seen: string[] = [];
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 700 });
        const header = await page.evaluate(() => {
          const element = (id: string): HTMLElement => {
            const found = document.getElementById(id);
            if (!found) throw new Error(`no #${id}`);
            return found;
          };
          const title = element('title');
          const button = element('restart');
          const label = button.querySelector('.restart-label');
          const bar = title.parentElement ?? title;
          const lines = label ? Array.from(label.getClientRects()) : [];
          return {
            title: title.textContent,
            titleWidth: title.clientWidth,
            titleClipped: title.scrollWidth > title.clientWidth,
            labelLines: lines.length,
            // Two lines of a wrapped inline label may also come as one rectangle twice the font's height.
            labelTaller: lines.some(
              (line) => line.height > 2 * parseFloat(getComputedStyle(button).fontSize),
            ),
            barOverflows: bar.scrollWidth > bar.clientWidth,
          };
        });
        if (
          header.title !== BOT_NAME ||
          header.titleWidth === 0 ||
          header.titleClipped ||
          header.labelLines > 1 ||
          header.labelTaller ||
          header.barOverflows
        ) {
          seen.push(`${width}px: ${JSON.stringify(header)}`);
        }
      }
      expect(seen).toEqual([]);
      expect(problems).toEqual([]);
      await page.context().close();
    },
  );
});
