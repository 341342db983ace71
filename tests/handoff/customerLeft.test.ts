import type { Activity } from 'botbuilder';
import { EscalationChannelStore } from '../../handoff/escalationChannel';
import { CASE_VERBS } from '../../cards/caseCard';
import { t } from '../../locales';
import { startTestBot, texts, type TestBot } from '../helpers/harness';
import { ANA, CHANNEL, caseInvoke, mention, teamsActivity, thread, type Person } from '../staff/teams';

/**
 * A customer who leaves the conversation (Web Chat's "Start a new conversation" sends `endOfConversation` through
 * the built-in Direct Line): real app, restify, CloudAdapter, embedded store, Teams through the connector stand-in.
 */

interface Grant {
  conversationId: string;
  token: string;
}

interface DirectLineActivity {
  id: string;
  type: string;
  text?: string;
  from: { role?: string };
}

const COMPLAINT = 'This is unacceptable, my internet has been down for three days!!!';
const LEFT = t('en', 'staff.stateLeft');

let bot: TestBot;

beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
  const post = thread('post-1');
  await bot.post(teams(ANA, post, mention('set escalation channel')));
  await bot.connector.waitFor(() => bot.connector.textsTo(post).length > 0, 'the escalation channel set');
});
afterAll(() => bot.close());

const teams = (from: Person, conversationId: string, activity: Partial<Activity>): Partial<Activity> =>
  teamsActivity(bot.connector.url, from, conversationId, activity);

/** A call to the built-in Direct Line, as the web chat page makes it. */
function directLine(path: string, token?: string, body?: unknown): Promise<globalThis.Response> {
  return fetch(`${bot.url}/v3/directline${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** A web chat customer who said hello: their conversation and token. */
async function webChatCustomer(): Promise<Grant> {
  const generated = (await (await directLine('/tokens/generate', undefined, {})).json()) as Grant;
  const grant = (await (
    await directLine('/conversations', generated.token, { locale: 'en-US' })
  ).json()) as Grant;
  await post(grant, grant.token, { type: 'message', text: 'hello', locale: 'en-US' });
  return grant;
}

const post = (grant: Grant, token: string, activity: unknown) =>
  directLine(`/conversations/${grant.conversationId}/activities`, token, activity);

const leave = (grant: Grant, token = grant.token) =>
  post(grant, token, { type: 'endOfConversation', from: { role: 'user' }, locale: 'en-US' });

/** A second token of the conversation (a reconnect issues one), to read it after the first was revoked. */
async function anotherToken(grant: Grant): Promise<string> {
  return ((await (await directLine(`/conversations/${grant.conversationId}`, grant.token)).json()) as Grant)
    .token;
}

async function activitiesOf(grant: Grant, token: string): Promise<DirectLineActivity[]> {
  const response = await directLine(`/conversations/${grant.conversationId}/activities`, token);
  expect(response.status).toBe(200);
  return ((await response.json()) as { activities: DirectLineActivity[] }).activities;
}

/** What the bot said in the conversation after its endOfConversation. */
async function saidAfterLeaving(grant: Grant, token: string): Promise<DirectLineActivity[]> {
  const activities = await activitiesOf(grant, token);
  const left = activities.findIndex((a) => a.type === 'endOfConversation');
  expect(left).toBeGreaterThanOrEqual(0);
  return activities.slice(left + 1).filter((a) => a.from.role === 'bot');
}

async function queue(conversationId: string, summary: string): Promise<string> {
  const { caseDoc } = await bot.app.handoff.open({
    conversationId,
    customerId: `${conversationId}-user`,
    locale: 'en',
    channel: 'webchat',
    reason: 'request',
    summary,
  });
  return caseDoc.id;
}

/** The activity id of a case's Teams card, once it is posted (the Teams side posts it after the case event). */
async function cardOf(caseId: string): Promise<string> {
  const store = new EscalationChannelStore(bot.app.db, bot.clock);
  for (let tries = 0; tries < 400; tries++) {
    const posted = await store.cardOf(caseId);
    if (posted) return posted.activityId;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('no card posted');
}

const cardUpdates = () =>
  bot.connector.sent
    .filter((r) => r.conversationId === CHANNEL && r.method === 'PUT')
    .flatMap((r) => r.activity.attachments ?? [])
    .map((a) => JSON.stringify(a.content));

describe('a customer who leaves the conversation', () => {
  it('when a waiting web chat customer ends the conversation, then the case leaves the queue, their token is refused and nothing is sent to them', async () => {
    const customer = await webChatCustomer();
    const caseId = await queue(customer.conversationId, 'Router blinks red');
    const reader = await anotherToken(customer);

    expect((await leave(customer)).status).toBe(200);

    expect((await bot.app.handoff.get(caseId)).status).toBe('left');
    expect((await bot.app.handoff.list({ status: 'queued' })).map((c) => c.id)).not.toContain(caseId);
    // The token it was sent with is revoked, for every call.
    expect(
      (await directLine(`/conversations/${customer.conversationId}/activities`, customer.token)).status,
    ).toBe(403);
    expect((await post(customer, customer.token, { type: 'message', text: 'still there?' })).status).toBe(
      403,
    );
    expect((await directLine('/tokens/refresh', customer.token, {})).status).toBe(403);
    expect(await saidAfterLeaving(customer, reader)).toEqual([]);
    await bot.connector.waitFor(() => cardUpdates().some((c) => c.includes(LEFT)), 'the card saying so');
  });

  it("when someone ends a conversation with another conversation's token, then it is refused and the case keeps waiting", async () => {
    const customer = await webChatCustomer();
    const stranger = await webChatCustomer();
    const caseId = await queue(customer.conversationId, 'Bill too high');

    expect((await leave(customer, stranger.token)).status).toBe(403);

    expect((await bot.app.handoff.get(caseId)).status).toBe('queued');
    expect((await activitiesOf(customer, customer.token)).length).toBeGreaterThan(0);
    expect((await activitiesOf(stranger, stranger.token)).length).toBeGreaterThan(0);
    await bot.app.handoff.cancelByCustomer(customer.conversationId);
  });

  it('when the customer of a case an agent took in Teams leaves, then the card and its thread tell the agent, and a reply there reaches nobody', async () => {
    const customer = await webChatCustomer();
    const caseId = await queue(customer.conversationId, 'Parcel never arrived');
    const card = await cardOf(caseId);
    expect((await bot.post(teams(ANA, CHANNEL, caseInvoke(CASE_VERBS.take, caseId)))).status).toBe(200);
    const reader = await anotherToken(customer);

    expect((await leave(customer)).status).toBe(200);

    expect((await bot.app.handoff.get(caseId)).status).toBe('left');
    await bot.connector.waitFor(
      () => bot.connector.textsTo(thread(card)).includes(LEFT),
      'the notice in the card thread',
    );
    await bot.connector.waitFor(() => cardUpdates().some((c) => c.includes(LEFT)), 'the card saying so');
    // The agent writes on: they are told again, and the customer gets nothing.
    await bot.post(teams(ANA, thread(card), mention('Are you still there?')));
    await bot.connector.waitFor(
      () => bot.connector.textsTo(thread(card)).filter((text) => text === LEFT).length === 2,
      'the refusal in the thread',
    );
    expect(await saidAfterLeaving(customer, reader)).toEqual([]);
  });

  it('when an endOfConversation comes from a Teams staff channel or group chat, then no case is touched', async () => {
    const customer = await webChatCustomer();
    const caseId = await queue(customer.conversationId, 'Cannot log in');
    const card = await cardOf(caseId);
    expect((await bot.post(teams(ANA, CHANNEL, caseInvoke(CASE_VERBS.take, caseId)))).status).toBe(200);
    const before = bot.connector.sent.length;

    const ending = { type: 'endOfConversation' } as const;
    expect((await bot.post(teams(ANA, thread(card), ending))).status).toBe(200);
    expect((await bot.post(teams(ANA, CHANNEL, ending))).status).toBe(200);
    expect(
      (
        await bot.post({
          ...teams(ANA, '19:chat@thread.v2', ending),
          conversation: { id: '19:chat@thread.v2', conversationType: 'groupChat', isGroup: true, name: '' },
        })
      ).status,
    ).toBe(200);
    // Not even one whose conversation id names the customer's: in a staff space it is nobody's case.
    expect(
      (
        await bot.post({
          ...teams(ANA, customer.conversationId, ending),
          conversation: { id: customer.conversationId, conversationType: 'channel', isGroup: true, name: '' },
        })
      ).status,
    ).toBe(200);

    expect((await bot.app.handoff.get(caseId)).status).toBe('assigned');
    expect(bot.connector.sent.length).toBe(before);
    await bot.app.handoff.resolve(caseId, { id: ANA.aadObjectId, name: ANA.name });
  });

  it('when a customer leaves in the middle of a hand-over step, then the bot forgets the step and answers nothing', async () => {
    const conversationId = 'left-mid-step';
    await bot.say(COMPLAINT, { conversationId });
    await bot.say(t('en', 'common.skip'), { conversationId });

    expect(await bot.send({ type: 'endOfConversation' }, { conversationId })).toEqual([]);

    // The "yes" that would have sent the request now finds no question asked.
    await bot.say(t('en', 'common.yes'), { conversationId });
    expect(await bot.app.handoff.activeCase(conversationId)).toBeNull();
  });

  // Last: it moves the app's clock past the inactivity survey's wait.
  it('when a customer leaves after an answer, then no satisfaction survey follows', async () => {
    const conversationId = 'left-after-answer';
    const answered = texts(await bot.say('How do I change my Wi-Fi password?', { conversationId }));
    expect(answered.length).toBeGreaterThan(0);
    expect(await bot.send({ type: 'endOfConversation' }, { conversationId })).toEqual([]);
    const before = bot.connector.textsTo(conversationId).length;

    bot.clock.advance(31 * 60_000);
    await bot.app.sweeps.surveyIdle();

    expect(bot.connector.textsTo(conversationId)).toHaveLength(before);
    expect(await bot.app.conversations.episode(conversationId)).toBeNull();
  });
});
