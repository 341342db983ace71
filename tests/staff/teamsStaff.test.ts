import type { Activity } from 'botbuilder';
import { CASE_VERBS } from '../../cards/caseCard';
import { EscalationChannelStore } from '../../handoff/escalationChannel';
import { queuedCase, startTestBot, type TestBot } from '../helpers/harness';
import { channelSetRefusal } from '../../bots/teamsStaff';
import { t } from '../../locales';
import {
  ANA,
  BOB,
  BOT,
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

const CUSTOMER = 'customer-conv-1';

/** A queued web chat case (its card goes to the escalation channel), as the handoff service opened it. */
const openCase = (bot: TestBot, conversationId: string) =>
  queuedCase(bot, conversationId, 'My router blinks red');

/** The texts the bot has posted as new threads in a channel (not its cards). */
const noticesIn = (bot: TestBot, channel: string): string[] => bot.connector.textsTo(channel).filter(Boolean);

/** How many cards the bot has posted as new threads in a channel. */
const cardsPostedTo = (bot: TestBot, channel: string): number =>
  bot.connector.sent.filter(
    (r) => r.conversationId === channel && r.method === 'POST' && (r.activity.attachments ?? []).length > 0,
  ).length;

describe('Teams escalation channel', () => {
  let bot: TestBot;
  let caseId: string;
  let cardId: string;

  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(() => bot.close());

  const teams = (from: Person, conversationId: string, activity: Partial<Activity>): Partial<Activity> =>
    teamsActivity(bot.connector.url, from, conversationId, activity);
  const invoke = async (from: Person, verb: string) => {
    const response = await bot.post(teams(from, CHANNEL, caseInvoke(verb, caseId)));
    expect(response.status).toBe(200);
    return (await response.json()) as { statusCode: number; type: string; value: unknown };
  };
  const sentTo = (conversationId: string) =>
    bot.connector.sent.filter((r) => r.conversationId === conversationId);
  const cardTexts = (conversationId: string, method: string) =>
    sentTo(conversationId)
      .filter((r) => r.method === method)
      .flatMap((r) => r.activity.attachments ?? [])
      .map((a) => JSON.stringify(a.content));

  it('when someone types "set escalation channel" in a group chat, then they are told to use a channel', async () => {
    const chat = '19:chat@thread.v2';
    const response = await bot.post({
      ...teams(ANA, chat, mention('set escalation channel')),
      conversation: { id: chat, conversationType: 'groupChat', isGroup: true, name: '' },
    });
    expect(response.status).toBe(200);
    await bot.connector.waitFor(() => bot.connector.textsTo(chat).length > 0, 'the reply in the chat');
    expect(bot.connector.textsTo(chat)[0]).toMatch(/team channel/);
  });

  it('when an admin types "set escalation channel" in a channel, then it is stored and confirmed', async () => {
    const post = thread('post-1');
    await bot.post(teams(ANA, post, mention('Set escalation channel.')));
    await bot.connector.waitFor(() => bot.connector.textsTo(post).length > 0, 'the confirmation');
    expect(bot.connector.textsTo(post)[0]).toMatch(/new support cases will be posted in this channel/);
    const stored = await new EscalationChannelStore(bot.app.db, bot.clock).channel();
    expect(stored).toMatchObject({
      conversationId: CHANNEL,
      serviceUrl: bot.connector.url,
      tenantId: 'tenant-1',
      bot: { id: BOT.id },
      setBy: { id: ANA.aadObjectId, name: ANA.name },
    });
  });

  it('when staff mention the bot without a command in the escalation channel, then they are told it is the one, not how to set it', async () => {
    const post = thread('what-now');
    await bot.post(teams(BOB, post, mention('hello, what can you do?')));
    await bot.connector.waitFor(() => bot.connector.textsTo(post).length > 0, 'the reply');
    expect(bot.connector.textsTo(post)).toEqual([t('en', 'staff.helpEscalationChannel')]);
    const random = '19:random@thread.tacv2';
    const elsewhere = thread('what-now', random);
    await bot.post(
      teamsActivity(bot.connector.url, BOB, elsewhere, mention('hello, what can you do?'), {
        channel: random,
      }),
    );
    await bot.connector.waitFor(() => bot.connector.textsTo(elsewhere).length > 0, 'the reply elsewhere');
    expect(bot.connector.textsTo(elsewhere)).toEqual([t('en', 'staff.help')]);
  });

  it('when a customer case is created, then a card is posted to the channel as a new thread', async () => {
    await bot.say('hello', { conversationId: CUSTOMER });
    const { caseDoc, expectedWaitMinutes } = await bot.app.handoff.open({
      conversationId: CUSTOMER,
      customerId: 'user-1',
      locale: 'nb',
      channel: 'webchat',
      reason: 'complaint',
      summary: 'The parcel never arrived',
    });
    expect(expectedWaitMinutes).toBeNull(); // nobody of staff has been seen yet: no estimate
    caseId = caseDoc.id;
    await bot.connector.waitFor(() => cardTexts(CHANNEL, 'POST').length > 0, 'the case card');
    const [card] = cardTexts(CHANNEL, 'POST');
    expect(card).toContain('The parcel never arrived');
    expect(card).toContain('Norwegian');
    expect(card).toContain(`"verb":"${CASE_VERBS.take}"`);
  });

  it('when an agent presses Take, then the invoke answers with the card showing them, for everyone', async () => {
    const response = await invoke(ANA, CASE_VERBS.take);
    expect(response).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(JSON.stringify(response.value)).toContain('Taken by Ana Nowak');
    expect((await bot.app.handoff.get(caseId)).agentId).toBe(ANA.aadObjectId);
    await bot.connector.waitFor(
      () => cardTexts(CHANNEL, 'PUT').some((c) => c.includes('Taken by Ana Nowak')),
      'the card updated in place',
    );
    // The update names the card's activity: the root of its thread, remembered in the database.
    cardId = sentTo(CHANNEL).find((r) => r.method === 'PUT')?.activity.id ?? '';
    const post = await new EscalationChannelStore(bot.app.db, bot.clock).cardOf(caseId);
    expect(post).toMatchObject({ activityId: cardId, channel: { conversationId: CHANNEL } });
    await bot.connector.waitFor(
      () => bot.connector.textsTo(CUSTOMER).some((t) => t.includes('Ana Nowak')),
      'the customer told who joined',
    );
  });

  it('when a second agent presses Take, then the card says who has it', async () => {
    const response = await invoke(BOB, CASE_VERBS.take);
    expect(response.statusCode).toBe(200);
    expect(JSON.stringify(response.value)).toContain('already taken by Ana Nowak');
    expect((await bot.app.handoff.get(caseId)).agentId).toBe(ANA.aadObjectId);
  });

  it('when an agent has acted in the channel, then they count as present for two minutes: the queue gives estimates', async () => {
    const open = async (conversationId: string) => {
      const { expectedWaitMinutes } = await openCase(bot, conversationId);
      await bot.app.handoff.cancelByCustomer(conversationId);
      return expectedWaitMinutes;
    };
    expect(await open('presence-1')).toEqual(expect.any(Number));
    bot.clock.advance(2 * 60_000 + 1);
    expect(await open('presence-2')).toBeNull();
  });

  it('when the assigned agent replies in the card thread, then the customer gets the text', async () => {
    await bot.post(teams(ANA, thread(cardId), mention('Hello, I am checking your parcel now.')));
    await bot.connector.waitFor(
      () => bot.connector.textsTo(CUSTOMER).includes('Hello, I am checking your parcel now.'),
      'the relayed reply',
    );
  });

  it('when another agent replies in the thread, then they get a polite notice and the customer nothing', async () => {
    const before = bot.connector.textsTo(CUSTOMER).length;
    await bot.post(teams(BOB, thread(cardId), mention('Can I help?')));
    await bot.connector.waitFor(
      () => bot.connector.textsTo(thread(cardId)).some((t) => t.includes('Ana Nowak is handling this case')),
      'the notice',
    );
    expect(bot.connector.textsTo(CUSTOMER)).toHaveLength(before);
  });

  it('when the customer writes, then the message appears in the card thread', async () => {
    await bot.say('It was order 1234', { conversationId: CUSTOMER });
    await bot.connector.waitFor(
      () => bot.connector.textsTo(thread(cardId)).includes('Customer: It was order 1234'),
      'the customer message in the thread',
    );
  });

  it('when the agent resolves with the Action.Submit fallback, then the card shows it resolved', async () => {
    await bot.post(
      teams(ANA, thread(cardId), { type: 'message', value: { verb: CASE_VERBS.resolve, caseId } }),
    );
    await bot.connector.waitFor(
      () => cardTexts(CHANNEL, 'PUT').some((c) => c.includes('Resolved by Ana Nowak')),
      'the resolved card',
    );
    expect((await bot.app.handoff.get(caseId)).status).toBe('resolved');
  });

  it('never sends event activities to Teams', () => {
    const toTeams = bot.connector.sent.filter((r) => r.conversationId.startsWith('19:'));
    expect(toTeams.length).toBeGreaterThan(0);
    expect(toTeams.every((r) => r.activity.type === 'message')).toBe(true);
  });
});

describe('Teams escalation channel without STAFF_TEAMS_ADMINS', () => {
  let bot: TestBot;

  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(() => bot.close());

  const setChannel = async (
    from: Person,
    post: string,
    place: TeamsPlace = {},
  ): Promise<string | undefined> => {
    await bot.post(teamsActivity(bot.connector.url, from, post, mention('set escalation channel'), place));
    await bot.connector.waitFor(() => bot.connector.textsTo(post).length > 0, 'the answer');
    return bot.connector.textsTo(post)[0];
  };
  const stored = () => new EscalationChannelStore(bot.app.db, bot.clock).channel();

  it('when someone in another team or tenant tries to move the channel, then it is refused and the cases stay', async () => {
    expect(await setChannel(ANA, thread('first'))).toMatch(/new support cases will be posted/);
    const elsewhere = '19:elsewhere@thread.tacv2';
    const intruder = { id: '29:eve', aadObjectId: 'aad-eve', name: 'Eve' };
    for (const place of [
      { team: '19:other-team@thread.tacv2', channel: elsewhere },
      { team: '19:other-team@thread.tacv2', channel: elsewhere, tenant: 'tenant-evil' },
      { channel: elsewhere, tenant: 'tenant-evil' },
    ]) {
      const post = thread(`eve-${place.tenant ?? 'same'}-${place.team ?? 'team'}`, elsewhere);
      expect(await setChannel(intruder, post, place)).toBe(
        t('en', 'staff.adminsRequired', { id: 'aad-eve' }),
      );
    }
    expect(await stored()).toMatchObject({ conversationId: CHANNEL, setBy: { id: ANA.aadObjectId } });
  });

  it('when a member of the team moves it to another of its channels, then the former channel is told that its cards keep working, and they do', async () => {
    const caseId = (await openCase(bot, 'moved-within-team')).caseDoc.id;
    await bot.connector.waitFor(() => cardsPostedTo(bot, CHANNEL) > 0, 'the case card in the first channel');
    const triage = '19:triage@thread.tacv2';
    expect(await setChannel(BOB, thread('bob-move', triage), { channel: triage })).toMatch(
      /new support cases will be posted/,
    );
    expect(await stored()).toMatchObject({ conversationId: triage, setBy: { id: BOB.aadObjectId } });
    await bot.connector.waitFor(() => noticesIn(bot, CHANNEL).length > 0, 'the notice in the former channel');
    expect(noticesIn(bot, CHANNEL)).toEqual([t('en', 'staff.channelMovedInTeam', { name: BOB.name })]);
    // A card left in the former channel, pressed there.
    const response = await bot.post(
      teamsActivity(bot.connector.url, ANA, thread('old-card'), caseInvoke(CASE_VERBS.take, caseId)),
    );
    expect(await response.json()).toMatchObject({ statusCode: 200 });
    expect((await bot.app.handoff.get(caseId)).agentId).toBe(ANA.aadObjectId);
  });
});

describe('who may set the escalation channel in production', () => {
  const current = {
    conversationId: CHANNEL,
    serviceUrl: 'https://smba',
    tenantId: TENANT,
    teamId: TEAM,
    bot: BOT,
  };
  const from = (person: Person) =>
    teamsActivity('https://smba', person, CHANNEL, mention('set escalation channel')) as Activity;

  it('without STAFF_TEAMS_ADMINS nobody, not even the first or a member of the team', () => {
    expect(channelSetRefusal(from(ANA), null, { adminsRequired: true })).toBe('admins-required');
    expect(
      channelSetRefusal(
        from(ANA),
        { ...current, setAt: new Date(), setBy: { id: 'x', name: 'x' } },
        { adminsRequired: true },
      ),
    ).toBe('admins-required');
  });

  it('with STAFF_TEAMS_ADMINS the listed admins only', () => {
    expect(channelSetRefusal(from(ANA), null, { admins: ['aad-ana'], adminsRequired: true })).toBeUndefined();
    expect(channelSetRefusal(from(BOB), null, { admins: ['aad-ana'], adminsRequired: true })).toBe(
      'not-listed',
    );
  });
});

describe('Teams escalation channel with STAFF_TEAMS_ADMINS', () => {
  let bot: TestBot;

  beforeAll(async () => {
    bot = await startTestBot({ STAFF_TEAMS_ADMINS: ' aad-ana , aad-other ' });
  });
  afterAll(() => bot.close());

  const setChannel = async (from: Person, post: string): Promise<string | undefined> => {
    await bot.post(teamsActivity(bot.connector.url, from, post, mention('set escalation channel')));
    await bot.connector.waitFor(() => bot.connector.textsTo(post).length > 0, 'the answer');
    return bot.connector.textsTo(post)[0];
  };

  it('when someone not on the list sets the channel, then it is refused and nothing is stored', async () => {
    expect(await setChannel(BOB, thread('bob-post'))).toMatch(/only the support administrators/);
    expect(await new EscalationChannelStore(bot.app.db, bot.clock).channel()).toBeNull();
  });

  it('when an administrator on the list sets the channel, then it is stored', async () => {
    expect(await setChannel(ANA, thread('ana-post'))).toMatch(/new support cases will be posted/);
    expect(await new EscalationChannelStore(bot.app.db, bot.clock).channel()).toMatchObject({
      setBy: { id: ANA.aadObjectId },
    });
  });

  it('when an administrator moves it to another team, then the former channel is told that its cards stop working, and they do', async () => {
    const caseId = (await openCase(bot, 'moved-to-another-team')).caseDoc.id;
    await bot.connector.waitFor(() => cardsPostedTo(bot, CHANNEL) > 0, 'the case card in the first channel');
    const elsewhere = '19:elsewhere@thread.tacv2';
    const post = thread('ana-move', elsewhere);
    await bot.post(
      teamsActivity(bot.connector.url, ANA, post, mention('set escalation channel'), {
        team: '19:other-team@thread.tacv2',
        channel: elsewhere,
      }),
    );
    await bot.connector.waitFor(() => noticesIn(bot, CHANNEL).length > 0, 'the notice in the former channel');
    expect(noticesIn(bot, CHANNEL)).toEqual([t('en', 'staff.channelMoved', { name: ANA.name })]);
    const response = await bot.post(
      teamsActivity(bot.connector.url, ANA, thread('old-card'), caseInvoke(CASE_VERBS.take, caseId)),
    );
    expect(await response.json()).toMatchObject({ statusCode: 403 });
    expect((await bot.app.handoff.get(caseId)).status).toBe('queued');
  });
});

describe('Teams escalation channel with STAFF_LOCALE=pl', () => {
  let bot: TestBot;

  beforeAll(async () => {
    bot = await startTestBot({ STAFF_LOCALE: 'pl' });
  });
  afterAll(() => bot.close());

  const teams = (from: Person, conversationId: string, activity: Partial<Activity>): Partial<Activity> =>
    teamsActivity(bot.connector.url, from, conversationId, activity);

  it('when the bot is mentioned without a command and no channel is set, then the staff reply is Polish and says so', async () => {
    const post = thread('pl-help');
    await bot.post(teams(ANA, post, mention('hello')));
    await bot.connector.waitFor(() => bot.connector.textsTo(post).length > 0, 'the help reply');
    expect(bot.connector.textsTo(post)[0]).toMatch(/^Kanał zgłoszeń nie jest ustawiony/);
  });

  it('when the channel is set and an English-speaking customer asks for help, then the card and the thread are Polish', async () => {
    const post = thread('pl-post');
    await bot.post(teams(ANA, post, mention('set escalation channel')));
    await bot.connector.waitFor(() => bot.connector.textsTo(post).length > 0, 'the confirmation');
    expect(bot.connector.textsTo(post)[0]).toContain('(ustawił(a): Ana Nowak)');

    const customer = 'pl-staff-customer';
    await bot.say('hello', { conversationId: customer });
    const { caseDoc } = await bot.app.handoff.open({
      conversationId: customer,
      customerId: 'user-pl',
      locale: 'en',
      channel: 'webchat',
      reason: 'request',
      summary: 'Router keeps rebooting',
    });
    const posted = () =>
      bot.connector.sent.filter((r) => r.conversationId === CHANNEL && r.method === 'POST');
    await bot.connector.waitFor(() => posted().length > 0, 'the case card');
    const card = JSON.stringify(posted()[0]?.activity.attachments?.[0]?.content);
    expect(card).toContain('Czeka w kolejce');
    expect(card).toContain('"title":"Język","value":"angielski (en)"');
    expect(card).toContain('"title":"Przejmij"');

    await bot.app.handoff.take(caseDoc.id, { id: ANA.aadObjectId, name: ANA.name });
    const updated = () =>
      bot.connector.sent.filter((r) => r.conversationId === CHANNEL && r.method === 'PUT');
    await bot.connector.waitFor(() => updated().length > 0, 'the card updated in place');
    expect(JSON.stringify(updated()[0]?.activity.attachments?.[0]?.content)).toContain(
      'Przejęte przez: Ana Nowak',
    );
    const rootId = updated()[0]?.activity.id ?? '';
    const response = await bot.post(teams(BOB, CHANNEL, caseInvoke(CASE_VERBS.take, caseDoc.id)));
    const refused = JSON.stringify(((await response.json()) as { value: unknown }).value);
    expect(refused).toContain('To zgłoszenie przejął(a) już: Ana Nowak.');
    expect(refused).toContain('Przejęte przez: Ana Nowak');

    await bot.say('It reboots every hour', { conversationId: customer });
    await bot.connector.waitFor(
      () => bot.connector.textsTo(thread(rootId)).includes('Klient: It reboots every hour'),
      'the customer message in the thread, in Polish',
    );
  });
});
