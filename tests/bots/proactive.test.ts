import { CASE_VERBS } from '../../cards/caseCard';
import { t } from '../../locales';
import { ConnectorStandIn } from '../helpers/connector';
import { startTestBot, type TestBot } from '../helpers/harness';
import { ANA, CHANNEL, caseInvoke, mention, teamsActivity, thread } from '../staff/teams';

interface CaseJson {
  id: string;
  status: string;
}

/** Opens a case for a customer straight through the service and lets the admin take it. */
async function takenCase(bot: TestBot, conversationId: string): Promise<string> {
  await bot.say('hello', { conversationId });
  const { caseDoc } = await bot.app.handoff.open({
    conversationId,
    customerId: 'user-1',
    locale: 'en',
    channel: 'webchat',
    reason: 'request',
    summary: 'My router keeps restarting',
  });
  const response = await bot.api(`/api/agent/cases/${caseDoc.id}/take`, { method: 'POST' });
  expect(response.status).toBe(200);
  await bot.connector.waitFor(
    (sent) => sent.some((r) => r.conversationId === conversationId),
    'the "agent joined" notice',
  );
  return caseDoc.id;
}

describe('proactive messages to customers', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(() => bot.close());

  const agentSays = (caseId: string, text: string) =>
    bot.api(`/api/agent/cases/${caseId}/messages`, { method: 'POST', body: JSON.stringify({ text }) });

  it('when the channel throttles (429) or the gateway fails (502), then the message is retried and arrives once', async () => {
    const caseId = await takenCase(bot, 'proactive-retry');
    bot.connector.failNext(429);
    bot.connector.failNext(502);
    expect((await agentSays(caseId, 'Still there?')).status).toBe(201);
    expect(bot.connector.textsTo('proactive-retry').filter((text) => text === 'Still there?')).toHaveLength(
      1,
    );
  });

  it('when the customer is gone (404), then the agent is told (410), the case is abandoned and the conversation marked unreachable', async () => {
    const caseId = await takenCase(bot, 'proactive-gone');
    bot.connector.failNext(404);
    const response = await agentSays(caseId, 'Hello?');
    expect(response.status).toBe(410);
    expect(((await response.json()) as { error: string }).error).toBe('customer_unreachable');
    const detail = (await (await bot.api(`/api/agent/cases/${caseId}`)).json()) as CaseJson;
    expect(detail.status).toBe('abandoned');
    expect((await bot.app.conversations.get('proactive-gone'))?.unreachableAt).toBeInstanceOf(Date);
  });

  it('when the channel rejects the message (400), then the agent gets 503 and the message stays in the case', async () => {
    const caseId = await takenCase(bot, 'proactive-broken');
    bot.connector.failNext(400);
    const response = await agentSays(caseId, 'Are you there?');
    expect(response.status).toBe(503);
    expect(bot.connector.textsTo('proactive-broken').join(' ')).not.toMatch(/something went wrong/);
    const detail = (await (await bot.api(`/api/agent/cases/${caseId}`)).json()) as {
      messages: { text: string }[];
    };
    expect(detail.messages.map((m) => m.text)).toContain('Are you there?');
  });

  it('when the customer is gone (404) as the agent takes the case, then take answers 200 and the case is abandoned', async () => {
    await bot.say('hello', { conversationId: 'gone-on-take' });
    const { caseDoc } = await bot.app.handoff.open({
      conversationId: 'gone-on-take',
      customerId: 'user-1',
      locale: 'en',
      channel: 'webchat',
      reason: 'request',
      summary: 'Cancel my contract',
    });
    bot.connector.failNext(404);
    const taken = await bot.api(`/api/agent/cases/${caseDoc.id}/take`, { method: 'POST' });
    expect(taken.status).toBe(200);
    expect(await taken.json()).toMatchObject({ status: 'abandoned', delivery: 'unreachable' });
  });
});

describe('when the customer’s channel fails without an HTTP status', () => {
  let bot: TestBot;
  /** The customer's channel: a stand-in that is closed again at once, so every send is refused. */
  let closedUrl: string;

  beforeAll(async () => {
    bot = await startTestBot();
    const closed = new ConnectorStandIn();
    closedUrl = await closed.start();
    await closed.stop();
    const post = thread('set-post');
    await bot.post(teamsActivity(bot.connector.url, ANA, post, mention('set escalation channel')));
    await bot.connector.waitFor(() => bot.connector.textsTo(post).length > 0, 'the confirmation');
  });
  afterAll(() => bot.close());

  /** A queued case of a customer whose channel now refuses connections. */
  async function caseOfRefusingCustomer(conversationId: string): Promise<string> {
    await bot.send({ type: 'message', text: 'hello', serviceUrl: closedUrl }, { conversationId });
    const { caseDoc } = await bot.app.handoff.open({
      conversationId,
      customerId: 'user-1',
      locale: 'en',
      channel: 'webchat',
      reason: 'request',
      summary: 'My router keeps restarting',
    });
    return caseDoc.id;
  }

  it('then take and resolve over the staff API answer 200 with delivery "failed", and the changes stand', async () => {
    const caseId = await caseOfRefusingCustomer('refused-api');
    const taken = await bot.api(`/api/agent/cases/${caseId}/take`, { method: 'POST' });
    expect(taken.status).toBe(200);
    expect(await taken.json()).toMatchObject({ id: caseId, status: 'assigned', delivery: 'failed' });
    // The take was saved: taking again is a conflict, not a second try.
    expect((await bot.api(`/api/agent/cases/${caseId}/take`, { method: 'POST' })).status).toBe(409);

    const resolved = await bot.api(`/api/agent/cases/${caseId}/resolve`, { method: 'POST' });
    expect(resolved.status).toBe(200);
    expect(await resolved.json()).toMatchObject({ status: 'resolved', delivery: 'failed' });
    expect((await bot.app.handoff.get(caseId)).status).toBe('resolved');
  });

  it('then Take on the Teams card shows the case taken and that the customer was not told', async () => {
    const caseId = await caseOfRefusingCustomer('refused-card');
    const response = await bot.post(
      teamsActivity(bot.connector.url, ANA, CHANNEL, caseInvoke(CASE_VERBS.take, caseId)),
    );
    expect(response.status).toBe(200);
    const card = JSON.stringify(await response.json());
    expect(card).toContain('Taken by Ana Nowak');
    expect(card).toContain(t('en', 'staff.notDelivered'));
    expect((await bot.app.handoff.get(caseId)).status).toBe('assigned');
  });
});
