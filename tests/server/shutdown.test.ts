import { startTestBot } from '../helpers/harness';

describe('graceful shutdown', () => {
  it('when the app stops during a turn, then the turn finishes, new requests get 503 and the database closes', async () => {
    const bot = await startTestBot();
    const release = bot.connector.holdNext();
    // A turn whose reply goes through the (slow) channel, not back in the HTTP response.
    const turn = bot.post({
      type: 'message',
      id: 'slow-1',
      channelId: 'webchat',
      serviceUrl: bot.connector.url,
      from: { id: 'user-1' },
      recipient: { id: 'bot' },
      conversation: { id: 'shutdown-1' },
      locale: 'en-US',
      text: 'help',
    });
    await bot.connector.waitFor(() => bot.connector.pending > 0, 'the reply to reach the channel');
    const stopping = bot.app.stop();
    const late = await bot
      .post({ type: 'message', conversation: { id: 'shutdown-2' }, text: 'hi' })
      .catch(() => null);
    if (late) expect(late.status).toBe(503);
    release();
    expect((await turn).status).toBe(200);
    await stopping;
    expect(bot.connector.textsTo('shutdown-1').join(' ')).toMatch(/what I can do/);
    await expect(bot.app.db.ping()).rejects.toThrow();
    await bot.connector.stop();
  });
});
