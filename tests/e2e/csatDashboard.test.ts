import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { wilsonInterval } from '../../feedback/reports';
import { t } from '../../locales';
import { launchBrowser, watchedPage } from '../helpers/browser';
import { ADMIN_TOKEN, startTestBot, type TestBot } from '../helpers/harness';

/**
 * The CSAT dashboard on the real admin page, in a browser in Los Angeles at 23:47 on 5 December 2025: its days
 * are the admin's days, its comments follow its period and language, agents and answers are named as admins
 * know them, and on a phone its tables stack.
 */
jest.setTimeout(120_000);

const LA = 'America/Los_Angeles';
/** The browser's "now": 5 Dec 2025, 23:47 in Los Angeles (6 Dec in UTC). */
const NOW = new Date('2025-12-06T07:47:00Z');
const ANA = { id: 'aad-ana', name: 'Ana Nowak' };

let bot: TestBot;
let browser: Browser;

/** [when (UTC), language, score, comment, FAQ entry or "ana" (Ana's case)] */
const RATINGS: Array<[at: string, locale: string, score: number, comment: string, about: string]> = [
  ['2025-12-05T07:30:00Z', 'en', 1, 'Late on the 4th in LA', 'en-cancellation'], // LA 4 Dec 23:30
  ['2025-12-05T09:00:00Z', 'pl', 4, 'Dobra obsługa', 'ana'], // LA 5 Dec 01:00
  ['2025-12-06T07:42:00Z', 'en', 5, 'Late on the 5th in LA', 'pl-cancellation'], // LA 5 Dec 23:42
];

/**
 * Answers rated often enough to judge, on 10 November (LA): 3 of 10 ratings 4 or 5 (95% range up to 60%) and 7 of
 * 9 (up to 94%). The 1 of en-cancellation on 4 December is lower than either average, and alone.
 */
const JUDGED: Array<[entry: string, scores: number[]]> = [
  ['en-slow-internet', [1, 2, 1, 4, 2, 5, 1, 2, 4, 2]],
  ['en-wifi-password', [5, 4, 5, 1, 4, 5, 2, 4, 5]],
];
const JUDGED_AT = '2025-11-10T20:00:00Z';

/** A comment typed instead of the score, whose score was then skipped: no rating (LA 20 Nov 12:00). */
const UNRATED = { at: '2025-11-20T20:00:00Z', text: 'Hyggelig, men det tok lang tid' };

beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
  browser = await launchBrowser();
  bot.clock.advance(Date.parse(JUDGED_AT) - bot.clock.now().getTime());
  for (const [entry, scores] of JUDGED) {
    for (const [i, score] of scores.entries()) {
      const input = {
        episodeId: `csat-ep-${entry}-${i}`,
        conversationId: `csat-conv-${entry}-${i}`,
        customerId: `csat-cust-${entry}-${i}`,
        locale: 'en',
        channel: 'webchat',
        resolution: 'self-service' as const,
        faqEntryId: entry,
      };
      await bot.app.feedback.openSurvey(input);
      await bot.app.feedback.submit({ episodeId: input.episodeId, customerId: input.customerId, score });
    }
  }
  bot.clock.advance(Date.parse(UNRATED.at) - bot.clock.now().getTime());
  const unrated = {
    episodeId: 'csat-ep-unrated',
    conversationId: 'csat-conv-unrated',
    customerId: 'csat-cust-unrated',
    locale: 'nb',
    channel: 'webchat',
    resolution: 'self-service' as const,
  };
  await bot.app.feedback.openSurvey(unrated);
  await bot.app.feedback.comment({ ...unrated, text: UNRATED.text });
  await bot.app.feedback.markNoResponse(unrated.episodeId);
  for (const [i, [at, locale, score, text, about]] of RATINGS.entries()) {
    bot.clock.advance(Date.parse(at) - bot.clock.now().getTime());
    const input = {
      episodeId: `csat-ep-${i}`,
      conversationId: `csat-conv-${i}`,
      customerId: `csat-cust-${i}`,
      locale,
      channel: about === 'ana' ? 'msteams' : 'webchat',
      ...(about === 'ana'
        ? { resolution: 'agent' as const, agentId: ANA.id, agentName: ANA.name }
        : { resolution: 'self-service' as const, faqEntryId: about }),
    };
    await bot.app.feedback.openSurvey(input);
    await bot.app.feedback.submit({ episodeId: input.episodeId, customerId: input.customerId, score });
    await bot.app.feedback.comment({ episodeId: input.episodeId, customerId: input.customerId, text });
  }
});

afterAll(async () => {
  await browser?.close();
  await bot?.close();
});

/** The admin page signed in, in Los Angeles at NOW, `width` pixels wide, in a browser set up for `locale`. */
async function openAdmin(problems: string[], width = 1280, locale = 'en-US'): Promise<Page> {
  const page = await watchedPage(browser, problems, {
    locale,
    timezoneId: LA,
    viewport: { width, height: 900 },
    acceptDownloads: true,
  });
  const language = locale.slice(0, 2);
  await page.clock.setFixedTime(NOW);
  await page.goto(`${bot.url}/admin`);
  await page.getByLabel(t(language, 'admin.adminToken')).fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: t(language, 'staff.signIn') }).click();
  await page.locator('.csat-tile').first().waitFor();
  await page.locator('.csat-comment').first().waitFor();
  return page;
}

const figures = '.csat-filters:not(.csat-comments-filter)';
const tiles = (page: Page) => page.locator('.csat-tile-value').allTextContents();
const comments = (page: Page) => page.locator('.csat-comment-text').allTextContents();

/** Sets the period (and language) above the figures and waits for the figures and comments to follow. */
async function show(page: Page, from: string, to: string, locale = ''): Promise<void> {
  await page.locator(`${figures} input[name=from]`).fill(from);
  await page.locator(`${figures} input[name=to]`).fill(to);
  await page.locator(`${figures} select[name=locale]`).selectOption(locale);
  const answered = Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/admin/ratings/summary')),
    page.waitForResponse((r) => r.url().includes('/api/admin/ratings/comments')),
  ]);
  await page
    .locator(figures)
    .getByRole('button', { name: t('en', 'admin.csatShow') })
    .click();
  await answered;
  await page.locator(`${figures} button[type=submit]:not([disabled])`).waitFor();
}

describe('CSAT dashboard in the admin’s time zone', () => {
  it('when the admin is in Los Angeles late in the evening, then "To" is their today and a day means their day', async () => {
    const problems: string[] = [];
    const page = await openAdmin(problems);
    expect(await page.locator(`${figures} input[name=to]`).inputValue()).toBe('2025-12-05');
    expect(await page.locator(`${figures} input[name=from]`).inputValue()).toBe('2025-11-06');
    expect(await page.locator('.csat-zone').textContent()).toBe(
      'Days and times in your time zone (America/Los_Angeles).',
    );

    await show(page, '2025-12-05', '2025-12-05');
    // 01:00 and 23:42 on 5 December in Los Angeles: scores 4 and 5; not the 1 of 23:30 on the 4th.
    expect(await tiles(page)).toEqual(['100%', '4.50 / 5', '2', '100%']);
    // Two ratings: the overall figure says how far it could be off, and that it is too few to judge.
    expect(await page.locator('.csat-tile-range').textContent()).toBe('95% range: 34.2% to 100%');
    expect(await page.locator('.csat-tiles .csat-few').textContent()).toBe(t('en', 'admin.csatTooFew'));
    expect(await comments(page)).toEqual(['Late on the 5th in LA', 'Dobra obsługa']);
    expect(await page.locator('.csat-comment time').first().textContent()).toBe('12/5/2025, 11:42:00 PM');
    expect(await page.locator('.csat-chart circle').count()).toBe(1);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('when the admin points at a day of the trend, then its tooltip gives the CSAT with its 95% range and count, and "too few ratings to judge" where the tables say so, in the page’s language', async () => {
    for (const locale of ['en-US', 'pl-PL']) {
      const language = locale.slice(0, 2);
      const percent = (v: number) =>
        new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(v);
      /** The tooltip the page should give a day of `count` ratings, `positive` of them 4 or 5. */
      const tooltip = (bucket: string, positive: number, count: number) => {
        const { low, high } = wilsonInterval(positive, count);
        const point = t(language, 'admin.csatPointDay', {
          bucket,
          csat: percent(positive / count),
          range: t(language, 'admin.csatTileRange', { low: percent(low), high: percent(high) }),
          count,
        });
        return count < 5 ? `${point}. ${t(language, 'admin.csatTooFew')}` : point;
      };
      const problems: string[] = [];
      const page = await openAdmin(problems, 1280, locale);
      // 10 November: 10 of the 19 judged ratings are 4 or 5; 4 December: the lone 1; 5 December: a 4 and a 5.
      expect(await page.locator('.csat-chart circle title').allTextContents()).toEqual([
        tooltip('2025-11-10', 10, 19),
        tooltip('2025-12-04', 0, 1),
        tooltip('2025-12-05', 2, 2),
      ]);
      expect(problems).toEqual([]);
      await page.context().close();
    }
  });
});

describe('the latest comments follow the dashboard’s filters', () => {
  it('when the period has no ratings, then no comment shows either', async () => {
    const problems: string[] = [];
    const page = await openAdmin(problems);
    await show(page, '2025-01-01', '2025-01-31');
    await page.getByText(t('en', 'admin.csatNoRatings')).waitFor();
    await page.locator('.csat-comments-section').getByText(t('en', 'admin.commentsNone')).waitFor();
    expect(await comments(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('when a language is chosen, then only comments in that language show', async () => {
    const problems: string[] = [];
    const page = await openAdmin(problems);
    await show(page, '2025-12-01', '2025-12-05', 'pl');
    expect(await comments(page)).toEqual(['Dobra obsługa']);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe('a comment without a score', () => {
  it('when a customer commented and skipped the score, then the comment shows with "No score" and no rating counts', async () => {
    const problems: string[] = [];
    const page = await openAdmin(problems);
    await show(page, '2025-11-20', '2025-11-20');
    expect(await comments(page)).toEqual([UNRATED.text]);
    expect(await page.locator('.csat-comment-score').allTextContents()).toEqual([
      t('en', 'admin.commentNoScore'),
    ]);
    await page.getByText(t('en', 'admin.csatNoRatings')).waitFor();
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe('names in the CSAT tables', () => {
  it('when a Teams agent has ratings, then "By agent" shows their Teams name, not their id', async () => {
    const problems: string[] = [];
    const page = await openAdmin(problems);
    const agents = await page.locator('.csat-agents tbody td:first-child').allTextContents();
    expect(agents).toContain(ANA.name);
    expect(agents).not.toContain(ANA.id);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('when FAQ answers are rated, then each row shows its entry’s first question in the entry’s language', async () => {
    const problems: string[] = [];
    const page = await openAdmin(problems);
    const faq = page.locator('.csat-faq tbody td:first-child');
    expect(await faq.allTextContents()).toContain('Jak wypowiedzieć umowę i zrezygnować?');
    const langs = await faq
      .locator('[lang]')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('lang')));
    expect(langs).toEqual(['en', 'en', 'en', 'pl']);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe('figures of too few ratings', () => {
  it('when an answer has one unlucky rating, then it does not top "Lowest rated FAQ answers": those with enough ratings come first, and the page says how it ranks', async () => {
    const problems: string[] = [];
    const page = await openAdmin(problems);
    expect(await page.locator('.csat-faq tbody td:first-child').allTextContents()).toEqual([
      'Why is my internet so slow?',
      'How do I change my Wi-Fi password?',
      'How do I cancel my subscription and end the service?',
      'Jak wypowiedzieć umowę i zrezygnować?',
    ]);
    await page
      .locator('.csat-faq')
      .getByText(t('en', 'admin.csatFaqOrder', { min: 5 }))
      .waitFor();
    // The judged answers show their count alone; the last two, rated once each, say they are too few to judge.
    const counts = page.locator('.csat-faq tbody tr td:nth-child(2)');
    expect(await counts.allTextContents()).toEqual([
      '10',
      '9',
      `1 ${t('en', 'admin.csatTooFew')}`,
      `1 ${t('en', 'admin.csatTooFew')}`,
    ]);
    expect(await page.locator('.csat-faq tbody tr td:nth-child(5)').first().textContent()).toBe(
      '10.8% to 60.3%',
    );
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('when an agent has one rating at 100%, then screen readers read "too few ratings to judge" with the count, in the page’s language', async () => {
    for (const locale of ['en-US', 'pl-PL']) {
      const language = locale.slice(0, 2);
      const problems: string[] = [];
      const page = await openAdmin(problems, 1280, locale);
      const ana = page.locator('.csat-agents tbody tr').filter({ hasText: ANA.name });
      await ana.getByRole('cell', { name: `1 ${t(language, 'admin.csatTooFew')}` }).waitFor();
      const self = page
        .locator('.csat-agents tbody tr')
        .filter({ hasText: t(language, 'admin.csatNoAgent') });
      expect(await self.locator('.csat-few').count()).toBe(0);
      await page
        .locator('.csat-agents')
        .getByText(t(language, 'admin.csatRangeNote', { min: 5 }))
        .waitFor();
      expect(problems).toEqual([]);
      await page.context().close();
    }
  });
});

describe('the CSAT tables on a phone', () => {
  it('when the page is 360 px wide, then every column of every table is on screen with its heading', async () => {
    const problems: string[] = [];
    const page = await openAdmin(problems, 360);
    for (const table of ['.csat-agents', '.csat-faq']) {
      const cells = page.locator(`${table} tbody td`);
      expect(await cells.count()).toBeGreaterThan(0);
      for (const cell of await cells.all()) {
        const box = await cell.boundingBox();
        expect(box).not.toBeNull();
        expect(box!.x).toBeGreaterThanOrEqual(0);
        expect(box!.x + box!.width).toBeLessThanOrEqual(360);
      }
      const labels = await cells.evaluateAll((tds) =>
        tds.map((td) => getComputedStyle(td, '::before').content),
      );
      expect(labels).toContain(`"${t('en', 'admin.csatResponseRate')}"`);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe('the CSAT CSV download', () => {
  /** The downloaded CSV's header row, from a browser set up for `locale`. */
  async function downloadedHeader(locale: string): Promise<string> {
    const problems: string[] = [];
    const page = await openAdmin(problems, 1280, locale);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: t(locale.slice(0, 2), 'admin.csatCsv') }).click(),
    ]);
    const file = await readFile(await download.path());
    expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(problems).toEqual([]);
    await page.context().close();
    return file.toString('utf8').slice(1).split('\r\n')[0] ?? '';
  }

  it('when the browser writes numbers 1,5 (Polish), then the cells are separated by semicolons, as Excel there splits them', async () => {
    expect(await downloadedHeader('pl-PL')).toMatch(/^createdAt;updatedAt;episodeId;/);
  });

  it('when the browser writes numbers 1.5 (English), then by commas', async () => {
    expect(await downloadedHeader('en-US')).toMatch(/^createdAt,updatedAt,episodeId,/);
  });
});
