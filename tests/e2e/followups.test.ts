import { randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder';
import type { Browser, Page } from 'playwright-core';
import { FOLLOWUP_VERBS } from '../../cards/followupCard';
import { t } from '../../locales';
import { launchBrowser, watchedPage } from '../helpers/browser';
import { startTestBot, texts, type TestBot } from '../helpers/harness';
import { untilSaturdayNoon } from '../storage/manualClock';
import { ANA, BOB, CHANNEL, mention, teamsActivity, thread, type Person } from '../staff/teams';

/**
 * The follow-up inbox through the whole app: a message left out of hours (Polish customer), a case that timed
 * out in the queue (Norwegian customer, with what they wrote while waiting) and a low-rating call-back (English,
 * through the survey dialog) each reach the staff API, the Teams escalation channel (cards on the recording
 * connector) and the staff console in Chromium (English and Polish), with contact, score and transcript; claim
 * once, close with a note.
 */
jest.setTimeout(180_000);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface FollowupJson {
  id: string;
  conversationId: string;
  reason: string;
  summary: string;
  contact: Array<{ kind: string; value: string }>;
  score?: number;
  comment?: string;
  locale: string;
  createdAt: string;
  status: string;
  claimedBy: { id: string; name: string } | null;
  note?: string;
  caseId?: string;
  transcript?: Array<{ from: string; text: string }>;
}

const PL = { conversationId: 'fu-pl', userId: 'fu-user-pl', locale: 'pl-PL' };
const NB = { conversationId: 'fu-nb', userId: 'fu-user-nb', locale: 'nb-NO' };
const EN = { conversationId: 'fu-en', userId: 'fu-user-en', locale: 'en-US' };

let bot: TestBot;
let ana: string;
let bob: string;

beforeAll(async () => {
  bot = await startTestBot({ BUSINESS_HOURS: 'Mon-Fri 08:00-18:00', BUSINESS_TIMEZONE: 'UTC' });
  bot.clock.advance(untilSaturdayNoon(bot.clock.now()));
  ana = (await bot.app.auth.issue('Ana', 'agent', 'test')).token;
  bob = (await bot.app.auth.issue('Bob', 'agent', 'test')).token;
  // The staff team's escalation channel receives the cards.
  const post = thread('fu-setup');
  await bot.post(teams(ANA, post, mention('set escalation channel')));
  await bot.connector.waitFor(() => bot.connector.textsTo(post).length > 0, 'the channel confirmation');
});
afterAll(async () => {
  await bot?.close();
});

function teams(from: Person, conversationId: string, activity: Partial<Activity>): Partial<Activity> {
  return teamsActivity(bot.connector.url, from, conversationId, activity);
}

async function openList(token = ana, query = ''): Promise<FollowupJson[]> {
  const response = await bot.api(`/api/agent/followups${query}`, { token });
  expect(response.status).toBe(200);
  return (await response.json()) as FollowupJson[];
}

async function followupOf(conversationId: string): Promise<FollowupJson> {
  const found = (await openList()).find((f) => f.conversationId === conversationId);
  if (!found) throw new Error(`no open follow-up for ${conversationId}`);
  const detail = await bot.api(`/api/agent/followups/${found.id}`, { token: ana });
  expect(detail.status).toBe(200);
  return (await detail.json()) as FollowupJson;
}

/** The follow-up cards posted (POST) or updated in place (PUT) in the escalation channel, as JSON text. */
const cards = (method: 'POST' | 'PUT', followupId: string): string[] =>
  bot.connector.sent
    .filter((r) => r.conversationId === CHANNEL && r.method === method)
    .flatMap((r) => r.activity.attachments ?? [])
    .map((a) => JSON.stringify(a.content))
    .filter((json) => json.includes(`"followupId":"${followupId}"`));

async function cardOf(followupId: string): Promise<string> {
  await bot.connector.waitFor(() => cards('POST', followupId).length > 0, 'the follow-up card');
  return cards('POST', followupId)[0] ?? '';
}

const post = (path: string, token: string | undefined, body: unknown): Promise<Response> =>
  bot.api(path, { method: 'POST', body: JSON.stringify(body), ...(token ? { token } : {}) });

describe('the three sources reach the inbox and Teams', () => {
  it('when a Polish customer leaves a message out of hours, then a follow-up carries their e-mail and the conversation', async () => {
    await bot.say('Faktura za marzec jest za wysoka', PL);
    const { caseDoc, withinHours } = await bot.app.handoff.open({
      conversationId: PL.conversationId,
      customerId: PL.userId,
      locale: 'pl',
      channel: 'webchat',
      reason: 'request',
      summary: 'Proszę o kontakt w sprawie faktury',
      contact: { email: 'jan@example.pl' },
    });
    expect(withinHours).toBe(false);

    const f = await followupOf(PL.conversationId);
    expect(f).toMatchObject({
      reason: 'left-message',
      summary: 'Proszę o kontakt w sprawie faktury',
      contact: [{ kind: 'email', value: 'jan@example.pl' }],
      locale: 'pl',
      status: 'open',
      claimedBy: null,
      caseId: caseDoc.id,
    });
    expect(f.transcript?.map((l) => l.text)).toContain('Faktura za marzec jest za wysoka');

    const card = await cardOf(f.id);
    for (const shown of ['jan@example.pl', 'Faktura za marzec jest za wysoka', 'Message left out of hours'])
      expect(card).toContain(shown);
    expect(card).toContain(`"verb":"${FOLLOWUP_VERBS.claim}"`);
  });

  it('when a Norwegian customer’s case times out in the queue, then the follow-up has their phone and what they wrote while waiting', async () => {
    bot.clock.advance(45 * HOUR); // Monday 09:00: open
    await bot.say('Internett er nede', NB);
    const { caseDoc } = await bot.app.handoff.open({
      conversationId: NB.conversationId,
      customerId: NB.userId,
      locale: 'nb',
      channel: 'webchat',
      reason: 'complaint',
      summary: 'Internett er nede igjen',
      contact: { phone: '+47 912 34 567' },
    });
    expect(caseDoc.status).toBe('queued');
    await bot.say('Hallo? Er det noen der?', NB);
    expect(await openList().then((l) => l.some((f) => f.conversationId === NB.conversationId))).toBe(false);

    bot.clock.advance(11 * 60_000);
    expect(await bot.app.sweeps.expireCases()).toBe(1);
    const f = await followupOf(NB.conversationId);
    expect(f).toMatchObject({
      reason: 'queue-timeout',
      contact: [{ kind: 'phone', value: '+47 912 34 567' }],
      locale: 'nb',
    });
    expect(f.transcript?.map((l) => l.text)).toEqual(
      expect.arrayContaining(['Internett er nede', 'Hallo? Er det noen der?']),
    );
    const card = await cardOf(f.id);
    expect(card).toContain('+47 912 34 567');
    expect(card).toContain('Nobody took the case in time');
  });

  it('when an English customer rates 1 and accepts the call-back, then the follow-up carries the score and comment', async () => {
    await bot.say('my internet is down', EN);
    await bot.say('thanks', EN);
    await bot.say('1', EN);
    await bot.say('Nobody could fix it', EN);
    await bot.say('yes', EN); // the call-back: the bot asks how to reach the customer
    await bot.say('sam@example.com', EN);
    expect(texts(await bot.say('yes', EN))).toEqual([
      `${t('en', 'handoff.ticketSaved')} ${t('en', 'handoff.ticketReplySoon')}`,
    ]);

    const f = await followupOf(EN.conversationId);
    expect(f).toMatchObject({
      reason: 'low-rating',
      score: 1,
      comment: 'Nobody could fix it',
      locale: 'en',
      contact: [{ kind: 'email', value: 'sam@example.com' }],
    });
    expect(f.transcript?.map((l) => l.text)).toContain('my internet is down');
    const card = await cardOf(f.id);
    // The card shows the last lines of the conversation; the API gives all of it.
    for (const shown of ['1/5', 'Nobody could fix it', 'Recent conversation', 'Call-back after a low rating'])
      expect(card).toContain(shown);
  });

  it('when the open list is read, then it is oldest first with the fields the console needs', async () => {
    const list = await openList();
    expect(list.map((f) => f.conversationId)).toEqual([
      PL.conversationId,
      NB.conversationId,
      EN.conversationId,
    ]);
    for (const f of list) {
      expect(Object.keys(f)).toEqual(
        expect.arrayContaining([
          'id',
          'conversationId',
          'reason',
          'summary',
          'contact',
          'locale',
          'createdAt',
          'status',
          'claimedBy',
        ]),
      );
      expect(f).not.toHaveProperty('transcript');
      expect(f).not.toHaveProperty('customerId');
    }
    // In Teams, a message left out of hours is only a follow-up card (no second, button-less case card); a case
    // that timed out had its case card first, now showing where it went.
    const posted = (caseId: string) =>
      bot.connector.sent.filter(
        (r) => r.conversationId === CHANNEL && JSON.stringify(r.activity).includes(`"caseId":"${caseId}"`),
      );
    const [left, timedOut] = list;
    expect(posted(left?.caseId ?? '')).toEqual([]);
    await bot.connector.waitFor(
      () =>
        posted(timedOut?.caseId ?? '').some((r) => JSON.stringify(r.activity).includes('in the follow-ups')),
      'the timed-out case card updated',
    );
  });
});

describe('claim once, close with a note: the staff API', () => {
  it('when two agents claim the same follow-up, then the first gets 200 and the second 409', async () => {
    const { id } = await followupOf(PL.conversationId);
    const [first, second] = [
      await post(`/api/agent/followups/${id}/claim`, ana, {}),
      await post(`/api/agent/followups/${id}/claim`, bob, {}),
    ];
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ status: 'claimed', claimedBy: { name: 'Ana' } });
    expect(second.status).toBe(409);
    expect((await openList()).find((f) => f.id === id)).toMatchObject({ claimedBy: { name: 'Ana' } });
  });

  it('when claims race, then exactly one wins', async () => {
    const { id } = await followupOf(NB.conversationId);
    const statuses = await Promise.all(
      [ana, bob, ana, bob].map(
        async (token) => (await post(`/api/agent/followups/${id}/claim`, token, {})).status,
      ),
    );
    expect(statuses.sort()).toEqual([200, 409, 409, 409]);
  });

  it('when someone else closes a claimed follow-up, then 403; when the claimer closes it with a note, it leaves the list and keeps the note', async () => {
    const { id } = await followupOf(PL.conversationId);
    expect((await post(`/api/agent/followups/${id}/close`, bob, { note: 'Done' })).status).toBe(403);
    const closed = await post(`/api/agent/followups/${id}/close`, ana, {
      note: 'Called Jan, invoice corrected',
    });
    expect(closed.status).toBe(200);
    expect((await openList()).map((f) => f.id)).not.toContain(id);
    const history = await openList(ana, '?status=closed');
    expect(history.find((f) => f.id === id)).toMatchObject({
      status: 'closed',
      note: 'Called Jan, invoice corrected',
      closedBy: { name: 'Ana' },
    });
    expect((await post(`/api/agent/followups/${id}/close`, ana, { note: 'again' })).status).toBe(409);
    await bot.connector.waitFor(
      () => cards('PUT', id).some((card) => card.includes('Called Jan, invoice corrected')),
      'the card updated with the note',
    );
  });

  it('when input is malformed or the caller is not staff, then 400, 401 or 404 and nothing changes', async () => {
    const { id } = await followupOf(EN.conversationId);
    expect((await bot.api('/api/agent/followups', { token: 'nope-not-a-token' })).status).toBe(401);
    expect((await bot.api('/api/agent/followups?status[$ne]=x', { token: ana })).status).toBe(400);
    expect((await bot.api('/api/agent/followups?status=claimed', { token: ana })).status).toBe(400);
    expect((await post(`/api/agent/followups/${id}/claim`, ana, { $set: { status: 'open' } })).status).toBe(
      400,
    );
    expect((await post(`/api/agent/followups/${id}/close`, ana, { note: { $gt: '' } })).status).toBe(400);
    expect((await post(`/api/agent/followups/${id}/close`, ana, { note: '   ' })).status).toBe(400);
    expect((await post('/api/agent/followups/not-an-id/claim', ana, {})).status).toBe(404);
    expect((await post('/api/agent/followups/%7B%22%24gt%22%3A%22%22%7D/claim', ana, {})).status).toBe(404);
    expect((await bot.api(`/api/agent/followups/${randomUUID()}`, { token: ana })).status).toBe(404);
    expect(await followupOf(EN.conversationId)).toMatchObject({ status: 'open', claimedBy: null });
  });
});

describe('claim once, close with a note: Teams', () => {
  let id = '';
  beforeAll(async () => {
    id = (
      await bot.app.followups.open({
        conversationId: 'fu-teams',
        customerId: 'aad-customer',
        channel: 'msteams',
        locale: 'en',
        reason: 'low-rating',
        summary: 'Slow support',
        score: 2,
        comment: 'Slow support',
      })
    ).id;
    await cardOf(id);
  });

  it('when a channel of a foreign team presses Claim, then it is refused (403) and nothing changes', async () => {
    const foreign = '19:general@thread.tacv2';
    const response = await bot.post(
      teamsActivity(
        bot.connector.url,
        ANA,
        foreign,
        {
          type: 'invoke',
          name: 'adaptiveCard/action',
          value: {
            action: {
              type: 'Action.Execute',
              verb: FOLLOWUP_VERBS.claim,
              data: { verb: FOLLOWUP_VERBS.claim, followupId: id },
            },
          },
        },
        { team: '19:other-team@thread.tacv2', channel: foreign },
      ),
    );
    expect(((await response.json()) as { statusCode: number }).statusCode).toBe(403);
    expect((await bot.app.followups.get(id)).status).toBe('open');
  });

  it('when a customer channel sends the follow-up verb, then nothing happens', async () => {
    await bot.say('claim', { ...EN, value: { verb: FOLLOWUP_VERBS.claim, followupId: id } });
    expect((await bot.app.followups.get(id)).status).toBe('open');
  });

  it('when Ana presses Claim (Action.Submit), then the card shows her; Bob’s Claim (Action.Execute) is told it is taken', async () => {
    const response = await bot.post(
      teams(ANA, thread('fu-card'), {
        type: 'message',
        value: { verb: FOLLOWUP_VERBS.claim, followupId: id },
      }),
    );
    expect(response.status).toBe(200);
    await bot.connector.waitFor(
      () => cards('PUT', id).some((card) => card.includes('Claimed by Ana Nowak')),
      'the card updated in place',
    );
    const invoke = await bot.post(
      teams(BOB, CHANNEL, {
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: {
          action: {
            type: 'Action.Execute',
            verb: FOLLOWUP_VERBS.claim,
            data: { verb: FOLLOWUP_VERBS.claim, followupId: id },
          },
        },
      }),
    );
    const body = (await invoke.json()) as { statusCode: number; value: unknown };
    expect(body.statusCode).toBe(200);
    expect(JSON.stringify(body.value)).toContain('already claimed by Ana Nowak');
    expect((await bot.app.followups.get(id)).claimedBy).toMatchObject({ name: 'Ana Nowak' });
  });

  it('when Ana presses Close with a note, then it is closed with the note and the card shows it', async () => {
    const invoke = await bot.post(
      teams(ANA, CHANNEL, {
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: {
          action: {
            type: 'Action.Execute',
            verb: FOLLOWUP_VERBS.close,
            data: { verb: FOLLOWUP_VERBS.close, followupId: id, note: 'Phoned, apologised' },
          },
        },
      }),
    );
    const body = (await invoke.json()) as { statusCode: number; value: unknown };
    expect(body.statusCode).toBe(200);
    expect(JSON.stringify(body.value)).toContain('Phoned, apologised');
    expect(await bot.app.followups.get(id)).toMatchObject({ status: 'closed', note: 'Phoned, apologised' });
  });
});

describe('the staff console in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function signIn(page: Page, token: string): Promise<void> {
    await page.goto(`${bot.url}/agent`);
    await page.locator('#token').fill(token);
    await page.locator('#signInForm button[type=submit]').click();
    await page.locator('#followupsHeading').waitFor();
  }

  it('when an English agent works the inbox, then follow-ups arrive live, show contact, score and transcript, and are claimed once and closed with a note', async () => {
    const problems: string[] = [];
    const page = await watchedPage(browser, problems, { locale: 'en-US' });
    await signIn(page, ana);
    await page.getByText('Live', { exact: true }).waitFor();
    const heading = page.locator('#followupsHeading');
    // The list loads once the stream is open.
    await page.locator('#followupCount', { hasText: '(2)' }).waitFor();
    await expect(heading.innerText()).resolves.toBe('Follow-ups (2)');

    // A new call-back while the console is open: it appears without a reload.
    await bot.say('The router keeps restarting', { ...EN, conversationId: 'fu-live' });
    const { id } = await bot.app.followups.open({
      conversationId: 'fu-live',
      customerId: 'fu-user-live',
      channel: 'webchat',
      locale: 'pl',
      reason: 'low-rating',
      summary: 'Router restarts',
      contact: [{ kind: 'email', value: 'live@example.com' }],
      score: 2,
      comment: 'Still broken <b>now</b>',
    });
    const row = page.locator(`#followups li[data-followup-id="${id}"]`);
    await row.waitFor();
    await expect(heading.innerText()).resolves.toBe('Follow-ups (3)');
    const shown = await row.innerText();
    for (const text of [
      'Router restarts',
      'live@example.com',
      'rated 2/5',
      'Still broken <b>now</b>',
      'Polish',
    ])
      expect(shown).toContain(text);
    expect(await row.locator('b').count()).toBe(0);
    await row.getByText('Conversation').click();
    await row.locator('li.from-customer', { hasText: 'The router keeps restarting' }).waitFor();

    // Ana starts a closing note on the new row; the reload after the lost race below keeps it.
    const note = row.getByLabel('Note (what was done)');
    await note.fill('Sent a new');

    // Bob claims it first, just before Ana's click reaches the server: she is told.
    const race = page.locator(
      `#followups li[data-followup-id="${(await followupOf(EN.conversationId)).id}"]`,
    );
    await page.route('**/claim', async (route) => {
      await post(`/api/agent/followups/${(await followupOf(EN.conversationId)).id}/claim`, bob, {});
      await route.continue();
    });
    await race.getByRole('button', { name: /^Claim/ }).click();
    await page.getByText(/Someone else claimed it/).waitFor();
    await page.unroute('**/claim');
    await race.getByText('Claimed by Bob').waitFor();
    // Her Claim button went with the lost race: the keyboard is back at the inbox's heading.
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('followupsHeading');
    await expect(note.inputValue()).resolves.toBe('Sent a new');

    await row.getByRole('button', { name: /^Claim/ }).click();
    await row.getByText('Claimed by Ana').waitFor();
    expect(await row.getByRole('button', { name: /^Claim/ }).isVisible()).toBe(false);
    // The keyboard goes on from the vanished Claim button to the closing note.
    await expect(note.evaluate((element) => element === document.activeElement)).resolves.toBe(true);
    await note.fill('Sent a new router');
    await row.getByRole('button', { name: /^Close/ }).click();
    await page.getByText(t('en', 'staff.followupClosedNotice')).waitFor();
    await row.waitFor({ state: 'detached' });
    await expect(heading.innerText()).resolves.toBe('Follow-ups (2)');
    expect(await bot.app.followups.get(id)).toMatchObject({ status: 'closed', note: 'Sent a new router' });
    // The one failed request is the lost race (409), which the browser logs.
    expect(problems).toEqual([
      'console: Failed to load resource: the server responded with a status of 409 (Conflict)',
    ]);
    await page.context().close();
  });

  it('when a Polish agent opens the console, then the inbox is in Polish and a new follow-up arrives live', async () => {
    const problems: string[] = [];
    const page = await watchedPage(browser, problems, { locale: 'pl-PL' });
    await signIn(page, bob);
    await page.getByText(t('pl', 'staff.live'), { exact: true }).waitFor();
    const heading = page.locator('#followupsHeading');
    await page.locator('#followupCount', { hasText: '(2)' }).waitFor();
    await expect(heading.innerText()).resolves.toBe(`${t('pl', 'staff.followups')} (2)`);
    bot.clock.advance(DAY);
    const { id } = await bot.app.followups.open({
      conversationId: 'fu-live-pl',
      customerId: 'fu-user-live-pl',
      channel: 'webchat',
      locale: 'pl',
      reason: 'left-message',
      summary: 'Proszę oddzwonić',
      contact: [{ kind: 'phone', value: '+48 601 234 567' }],
    });
    const row = page.locator(`#followups li[data-followup-id="${id}"]`);
    await row.waitFor();
    expect(await row.innerText()).toContain(t('pl', 'staff.followupLeftMessage'));
    expect(await row.innerText()).toContain('+48 601 234 567');
    await row.getByRole('button', { name: new RegExp(`^${t('pl', 'staff.followupClaim')}`) }).click();
    await row.getByText(t('pl', 'staff.followupStateClaimed', { name: 'Bob' })).waitFor();
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
