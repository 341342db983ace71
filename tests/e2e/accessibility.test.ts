import { readFileSync } from 'node:fs';
import type * as Axe from 'axe-core';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { t } from '../../locales';
import { launchBrowser, sendText, shown, shownFirst, watchedPage } from '../helpers/browser';
import { ADMIN_TOKEN, queuedCase, startTestBot, texts, type TestBot } from '../helpers/harness';

/**
 * Every page the product serves (the web chat at `/`, the admin page at `/admin`, the staff console at `/agent`),
 * in the states a reader meets, checked with axe-core in Chromium against WCAG 2.1 A and AA: no violation of
 * impact "serious" or "critical". In English, in Polish and at 360 px. axe-core is evaluated in the page through
 * the DevTools protocol, so the pages keep their strict Content-Security-Policy (it allows no inline script, so
 * a script tag would be refused). Web Chat's own markup is checked too: nothing in it needs excluding today.
 */
jest.setTimeout(240_000);

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const WAIT = { timeout: 30_000 };
const BOT_NAME = 'Nordwind Help';

const VIEWS: Array<{ name: string; locale: string; options: BrowserContextOptions }> = [
  { name: 'English', locale: 'en', options: { locale: 'en-US' } },
  { name: 'Polish', locale: 'pl', options: { locale: 'pl-PL' } },
  {
    name: 'English at 360 px',
    locale: 'en',
    options: { locale: 'en-US', viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true },
  },
];

const QUESTIONS: Record<string, string> = {
  en: 'How do I change my Wi-Fi password?',
  pl: 'Jak zmienić hasło do Wi-Fi?',
};

/** One serious or critical violation: the rule, its impact and the elements (axe's selectors). */
interface Found {
  state: string;
  rule: string;
  impact: string;
  elements: string[];
}

let bot: TestBot;
let browser: Browser;
let agentToken: string;

beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true', WEBCHAT_BOT_NAME: BOT_NAME });
  browser = await launchBrowser();
  agentToken = (await bot.app.auth.issue('Ana', 'agent', 'test')).token;
  // Ratings with comments for the CSAT dashboard.
  for (const [n, score, locale] of [
    [1, 5, 'en'],
    [2, 2, 'pl'],
    [3, 4, 'en'],
  ] as const) {
    const input = {
      episodeId: `a11y-ep-${n}`,
      conversationId: `a11y-conv-${n}`,
      customerId: `a11y-cust-${n}`,
      locale,
      channel: 'webchat',
      resolution: 'self-service' as const,
      faqEntryId: `${locale}-cancellation`,
    };
    await bot.app.feedback.openSurvey(input);
    await bot.app.feedback.submit({ episodeId: input.episodeId, customerId: input.customerId, score });
    await bot.app.feedback.comment({
      episodeId: input.episodeId,
      customerId: input.customerId,
      text: 'Fine',
    });
  }
  // A rating reply the bot could not read: an item of "Messages to review".
  const who = { conversationId: 'a11y-review', locale: 'en-US' };
  expect(texts(await bot.say(QUESTIONS.en ?? '', who))).toContain(t('en', 'faq.wasHelpful'));
  await bot.say('yes', who);
  await bot.say('no', who);
  await bot.say('hmm, not sure yet, we will see', who);
});

afterAll(async () => {
  await browser?.close();
  await bot?.close();
});

/** The serious and critical WCAG 2.1 A/AA violations on `page` now, named by `state`. */
async function violations(page: Page, state: string): Promise<Found[]> {
  await page.evaluate(AXE_SOURCE);
  const found = await page.evaluate(async (tags) => {
    const { axe } = window as Window & { axe?: typeof Axe };
    if (!axe) throw new Error('axe-core did not load');
    const results = await axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return results.violations.map((v) => ({
      rule: v.id,
      impact: v.impact ?? '',
      elements: v.nodes.map((n) => n.target.join(' ')),
    }));
  }, WCAG_21_AA);
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ state, ...v }));
}

describe.each(VIEWS)('accessibility in $name', ({ name, locale, options }) => {
  it('when the customer opens the web chat and asks an FAQ question, then no serious violation', async () => {
    const problems: string[] = [];
    const page = await watchedPage(browser, problems, options);
    const found: Found[] = [];
    await page.goto(`${bot.url}/`);
    await shown(page, shownFirst(t(locale, 'common.welcome', { botName: BOT_NAME }))).waitFor(WAIT);
    found.push(...(await violations(page, 'chat, welcome')));

    await sendText(page, QUESTIONS[locale] ?? '');
    await page
      .locator('.webchat__suggested-actions')
      .getByRole('button', { name: t(locale, 'common.yes'), exact: true })
      .waitFor(WAIT);
    found.push(...(await violations(page, 'chat, FAQ answer with buttons')));
    await page.context().close();
    expect(found).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('when staff open the admin page, sign in and edit an entry, then no serious violation', async () => {
    const problems: string[] = [];
    const page = await watchedPage(browser, problems, options);
    const found: Found[] = [];
    await page.goto(`${bot.url}/admin`);
    await page
      .locator('h1')
      .filter({ hasText: t(locale, 'admin.pageTitle') })
      .waitFor(WAIT);
    found.push(...(await violations(page, 'admin, signed out')));

    await page.locator('#token').fill(ADMIN_TOKEN);
    await page.locator('#signin button[type=submit]').click();
    await page.locator('#entries tbody tr').first().waitFor(WAIT);
    await page.locator('.csat-comment').first().waitFor(WAIT);
    await page.locator('#tokens tbody tr').first().waitFor(WAIT);
    await page.locator('#review-items li').first().waitFor(WAIT);
    found.push(...(await violations(page, 'admin, signed in')));
    // A name on an element without a role is not announced (axe can only flag it for review).
    expect(await page.getByRole('group', { name: t(locale, 'admin.csatDistribution') }).count()).toBe(1);

    await page.locator('#entries tbody tr').first().getByRole('button').first().click();
    await page.locator('#editor-heading').waitFor(WAIT);
    found.push(...(await violations(page, 'admin, editor open')));
    expect(await page.getByRole('region', { name: t(locale, 'admin.preview') }).count()).toBe(1);

    // A search that finds nothing, and a token asked for under the name of an active one (Ana's).
    await page.locator('#filter-q').fill('zzzz');
    await page.locator('#filter button[type=submit]').click();
    await page.locator('#entries-empty', { hasText: t(locale, 'admin.entriesNoneMatch') }).waitFor(WAIT);
    await page.locator('#token-name').fill('ana');
    await page.locator('#token-form button[type=submit]').click();
    await page.locator('#token-duplicate').waitFor(WAIT);
    found.push(...(await violations(page, 'admin, nothing found and a token name taken')));
    await page.context().close();
    expect(found).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('when staff open the console, take a case and claim a follow-up, then no serious violation', async () => {
    const problems: string[] = [];
    const page = await watchedPage(browser, problems, options);
    const found: Found[] = [];
    const tag = name.replace(/\W+/g, '-');
    await queuedCase(bot, `a11y-queued-${tag}`, 'Waiting for a person');
    await queuedCase(bot, `a11y-taken-${tag}`, 'Router keeps restarting');
    const { id: followupId } = await bot.app.followups.open({
      conversationId: `a11y-followup-${tag}`,
      customerId: `a11y-followup-${tag}-user`,
      channel: 'webchat',
      locale: 'en',
      reason: 'low-rating',
      summary: 'Call me back',
      contact: [{ kind: 'email', value: 'callback@example.com' }],
      score: 2,
      comment: 'Still broken',
    });

    await page.goto(`${bot.url}/agent`);
    await page.locator('#token').waitFor(WAIT);
    found.push(...(await violations(page, 'console, signed out')));

    await page.locator('#token').fill(agentToken);
    await page.locator('#signInForm button[type=submit]').click();
    await page.getByText(t(locale, 'staff.live'), { exact: true }).waitFor(WAIT);
    const taken = page.locator('#queue li', { hasText: 'Router keeps restarting' });
    await taken.waitFor(WAIT);
    found.push(...(await violations(page, 'console, queue')));

    await taken.getByRole('button').first().click();
    await page.locator('#messageText').waitFor(WAIT);
    await page.locator('#assigned li').first().waitFor(WAIT);
    found.push(...(await violations(page, 'console, case open with the reply box')));

    const followup = page.locator(`#followups li[data-followup-id="${followupId}"]`);
    await followup.locator('summary').click();
    await followup.locator('.claim').click();
    await followup.locator('textarea').waitFor(WAIT);
    found.push(...(await violations(page, 'console, follow-up claimed')));
    await page.context().close();
    expect(found).toEqual([]);
    expect(problems).toEqual([]);
  });
});
