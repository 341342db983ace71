import { type Browser, type Locator, type Page } from 'playwright-core';
import { t } from '../../locales';
import { launchBrowser, sendText, shown, shownFirst, watchedPage } from '../helpers/browser';
import { startTestBot, type TestBot } from '../helpers/harness';

/**
 * The web chat page in headless Chromium (real app, built-in Direct Line): an agent's messages show as the
 * agent's (their name and initials), the bot's stay the bot's; times read with the customer's own clock.
 */

jest.setTimeout(120_000);

/** Generous: Web Chat's first render and the Direct Line WebSocket take a while on a busy machine. */
const WAIT = { timeout: 30_000 };
const BOT_NAME = 'Nordwind Help';
const COMPLAINT = 'This is unacceptable, my internet has been down for three days!!!';

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

/** The activity (Web Chat's stacked layout) that shows `text`. */
const activityWith = (page: Page, text: string): Locator =>
  page.locator('.webchat__stacked-layout').filter({ has: shown(page, text) });

/** An English customer on the chat page whose complaint waits in the queue; the id of their case. */
async function queuedCustomer(page: Page): Promise<string> {
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
  const queued = await bot.app.handoff.list({ status: 'queued' });
  const caseId = queued.find((c) => c.summary === COMPLAINT)?.id;
  if (!caseId) throw new Error('no case queued');
  return caseId;
}

describe('web chat: an agent’s messages', () => {
  it('when an agent writes, then the message shows the agent’s name and initials, and the bot’s messages keep the bot’s avatar', async () => {
    const problems: string[] = [];
    const page = await watchedPage(browser, problems, { locale: 'en-US' });
    const caseId = await queuedCustomer(page);
    const { token } = await bot.app.auth.issue('Anna Kowalska', 'agent', 'test');
    const api = (path: string, body?: unknown) =>
      bot.api(`/api/agent/cases/${caseId}/${path}`, {
        method: 'POST',
        token,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    expect((await api('take')).status).toBe(200);
    const joined = t('en', 'handoff.agentJoined', { agentName: 'Anna Kowalska' });
    await shown(page, joined).waitFor(WAIT);
    expect((await api('messages', { text: 'Hi, I am **looking** at your line now.' })).status).toBe(201);
    expect((await api('messages', { text: 'It is back up. <b>Try</b> it?' })).status).toBe(201);

    const first = activityWith(page, 'Hi, I am');
    await first.waitFor(WAIT);
    // The agent's group: their initials once, and their name on each message.
    await expect(first.locator('.sender-avatar').textContent()).resolves.toBe('AK');
    await expect(first.locator('.sender-name').textContent()).resolves.toBe('Anna Kowalska');
    const second = activityWith(page, 'It is back up.');
    await expect(second.locator('.sender-name').textContent()).resolves.toBe('Anna Kowalska');
    expect(await second.locator('b').count()).toBe(0);
    // The join notice and the welcome are the bot's: the bot's avatar, nobody's name.
    for (const text of [joined, welcome('en')]) {
      const activity = activityWith(page, text);
      expect(await activity.locator('.sender-avatar, .sender-name').count()).toBe(0);
    }
    await expect(activityWith(page, welcome('en')).locator('.webchat__defaultAvatar').count()).resolves.toBe(
      1,
    );
    // Screen readers hear who wrote it (Web Chat's own greeting says "Bot NH said").
    await page.waitForFunction(
      (said) => [...document.querySelectorAll('[aria-live]')].some((e) => e.textContent?.includes(said)),
      'Anna Kowalska: It is back up. Try it?',
      WAIT,
    );
    // A reload shows the transcript again, the agent's messages still as theirs.
    await page.reload();
    await activityWith(page, 'It is back up.').waitFor(WAIT);
    await expect(activityWith(page, 'Hi, I am').locator('.sender-avatar').textContent()).resolves.toBe('AK');
    await expect(activityWith(page, 'It is back up.').locator('.sender-name').textContent()).resolves.toBe(
      'Anna Kowalska',
    );
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe('web chat: times for screen readers', () => {
  /** The screen-reader text of the welcome's status ("Sent at …"), in the page's language. */
  async function sentAt(locale: string, language: string): Promise<string> {
    const problems: string[] = [];
    const page = await watchedPage(browser, problems, { locale, timezoneId: 'Europe/Warsaw' });
    await page.goto(`${bot.url}/`);
    await shown(page, welcome(language)).waitFor(WAIT);
    const status = activityWith(page, welcome(language)).locator('.webchat__activity-status');
    await status.first().waitFor(WAIT);
    const text = (await status.first().textContent()) ?? '';
    expect(problems).toEqual([]);
    await page.context().close();
    return text;
  }

  it.each([
    ['pl-PL', 'pl', /^Wysłano o \d{2}:\d{2}, \d{1,2} \p{L}+/u],
    ['nb-NO', 'nb', /^Sendt klokken \d{2}:\d{2}, \d{1,2}\. \p{L}+/u],
    ['id-ID', 'id', /^Dikirim pada \d{2}\.\d{2}, \d{1,2} \p{L}+/u],
  ])(
    'when the chat is in %s, then a message’s time reads with a 24-hour clock',
    async (locale, language, reads) => {
      const text = await sentAt(locale, language);
      expect(text).toMatch(reads);
      expect(text).not.toMatch(/\b(AM|PM)\b/i);
    },
  );

  it('when the chat is in English (US), then the time keeps its 12-hour clock', async () => {
    expect(await sentAt('en-US', 'en')).toMatch(/^Sent at \d{1,2}:\d{2}\s?(AM|PM), [A-Z][a-z]+ \d{1,2}/);
  });
});
