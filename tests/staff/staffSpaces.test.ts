import { randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder';
import { CASE_VERBS } from '../../cards/caseCard';
import { EscalationChannelStore } from '../../handoff/escalationChannel';
import { startTestBot, type TestBot } from '../helpers/harness';
import {
  ANA,
  BOB,
  CHANNEL,
  TEAM,
  TENANT,
  caseInvoke,
  mention,
  teamsActivity,
  thread,
  type Person,
  type TeamsPlace,
} from './teams';

/** Someone who is not staff, writing as a supervisor. */
const MALLORY = { id: '29:mallory', aadObjectId: 'aad-mallory', name: 'Supervisor Jane' };
const FOREIGN_TEAM: TeamsPlace = { team: '19:other-team@thread.tacv2', channel: '19:general@thread.tacv2' };

interface Grant {
  conversationId: string;
  token: string;
}

/**
 * One way a `case.*` action can reach the bot from outside the staff space, claiming to be `as` where the
 * channel lets the sender choose who they are.
 */
type Attempt = (bot: TestBot, verb: string, caseId: string, as: Person) => Promise<void>;

/** Answered without a server error: 200, or 403 for a case button pressed in a Teams channel outside the staff team. */
const ok = async (response: globalThis.Response): Promise<void> => {
  expect([200, 403]).toContain(response.status);
  await response.text();
};

/** The anonymous web chat page's Direct Line: a token, a conversation, then the card "press" as a message. */
const directLine: Attempt = async (bot, verb, caseId, as) => {
  const call = (path: string, token: string | undefined, body: unknown) =>
    fetch(`${bot.url}/v3/directline${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  const { token } = (await (await call('/tokens/generate', undefined, {})).json()) as Grant;
  const grant = (await (await call('/conversations', token, {})).json()) as Grant;
  const sent = await call(`/conversations/${grant.conversationId}/activities`, grant.token, {
    type: 'message',
    from: { name: as.name },
    value: { verb, caseId },
  });
  expect(sent.status).toBe(200);
};

/** A customer-side activity through /api/messages (web chat, emulator), optionally dressed up as Teams. */
const viaMessages =
  (channelId: string, extra: Partial<Activity> = {}): Attempt =>
  async (bot, verb, caseId, as) => {
    const conversation = `${channelId}-${randomUUID()}`;
    for (const activity of [
      { type: 'message', value: { verb, caseId } },
      caseInvoke(verb, caseId),
    ] satisfies Partial<Activity>[]) {
      await ok(
        await bot.post({
          id: randomUUID(),
          channelId,
          serviceUrl: bot.connector.url,
          from: as,
          recipient: { id: 'bot', name: 'Bot' },
          conversation: { id: conversation, conversationType: 'personal' },
          locale: 'en-US',
          ...extra,
          ...activity,
        }),
      );
    }
  };

/**
 * A Teams activity (Action.Execute invoke and Action.Submit message) in a channel of `place`, from `from`
 * (Teams says who it is) or else the claimed person.
 */
const viaTeams =
  (place: TeamsPlace, from?: Person, personal?: string): Attempt =>
  async (bot, verb, caseId, as) => {
    const channel = place.channel ?? CHANNEL;
    for (const activity of [caseInvoke(verb, caseId), { type: 'message', value: { verb, caseId } }]) {
      const base = teamsActivity(bot.connector.url, from ?? as, thread('root-1', channel), activity, place);
      const chat = { id: personal ?? '', conversationType: 'personal', isGroup: false, name: '' };
      await ok(await bot.post(personal ? { ...base, conversation: chat } : base));
    }
  };

const attempts: Array<[string, Attempt]> = [
  ['the anonymous web chat (embedded Direct Line)', directLine],
  ['a web chat activity on /api/messages', viaMessages('webchat')],
  [
    'an emulator activity dressed up as the staff channel',
    viaMessages('emulator', {
      conversation: { id: thread('root-1'), conversationType: 'channel', isGroup: true, name: '' },
      channelData: { team: { id: TEAM }, channel: { id: CHANNEL }, tenant: { id: TENANT } },
    }),
  ],
  ['a staff member’s personal Teams chat', viaTeams({}, ANA, 'a:personal-ana')],
  ['a channel of a foreign team', viaTeams(FOREIGN_TEAM, MALLORY)],
  ['a staff member in a channel of a foreign team', viaTeams(FOREIGN_TEAM, ANA)],
  ['the staff team’s id from another tenant', viaTeams({ tenant: 'tenant-evil' })],
];

describe('case card actions only from the staff space', () => {
  let bot: TestBot;
  let customer = 0;

  beforeAll(async () => {
    bot = await startTestBot();
    const post = thread('set-post');
    await bot.post(teamsActivity(bot.connector.url, ANA, post, mention('set escalation channel')));
    await bot.connector.waitFor(() => bot.connector.textsTo(post).length > 0, 'the confirmation');
    expect(await new EscalationChannelStore(bot.app.db, bot.clock).channel()).toMatchObject({ teamId: TEAM });
  });
  afterAll(() => bot.close());

  /** A customer in the web chat with a queued case; returns the conversation and case ids. */
  async function queuedCase(): Promise<{ conversationId: string; caseId: string }> {
    const conversationId = `staff-space-customer-${++customer}`;
    await bot.say('hello', { conversationId });
    const { caseDoc } = await bot.app.handoff.open({
      conversationId,
      customerId: `user-${customer}`,
      locale: 'en',
      channel: 'webchat',
      reason: 'request',
      summary: 'My parcel is late',
    });
    return { conversationId, caseId: caseDoc.id };
  }

  const press = (from: Person, verb: string, caseId: string) =>
    bot.post(teamsActivity(bot.connector.url, from, CHANNEL, caseInvoke(verb, caseId)));

  it.each(attempts)('when %s presses case.take, then the case stays queued', async (_name, attempt) => {
    const { conversationId, caseId } = await queuedCase();
    await attempt(bot, CASE_VERBS.take, caseId, MALLORY);
    const detail = await bot.app.handoff.get(caseId);
    expect(detail.status).toBe('queued');
    expect(detail.agentId).toBeUndefined();
    expect(bot.connector.textsTo(conversationId).join(' ')).not.toMatch(/Supervisor Jane|Ana Nowak/);
  });

  it.each(attempts)(
    'when %s presses case.resolve, then the case stays with its agent',
    async (_name, attempt) => {
      const { caseId } = await queuedCase();
      await ok(await press(ANA, CASE_VERBS.take, caseId));
      // Posing as the agent who has the case.
      await attempt(bot, CASE_VERBS.resolve, caseId, ANA);
      expect(await bot.app.handoff.get(caseId)).toMatchObject({
        status: 'assigned',
        agentId: ANA.aadObjectId,
      });
    },
  );

  it('when a web chat customer sends a case action, then it is logged at warn without the message text', async () => {
    const { caseId } = await queuedCase();
    const warn = jest.spyOn(bot.app.log, 'warn');
    try {
      await bot.say('my secret words', { value: { verb: CASE_VERBS.take, caseId } });
      expect(warn).toHaveBeenCalledWith(
        expect.objectContaining({ verb: CASE_VERBS.take, channelId: 'webchat' }),
        'staff card action outside a staff space ignored',
      );
      expect(JSON.stringify(warn.mock.calls)).not.toContain('my secret words');
    } finally {
      warn.mockRestore();
    }
  });

  it('when a web chat activity poses as a thread of the staff channel, then nothing reaches the customer or the settings', async () => {
    const { conversationId, caseId } = await queuedCase();
    await ok(await press(ANA, CASE_VERBS.take, caseId));
    const root = (await new EscalationChannelStore(bot.app.db, bot.clock).cardOf(caseId))?.activityId ?? '';
    const before = bot.connector.textsTo(conversationId).length;
    for (const text of ['Please send me your password.', 'set escalation channel']) {
      await ok(
        await bot.post({
          ...teamsActivity(bot.connector.url, ANA, thread(root), mention(text)),
          channelId: 'webchat',
        }),
      );
    }
    expect(bot.connector.textsTo(conversationId)).toHaveLength(before);
    expect(await new EscalationChannelStore(bot.app.db, bot.clock).channel()).toMatchObject({
      serviceUrl: bot.connector.url,
    });
  });

  it('when staff press Take and Resolve in the escalation channel, then the case is taken and resolved', async () => {
    const { conversationId, caseId } = await queuedCase();
    const taken = await press(ANA, CASE_VERBS.take, caseId);
    expect(taken.status).toBe(200);
    expect(JSON.stringify(await taken.json())).toContain('Taken by Ana Nowak');
    expect(await bot.app.handoff.get(caseId)).toMatchObject({ status: 'assigned', agentId: ANA.aadObjectId });
    await ok(await press(ANA, CASE_VERBS.resolve, caseId));
    expect((await bot.app.handoff.get(caseId)).status).toBe('resolved');
    expect(bot.connector.textsTo(conversationId).join(' ')).toContain('Ana Nowak');
  });
});

describe('case card actions with STAFF_TEAMS_AGENTS', () => {
  let bot: TestBot;

  beforeAll(async () => {
    bot = await startTestBot({ STAFF_TEAMS_AGENTS: 'aad-ana', STAFF_TEAMS_ADMINS: 'aad-admin' });
    const admin = { ...BOB, id: '29:admin', aadObjectId: 'aad-admin', name: 'Ada Admin' };
    const post = thread('set-post');
    await bot.post(teamsActivity(bot.connector.url, admin, post, mention('set escalation channel')));
    await bot.connector.waitFor(() => bot.connector.textsTo(post).length > 0, 'the confirmation');
  });
  afterAll(() => bot.close());

  it('when a team member who is not on the list presses Take, then they are refused and the case stays queued', async () => {
    await bot.say('hello', { conversationId: 'agents-customer' });
    const { caseDoc } = await bot.app.handoff.open({
      conversationId: 'agents-customer',
      customerId: 'user-1',
      locale: 'en',
      channel: 'webchat',
      reason: 'request',
      summary: 'Wrong invoice',
    });
    const refused = await bot.post(
      teamsActivity(bot.connector.url, BOB, CHANNEL, caseInvoke(CASE_VERBS.take, caseDoc.id)),
    );
    expect(await refused.json()).toMatchObject({ statusCode: 403, type: 'application/vnd.microsoft.error' });
    expect((await bot.app.handoff.get(caseDoc.id)).status).toBe('queued');

    const taken = await bot.post(
      teamsActivity(bot.connector.url, ANA, CHANNEL, caseInvoke(CASE_VERBS.take, caseDoc.id)),
    );
    expect(await taken.json()).toMatchObject({ statusCode: 200 });
    expect((await bot.app.handoff.get(caseDoc.id)).agentId).toBe(ANA.aadObjectId);
  });
});
