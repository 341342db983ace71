import { startTestBot, type TestBot } from '../helpers/harness';

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
});
