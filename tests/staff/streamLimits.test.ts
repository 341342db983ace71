import { MAX_STREAMS_PER_MEMBER } from '../../server/agentEvents';
import { startTestBot, type TestBot } from '../helpers/harness';
import { EventStream } from './sse';

describe('live feeds and names of staff tokens', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(() => bot.close());

  it('when one member opens more live feeds than a few tabs need, then the next is refused until one closes', async () => {
    const { token } = await bot.app.auth.issue('Many tabs', 'agent', 'test');
    const open = () => EventStream.open(`${bot.url}/api/agent/events`, { authorization: `Bearer ${token}` });
    const streams = [];
    for (let i = 0; i < MAX_STREAMS_PER_MEMBER; i++) streams.push(await open());
    try {
      expect(streams.every((stream) => stream.response.status === 200)).toBe(true);
      const refused = await open();
      expect(refused.response.status).toBe(429);
      refused.close();
      // Another member is not held up.
      const other = await EventStream.open(`${bot.url}/api/agent/events`, {
        authorization: `Bearer ${(await bot.app.auth.issue('Other', 'agent', 'test')).token}`,
      });
      expect(other.response.status).toBe(200);
      other.close();
      streams.shift()?.close();
      let again = await open();
      for (let i = 0; again.response.status !== 200 && i < 50; i++) {
        again.close();
        await new Promise((resolve) => setTimeout(resolve, 20));
        again = await open();
      }
      expect(again.response.status).toBe(200);
      streams.push(again);
    } finally {
      for (const stream of streams) stream.close();
    }
  });

  it.each(['\u202eecilA', 'alice\u200b', 'bob\u0007', 'line\u2028break'])(
    'when a token is named %j, then the name is refused',
    async (name) => {
      const response = await bot.api('/api/admin/tokens', {
        method: 'POST',
        body: JSON.stringify({ name, role: 'agent' }),
      });
      expect(response.status).toBe(400);
      expect(JSON.stringify(await response.json())).toContain('invisible');
    },
  );

  it('when a token is named in another script with accents, then it is kept (composed)', async () => {
    const response = await bot.api('/api/admin/tokens', {
      method: 'POST',
      body: JSON.stringify({ name: ' Zofia Ła\u0301ska ', role: 'agent' }),
    });
    expect(response.status).toBe(201);
    const { tokens } = (await (await bot.api('/api/admin/tokens')).json()) as { tokens: { name: string }[] };
    expect(tokens.map((token) => token.name)).toContain('Zofia Łáska');
  });
});
