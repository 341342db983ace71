import type { Browser } from 'playwright-core';
import { t } from '../../locales';
import { REVIEW_LIST_LIMIT, ReviewLog } from '../../review/log';
import { launchBrowser, watchedPage } from '../helpers/browser';
import { ADMIN_TOKEN, startTestBot, type TestBot } from '../helpers/harness';

jest.setTimeout(180_000);

/** More rating replies to review than one page of the list holds. */
const WAITING = REVIEW_LIST_LIMIT + 2;

let bot: TestBot;
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
  bot = await startTestBot();
  // Rating replies the bot could not read, as the survey records them (a rating label teaches no model).
  await new ReviewLog(bot.app.db, bot.clock, 30, bot.app.log).record(
    Array.from({ length: WAITING }, (_, i) => ({
      conversationId: `review-pages-${i}`,
      locale: 'en',
      task: 'rating' as const,
      text: `meh number ${i + 1}`,
      why: 'unread' as const,
      read: { label: 'rating:none' as const, confidence: null },
    })),
  );
});

afterAll(async () => {
  await browser.close();
  await bot.close();
});

describe('a review list longer than one page in the admin page', () => {
  it('when the admin labels every message listed while more wait, then the page says more wait (not that nothing is left) and shows them on request', async () => {
    const problems: string[] = [];
    const page = await watchedPage(browser, problems, { locale: 'en-GB' });
    await page.goto(`${bot.url}/admin`);
    await page.getByLabel(t('en', 'admin.adminToken')).fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: t('en', 'staff.signIn') }).click();
    await page.getByText(t('en', 'admin.signedInStatus')).waitFor();

    const rows = page.locator('#review-items li');
    const more = page.getByRole('button', { name: t('en', 'admin.reviewMore') });
    await rows.nth(REVIEW_LIST_LIMIT - 1).waitFor();
    expect(await rows.count()).toBe(REVIEW_LIST_LIMIT);
    await more.waitFor();

    const statusLine = page.locator('#review-status');
    const noRating = t('en', 'admin.labelRatingNone');
    for (let left = REVIEW_LIST_LIMIT; left > 0; left--) {
      await rows.first().getByRole('button', { name: noRating }).click();
      await page.waitForFunction((n) => document.querySelectorAll('#review-items li').length === n, left - 1);
    }
    await statusLine.filter({ hasText: t('en', 'admin.reviewMoreWaiting') }).waitFor();
    expect(await statusLine.textContent()).not.toContain(t('en', 'admin.reviewEmpty'));
    // The keyboard is on the way to the rest.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('review-more');

    await more.click();
    await rows.nth(WAITING - REVIEW_LIST_LIMIT - 1).waitFor();
    expect(await rows.count()).toBe(WAITING - REVIEW_LIST_LIMIT);
    await more.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.closest('li')?.textContent)).toContain(
      'meh number',
    );
    for (let left = WAITING - REVIEW_LIST_LIMIT; left > 0; left--) {
      await rows.first().getByRole('button', { name: noRating }).click();
      await page.waitForFunction((n) => document.querySelectorAll('#review-items li').length === n, left - 1);
    }
    await statusLine.filter({ hasText: t('en', 'admin.reviewEmpty') }).waitFor();
    const open = (await (await bot.api('/api/admin/review')).json()) as { items: unknown[] };
    expect(open.items).toEqual([]);
    // Known (tests/e2e/admin.test.ts): the CSAT dashboard asks for its figures before signing in.
    const dashboardBeforeSignIn = /^401 .*\/api\/admin\/ratings\/|^console: .*status of 401/;
    expect(problems.filter((p) => !dashboardBeforeSignIn.test(p))).toEqual([]);
    await page.context().close();
  });
});
