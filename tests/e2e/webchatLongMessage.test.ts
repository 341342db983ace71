import { type Browser } from 'playwright-core';
import { t } from '../../locales';
import { MAX_MESSAGE_CHARACTERS } from '../../server/directline/routes';
import { launchBrowser, shown, shownFirst, watchedPage } from '../helpers/browser';
import { startDirectLineServer, TEST_BOT_NAME, type DirectLineServer } from '../directline/directLineServer';

/**
 * A message longer than the Direct Line takes (MAX_MESSAGE_CHARACTERS) cannot be sent: the web chat's send box
 * stops there and says why in the customer's language, instead of a "Send failed. Retry." that never succeeds.
 */

jest.setTimeout(90_000);

const WAIT = { timeout: 30_000 };

let server: DirectLineServer;
let browser: Browser;

beforeAll(async () => {
  server = await startDirectLineServer({ webChat: { WEBCHAT_BOT_NAME: 'Acme Help' } });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const explanation = (language: string): string =>
  t(language, 'common.messageTooLong', {
    max: new Intl.NumberFormat(language).format(MAX_MESSAGE_CHARACTERS),
  });

describe('a message longer than the chat takes', () => {
  it.each([
    ['pl-PL', 'pl'],
    ['id-ID', 'id'],
  ])(
    'when a customer (%s) pastes more than the limit, then the send box keeps the limit, says why in their language and the message is sent',
    async (locale, language) => {
      const problems: string[] = [];
      const page = await watchedPage(browser, problems, { locale });
      await page.goto(`${server.url}/`);
      await shown(page, shownFirst(t(language, 'common.welcome', { botName: TEST_BOT_NAME }))).waitFor(WAIT);
      const input = page.locator('[data-id="webchat-sendbox-input"]');
      // An emoji (two UTF-16 code units) across the limit is left out whole, not cut in half.
      const pasted = `${'Mój router nie działa. '.repeat(500).slice(0, MAX_MESSAGE_CHARACTERS - 1)}😀 i jeszcze więcej`;
      await input.fill(pasted);

      await page.getByText(explanation(language)).filter({ visible: true }).first().waitFor(WAIT);
      const kept = await input.inputValue();
      expect(kept).toBe(pasted.slice(0, MAX_MESSAGE_CHARACTERS - 1));

      const posted = page.waitForResponse(
        (response) =>
          response.request().method() === 'POST' &&
          response.url().endsWith('/activities') &&
          (response.request().postData() ?? '').includes('"message"'),
        WAIT,
      );
      await input.press('Enter');
      expect((await posted).status()).toBe(200);
      await shown(page, 'echo: Mój router nie działa.').waitFor(WAIT);
      // Sent: the explanation goes with the text it was about.
      await page
        .getByText(explanation(language))
        .filter({ visible: true })
        .waitFor({ state: 'detached', ...WAIT });
      expect(problems).toEqual([]);
      await page.context().close();
    },
  );
});
