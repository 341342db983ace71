import { type Browser } from 'playwright-core';
import { t } from '../../locales';
import { ADMIN_TOKEN, startTestBot, type TestBot } from '../helpers/harness';
import { launchBrowser, sendText, shown, shownFirst, watchedPage } from '../helpers/browser';

/**
 * A picture in an FAQ answer reaches customers as the admin preview shows it: a link named by its alt text
 * (the web chat's CSP loads no pictures from other sites), and the editor says so while the answer is written.
 */

jest.setTimeout(120_000);

const WAIT = { timeout: 30_000 };
const BOT_NAME = 'Acme Help';
const PICTURE = 'https://cdn.example.com/router-back.png';
const QUESTION = 'Where is the reset button on my router?';
const ANSWER = `The reset button is on the back panel, next to the power socket:\n\n![Router back panel](${PICTURE})`;

let bot: TestBot;
let browser: Browser;

beforeAll(async () => {
  bot = await startTestBot({ WEBCHAT_BOT_NAME: BOT_NAME });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await bot?.close();
});

describe('a picture in an FAQ answer', () => {
  it('when the admin writes an answer with a picture, then the preview shows a link named by its alt text and the editor says customers see it so', async () => {
    const problems: string[] = [];
    const page = await watchedPage(browser, problems, { locale: 'pl-PL' });
    await page.goto(`${bot.url}/admin`);
    await page.locator('#token').fill(ADMIN_TOKEN);
    await page.locator('#token').press('Enter');
    await page.locator('#signed-in').waitFor(WAIT);
    await page.locator('#new-entry').click();
    const note = page.getByText(t('pl', 'admin.answerImages'));
    await page.locator('#entry-answer').fill('The reset button is on the back panel.');
    expect(await note.isVisible()).toBe(false);

    await page.locator('#entry-answer').fill(ANSWER);
    const link = page.locator('#preview').getByRole('link', { name: 'Router back panel' });
    await link.waitFor(WAIT);
    expect(await link.getAttribute('href')).toBe(PICTURE);
    expect(await page.locator('#preview img').count()).toBe(0);
    await note.waitFor(WAIT);
    await page.context().close();
  });

  it('when a customer gets the answer in the web chat, then they see the same link and no broken picture', async () => {
    const saved = await bot.api('/api/admin/faq', {
      method: 'POST',
      body: JSON.stringify({ id: 'en-reset-button', locale: 'en', questions: [QUESTION], answer: ANSWER }),
    });
    expect(saved.status).toBe(201);

    const problems: string[] = [];
    const page = await watchedPage(browser, problems, { locale: 'en-US' });
    await page.goto(`${bot.url}/`);
    await shown(page, shownFirst(t('en', 'common.welcome', { botName: BOT_NAME }))).waitFor(WAIT);
    await sendText(page, QUESTION);
    const link = page.locator(`a[href="${PICTURE}"]`).filter({ visible: true }).first();
    await link.waitFor(WAIT);
    expect(await link.textContent()).toContain('Router back panel');
    expect(await page.locator(`img[src="${PICTURE}"]`).count()).toBe(0);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
