import { launchBrowser } from '../helpers/browser';
import { readFileSync } from 'node:fs';
import { type Browser, type Page } from 'playwright-core';
import restify, { type Server } from 'restify';
import { fromRoot } from '../../core/paths';
import { createLogger } from '../../core/logger';
import { FaqMatcher } from '../../knowledge/matcher';
import { KnowledgeBase } from '../../knowledge/store';
import { registerAdminRoutes } from '../../server/adminRoutes';
import { StaffAuth } from '../../server/auth';
import { installErrorShape } from '../../server/http';
import { registerRatingRoutes } from '../../server/ratingRoutes';
import { registerAdminTexts, registerSharedAssets } from '../../server/sharedAssets';
import { testUnderstanding } from '../helpers/understanding';
import { openFeedback, surveyInput, type FeedbackFixture } from './setup';

jest.setTimeout(90_000);

const ADMIN_TOKEN = 'dashboard-admin-token-0123456789';
const HOSTILE_AGENT = '<img src=x onerror="window.pwned=1">';
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'";

let fx: FeedbackFixture;
let auth: StaffAuth;
let hostileAgentId: string;
let server: Server;
let base: string;
let browser: Browser;

/** Serves a file of the repository with the strict CSP of the admin page. */
function serveFile(path: string, file: string, type: string): void {
  server.get(path, (_req, res, next) => {
    res.sendRaw(200, readFileSync(fromRoot(file)), { 'content-type': type, 'content-security-policy': CSP });
    next();
  });
}

beforeAll(async () => {
  // Ratings of the last days, relative to now: the dashboard's default range is the last 30 days.
  fx = await openFeedback(new Date(Date.now() - 3 * 24 * 60 * 60_000));
  const rate = async (score: number, overrides: Parameters<typeof surveyInput>[0]) => {
    const input = surveyInput(overrides);
    await fx.feedback.openSurvey(input);
    await fx.feedback.submit({ episodeId: input.episodeId, customerId: input.customerId, score });
  };
  await rate(5, { locale: 'en', faqEntryId: 'faq-good' });
  fx.clock.advance(24 * 60 * 60_000);
  auth = new StaffAuth(fx.db, fx.clock, ADMIN_TOKEN);
  // The dashboard names staff by their token's name: here a hostile one.
  hostileAgentId = (await auth.issue(HOSTILE_AGENT, 'agent', 'admin')).id;
  await rate(4, { locale: 'pl', resolution: 'agent', agentId: hostileAgentId });
  fx.clock.advance(24 * 60 * 60_000);
  await rate(1, { locale: 'en', faqEntryId: 'faq-bad' });
  await fx.feedback.openSurvey(surveyInput({ locale: 'nb' }));

  server = restify.createServer();
  installErrorShape(server);
  server.use(restify.plugins.queryParser({ mapParams: false }));
  registerRatingRoutes(server, { auth, feedback: fx.feedback, log: createLogger('silent') });
  const kb = new KnowledgeBase(fx.db, new FaqMatcher(), fx.clock, { answer: 0.6, clarify: 0.32 }, 'en');
  registerAdminRoutes(server, {
    auth,
    kb,
    understanding: testUnderstanding(),
    log: createLogger('silent'),
    clock: fx.clock,
  });
  registerSharedAssets(server, { log: createLogger('silent') });
  registerAdminTexts(server, { log: createLogger('silent') });
  serveFile('/test', 'tests/feedback/dashboardPage.html', 'text/html; charset=utf-8');
  serveFile('/admin/dashboard.js', 'web/admin/dashboard.js', 'text/javascript; charset=utf-8');
  serveFile('/admin/dashboard.css', 'web/admin/dashboard.css', 'text/css; charset=utf-8');
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve());
  });
  base = `http://127.0.0.1:${server.address().port}`;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser.close();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
  });
  await fx.db.close();
});

/** Opens the test page with (or without) the admin token; collects console errors and CSP violations. */
async function open(token: string | null): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    const quiet = message.text().includes('401') || message.location().url.endsWith('/favicon.ico');
    if (message.type() === 'error' && !quiet) problems.push(`${message.text()} ${message.location().url}`);
  });
  page.on('pageerror', (err) => problems.push(err.message));
  await page.exposeFunction('reportViolation', (text: string) => problems.push(`csp: ${text}`));
  await page.addInitScript((value) => {
    if (value) sessionStorage.setItem('adminToken', value);
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as Window & { reportViolation?: (text: string) => void }).reportViolation;
      report?.(`${event.violatedDirective} ${event.blockedURI}`);
    });
  }, token);
  await page.goto(`${base}/test`);
  return { page, problems };
}

const tiles = (page: Page) => page.locator('.csat-tile-value').allTextContents();

describe('CSAT dashboard in a real browser', () => {
  it('when an admin opens it, then the figures, bars, trend and tables show under a strict CSP', async () => {
    const { page, problems } = await open(ADMIN_TOKEN);
    await page.locator('.csat-tile').first().waitFor();
    await page.locator('.csat-chart').waitFor();
    expect(await tiles(page)).toEqual(['66.7%', '3.33 / 5', '3', '75%']);
    expect(await page.locator('#csat-dashboard h2').allTextContents()).toEqual(['Satisfaction (CSAT)']);
    expect(await page.locator('.csat-bar-value').allTextContents()).toEqual([
      '1 (33.3%)',
      '1 (33.3%)',
      '0 (0%)',
      '0 (0%)',
      '1 (33.3%)',
    ]);
    expect(await page.locator('.csat-chart circle').count()).toBe(3);
    const agentCells = await page.locator('.csat-agents td').allTextContents();
    expect(agentCells).toContain(HOSTILE_AGENT);
    expect(agentCells).not.toContain(hostileAgentId);
    expect(await page.locator('#csat-dashboard img').count()).toBe(0);
    expect(await page.evaluate(() => (window as Window & { pwned?: number }).pwned)).toBeUndefined();
    const faqRows = await page.locator('.csat-faq tbody td:first-child').allTextContents();
    expect(faqRows).toEqual(['faq-bad', 'faq-good']);
    expect(problems).toEqual([]);
  });

  it('when the language filter is set, then the figures follow', async () => {
    const { page } = await open(ADMIN_TOKEN);
    await page.locator('.csat-tile').first().waitFor();
    await page.selectOption('select[name=locale]', 'pl');
    await page.click('button[type=submit]');
    await page.waitForFunction(() => document.querySelectorAll('.csat-tile-value')[2]?.textContent === '1');
    expect(await tiles(page)).toEqual(['100%', '4.00 / 5', '1', '100%']);
  });

  it('when nobody signed in, then it asks for an admin token', async () => {
    const { page } = await open(null);
    await page.getByText('Sign in with an admin token to see the ratings.').waitFor();
  });
});
