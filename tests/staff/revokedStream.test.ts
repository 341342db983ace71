import { t } from '../../locales';
import type { StaffTokenDoc } from '../../server/auth';
import { startTestBot, type TestBot } from '../helpers/harness';
import { startEventsServer, type EventsServer } from './eventsServer';
import { EventStream } from './sse';

describe('a revoked staff token and its open event streams', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(() => bot.close());

  it('when an admin revokes the token, then its streams end and receive no further case events', async () => {
    const issued = await bot.api('/api/admin/tokens', {
      method: 'POST',
      body: JSON.stringify({ name: 'Leaving agent', role: 'agent' }),
    });
    const { id, token } = (await issued.json()) as { id: string; token: string };
    const other = (await bot.app.auth.issue('Staying agent', 'agent', 'test')).token;
    const byHeader = await EventStream.open(`${bot.url}/api/agent/events`, {
      authorization: `Bearer ${token}`,
    });
    const byQuery = await EventStream.open(`${bot.url}/api/agent/events?token=${encodeURIComponent(token)}`);
    const staying = await EventStream.open(`${bot.url}/api/agent/events`, {
      authorization: `Bearer ${other}`,
    });
    try {
      expect([byHeader.response.status, byQuery.response.status]).toEqual([200, 200]);
      expect((await bot.api(`/api/admin/tokens/${id}`, { method: 'DELETE' })).status).toBe(204);

      await bot.say('hello', { conversationId: 'after-revocation' });
      const { caseDoc } = await bot.app.handoff.open({
        conversationId: 'after-revocation',
        customerId: 'after-revocation-user',
        locale: 'en',
        channel: 'webchat',
        reason: 'request',
        summary: 'Secret order details',
      });
      await expect(byHeader.next()).rejects.toThrow('the event stream ended');
      await expect(byQuery.next()).rejects.toThrow('the event stream ended');
      // Other tokens' streams go on.
      const event = await staying.next<{ caseView: { id: string } }>((e) => e.caseView.id === caseDoc.id);
      expect(event.caseView.id).toBe(caseDoc.id);
    } finally {
      for (const stream of [byHeader, byQuery, staying]) stream.close();
    }
  });
});

describe('the cases of a revoked staff token', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(() => bot.close());

  it('when an admin revokes the token of an agent with a case, then the case goes back to the queue and the customer is told', async () => {
    const issued = await bot.api('/api/admin/tokens', {
      method: 'POST',
      body: JSON.stringify({ name: 'Ola', role: 'agent' }),
    });
    const { id, token } = (await issued.json()) as { id: string; token: string };
    await bot.say('czesc', { conversationId: 'stranded', locale: 'pl' });
    const { caseDoc } = await bot.app.handoff.open({
      conversationId: 'stranded',
      customerId: 'stranded-user',
      locale: 'pl',
      channel: 'webchat',
      reason: 'complaint',
      summary: 'Internet nie działa',
    });
    const take = await fetch(`${bot.url}/api/agent/cases/${caseDoc.id}/take`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(take.status).toBe(200);

    expect((await bot.api(`/api/admin/tokens/${id}`, { method: 'DELETE' })).status).toBe(204);

    expect(await bot.app.handoff.get(caseDoc.id)).toMatchObject({ status: 'queued' });
    expect(bot.connector.textsTo('stranded').at(-1)).toBe(t('pl', 'handoff.released'));
  });
});

describe('a token revoked by another instance', () => {
  let events: EventsServer;
  beforeAll(async () => {
    events = await startEventsServer(20);
  });
  afterAll(() => events.close());

  it('when the shared store says the token is revoked, then the stream ends at its next heartbeat', async () => {
    const { id, token } = await events.auth.issue('Ana', 'agent', 'test');
    const stream = await EventStream.open(`${events.url}/api/agent/events`, {
      authorization: `Bearer ${token}`,
    });
    try {
      expect(stream.response.status).toBe(200);
      // What another instance's revoke() writes, without this process's notification.
      await events.db
        .collection<StaffTokenDoc>('staffTokens')
        .updateOne({ _id: id }, { $set: { revokedAt: new Date() } });
      await expect(stream.next()).rejects.toThrow('the event stream ended');
    } finally {
      stream.close();
    }
  });
});
