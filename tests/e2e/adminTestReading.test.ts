import type { Browser, Page } from 'playwright-core';
import { t } from '../../locales';
import { seedDemo } from '../../knowledge/seed';
import { launchBrowser, watchedPage } from '../helpers/browser';
import { ADMIN_TOKEN, startTestBot, type TestBot } from '../helpers/harness';

jest.setTimeout(120_000);

/**
 * The admin page's "Test a question" in Chromium, in Norwegian: a message the bot reads as something other than
 * a question (a complaint, a greeting) is said to get that path before the knowledge base is asked, next to the
 * entry the knowledge base alone would pick.
 */

let bot: TestBot;
let browser: Browser;
let page: Page;
const problems: string[] = [];

/** Known (tests/e2e/admin.test.ts): the CSAT dashboard asks for its figures before anyone signs in. */
const dashboardBeforeSignIn = /^console: .*status of 401/;

beforeAll(async () => {
  browser = await launchBrowser();
  bot = await startTestBot();
  await seedDemo(bot.app.kb);
  page = await watchedPage(browser, problems, { locale: 'nb-NO' });
  await page.goto(`${bot.url}/admin`);
  await page.getByLabel(t('nb', 'admin.adminToken')).fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: t('nb', 'staff.signIn') }).click();
  await page
    .locator('#status')
    .filter({ hasText: t('nb', 'admin.signedInStatus') })
    .waitFor();
});

afterAll(async () => {
  await browser?.close();
  await bot?.close();
});

async function testQuestion(text: string): Promise<void> {
  await page.getByLabel(t('nb', 'admin.question'), { exact: true }).fill(text);
  await page.locator('#test-locale').selectOption('nb');
  await page.getByRole('button', { name: t('nb', 'admin.test'), exact: true }).click();
}

describe('the admin test of a question, in Norwegian', () => {
  it('when the message reads as a complaint, then the page says customers get the complaint path before the knowledge base, with the confidence, and what the knowledge base alone would do', async () => {
    const text = 'regningen min er feil igjen, dette er helt latterlig!!';
    const reading = bot.app.understanding.message(text, 'nb');
    expect(reading.label).toBe('complaint');
    const percent = new Intl.NumberFormat('nb', { style: 'percent' }).format(reading.confidence);
    const notice = t('nb', 'admin.testReadComplaint', { percent });

    await testQuestion(text);
    await page.locator('#test-reading', { hasText: notice }).waitFor();
    const decision = (await page.locator('#test-decision').textContent()) ?? '';
    expect(decision.startsWith(t('nb', 'admin.testIfAsked', { decision: '' }))).toBe(true);
    await page.locator('#status', { hasText: notice }).waitFor();
    expect(await page.locator('#test-results li').count()).toBeGreaterThan(0);
  });

  it('when the message is a greeting, then the page says customers are greeted back; an ordinary question after it shows no notice and names the entry that answers', async () => {
    await testQuestion('hei');
    await page.locator('#test-reading', { hasText: t('nb', 'admin.testReadGreeting') }).waitFor();

    const question = 'hvordan betaler jeg regningen';
    const decided = bot.app.kb.decide(question, 'nb');
    if (decided.kind !== 'answer') throw new Error(`expected an answer, got ${decided.kind}`);
    await testQuestion(question);
    await page
      .locator('#test-decision', { hasText: t('nb', 'admin.decisionAnswer', { id: decided.best.entry.id }) })
      .waitFor();
    expect(await page.locator('#test-reading').isHidden()).toBe(true);
    expect(await page.locator('#test-decision').textContent()).toBe(
      t('nb', 'admin.decisionAnswer', { id: decided.best.entry.id }),
    );
    expect(problems.filter((p) => !dashboardBeforeSignIn.test(p))).toEqual([]);
  });
});
