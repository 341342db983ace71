import type { Browser, Locator, Page } from 'playwright-core';
import { t } from '../../locales';
import type { FaqDoc } from '../../knowledge/store';
import { launchBrowser, shown, shownFirst, watchedPage } from '../helpers/browser';
import { ADMIN_TOKEN, startTestBot, texts, type TestBot } from '../helpers/harness';
import { MARKUP, SANITIZER_BYPASSES } from './arbitraries';

/**
 * Issue 12, fuzz suite: stored markup is never rendered as HTML. FAQ entries, unanswered questions, token and
 * agent names, customer and agent messages, case summaries and rating comments carrying script, event handlers
 * and javascript: links are shown in the admin page, the staff console and Web Chat (headless Chromium). Every
 * piece of markup carries `data-xss` and sets `window.__xss` if it ran: neither may appear, no CSP violation may
 * be reported, and the hostile text must be visible as text (so the check is not vacuous).
 */

jest.setTimeout(120_000);

const WAIT = { timeout: 30_000 };
/** All the markup at once, as markdown paragraphs. */
const PAYLOAD = MARKUP.join('\n\n');
/** Markup that fits short fields (names, categories, questions). */
const SHORT = '<img data-xss src=x onerror="window.__xss=1">';
const AGENT_NAME = `Eve ${SHORT}`;
const BOT_NAME = 'Markup Test Help';

let bot: TestBot;
let browser: Browser;
let agentToken = '';
let plainAgentToken = '';
/** What the pages of the current test reported (console errors, CSP violations). */
let problems: string[] = [];

beforeAll(async () => {
  bot = await startTestBot({ WEBCHAT_BOT_NAME: BOT_NAME });
  browser = await launchBrowser();
  const api = async (path: string, body: unknown, token = ADMIN_TOKEN): Promise<unknown> => {
    const response = await bot.api(path, { method: 'POST', body: JSON.stringify(body), token });
    expect(response.status).toBeLessThan(300);
    return response.json();
  };

  // Questions of distinct words: with the calibration per knowledge base, questions that differ in one word
  // only ("Where is the giraffe/zebra?") leave no margin, and the bot asks which one was meant.
  // An entry saved through the admin API (sanitised on save) and one as an older version or a direct
  // database edit may have left it (raw markup in every field).
  await api('/api/admin/faq', {
    id: 'en-markup-saved',
    locale: 'en',
    category: SHORT,
    questions: [
      `How tall does a giraffe grow? ${SHORT}`,
      'How tall does a giraffe grow?',
      ...MARKUP.map((m) => `saved ${m}`),
    ],
    answer: `Saved markup answer.\n\n${PAYLOAD}`,
  });
  await api('/api/admin/faq', {
    id: 'en-markup-bypass',
    locale: 'en',
    questions: ['Which burrows do wombats dig?'],
    answer: `Bypass markup answer.\n\n${SANITIZER_BYPASSES.join('\n\n')}`,
  });
  const raw: FaqDoc = {
    _id: 'en-markup-raw',
    topic: 'markup-raw',
    locale: 'en',
    category: SHORT,
    questions: [
      `Why are zebras striped black and white? ${SHORT}`,
      'Why are zebras striped black and white?',
    ],
    answer: `Raw markup answer.\n\n${PAYLOAD}`,
    enabled: true,
    version: 1,
    updatedAt: bot.clock.now(),
    updatedBy: SHORT,
  };
  await bot.app.db.collection<FaqDoc>('faq').insertOne(raw);
  await bot.app.kb.load();
  await bot.app.kb.recordUnanswered(`unanswered ${SHORT}`, 'en', 0.1);
  await api('/api/admin/tokens', { name: `Token ${SHORT}`, role: 'agent' });
  plainAgentToken = ((await api('/api/admin/tokens', { name: 'Eve', role: 'agent' })) as { token: string })
    .token;
  agentToken = ((await api('/api/admin/tokens', { name: AGENT_NAME, role: 'agent' })) as { token: string })
    .token;

  // A customer asks for a person with markup in the description; an agent named with markup takes the case
  // and writes markup back.
  const customer = { conversationId: 'markup-customer', userId: 'markup-customer-user' };
  await bot.say(`hello ${SHORT}`, customer);
  await bot.say('I want to talk to a human', customer);
  await bot.say(`Customer says ${PAYLOAD}`.slice(0, 1000), customer);
  await bot.say(t('en', 'common.skip'), customer);
  await bot.say(t('en', 'common.yes'), customer);
  const [queued] = await bot.app.handoff.list({ status: 'queued' });
  expect(queued?.conversationId).toBe(customer.conversationId);
  const caseId = queued?.id ?? '';
  await api(`/api/agent/cases/${caseId}/take`, {}, agentToken);
  await api(
    `/api/agent/cases/${caseId}/messages`,
    { text: `Agent says ${PAYLOAD}`.slice(0, 4000) },
    agentToken,
  );

  // A low rating with a markup comment becomes a call-back ticket (with a contact) for staff to get back to.
  const rater = { conversationId: 'markup-rater', userId: 'markup-rater-user' };
  for (const text of ['How tall does a giraffe grow?', 'yes', 'no', '1']) await bot.say(text, rater);
  expect(texts(await bot.say('Rating comment: the parcel came late <u data-xss>again</u>', rater))).toContain(
    `${t('en', 'feedback.commentThanks')} ${t('en', 'feedback.callbackOffer')}`,
  );
  for (const text of [t('en', 'common.yes'), 'rater@example.com', t('en', 'common.yes')])
    await bot.say(text, rater);
});

beforeEach(() => {
  problems = [];
});

afterEach(async () => {
  for (const context of browser.contexts()) await context.close();
});

afterAll(async () => {
  await browser?.close();
  await bot?.close();
});

/** No markup element, no script run, no inline script or handler blocked by the CSP. */
async function expectInert(page: Page): Promise<void> {
  expect(await page.evaluate(() => (window as Window & { __xss?: unknown }).__xss)).toBeUndefined();
  const rendered = '[data-xss], script:not([src]), iframe, [onerror], [onload], a[href^="javascript:" i]';
  const elements = await page
    .locator(rendered)
    .evaluateAll((found) => found.map((element) => element.outerHTML.slice(0, 300)));
  expect(elements).toEqual([]);
  expect(problems.filter((problem) => problem.startsWith('csp:'))).toEqual([]);
}

/** The visible element showing `text` literally. */
const literal = (page: Page, text: string) =>
  page.getByText(text, { exact: false }).filter({ visible: true }).first();

describe('stored markup in the pages', () => {
  it('when the admin page lists, previews and shows the history of entries with markup, then it is only text', async () => {
    const page = await watchedPage(browser, problems);
    await page.goto(`${bot.url}/admin`);
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Signed in.').waitFor(WAIT);
    await literal(page, `Why are zebras striped black and white? ${SHORT}`).waitFor(WAIT);
    await literal(page, `unanswered ${SHORT}`).waitFor(WAIT);
    await literal(page, `Token ${SHORT}`).waitFor(WAIT);

    await page.getByRole('button', { name: 'Edit en-markup-raw' }).click();
    await page.locator('#preview', { hasText: 'Raw markup answer.' }).waitFor(WAIT);
    await literal(page, '<script data-xss>').waitFor(WAIT);
    await page.getByRole('button', { name: 'History' }).click();
    await expectInert(page);

    await page.getByRole('button', { name: 'Edit en-markup-saved' }).click();
    await page.locator('#preview', { hasText: 'Saved markup answer.' }).waitFor(WAIT);
    await page.getByRole('button', { name: 'History' }).click();
    await page.locator('#history-list summary').first().click();
    await literal(page, 'How tall does a giraffe grow? <img data-xss src=x').waitFor(WAIT);
    await expectInert(page);
  });

  it('when the staff console shows cases, transcripts and messages with markup, then it is only text', async () => {
    const page = await watchedPage(browser, problems);
    await page.goto(`${bot.url}/agent`);
    await page.getByLabel('Staff token').fill(agentToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Live', { exact: true }).waitFor(WAIT);
    // (The low rating's call-back is a ticket, not a queued chat: the follow-up inbox of issue #13 shows it.)
    await page.getByRole('button', { name: /^Open: Customer says/ }).click();
    const conversation = page.locator('#conversation');
    await conversation
      .locator('li.from-customer', { hasText: 'Customer says <script data-xss>' })
      .waitFor(WAIT);
    await conversation.locator('li.from-customer', { hasText: `hello ${SHORT}` }).waitFor(WAIT);
    await conversation.locator('li.from-agent', { hasText: 'Agent says' }).waitFor(WAIT);
    await literal(page, AGENT_NAME).waitFor(WAIT);
    await page
      .getByLabel('Message to the customer')
      .fill(`Console says ${SHORT} [x](javascript:window.__xss=1)`);
    await page.getByRole('button', { name: 'Send' }).click();
    await conversation.locator('li.from-agent', { hasText: 'Console says' }).waitFor(WAIT);
    await expectInert(page);
  });

  /** Opens Web Chat, asks `question` and waits for `answer` and the "did this help" question. */
  /**
   * A customer opens Web Chat and waits for the bot's welcome before typing, as people do (typing into a send box
   * that is still connecting can fail on a busy machine); returns the page and its send box.
   */
  async function openWebChat(): Promise<{ page: Page; input: Locator }> {
    const page = await watchedPage(browser, problems);
    await page.goto(`${bot.url}/`);
    await shown(page, shownFirst(t('en', 'common.welcome', { botName: BOT_NAME }))).waitFor(WAIT);
    const input = page.locator('[data-id="webchat-sendbox-input"]');
    await input.waitFor(WAIT);
    return { page, input };
  }

  async function askInWebChat(question: string, answer: string): Promise<Page> {
    const { page, input } = await openWebChat();
    await input.fill(question);
    await input.press('Enter');
    await page.getByText(answer).filter({ visible: true }).first().waitFor(WAIT);
    await page.getByText(t('en', 'faq.wasHelpful')).filter({ visible: true }).first().waitFor(WAIT);
    return page;
  }

  it('when Web Chat shows a knowledge-base answer with markup saved through the admin API, then nothing of it is rendered as HTML', async () => {
    await expectInert(await askInWebChat('How tall does a giraffe grow?', 'Saved markup answer.'));
  });

  // Found by this suite: links an earlier sanitiser let through (Web Chat rendered `[r\]ef]: javascript:…` as a
  // link), and raw HTML of a message put into the live page before cleaning (stopped only by the page's CSP).
  it('when Web Chat shows an answer with links the sanitiser used to miss, then nothing of it is rendered as HTML', async () => {
    await expectInert(await askInWebChat('Which burrows do wombats dig?', 'Bypass markup answer.'));
  });

  it('when Web Chat shows a knowledge-base answer with raw markup, then nothing of it is rendered as HTML', async () => {
    const page = await askInWebChat('Why are zebras striped black and white?', 'Raw markup answer.');
    await expectInert(page);
    await literal(page, '[ref]: javascript:window.__xss=1').waitFor(WAIT);
  });

  /** A customer in Web Chat asks for a person with `description`; the agent of `token` takes the case and writes markup. */
  async function agentWritesInWebChat(token: string, description: string): Promise<Page> {
    const { page, input } = await openWebChat();
    const suggested = (label: string) =>
      page.locator('.webchat__suggested-actions').getByRole('button', { name: label, exact: true });
    const type = async (text: string) => {
      await input.fill(text);
      await input.press('Enter');
    };
    await type('I want to talk to a human');
    // Web Chat shows typographic apostrophes.
    const ack = t('en', 'handoff.ackRequest').replaceAll("'", '\u2019');
    await page.getByText(ack).filter({ visible: true }).first().waitFor(WAIT);
    await type(description);
    await suggested(t('en', 'common.skip')).click(WAIT);
    await suggested(t('en', 'common.yes')).click(WAIT);
    let caseId: string | undefined;
    while (caseId === undefined) {
      caseId = (await bot.app.handoff.list({ status: 'queued' })).find((c) => c.summary === description)?.id;
      if (caseId === undefined) await page.waitForTimeout(100);
    }
    const post = (path: string, body: unknown) =>
      bot.api(`/api/agent/cases/${caseId}/${path}`, { method: 'POST', body: JSON.stringify(body), token });
    expect((await post('take', {})).status).toBe(200);
    expect((await post('messages', { text: `Agent says ${PAYLOAD}`.slice(0, 4000) })).status).toBe(201);
    await page.getByText('Agent says').filter({ visible: true }).first().waitFor(WAIT);
    return page;
  }

  it('when an agent writes markup to a customer in Web Chat, then the customer sees only text', async () => {
    await expectInert(await agentWritesInWebChat(plainAgentToken, 'My okapi is lost'));
  });

  // Found by this suite: the agent's name ("… joined") and the customer's own description (read back before
  // sending) reached Web Chat as raw HTML, stopped only by the CSP.
  it('when the agent is named with markup and the customer described the problem with markup, then Web Chat shows only text', async () => {
    const page = await agentWritesInWebChat(agentToken, `My tapir is lost ${SHORT}`);
    await expectInert(page);
    // Shown as written (Web Chat only makes the quotes typographic).
    await literal(page, 'Eve <img data-xss src=x onerror=').waitFor(WAIT);
    await literal(page, 'My tapir is lost <img data-xss src=x onerror=').waitFor(WAIT);
  });
});
