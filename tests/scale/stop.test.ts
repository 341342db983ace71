import { t } from '../../locales';
import { startTestBot } from '../helpers/harness';

describe('stopping an instance', () => {
  it('when it stops during a sweep, then the sweep finishes and the customer is told before the database closes', async () => {
    const bot = await startTestBot();
    await bot.say('hello', { conversationId: 'overdue' });
    await bot.app.handoff.open({
      conversationId: 'overdue',
      customerId: 'user-1',
      locale: 'en',
      channel: 'webchat',
      reason: 'request',
      summary: 'My router keeps restarting',
      contact: { email: 'ola@example.com' },
    });
    bot.clock.advance(11 * 60_000);
    const sweeping = bot.app.sweeps.expireCases();
    await bot.close();
    expect(await sweeping).toBe(1);
    expect(bot.connector.textsTo('overdue').join('\n')).toContain(t('en', 'handoff.expired'));
  });
});
