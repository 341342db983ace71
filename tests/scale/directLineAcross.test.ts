import { t } from '../../locales';
import { followStream } from '../directline/directLineServer';
import { startTwoInstances, type TwoInstances } from './twoInstances';

interface Grant {
  conversationId: string;
  token: string;
  streamUrl?: string;
}

interface ActivitySet {
  activities: Array<{ type: string; text?: string; from?: { role?: string } }>;
  watermark: string;
}

let two: TwoInstances;
beforeAll(async () => {
  two = await startTwoInstances();
});
afterAll(() => two.close());

/** A Direct Line request through the balancer, to the instance `on`. */
async function directLine(
  on: 'a' | 'b',
  method: 'GET' | 'POST',
  path: string,
  token?: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  two.balancer.target = on;
  const response = await fetch(`${two.balancer.url}/v3/directline${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** A web chat token issued by `issuer` and its conversation started on `starter`. */
async function webChat(issuer: 'a' | 'b', starter: 'a' | 'b'): Promise<{ token: string; grant: Grant }> {
  const generated = await directLine(issuer, 'POST', '/tokens/generate');
  expect(generated.status).toBe(200);
  const { token } = generated.body as Grant;
  const started = await directLine(starter, 'POST', '/conversations', token, { locale: 'en-US' });
  expect(started.status).toBe(201);
  return { token, grant: started.body as Grant };
}

const say = (on: 'a' | 'b', grant: Grant, token: string, text: string) =>
  directLine(on, 'POST', `/conversations/${grant.conversationId}/activities`, token, {
    type: 'message',
    text,
    from: { name: 'Customer' },
  });

const welcome = t('en', 'common.welcome', { botName: 'Support' });

describe('the built-in Direct Line across two instances', () => {
  it('when a web chat token comes from A, then B starts the conversation, takes posts and serves activities, and a stream on B gets the replies sent on A', async () => {
    const { token, grant } = await webChat('a', 'b');
    two.balancer.target = 'b';
    const stream = followStream(grant.streamUrl ?? '');
    expect(await stream.opened).toBe(101);
    await stream.received(welcome);

    expect((await say('a', grant, token, 'help')).status).toBe(200);
    await stream.received(t('en', 'common.help'));

    const read = await directLine('b', 'GET', `/conversations/${grant.conversationId}/activities`, token);
    expect(read.status).toBe(200);
    const set = read.body as ActivitySet;
    expect(set.activities.map((a) => a.text)).toEqual([welcome, 'help', t('en', 'common.help')]);
    const later = await directLine(
      'a',
      'GET',
      `/conversations/${grant.conversationId}/activities?watermark=${set.watermark}`,
      token,
    );
    expect((later.body as ActivitySet).activities).toEqual([]);
    stream.ws.close();
  });

  it('when A refreshes a token, then B refuses the old one and the stream B opened with it closes', async () => {
    const { token, grant } = await webChat('b', 'b');
    two.balancer.target = 'b';
    const stream = followStream(grant.streamUrl ?? '');
    expect(await stream.opened).toBe(101);
    const refreshed = await directLine('a', 'POST', '/tokens/refresh', token);
    expect(refreshed.status).toBe(200);
    await stream.closed;
    const path = `/conversations/${grant.conversationId}/activities`;
    expect((await directLine('b', 'GET', path, token)).status).toBe(403);
    expect((await directLine('b', 'GET', path, (refreshed.body as Grant).token)).status).toBe(200);
  });

  it('when an agent takes through B the case of a web chat started on A, then the customer on A is told and the case is taken', async () => {
    const { token, grant } = await webChat('a', 'a');
    two.balancer.target = 'a';
    const stream = followStream(grant.streamUrl ?? '');
    expect(await stream.opened).toBe(101);
    expect((await say('a', grant, token, 'hello')).status).toBe(200);
    const { caseDoc } = await two.a.app.handoff.open({
      conversationId: grant.conversationId,
      customerId: 'customer',
      locale: 'en',
      channel: 'webchat',
      reason: 'request',
      summary: 'My router keeps restarting',
    });
    // The bot's proactive reply goes to the balancer, which now hands it to B.
    two.balancer.target = 'b';
    const take = await two.b.api(`/api/agent/cases/${caseDoc.id}/take`, { method: 'POST' });
    expect(take.status).toBe(200);
    expect(await take.json()).toMatchObject({ status: 'assigned', delivery: 'sent' });
    await stream.received(t('en', 'handoff.agentJoinedNeutral'));
    stream.ws.close();
  });
});
