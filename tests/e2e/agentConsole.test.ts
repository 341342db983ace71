import { launchBrowser, watchedPage } from '../helpers/browser';
import { type Browser, type Page } from 'playwright-core';
import { t } from '../../locales';
import { ConnectorStandIn } from '../helpers/connector';
import { ADMIN_TOKEN, startTestBot, type TestBot } from '../helpers/harness';

jest.setTimeout(90_000);

const CUSTOMER = 'console-customer-1';
const HOSTILE = '<b>x</b><script>window.pwned = true</script>';
const HOSTILE_SCRIPT = '<script>window.pwned = true</script>';
const HOSTILE_IMG = '<img src=x onerror="window.pwned = true">';

let bot: TestBot;
let browser: Browser;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  bot = await startTestBot();
  browser = await launchBrowser();
  page = await watchedPage(browser, problems);
});

afterAll(async () => {
  await browser?.close();
  await bot?.close();
});

/** A customer conversation (its first message `says`) with a case waiting in the queue. */
async function queueCase(
  conversationId: string,
  customerId: string,
  summary: string,
  {
    locale = 'en',
    reason = 'request',
    says = 'hello',
  }: { locale?: string; reason?: 'request' | 'complaint'; says?: string } = {},
) {
  await bot.say(says, { conversationId });
  return bot.app.handoff.open({ conversationId, customerId, locale, channel: 'webchat', reason, summary });
}

/** Signs in on the console with a token. */
async function signIn(on: Page, token: string): Promise<void> {
  await on.getByLabel('Staff token').fill(token);
  await on.getByRole('button', { name: 'Sign in' }).click();
}

describe('staff console', () => {
  it('when a wrong token is entered, then sign-in is refused', async () => {
    await page.goto(`${bot.url}/agent`);
    await signIn(page, 'not-a-token');
    await page.getByRole('alert').getByText('no longer valid').waitFor();
    expect(await page.getByRole('heading', { name: /Waiting/ }).isVisible()).toBe(false);
  });

  it('when an agent signs in, takes a live case, chats and resolves, then everything is shown as text', async () => {
    const { token } = await bot.app.auth.issue('Ana', 'agent', 'test');
    await signIn(page, token);
    await page.getByText('Nobody is waiting right now.').waitFor();
    await page.getByText('Live', { exact: true }).waitFor();
    // Keyboard focus moved from the sign-in form to the queue.
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('queueHeading');

    // A customer asks for help while the console is open: the case appears without a reload.
    await queueCase(CUSTOMER, 'user-1', `Parcel lost ${HOSTILE}`, { locale: 'pl', reason: 'complaint' });
    const row = page.locator('#queue li', { hasText: 'Parcel lost' });
    await row.waitFor();
    await expect(row.innerText()).resolves.toContain('Polish');
    await expect(row.locator('.summary').textContent()).resolves.toBe(`Parcel lost ${HOSTILE}`);

    await row.getByRole('button', { name: /^Take/ }).click();
    await page.getByText('Taken by Ana').waitFor();
    await bot.connector.waitFor(
      () => bot.connector.textsTo(CUSTOMER).some((t) => t.includes('Ana')),
      'the customer told that Ana joined',
    );

    // The customer writes HTML: the agent sees it literally.
    await bot.say(HOSTILE, { conversationId: CUSTOMER });
    const conversation = page.locator('#conversation');
    await conversation.locator('li.from-customer', { hasText: HOSTILE }).waitFor();
    expect(await conversation.locator('b').count()).toBe(0);

    // The agent writes markup: the customer gets the text without it, the console shows what was sent.
    await page
      .getByLabel('Message to the customer')
      .fill('Hello <b>there</b><script>window.pwned = true</script>');
    await page.getByRole('button', { name: 'Send' }).click();
    await conversation.locator('li.from-agent', { hasText: 'Hello there' }).waitFor();
    await bot.connector.waitFor(
      () => bot.connector.textsTo(CUSTOMER).includes('Hello there'),
      'the agent message at the customer',
    );
    expect(await page.evaluate(() => (window as Window & { pwned?: boolean }).pwned)).toBeUndefined();

    await page.getByRole('button', { name: 'Resolve' }).click();
    await page.getByText('Resolved: the customer is back with the bot.').waitFor();
    expect((await bot.app.handoff.list({ status: 'resolved' })).map((c) => c.conversationId)).toContain(
      CUSTOMER,
    );
    expect(await page.locator('#queue li').count()).toBe(0);
  });

  it('when a second agent takes a case someone else took, then they are told someone else took it', async () => {
    const { caseDoc } = await queueCase('console-customer-2', 'user-2', 'Second case');
    const row = page.locator('#queue li', { hasText: 'Second case' });
    await row.waitFor();
    // Bob is faster: his take lands just before Ana's request reaches the server.
    await page.route('**/take', async (route) => {
      await bot.app.handoff.take(caseDoc.id, { id: 'bob', name: 'Bob' });
      await route.continue();
    });
    await row.getByRole('button', { name: /^Take/ }).click();
    await page.getByText(/Someone else took it/).waitFor();
    // The row with the pressed button is gone: the keyboard is back at the queue, not lost on the page.
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('queueHeading');
    await page.unroute('**/take');
    await page.locator('#assigned li', { hasText: 'Bob' }).waitFor();
  });

  it('when the customer’s channel refuses connections, then take and resolve stand and the agent is told the customer was not', async () => {
    const closed = new ConnectorStandIn();
    const refusing = await closed.start();
    await closed.stop();
    await bot.send(
      { type: 'message', text: 'hello', serviceUrl: refusing },
      { conversationId: 'console-customer-3' },
    );
    await bot.app.handoff.open({
      conversationId: 'console-customer-3',
      customerId: 'user-3',
      locale: 'en',
      channel: 'webchat',
      reason: 'request',
      summary: 'Unreachable for now',
    });
    const row = page.locator('#queue li', { hasText: 'Unreachable for now' });
    await row.getByRole('button', { name: /^Take/ }).click();
    await page.getByText(t('en', 'staff.notDelivered')).waitFor();
    await page.getByText('Taken by Ana').waitFor();
    await page.getByRole('button', { name: 'Resolve' }).click();
    await page
      .getByText(`Resolved: the customer is back with the bot. ${t('en', 'staff.notDelivered')}`)
      .waitFor();
  });

  it('when the browser prefers Indonesian, then the console speaks Indonesian', async () => {
    const indonesian = await watchedPage(browser, problems, { locale: 'id-ID' });
    await indonesian.goto(`${bot.url}/agent`);
    await indonesian.getByRole('heading', { name: 'Konsol dukungan' }).waitFor();
    expect(await indonesian.locator('html').getAttribute('lang')).toBe('id');
    expect(await indonesian.title()).toBe('Konsol dukungan');
    const { token } = await bot.app.auth.issue('Sari', 'agent', 'test');
    await indonesian.getByLabel('Token staf').fill(token);
    await indonesian.getByRole('button', { name: 'Masuk' }).click();
    await indonesian.getByText('Langsung', { exact: true }).waitFor();
    // Bob's case from above, in progress.
    await indonesian.locator('#assigned li', { hasText: 'ditangani Bob' }).waitFor();

    await queueCase('console-customer-3', 'user-3', 'Internet mati', { locale: 'pl', reason: 'complaint' });
    const row = indonesian.locator('#queue li', { hasText: 'Internet mati' });
    await row.waitFor();
    const meta = await row.locator('.meta').innerText();
    expect(meta).toContain('prioritas');
    expect(meta).toContain('Keluhan');
    expect(meta).toContain('menunggu');
    await row.getByRole('button', { name: 'Ambil: Internet mati' }).click();
    await indonesian.getByText('Diambil oleh Sari').waitFor();
    await expect(indonesian.locator('#caseFacts').innerText()).resolves.toContain('Menunggu sejak');
    await indonesian.getByRole('button', { name: 'Selesaikan' }).click();
    await indonesian.getByText('Selesai: pelanggan kembali dilayani bot.').waitFor();
    await indonesian.context().close();
  });

  it.each([
    ['webchat', 'staff.channelWebchat'],
    ['msteams', 'staff.channelTeams'],
    ['emulator', undefined],
  ] as const)(
    'when a case came from the %s channel, then the console names the channel in its language (Polish here)',
    async (channel, key) => {
      const conversationId = `console-channel-${channel}`;
      const summary = `Kanał ${channel}`;
      await bot.say('cześć', { conversationId, channelId: channel, locale: 'pl' });
      await bot.app.handoff.open({
        conversationId,
        customerId: `user-${channel}`,
        locale: 'pl',
        channel,
        reason: 'request',
        summary,
      });
      const polish = await watchedPage(browser, problems, { locale: 'pl-PL' });
      await polish.goto(`${bot.url}/agent`);
      await polish.getByLabel(t('pl', 'staff.staffToken')).fill(ADMIN_TOKEN);
      await polish.getByRole('button', { name: t('pl', 'staff.signIn') }).click();
      await polish.getByRole('button', { name: t('pl', 'staff.takeCase', { summary }) }).click();
      const facts = polish.locator('#caseFacts');
      await facts.getByText(t('pl', 'staff.channel'), { exact: true }).waitFor();
      const shown = await facts.locator('dt:has-text("Kanał") + dd').innerText();
      expect(shown).toBe(key ? t('pl', key) : channel);
      await polish.getByRole('button', { name: t('pl', 'staff.resolve') }).click();
      await polish.context().close();
    },
  );

  it('when a case is opened while the console reloads its lists, then the lists read before it do not hide it', async () => {
    const staff = await watchedPage(browser, problems);
    // The console reads the queue at sign-in and again when its live stream opens. The second read is answered by
    // the server at once but handed to the page only after a case was opened and its event shown.
    let queueReads = 0;
    let readHeld!: () => void;
    const held = new Promise<void>((resolve) => (readHeld = resolve));
    let handOver!: () => void;
    const handedOver = new Promise<void>((resolve) => (handOver = resolve));
    await staff.route('**/api/agent/cases?status=queued', async (route) => {
      queueReads += 1;
      if (queueReads !== 2) return route.continue();
      const response = await route.fetch();
      readHeld();
      await handedOver;
      await route.fulfill({ response });
    });
    await staff.goto(`${bot.url}/agent`);
    const { token } = await bot.app.auth.issue('Dan', 'agent', 'test');
    await signIn(staff, token);
    await held;

    await queueCase('console-customer-4', 'user-4', 'Opened during a reload', { reason: 'complaint' });
    const row = staff.locator('#queue li', { hasText: 'Opened during a reload' });
    await row.waitFor();
    const answered = staff.waitForResponse((response) =>
      response.url().endsWith('/api/agent/cases?status=queued'),
    );
    handOver();
    await answered;
    // The page applies the older lists right after they arrive; give it a moment to do so.
    await staff.waitForTimeout(500);
    expect(await row.count()).toBe(1);
    await staff.close();
  });

  it('when the console asks who is signed in, then /api/agent/me names the token’s member, and refuses without one', async () => {
    const { id, token } = await bot.app.auth.issue('Gus', 'agent', 'test');
    const agent = await bot.api('/api/agent/me', { token });
    expect(agent.status).toBe(200);
    await expect(agent.json()).resolves.toEqual({ id, name: 'Gus', role: 'agent' });
    const admin = await bot.api('/api/agent/me', { token: ADMIN_TOKEN });
    await expect(admin.json()).resolves.toMatchObject({ role: 'admin' });
    expect((await fetch(`${bot.url}/api/agent/me`)).status).toBe(401);
  });

  it('when an agent opens a case another agent took, then it is read-only; an admin may act on it', async () => {
    // Bob's case from above, in progress; Ana is signed in.
    const controls = (on: Page) => [
      on.getByLabel('Message to the customer'),
      on.getByRole('button', { name: 'Send' }),
      on.getByRole('button', { name: 'Resolve' }),
      on.getByRole('button', { name: 'Release' }),
    ];
    await page
      .locator('#assigned li', { hasText: 'Second case' })
      .getByRole('button', { name: /^Open/ })
      .click();
    await page.getByText(t('en', 'staff.stateAssignedReadOnly', { agent: 'Bob' })).waitFor();
    for (const control of controls(page)) await expect(control.isDisabled()).resolves.toBe(true);

    const admin = await watchedPage(browser, problems);
    await admin.goto(`${bot.url}/agent`);
    await signIn(admin, ADMIN_TOKEN);
    await admin
      .locator('#assigned li', { hasText: 'Second case' })
      .getByRole('button', { name: /^Open/ })
      .click();
    await admin.getByText('Taken by Bob', { exact: true }).waitFor();
    for (const control of controls(admin)) await expect(control.isEnabled()).resolves.toBe(true);
    await admin.close();
  });

  it('when a case cannot be opened (the network fails), then the agent is told so in their language', async () => {
    const seen: string[] = [];
    const staff = await watchedPage(browser, seen, { locale: 'pl-PL' });
    await staff.goto(`${bot.url}/agent`);
    const { token } = await bot.app.auth.issue('Jon', 'agent', 'test');
    await staff.getByLabel(t('pl', 'staff.staffToken')).fill(token);
    await staff.getByRole('button', { name: t('pl', 'staff.signIn') }).click();
    await staff.route(
      (url) => /^\/api\/agent\/cases\/[^/]+$/.test(url.pathname),
      (route) => route.abort(),
    );
    // Bob's case from above, in progress.
    await staff
      .locator('#assigned li', { hasText: 'Second case' })
      .getByRole('button', { name: new RegExp(`^${t('pl', 'staff.open')}`) })
      .click();
    await staff.locator('#notice', { hasText: t('pl', 'staff.error.network') }).waitFor();
    expect(await staff.locator('#casePanel').isHidden()).toBe(true);
    expect(seen.filter((problem) => problem.startsWith('page error'))).toEqual([]);
    await staff.close();
  });

  it('when the lists change while a Take button has the keyboard focus, then it keeps the focus and Enter takes that case', async () => {
    const staff = await watchedPage(browser, problems);
    await staff.goto(`${bot.url}/agent`);
    const { token } = await bot.app.auth.issue('Kai', 'agent', 'test');
    await signIn(staff, token);
    await staff.getByText('Live', { exact: true }).waitFor();
    await queueCase('console-focus-1', 'user-focus-1', 'Focus stays here');
    const take = staff.getByRole('button', { name: 'Take: Focus stays here' });
    // The first case's own events may still redraw the list: focus the button once it is no longer replaced.
    // Read in one step in the page: a locator's evaluate() finds the button first and runs later, when a redraw
    // may have replaced it.
    const hasFocus = () =>
      staff.evaluate(() => document.activeElement?.getAttribute('aria-label') === 'Take: Focus stays here');
    for (let tries = 0; tries < 20; tries++) {
      await take.focus();
      await staff.waitForTimeout(100);
      if (await hasFocus()) break;
    }
    await expect(hasFocus()).resolves.toBe(true);
    // A new case arrives: both lists are drawn anew.
    await queueCase('console-focus-2', 'user-focus-2', 'Another one arrives');
    await staff.locator('#queue li', { hasText: 'Another one arrives' }).waitFor();
    await expect(hasFocus()).resolves.toBe(true);
    await staff.keyboard.press('Enter');
    await staff.locator('#caseHeading', { hasText: 'Focus stays here' }).waitFor();
    await staff.getByText('Taken by Kai').waitFor();
    await staff.getByRole('button', { name: 'Resolve' }).click();
    await staff.getByRole('button', { name: 'Take: Another one arrives' }).click();
    await staff.locator('#caseHeading', { hasText: 'Another one arrives' }).waitFor();
    await staff.getByRole('button', { name: 'Resolve' }).click();
    await staff.locator('#casePanel').waitFor({ state: 'hidden' });
    await staff.close();
  });

  it('when a customer writes a long unbroken word, then it wraps and the case stays within the window', async () => {
    const long = `https://example.com/track?parcel=${'A1b2C3d4'.repeat(60)}`;
    await queueCase('console-customer-9', 'user-9', long, { says: long });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page
      .locator('#queue li', { hasText: 'example.com' })
      .getByRole('button', { name: /^Take/ })
      .click();
    await page.getByText('Taken by Ana').waitFor();
    const send = await page.getByRole('button', { name: 'Send' }).boundingBox();
    expect(send).not.toBeNull();
    expect((send?.x ?? 0) + (send?.width ?? 0)).toBeLessThanOrEqual(1280);
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(
      1280,
    );
    await page.getByRole('button', { name: 'Resolve' }).click();
    await page.getByText('Resolved: the customer is back with the bot.').waitFor();
  });

  it('when the live stream reconnects, then the open case shows what the customer wrote meanwhile, and the reply draft and a closing note stay', async () => {
    // The stream's reconnection waits until the test lets it through.
    let streams = 0;
    let letThrough!: () => void;
    const back = new Promise<void>((resolve) => (letThrough = resolve));
    const staff = await watchedPage(browser, problems);
    await staff.route('**/api/agent/events?*', async (route) => {
      streams += 1;
      if (streams > 1) await back;
      await route.continue();
    });
    await staff.goto(`${bot.url}/agent`);
    const { token } = await bot.app.auth.issue('Eva', 'agent', 'test');
    await signIn(staff, token);
    await staff.getByText('Live', { exact: true }).waitFor();
    await queueCase('console-customer-5', 'user-5', 'Lost while reconnecting');
    await staff
      .locator('#queue li', { hasText: 'Lost while reconnecting' })
      .getByRole('button', { name: /^Take/ })
      .click();
    await staff.getByText('Taken by Eva').waitFor();
    const draft = staff.getByLabel('Message to the customer');
    await draft.fill('Half-written reply');
    // A closing note half-typed in the follow-up inbox.
    await bot.say('Call me back', { conversationId: 'console-customer-6' });
    const { id } = await bot.app.followups.open({
      conversationId: 'console-customer-6',
      customerId: 'user-6',
      channel: 'webchat',
      locale: 'en',
      reason: 'left-message',
      summary: 'Call me back',
      contact: [{ kind: 'email', value: 'six@example.com' }],
    });
    const note = staff.locator(`#followups li[data-followup-id="${id}"]`).getByLabel('Note (what was done)');
    await note.fill('Phoned, no answer');

    // The connection drops (as at a server restart): the customer writes while the stream is down.
    bot.app.server.server.closeAllConnections();
    await staff.getByText(t('en', 'staff.reconnecting'), { exact: true }).waitFor();
    await bot.say('Are you still there?', { conversationId: 'console-customer-5' });
    await bot.say('Call me too', { conversationId: 'console-customer-7' });
    await bot.app.followups.open({
      conversationId: 'console-customer-7',
      customerId: 'user-7',
      channel: 'webchat',
      locale: 'en',
      reason: 'left-message',
      summary: 'Opened while down',
      contact: [{ kind: 'phone', value: '+47 22 00 00 07' }],
    });
    letThrough();
    await staff.getByText('Live', { exact: true }).waitFor();
    await staff.locator('#conversation li.from-customer', { hasText: 'Are you still there?' }).waitFor();
    await expect(draft.inputValue()).resolves.toBe('Half-written reply');
    // The inbox was reloaded as well (it shows the follow-up opened meanwhile), and the note is still there.
    await staff.locator('#followups li', { hasText: 'Opened while down' }).waitFor();
    await expect(note.inputValue()).resolves.toBe('Phoned, no answer');
    await staff.close();
  });

  it('when a send is refused because the token was revoked, then the agent is signed out cleanly and the draft is kept', async () => {
    const seen: string[] = [];
    const staff = await watchedPage(browser, seen);
    await staff.goto(`${bot.url}/agent`);
    const first = await bot.app.auth.issue('Finn', 'agent', 'test');
    await signIn(staff, first.token);
    await staff.getByText('Live', { exact: true }).waitFor();
    await queueCase('console-customer-8', 'user-8', 'Sent as the token goes');
    const take = staff
      .locator('#queue li', { hasText: 'Sent as the token goes' })
      .getByRole('button', { name: /^Take/ });
    await take.click();
    await staff.getByText('Taken by Finn').waitFor();

    // An admin revokes Finn's token just before his message reaches the server.
    await staff.route('**/messages', async (route) => {
      await bot.app.auth.revoke(first.id);
      await route.continue();
    });
    await staff.getByLabel('Message to the customer').fill('Your refund is on its way');
    await staff.getByRole('button', { name: 'Send' }).click();
    const alert = staff.getByRole('alert');
    await alert.getByText(t('en', 'staff.signInExpired')).waitFor();
    await staff.unroute('**/messages');
    await expect(staff.locator('#notice').textContent()).resolves.toBe('');
    await expect(alert.textContent()).resolves.toBe(
      `${t('en', 'staff.signInExpired')} ${t('en', 'staff.draftKept')}`,
    );
    expect(seen.filter((problem) => problem.startsWith('page error'))).toEqual([]);

    // Signed in again, he takes the case back (the revocation queued it) and finds his message waiting.
    const second = await bot.app.auth.issue('Finn', 'agent', 'test');
    await signIn(staff, second.token);
    await take.click();
    await staff.getByText('Taken by Finn').waitFor();
    await expect(staff.getByLabel('Message to the customer').inputValue()).resolves.toBe(
      'Your refund is on its way',
    );
    await staff.close();
  });

  it('when an agent types a reply in one case and opens another, then each case keeps its own draft, sending clears only its own, and Enter pressed twice sends once', async () => {
    const staff = await watchedPage(browser, problems);
    await staff.goto(`${bot.url}/agent`);
    const { token } = await bot.app.auth.issue('Hana', 'agent', 'test');
    await signIn(staff, token);
    await staff.getByText('Live', { exact: true }).waitFor();
    await queueCase('console-draft-a', 'user-draft-a', 'Draft case A');
    await queueCase('console-draft-b', 'user-draft-b', 'Draft case B');
    const box = staff.getByLabel('Message to the customer');
    const shownCase = (summary: string) => staff.locator('#caseHeading', { hasText: summary }).waitFor();
    const take = async (summary: string) => {
      await staff.locator('#queue li', { hasText: summary }).getByRole('button', { name: /^Take/ }).click();
      await shownCase(summary);
    };
    const open = async (summary: string) => {
      await staff
        .locator('#assigned li', { hasText: summary })
        .getByRole('button', { name: /^Open/ })
        .click();
      await shownCase(summary);
    };

    await take('Draft case A');
    await box.fill('Meant for A only');
    await take('Draft case B');
    await expect(box.inputValue()).resolves.toBe('');
    await box.fill('Meant for B');
    await open('Draft case A');
    await expect(box.inputValue()).resolves.toBe('Meant for A only');

    // Sent in B: B's draft is gone, A's stays; nothing reached A's customer.
    await open('Draft case B');
    await expect(box.inputValue()).resolves.toBe('Meant for B');
    // Enter pressed again while the reply is on its way: it is sent once (counted at the end of the test).
    let letGo!: () => void;
    const held = new Promise<void>((resolve) => (letGo = resolve));
    await staff.route('**/messages', async (route) => {
      await held;
      await route.continue();
    });
    const first = staff.waitForRequest('**/messages');
    await box.press('Enter');
    await first;
    await box.press('Enter');
    letGo();
    await staff.locator('#conversation li.from-agent', { hasText: 'Meant for B' }).waitFor();
    await staff.unroute('**/messages');
    await expect(box.inputValue()).resolves.toBe('');
    await bot.connector.waitFor(
      () => bot.connector.textsTo('console-draft-b').includes('Meant for B'),
      'the reply at B',
    );
    await staff.getByRole('button', { name: 'Back to the list' }).click();
    await open('Draft case A');
    await expect(box.inputValue()).resolves.toBe('Meant for A only');
    expect(bot.connector.textsTo('console-draft-a').filter((text) => text.startsWith('Meant'))).toEqual([]);
    await open('Draft case B');
    await expect(box.inputValue()).resolves.toBe('');

    // A's draft is sent, and B opened before the answer comes: it lands in A, B's new draft stays.
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    await staff.route('**/messages', async (route) => {
      await answered;
      await route.continue();
    });
    await open('Draft case A');
    const sending = staff.waitForRequest('**/messages');
    await box.press('Enter');
    await sending;
    await open('Draft case B');
    await box.fill('Second for B');
    // The page clears its notice once it has handled the answer: a notice now tells when that happened.
    const notice = staff.locator('#notice', { hasText: 'Draft case C' });
    await queueCase('console-draft-c', 'user-draft-c', 'Draft case C');
    await notice.waitFor();
    answer();
    await notice.waitFor({ state: 'detached' });
    await staff.unroute('**/messages');
    expect(bot.connector.textsTo('console-draft-a')).toContain('Meant for A only');
    await expect(box.inputValue()).resolves.toBe('Second for B');
    await expect(box.isEnabled()).resolves.toBe(true);
    expect(await staff.locator('#conversation').innerText()).not.toContain('Meant for A only');
    await staff.getByRole('button', { name: 'Resolve' }).click();
    await open('Draft case A');
    await expect(box.inputValue()).resolves.toBe('');
    await staff.locator('#conversation li.from-agent', { hasText: 'Meant for A only' }).waitFor();
    await staff.getByRole('button', { name: 'Resolve' }).click();
    expect(bot.connector.textsTo('console-draft-b').filter((text) => text === 'Meant for B')).toHaveLength(1);
    await staff.getByText('Resolved: the customer is back with the bot.').waitFor();
    await staff.close();
  });

  it('when a case and a follow-up hold agent and bot markdown and markup, then the console shows them as the customer saw them, and the markup stays inert', async () => {
    const stored = `Stored as is: ${HOSTILE_IMG} ${HOSTILE_SCRIPT}`;
    await bot.say('hello', { conversationId: 'console-md' });
    await bot.app.conversations.record('console-md', 'bot', ['Reply **yes** or **no**.']);
    await bot.app.conversations.record('console-md', 'agent', [stored]);
    await queueCase('console-md', 'user-md', 'Markdown case', { says: 'hi again' });
    const staff = await watchedPage(browser, problems);
    await staff.goto(`${bot.url}/agent`);
    const { token } = await bot.app.auth.issue('Ines', 'agent', 'test');
    await signIn(staff, token);
    await staff
      .locator('#queue li', { hasText: 'Markdown case' })
      .getByRole('button', { name: /^Take/ })
      .click();
    await staff.getByText('Taken by Ines').waitFor();
    const conversation = staff.locator('#conversation');
    const botLine = conversation.locator('li.from-bot', { hasText: 'Reply' });
    expect(await botLine.locator('strong').allTextContents()).toEqual(['yes', 'no']);
    const raw = conversation.locator('li.from-agent', { hasText: 'Stored as is' });
    await expect(raw.innerText()).resolves.toContain(`${HOSTILE_IMG} ${HOSTILE_SCRIPT}`);

    // Angle brackets that are no HTML are kept, escaped, on save; the customer reads them without the backslash.
    await staff
      .getByLabel('Message to the customer')
      .fill(`Reply with <your number> or **Skip**. ${HOSTILE_IMG}${HOSTILE_SCRIPT}`);
    await staff.getByRole('button', { name: 'Send' }).click();
    const sent = conversation.locator('li.from-agent', { hasText: 'Reply with' });
    await sent.waitFor();
    await expect(sent.locator('.text').innerText()).resolves.toBe('Reply with <your number> or Skip.');
    expect(await sent.locator('strong').allTextContents()).toEqual(['Skip']);

    // The same lines in a follow-up's conversation.
    const { id } = await bot.app.followups.open({
      conversationId: 'console-md',
      customerId: 'user-md',
      channel: 'webchat',
      locale: 'en',
      reason: 'left-message',
      summary: 'Markdown follow-up',
      contact: [{ kind: 'email', value: 'md@example.com' }],
      transcript: [
        { from: 'bot', text: 'Reply **yes** or **no**.', at: new Date() },
        { from: 'agent', text: 'Send \\<your number\\> and **the date**.', at: new Date() },
        { from: 'agent', text: stored, at: new Date() },
      ],
    });
    const row = staff.locator(`#followups li[data-followup-id="${id}"]`);
    await row.getByText('Conversation').click();
    const agentLine = row.locator('li.from-agent', { hasText: 'Send' });
    await agentLine.waitFor();
    await expect(agentLine.locator('.text').innerText()).resolves.toBe('Send <your number> and the date.');
    expect(await agentLine.locator('strong').allTextContents()).toEqual(['the date']);
    expect(await row.locator('li.from-bot strong').allTextContents()).toEqual(['yes', 'no']);
    await expect(row.locator('li.from-agent', { hasText: 'Stored as is' }).innerText()).resolves.toContain(
      `${HOSTILE_IMG} ${HOSTILE_SCRIPT}`,
    );

    expect(await staff.locator('#conversation, #followups').locator('img, script, b').count()).toBe(0);
    expect(await staff.evaluate(() => (window as Window & { pwned?: boolean }).pwned)).toBeUndefined();
    await staff.getByRole('button', { name: 'Resolve' }).click();
    await staff.getByText('Resolved: the customer is back with the bot.').waitFor();
    await staff.close();
  });

  it('when the token is revoked while the console is idle, then the agent is signed out with a clear message in their language', async () => {
    const seen: string[] = [];
    const staff = await watchedPage(browser, seen, { locale: 'nb-NO' });
    await staff.goto(`${bot.url}/agent`);
    const { id, token } = await bot.app.auth.issue('Ivar', 'agent', 'test');
    await staff.getByLabel(t('nb', 'staff.staffToken')).fill(token);
    await staff.getByRole('button', { name: t('nb', 'staff.signIn') }).click();
    await staff.getByText(t('nb', 'staff.live'), { exact: true }).waitFor();

    await bot.app.auth.revoke(id);
    await staff.getByRole('alert').getByText(t('nb', 'staff.signInExpired')).waitFor();
    expect(await staff.locator('#workspace').isHidden()).toBe(true);
    await expect(staff.locator('#connection').textContent()).resolves.toBe('');
    await expect(staff.evaluate(() => sessionStorage.getItem('agentToken'))).resolves.toBeNull();
    await expect(staff.evaluate(() => document.activeElement?.id)).resolves.toBe('token');
    expect(seen.filter((problem) => !/status of 401/.test(problem))).toEqual([]);
    await staff.close();
  });

  it('when the server restarts behind a proxy that refuses the stream meanwhile, then the console says it is reconnecting, comes back by itself and shows the case queued meanwhile', async () => {
    const seen: string[] = [];
    const staff = await watchedPage(browser, seen);
    await staff.goto(`${bot.url}/agent`);
    const { token } = await bot.app.auth.issue('Liv', 'agent', 'test');
    await signIn(staff, token);
    await staff.getByText('Live', { exact: true }).waitFor();

    // The restart: the stream drops, the proxy in front answers 503 twice, then the app is back (once the test
    // has queued a case while the stream was down).
    let refused = 0;
    let tried!: () => void;
    const triedAgain = new Promise<void>((resolve) => (tried = resolve));
    let back!: () => void;
    const isBack = new Promise<void>((resolve) => (back = resolve));
    await staff.route('**/api/agent/events?*', async (route) => {
      if (refused < 2) {
        refused += 1;
        await route.fulfill({ status: 503, contentType: 'text/plain', body: 'Service Unavailable' });
        return;
      }
      tried();
      await isBack;
      await route.continue();
    });
    bot.app.server.server.closeAllConnections();
    const connection = staff.locator('#connection');
    await connection.getByText(t('en', 'staff.reconnecting'), { exact: true }).waitFor();
    await queueCase('console-restart-1', 'user-restart-1', 'Queued during the restart');
    await triedAgain;
    expect(refused).toBe(2);
    await expect(connection.textContent()).resolves.toBe(t('en', 'staff.reconnecting'));
    back();
    await connection.getByText(t('en', 'staff.live'), { exact: true }).waitFor();
    await staff.locator('#queue li', { hasText: 'Queued during the restart' }).waitFor();
    expect(seen.filter((problem) => !/status of 503|ERR_INCOMPLETE_CHUNKED_ENCODING/.test(problem))).toEqual(
      [],
    );
    await staff.close();
  });

  it('when the live stream keeps failing, then the console tries again by itself several times and only then asks to reload; back online, it reconnects', async () => {
    const seen: string[] = [];
    const staff = await watchedPage(browser, seen);
    // The waits between tries run on the page's clock, moved on by the test.
    await staff.clock.install();
    await staff.goto(`${bot.url}/agent`);
    const { token } = await bot.app.auth.issue('Mia', 'agent', 'test');
    await signIn(staff, token);
    const connection = staff.locator('#connection');
    await connection.getByText(t('en', 'staff.live'), { exact: true }).waitFor();

    let tries = 0;
    await staff.route('**/api/agent/events?*', (route) => {
      tries += 1;
      return route.fulfill({ status: 502, contentType: 'text/plain', body: 'Bad Gateway' });
    });
    bot.app.server.server.closeAllConnections();
    await connection.getByText(t('en', 'staff.reconnecting'), { exact: true }).waitFor();
    const stopped = connection.getByText(t('en', 'staff.liveStopped'), { exact: true });
    // Each failed try is followed by a wait before the next one; time moves on a second at a time.
    for (let second = 0; second < 1000 && !(await stopped.isVisible()); second += 1) {
      await staff.clock.runFor(1000);
    }
    await stopped.waitFor();
    // It tried six times before asking (and a refused try is not retried by the browser itself).
    expect(tries).toBe(6);
    // Having asked to reload, the page does not try again by itself.
    await staff.clock.runFor(10 * 60_000);
    expect(tries).toBe(6);
    await staff.unroute('**/api/agent/events?*');

    // The network comes back: the stream is tried again at once.
    await staff.context().setOffline(true);
    await staff.context().setOffline(false);
    await connection.getByText(t('en', 'staff.live'), { exact: true }).waitFor();
    expect(
      seen.filter(
        (problem) => !/status of 502|ERR_INCOMPLETE_CHUNKED_ENCODING|ERR_INTERNET_DISCONNECTED/.test(problem),
      ),
    ).toEqual([]);
    await staff.close();
  });

  it('when the sign-in expires with a reply and a closing note half-typed, then signing in again (even after a reload) brings both back, and Sign out forgets them', async () => {
    const seen: string[] = [];
    const staff = await watchedPage(browser, seen);
    await staff.goto(`${bot.url}/agent`);
    const first = await bot.app.auth.issue('Ola', 'agent', 'test');
    await signIn(staff, first.token);
    await staff.getByText('Live', { exact: true }).waitFor();
    await queueCase('console-keep-1', 'user-keep-1', 'Kept over the sign-in');
    const take = staff
      .locator('#queue li', { hasText: 'Kept over the sign-in' })
      .getByRole('button', { name: /^Take/ });
    await take.click();
    await staff.getByText('Taken by Ola').waitFor();
    const box = staff.getByLabel('Message to the customer');
    await box.fill('Half a reply');
    await bot.say('Please call', { conversationId: 'console-keep-2' });
    const { id } = await bot.app.followups.open({
      conversationId: 'console-keep-2',
      customerId: 'user-keep-2',
      channel: 'webchat',
      locale: 'en',
      reason: 'left-message',
      summary: 'Note kept over the sign-in',
      contact: [{ kind: 'email', value: 'keep@example.com' }],
    });
    const note = staff.locator(`#followups li[data-followup-id="${id}"]`).getByLabel('Note (what was done)');
    await note.fill('Half a note');

    // The sign-in ends (the token is revoked), and the page is even reloaded before Ola signs in again.
    await bot.app.auth.revoke(first.id);
    await staff.getByRole('alert').getByText(t('en', 'staff.signInExpired')).waitFor();
    await staff.reload();
    const second = await bot.app.auth.issue('Ola', 'agent', 'test');
    await signIn(staff, second.token);
    await expect(note.inputValue()).resolves.toBe('Half a note');
    // The revocation put the case back in the queue: taken again, it shows the reply as it was.
    await take.click();
    await staff.getByText('Taken by Ola').waitFor();
    await expect(box.inputValue()).resolves.toBe('Half a reply');

    // Sign out: both are gone for good.
    await staff.getByRole('button', { name: 'Sign out' }).click();
    await signIn(staff, second.token);
    await staff.getByText('Live', { exact: true }).waitFor();
    await staff
      .locator('#assigned li', { hasText: 'Kept over the sign-in' })
      .getByRole('button', { name: /^Open/ })
      .click();
    await staff.locator('#caseHeading', { hasText: 'Kept over the sign-in' }).waitFor();
    await expect(box.inputValue()).resolves.toBe('');
    await expect(note.inputValue()).resolves.toBe('');
    await expect(staff.evaluate(() => sessionStorage.getItem('agentDrafts'))).resolves.not.toContain('Half');

    // A note sent (the follow-up closed) is not kept either.
    await staff
      .locator(`#followups li[data-followup-id="${id}"]`)
      .getByRole('button', { name: /^Claim/ })
      .click();
    await note.fill('Called back, sorted');
    await staff
      .locator(`#followups li[data-followup-id="${id}"]`)
      .getByRole('button', { name: /^Close/ })
      .click();
    await staff.locator(`#followups li[data-followup-id="${id}"]`).waitFor({ state: 'detached' });
    await expect(staff.evaluate(() => sessionStorage.getItem('agentDrafts'))).resolves.not.toContain(
      'Called',
    );
    await staff.getByRole('button', { name: 'Resolve' }).click();
    await staff.getByText('Resolved: the customer is back with the bot.').waitFor();
    expect(seen.filter((problem) => !/status of 401/.test(problem))).toEqual([]);
    await staff.close();
  });

  it('when a customer whose case waits without a description writes what it is about, then the queue shows it in place of "(no description)"', async () => {
    const staff = await watchedPage(browser, problems);
    await staff.goto(`${bot.url}/agent`);
    const { token } = await bot.app.auth.issue('Ida', 'agent', 'test');
    await signIn(staff, token);
    await staff.getByText('Live', { exact: true }).waitFor();
    const { caseDoc } = await queueCase('console-described', 'user-described', '', {
      says: 'I want to talk to a human',
    });
    const row = staff.locator(`#queue li[data-case-id="${caseDoc.id}"]`);
    await row.locator('.summary', { hasText: t('en', 'staff.noDescription') }).waitFor();
    await bot.say('My parcel went to the wrong address', { conversationId: 'console-described' });
    await row.locator('.summary', { hasText: 'My parcel went to the wrong address' }).waitFor();
    expect(await row.getByRole('button').getAttribute('aria-label')).toBe(
      t('en', 'staff.takeCase', { summary: 'My parcel went to the wrong address' }),
    );
    await staff.close();
  });

  it('never logs an error or a CSP violation (besides the refusals and dropped streams provoked above)', () => {
    const provoked =
      /Failed to load resource: (the server responded with a status of (401|409)|net::ERR_INCOMPLETE_CHUNKED_ENCODING)/;
    expect(problems.filter((problem) => !provoked.test(problem))).toEqual([]);
  });
});
