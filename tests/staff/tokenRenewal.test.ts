import { t } from '../../locales';
import { startTestBot, type TestBot } from '../helpers/harness';
import { startEventsServer, type EventsServer } from './eventsServer';
import { EventStream } from './sse';

const DAY = 86_400_000;

/**
 * Renewing a staff token gives it a new secret and keeps the member of staff who they are: their cases, their
 * rows in the reports. The old secret stops working everywhere, open streams included.
 */
describe('renewing a staff token', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(() => bot.close());

  const issue = async (body: object): Promise<{ id: string; token: string; expiresAt?: string }> => {
    const response = await bot.api('/api/admin/tokens', { method: 'POST', body: JSON.stringify(body) });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string; token: string; expiresAt?: string };
  };
  const renew = (id: string, body?: object, token?: string): Promise<Response> =>
    bot.api(`/api/admin/tokens/${encodeURIComponent(id)}/renew`, {
      method: 'POST',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(token === undefined ? {} : { token }),
    });
  const renewed = async (id: string, body?: object) => {
    const response = await renew(id, body);
    expect(response.status).toBe(200);
    return (await response.json()) as { id: string; token: string; expiresAt?: string };
  };
  const asStaff = (token: string, path: string, method = 'GET'): Promise<Response> =>
    fetch(`${bot.url}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
  const listed = async (id: string) => {
    const { tokens } = (await (await bot.api('/api/admin/tokens')).json()) as {
      tokens: { id: string; name: string; expiresAt?: string; renewedAt?: string; renewedBy?: string }[];
    };
    return tokens.find((token) => token.id === id);
  };

  it('when an admin renews an agent token, then the new secret signs in as the same agent and the old one no longer does', async () => {
    const old = await issue({ name: 'Renewing agent', role: 'agent', expiresInDays: 30 });
    const fresh = await renewed(old.id);
    expect(fresh.id).toBe(old.id);
    expect(fresh.token).not.toBe(old.token);
    expect((await asStaff(old.token, '/api/agent/cases')).status).toBe(401);
    expect((await asStaff(fresh.token, '/api/agent/cases')).status).toBe(200);
    expect(await listed(old.id)).toMatchObject({
      name: 'Renewing agent',
      renewedAt: bot.clock.now().toISOString(),
      renewedBy: 'admin',
    });
  });

  it('when the agent has a case, then after the renewal the case is still theirs and they go on with it', async () => {
    const old = await issue({ name: 'Kari', role: 'agent', expiresInDays: 90 });
    await bot.say('hei', { conversationId: 'renewed-agent', locale: 'nb' });
    const { caseDoc } = await bot.app.handoff.open({
      conversationId: 'renewed-agent',
      customerId: 'renewed-agent-user',
      locale: 'nb',
      channel: 'webchat',
      reason: 'request',
      summary: 'Fakturaen er feil',
    });
    expect((await asStaff(old.token, `/api/agent/cases/${caseDoc.id}/take`, 'POST')).status).toBe(200);
    const before = bot.connector.textsTo('renewed-agent').length;

    const fresh = await renewed(old.id);

    expect(await bot.app.handoff.get(caseDoc.id)).toMatchObject({ status: 'assigned', agentId: old.id });
    // The customer is not told their agent left.
    expect(bot.connector.textsTo('renewed-agent').slice(before)).not.toContain(t('nb', 'handoff.released'));
    expect((await asStaff(fresh.token, `/api/agent/cases/${caseDoc.id}/resolve`, 'POST')).status).toBe(200);
    expect(await bot.app.handoff.get(caseDoc.id)).toMatchObject({ status: 'resolved', agentId: old.id });
  });

  it('when no days are given, then the token is valid as long as before, counted from the renewal', async () => {
    const old = await issue({ name: 'Monthly agent', role: 'agent', expiresInDays: 30 });
    bot.clock.advance(20 * DAY);
    const first = await renewed(old.id);
    expect(new Date(first.expiresAt ?? 0).getTime()).toBe(bot.clock.now().getTime() + 30 * DAY);
    bot.clock.advance(10 * DAY);
    const second = await renewed(old.id, {});
    expect(new Date(second.expiresAt ?? 0).getTime()).toBe(bot.clock.now().getTime() + 30 * DAY);
  });

  it('when days or null are given, then the token is valid that long or until revoked', async () => {
    const old = await issue({ name: 'Changing agent', role: 'agent', expiresInDays: 30 });
    const week = await renewed(old.id, { expiresInDays: 7 });
    expect(new Date(week.expiresAt ?? 0).getTime()).toBe(bot.clock.now().getTime() + 7 * DAY);
    const forever = await renewed(old.id, { expiresInDays: null });
    expect(forever.expiresAt).toBeUndefined();
    expect((await listed(old.id))?.expiresAt).toBeUndefined();
    bot.clock.advance(3650 * DAY);
    expect((await asStaff(forever.token, '/api/agent/cases')).status).toBe(200);
    // A token that never expired keeps that when renewed without days.
    expect((await renewed(old.id)).expiresAt).toBeUndefined();
  });

  it('when the token has expired, then renewing it lets the agent in again, and its next expiry is handled again', async () => {
    await bot.app.sweeps.expireTokens(); // the tokens of the tests above
    const old = await issue({ name: 'Back from leave', role: 'agent', expiresInDays: 1 });
    bot.clock.advance(DAY);
    expect(await bot.app.sweeps.expireTokens()).toBe(1);
    expect((await asStaff(old.token, '/api/agent/cases')).status).toBe(401);

    const fresh = await renewed(old.id);
    expect((await asStaff(fresh.token, '/api/agent/cases')).status).toBe(200);
    bot.clock.advance(DAY);
    expect(await bot.app.sweeps.expireTokens()).toBe(1);
    expect((await asStaff(fresh.token, '/api/agent/cases')).status).toBe(401);
  });

  it('when a stream is open with the old secret, then it ends at once, and one opened with the new secret goes on', async () => {
    const old = await issue({ name: 'Streaming agent', role: 'agent' });
    const oldStream = await EventStream.open(`${bot.url}/api/agent/events`, {
      authorization: `Bearer ${old.token}`,
    });
    let newStream: EventStream | undefined;
    try {
      expect(oldStream.response.status).toBe(200);
      const fresh = await renewed(old.id);
      await expect(oldStream.next()).rejects.toThrow('the event stream ended');
      newStream = await EventStream.open(`${bot.url}/api/agent/events`, {
        authorization: `Bearer ${fresh.token}`,
      });
      expect(newStream.response.status).toBe(200);
      await bot.say('hello', { conversationId: 'after-renewal' });
      const { caseDoc } = await bot.app.handoff.open({
        conversationId: 'after-renewal',
        customerId: 'after-renewal-user',
        locale: 'en',
        channel: 'webchat',
        reason: 'request',
        summary: 'Where is my order?',
      });
      const event = await newStream.next<{ caseView: { id: string } }>((e) => e.caseView.id === caseDoc.id);
      expect(event.caseView.id).toBe(caseDoc.id);
    } finally {
      oldStream.close();
      newStream?.close();
    }
  });

  it('when the token was revoked, then it cannot be renewed', async () => {
    const old = await issue({ name: 'Gone agent', role: 'agent' });
    expect((await bot.api(`/api/admin/tokens/${old.id}`, { method: 'DELETE' })).status).toBe(204);
    const response = await renew(old.id);
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: 'conflict' });
    expect((await asStaff(old.token, '/api/agent/cases')).status).toBe(401);
  });

  it('when the token does not exist, then 404', async () => {
    expect((await renew('no-such-token')).status).toBe(404);
  });

  it('when an agent token asks to renew itself or another, then 403 and nothing changes', async () => {
    const agent = await issue({ name: 'Curious agent', role: 'agent' });
    const response = await renew(agent.id, undefined, agent.token);
    expect(response.status).toBe(403);
    expect((await asStaff(agent.token, '/api/agent/cases')).status).toBe(200);
    expect((await listed(agent.id))?.renewedAt).toBeUndefined();
  });

  it.each([0, 3651, 1.5, '7', { $gt: 0 }])(
    'when the days are %p, then the request is refused and names the field',
    async (days) => {
      const agent = await issue({ name: 'Odd days', role: 'agent' });
      const response = await renew(agent.id, { expiresInDays: days });
      expect(response.status).toBe(400);
      expect(JSON.stringify(await response.json())).toContain('expiresInDays');
      expect((await asStaff(agent.token, '/api/agent/cases')).status).toBe(200);
    },
  );

  it('when the body has other fields (a new name or role), then the request is refused', async () => {
    const agent = await issue({ name: 'Plain agent', role: 'agent' });
    const response = await renew(agent.id, { role: 'admin' });
    expect(response.status).toBe(400);
    expect((await listed(agent.id))?.renewedAt).toBeUndefined();
  });
});

describe('an event stream opened with a secret that was renewed in this process', () => {
  let events: EventsServer;
  // No heartbeat within the test: only the renewal itself can end the stream.
  beforeAll(async () => {
    events = await startEventsServer(3_600_000);
  });
  afterAll(() => events.close());

  it('when the token is renewed, then the stream ends at once; streams of other tokens go on', async () => {
    const { auth, url } = events;
    const renewing = await auth.issue('Renewing agent', 'agent', 'test');
    const other = await auth.issue('Other agent', 'agent', 'test');
    const oldStream = await EventStream.open(`${url}/api/agent/events`, {
      authorization: `Bearer ${renewing.token}`,
    });
    const otherStream = await EventStream.open(`${url}/api/agent/events`, {
      authorization: `Bearer ${other.token}`,
    });
    try {
      const ended = oldStream.next().then(
        () => 'event',
        (err: Error) => err.message,
      );
      const otherEnded = otherStream.next().then(
        () => 'event',
        (err: Error) => err.message,
      );
      await auth.renew(renewing.id, 'test');
      expect(await ended).toBe('the event stream ended');
      otherStream.close();
      // Closed by this test, not by the server: the other stream was still open.
      expect(await otherEnded).not.toBe('the event stream ended');
    } finally {
      oldStream.close();
      otherStream.close();
    }
  });
});
