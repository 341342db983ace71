import { type Browser, type Page } from 'playwright-core';
import type { RatingCommentDoc } from '../../feedback/types';
import { messagesOf, t, type MessageKey } from '../../locales';
import { launchBrowser, watchedPage } from '../helpers/browser';
import { ADMIN_TOKEN, startTestBot, type TestBot } from '../helpers/harness';

/**
 * The staff pages in a real browser, in the staff member's language: the admin page in Polish and Indonesian
 * without English left in what is shown, the CSAT comments list and its filter, the bot's markdown in the staff
 * console rendered safely, and an API error shown as localised text.
 */
jest.setTimeout(120_000);

const HOSTILE_SCRIPT = '<script>window.__xss = 1</script>';
const HOSTILE_IMG = '<img src=x onerror="window.__xss = 1">';

let bot: TestBot;
let browser: Browser;

beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
  browser = await launchBrowser();
  const rate = async (n: number, locale: string, score: number, comment: string) => {
    const input = {
      episodeId: `pages-ep-${n}`,
      conversationId: `pages-conv-${n}`,
      customerId: `pages-cust-${n}`,
      locale,
      channel: 'webchat',
      resolution: 'self-service' as const,
      faqEntryId: `${locale}-cancellation`,
    };
    await bot.app.feedback.openSurvey(input);
    await bot.app.feedback.submit({ episodeId: input.episodeId, customerId: input.customerId, score });
    await bot.app.feedback.comment({ episodeId: input.episodeId, customerId: input.customerId, text: 'x' });
    // Stored as given (the service strips HTML on the way in; the page must never render it either way).
    await bot.app.db
      .collection<RatingCommentDoc>('ratingComments')
      .updateOne({ _id: input.episodeId }, { $set: { text: comment } });
    bot.clock.advance(60_000);
  };
  await rate(1, 'en', 5, 'Quick and clear');
  await rate(2, 'pl', 1, `Nie da się anulować ${HOSTILE_IMG}`);
  await rate(3, 'pl', 4, 'Dobra odpowiedź');
  await rate(4, 'id', 1, 'Tidak membantu');
  await rate(5, 'pl', 1, `Nadal nie działa ${HOSTILE_SCRIPT}`);
});

afterAll(async () => {
  await browser?.close();
  await bot?.close();
});

const language = (tag: string) => tag.split('-')[0] ?? 'en';

async function openAdmin(browserLocale: string, problems: string[], token = ADMIN_TOKEN): Promise<Page> {
  const page = await watchedPage(browser, problems, { locale: browserLocale });
  const locale = language(browserLocale);
  await page.goto(`${bot.url}/admin`);
  await page.getByLabel(t(locale, 'admin.adminToken')).fill(token);
  await page.getByRole('button', { name: t(locale, 'staff.signIn') }).click();
  await page
    .locator('#status')
    .filter({ hasText: t(locale, 'admin.signedInStatus') })
    .waitFor();
  await page.locator('.csat-tile').first().waitFor();
  await page.locator('.csat-comment').first().waitFor();
  return page;
}

/** English texts of the staff pages that read differently in `locale` (long enough to be words, not codes). */
function englishLeftIn(locale: string, shown: string): string[] {
  const english = messagesOf('en');
  const local = messagesOf(locale);
  return [...english]
    .filter(([key]) => key.startsWith('admin.') || key.startsWith('staff.'))
    .map(([key, text]) => [text.split('{')[0]?.trim() ?? '', local.get(key) ?? ''] as const)
    .filter(([text, translated]) => text.length >= 8 && !translated.includes(text))
    .map(([text]) => text)
    .filter((text) => shown.includes(text));
}

/** Elements a reader meets first: each must show the catalog text of the page's language, not English. */
const KEY_ELEMENTS: Array<[selector: string, key: string]> = [
  ['h1', 'admin.pageTitle'],
  ['#entries-heading', 'admin.entriesHeading'],
  ['label[for=filter-q]', 'admin.search'],
  ['#new-entry', 'admin.newEntry'],
  ['#test-heading', 'admin.testHeading'],
  ['#unanswered-heading', 'admin.unansweredHeading'],
  ['#health-heading', 'admin.healthHeading'],
  ['#review-heading', 'admin.reviewHeading'],
  ['#transfer-heading', 'admin.transferHeading'],
  ['#import-apply', 'admin.importApply'],
  ['#tokens-heading', 'admin.tokensHeading'],
  ['#csat-heading', 'admin.csatHeading'],
  ['#csat-comments-heading', 'admin.commentsHeading'],
  ['#signout', 'staff.signOut'],
];

describe('the admin page in the staff member language', () => {
  it.each(['pl-PL', 'id-ID'])(
    'when the browser asks for %s, then every text shown is in that language',
    async (browserLocale) => {
      const locale = language(browserLocale);
      const problems: string[] = [];
      const page = await openAdmin(browserLocale, problems);
      expect(await page.locator('html').getAttribute('lang')).toBe(locale);
      for (const [selector, key] of KEY_ELEMENTS) {
        const text = (await page.locator(selector).first().textContent())?.trim();
        expect({ selector, text }).toEqual({ selector, text: t(locale, key as Parameters<typeof t>[1]) });
        expect({ selector, english: text === t('en', key as Parameters<typeof t>[1]) }).toEqual({
          selector,
          english: false,
        });
      }
      // Language names, not codes: in the filters and the entries table; the picker names each in its own.
      const polish = { pl: 'Polski', id: 'Polski' }[locale];
      const filterLanguages = await page.locator('#filter-locale option').allTextContents();
      expect(filterLanguages).toContain(polish);
      expect(filterLanguages).not.toContain('pl');
      await page.locator('#entries tbody tr').first().waitFor();
      const tableLanguages = new Set(await page.locator('#entries tbody td:nth-child(2)').allTextContents());
      expect(tableLanguages).toContain(polish);
      expect(tableLanguages).not.toContain('pl');
      expect(await page.locator('#page-language option').allTextContents()).toEqual([
        'English',
        'Bahasa Indonesia',
        'Norsk bokmål',
        'Polski',
      ]);

      // A dry-run import with a bad row: the report is worded in the page's language.
      await page.locator('#import-file').setInputFiles({
        name: 'faq.json',
        mimeType: 'application/json',
        buffer: Buffer.from(
          JSON.stringify({
            entries: [
              { id: `${locale}-new-one`, locale, questions: ['Nowe pytanie testowe?'], answer: 'Tak.' },
              { locale, questions: [], answer: '' },
            ],
          }),
        ),
      });
      await page.getByRole('button', { name: t(locale, 'admin.importCheck') }).click();
      await page
        .locator('#import-report-heading')
        .filter({ hasText: t(locale, 'admin.importDryHeading') })
        .waitFor();
      expect(await page.locator('#import-report-summary').textContent()).toBe(
        t(locale, 'admin.importDryCounts', { created: 1, updated: 0, unchanged: 0, skipped: 1 }),
      );
      expect(await page.locator('#import-skipped tbody td').allTextContents()).toEqual([
        '2',
        t(locale, 'admin.skipInvalid', {
          fields: [t(locale, 'admin.questions'), t(locale, 'admin.answer')].join(', '),
        }),
      ]);

      const shown = await page.locator('body').innerText();
      expect(englishLeftIn(locale, shown)).toEqual([]);
      expect(problems).toEqual([]);
      await page.context().close();
    },
  );

  it('when Polski is chosen in the picker of an English browser, then the page switches and stays Polish', async () => {
    const problems: string[] = [];
    const page = await openAdmin('en-US', problems);
    expect(await page.locator('h1').textContent()).toBe(t('en', 'admin.pageTitle'));
    await page.locator('#page-language').selectOption('pl');
    await page
      .locator('h1')
      .filter({ hasText: t('pl', 'admin.pageTitle') })
      .waitFor();
    // Still signed in after the reload, now in Polish.
    await page
      .locator('#signout')
      .filter({ hasText: t('pl', 'staff.signOut') })
      .waitFor();
    await page.locator('.csat-comment').first().waitFor();
    expect(englishLeftIn('pl', await page.locator('body').innerText())).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe('the admin page on a phone', () => {
  it('when the Polish admin page with its figures is shown 360 px wide, then the page never scrolls sideways', async () => {
    const problems: string[] = [];
    const page = await openAdmin('pl-PL', problems);
    await page.setViewportSize({ width: 360, height: 740 });
    await page.locator('.csat-table').first().waitFor();
    await page.locator('#entries tbody tr').first().waitFor();
    await expect(
      page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
    ).resolves.toBeLessThanOrEqual(0);
    // A table of figures wider than the phone scrolls within its own box.
    const figures = page.locator('.csat-table-wrap').first();
    expect((await figures.boundingBox())?.width).toBeLessThanOrEqual(360);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe('the admin page with the keyboard on a phone', () => {
  it('when the Polish entry editor is open 360 px wide, then every field is within the screen, and the dashboard’s date fields show the focus ring', async () => {
    const problems: string[] = [];
    const page = await openAdmin('pl-PL', problems);
    await page.setViewportSize({ width: 360, height: 740 });
    await page.getByRole('button', { name: t('pl', 'admin.editNamed', { id: 'pl-cancellation' }) }).click();
    await page.locator('#editor-heading', { hasText: 'pl-cancellation' }).waitFor();
    await expect(
      page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
    ).resolves.toBeLessThanOrEqual(0);
    for (const field of await page
      .locator('#entry-form input, #entry-form select, #entry-form textarea')
      .all()) {
      const box = await field.boundingBox();
      expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(360);
    }
    // A date field keeps its focus on its parts (day, month, year): the ring must still be drawn around it.
    const dates = page.locator('.csat-filters input[type=date]');
    await dates.nth(1).focus();
    await page.keyboard.press('Shift+Tab');
    const from = dates.first();
    await expect(from.evaluate((input) => input === document.activeElement)).resolves.toBe(true);
    await expect(from.evaluate((input) => getComputedStyle(input).outlineStyle)).resolves.toBe('solid');
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe('the latest comments on the CSAT dashboard', () => {
  it('when the admin filters by score and language, then the matching comments show as text, newest first', async () => {
    const problems: string[] = [];
    const page = await openAdmin('pl-PL', problems);
    const comments = page.locator('.csat-comment-text');
    expect(await comments.allTextContents()).toEqual([
      `Nadal nie działa ${HOSTILE_SCRIPT}`,
      'Tidak membantu',
      'Dobra odpowiedź',
      `Nie da się anulować ${HOSTILE_IMG}`,
      'Quick and clear',
    ]);
    // The language is the dashboard's own (the figures and the comments follow it); the score the comments'.
    const figures = page.locator('.csat-filters:not(.csat-comments-filter)');
    await figures.locator('select[name=locale]').selectOption('pl');
    await figures.getByRole('button', { name: t('pl', 'admin.csatShow') }).click();
    await page.waitForFunction(() => document.querySelectorAll('.csat-comment').length === 3);
    const section = page.locator('.csat-comments-section');
    await section.locator('select[name=score]').selectOption('1');
    await section.getByRole('button', { name: t('pl', 'admin.csatShow') }).click();
    await page.waitForFunction(() => document.querySelectorAll('.csat-comment').length === 2);
    expect(await comments.allTextContents()).toEqual([
      `Nadal nie działa ${HOSTILE_SCRIPT}`,
      `Nie da się anulować ${HOSTILE_IMG}`,
    ]);
    const meta = await page.locator('.csat-comment-meta').first().innerText();
    expect(meta).toContain('1 ★');
    expect(meta).toContain('Polski');
    // The answer as admins know it (as in "Lowest rated FAQ answers"): its first question, in its language.
    const question = bot.app.kb.get('pl-cancellation')?.questions[0] ?? '';
    expect(meta).toContain(t('pl', 'admin.commentAboutEntry', { entry: question }));
    expect(meta).not.toContain('pl-cancellation');
    await expect(
      page.locator('.csat-comment-meta').first().getByText(question).getAttribute('lang'),
    ).resolves.toBe('pl');
    expect(await page.locator('.csat-comments img, .csat-comments script').count()).toBe(0);
    expect(await page.evaluate(() => (window as Window & { __xss?: number }).__xss)).toBeUndefined();

    await section.locator('select[name=score]').selectOption('5');
    await section.getByRole('button', { name: t('pl', 'admin.csatShow') }).click();
    await page.locator('.csat-comments-section').getByText(t('pl', 'admin.commentsNone')).waitFor();
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe('an ended sign-in found by the CSAT dashboard or the review list', () => {
  it.each<[source: string, form: string, button: MessageKey]>([
    ['the dashboard’s figures', '.csat-filters:not(.csat-comments-filter)', 'admin.csatShow'],
    ['the dashboard’s comments', '.csat-comments-filter', 'admin.csatShow'],
    ['the review list', '#review-filter', 'staff.refresh'],
  ])(
    'when the admin token was revoked and the admin asks for %s again, then the page signs out with the message of the other pages, in the admin’s language',
    async (_source, form, button) => {
      const problems: string[] = [];
      const { id, token } = await bot.app.auth.issue('Leaving admin', 'admin', 'test');
      const page = await openAdmin('id-ID', problems, token);
      await bot.app.auth.revoke(id);
      await page
        .locator(form)
        .getByRole('button', { name: t('id', button) })
        .click();
      await page
        .locator('#status')
        .filter({ hasText: t('id', 'staff.signInExpired') })
        .waitFor();
      expect(await page.locator('#main').isHidden()).toBe(true);
      await expect(page.evaluate(() => sessionStorage.getItem('adminToken'))).resolves.toBeNull();
      await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('token');
      // The figures shown are gone with the sign-in.
      expect(await page.locator('.csat-tile, .csat-comment').count()).toBe(0);
      expect(problems.filter((problem) => !/status of 401/.test(problem))).toEqual([]);
      await page.context().close();
    },
  );
});

describe('the staff console', () => {
  const CUSTOMER = 'pages-console-customer';
  const BOT_LINES = [
    'Reply **yes** or **Skip**.',
    "I'll pass this message on:\n\n> my router blinks red",
    `Look: ${HOSTILE_SCRIPT} and ${HOSTILE_IMG} and [a link](javascript:window.__xss=1)`,
  ];

  async function openConsole(browserLocale: string, problems: string[], name: string): Promise<Page> {
    const locale = language(browserLocale);
    const { token } = await bot.app.auth.issue(name, 'agent', 'test');
    const page = await watchedPage(browser, problems, { locale: browserLocale });
    await page.goto(`${bot.url}/agent`);
    await page.getByLabel(t(locale, 'staff.staffToken')).fill(token);
    await page.getByRole('button', { name: t(locale, 'staff.signIn') }).click();
    await page.locator('#workspace').waitFor();
    return page;
  }

  it('when a case holds bot messages with markdown and markup, then they are rendered safely, never raw', async () => {
    await bot.say('hello', { conversationId: CUSTOMER, locale: 'pl-PL' });
    await bot.app.conversations.record(CUSTOMER, 'bot', BOT_LINES);
    await bot.app.handoff.open({
      conversationId: CUSTOMER,
      customerId: 'user-1',
      locale: 'pl',
      channel: 'webchat',
      reason: 'request',
      summary: 'Router',
    });
    const problems: string[] = [];
    const page = await openConsole('pl-PL', problems, 'Ola');
    const row = page.locator('#queue li', { hasText: 'Router' });
    await row.locator('button.take').click();
    const botLines = page.locator('#conversation li.from-bot .md');
    await botLines.first().waitFor();

    const first = botLines.filter({ hasText: 'Reply' });
    expect(await first.locator('strong').allTextContents()).toEqual(['yes', 'Skip']);
    expect(await first.innerText()).not.toContain('**');
    const quoted = botLines.filter({ hasText: 'pass this message on' });
    expect(await quoted.locator('blockquote').innerText()).toBe('my router blinks red');
    expect(await quoted.innerText()).not.toContain('>');

    const hostile = botLines.filter({ hasText: 'Look:' });
    expect(await hostile.innerText()).toContain(HOSTILE_SCRIPT);
    expect(await hostile.innerText()).toContain(HOSTILE_IMG);
    expect(await page.locator('#conversation script, #conversation img').count()).toBe(0);
    expect(await hostile.locator('a').count()).toBe(0);
    expect(await page.evaluate(() => (window as Window & { __xss?: number }).__xss)).toBeUndefined();
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it.each(['pl-PL', 'nb-NO'])(
    'when the staff API refuses an action (%s), then the console says why in the staff member language',
    async (browserLocale) => {
      const locale = language(browserLocale);
      const conversationId = `pages-error-${locale}`;
      await bot.say('hello', { conversationId });
      await bot.app.handoff.open({
        conversationId,
        customerId: `user-${locale}`,
        locale,
        channel: 'webchat',
        reason: 'request',
        summary: `Sprawa ${locale}`,
      });
      const problems: string[] = [];
      const page = await openConsole(browserLocale, problems, `Agent ${locale}`);
      const row = page.locator('#queue li', { hasText: `Sprawa ${locale}` });
      await row.locator('button.take').click();
      await page.locator('#messageText:enabled').waitFor();

      // Only markup: empty once HTML is removed, so the server refuses it (400 `bad_request`, English message).
      await page.locator('#messageText').fill('<b></b>');
      await page.locator('#sendButton').click();
      await page
        .locator('#notice')
        .filter({ hasText: t(locale, 'staff.notSent', { message: t(locale, 'staff.error.bad_request') }) })
        .waitFor();
      expect(await page.locator('#notice').textContent()).not.toMatch(/empty|HTML/);
      expect(problems.filter((p) => !/status of 400/.test(p))).toEqual([]);
      await page.context().close();
    },
  );
});
