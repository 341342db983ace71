import { t } from '../../locales';
import { startTestBot, type TestBot } from '../helpers/harness';
import { EventStream } from './sse';

/** Staff tokens issued for a number of days stop working everywhere when they expire. */
describe('a staff token with an expiry', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(() => bot.close());

  const issue = async (body: object): Promise<Response> =>
    bot.api('/api/admin/tokens', { method: 'POST', body: JSON.stringify(body) });
  const cases = (token: string): Promise<Response> =>
    fetch(`${bot.url}/api/agent/cases`, { headers: { authorization: `Bearer ${token}` } });

  it('when its days have passed, then it no longer signs in, and the list says when it expires', async () => {
    const response = await issue({ name: 'Temp agent', role: 'agent', expiresInDays: 2 });
    expect(response.status).toBe(201);
    const { id, token, expiresAt } = (await response.json()) as {
      id: string;
      token: string;
      expiresAt: string;
    };
    expect(new Date(expiresAt).getTime() - bot.clock.now().getTime()).toBe(2 * 86_400_000);
    expect((await cases(token)).status).toBe(200);
    const { tokens } = (await (await bot.api('/api/admin/tokens')).json()) as {
      tokens: { id: string; expiresAt?: string }[];
    };
    expect(tokens.find((listed) => listed.id === id)?.expiresAt).toBe(expiresAt);

    bot.clock.advance(2 * 86_400_000 - 1_000);
    expect((await cases(token)).status).toBe(200);
    bot.clock.advance(1_000);
    expect((await cases(token)).status).toBe(401);
  });

  it('when it is issued without days, then it works until revoked', async () => {
    const response = await issue({ name: 'Permanent agent', role: 'agent' });
    const { token, expiresAt } = (await response.json()) as { token: string; expiresAt?: string };
    expect(expiresAt).toBeUndefined();
    bot.clock.advance(3650 * 86_400_000);
    expect((await cases(token)).status).toBe(200);
  });

  it.each([0, 3651, 1.5, '7', { $gt: 0 }, null])(
    'when the days are %p, then the request is refused and names the field',
    async (days) => {
      const response = await issue({ name: 'x', role: 'agent', expiresInDays: days });
      expect(response.status).toBe(400);
      expect(JSON.stringify(await response.json())).toContain('expiresInDays');
    },
  );

  it('when it expires with a case taken and the console open, then the stream ends and the case goes back to the queue', async () => {
    await bot.app.sweeps.expireTokens(); // the tokens of the tests above
    const response = await issue({ name: 'Short shift', role: 'agent', expiresInDays: 1 });
    const { token } = (await response.json()) as { token: string };
    await bot.say('hei', { conversationId: 'expiring-agent', locale: 'nb' });
    const { caseDoc } = await bot.app.handoff.open({
      conversationId: 'expiring-agent',
      customerId: 'expiring-agent-user',
      locale: 'nb',
      channel: 'webchat',
      reason: 'request',
      summary: 'Fakturaen er feil',
    });
    const take = await fetch(`${bot.url}/api/agent/cases/${caseDoc.id}/take`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(take.status).toBe(200);
    const stream = await EventStream.open(`${bot.url}/api/agent/events`, {
      authorization: `Bearer ${token}`,
    });
    try {
      expect(await bot.app.sweeps.expireTokens()).toBe(0);
      bot.clock.advance(86_400_000);
      expect(await bot.app.sweeps.expireTokens()).toBe(1);
      await expect(stream.next()).rejects.toThrow('the event stream ended');
      expect(await bot.app.handoff.get(caseDoc.id)).toMatchObject({ status: 'queued' });
      expect(bot.connector.textsTo('expiring-agent').at(-1)).toBe(t('nb', 'handoff.released'));
      // Once only.
      expect(await bot.app.sweeps.expireTokens()).toBe(0);
    } finally {
      stream.close();
    }
  });
});
