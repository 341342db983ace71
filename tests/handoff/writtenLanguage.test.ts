import { t } from '../../locales';
import { startTestBot, texts, type TestBot } from '../helpers/harness';

describe('the language of a hand-over when the customer writes another language than the client', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(() => bot.close());

  /** An agent (the admin) takes the queued case of the conversation; its id. */
  const take = async (conversationId: string): Promise<string> => {
    const cases = (await (await bot.api('/api/agent/cases?status=queued')).json()) as Array<{
      id: string;
      conversationId: string;
    }>;
    const caseId = cases.find((c) => c.conversationId === conversationId)?.id ?? '';
    expect((await bot.api(`/api/agent/cases/${caseId}/take`, { method: 'POST' })).status).toBe(200);
    return caseId;
  };

  it('when a customer of an English client asks in Polish and an agent resolves the case, then the notices and the survey are Polish', async () => {
    const customer = { locale: 'en-US', conversationId: 'written-pl-in-en' };
    await bot.say('Chcę rozmawiać z konsultantem w sprawie faktury za listopad', customer);
    await bot.say(t('pl', 'common.skip'), customer);
    expect(texts(await bot.say('tak', customer))).toEqual([
      t('pl', 'handoff.queuedNoEstimateNoContact', { position: 1 }),
    ]);
    const caseId = await take(customer.conversationId);
    expect((await bot.api(`/api/agent/cases/${caseId}/resolve`, { method: 'POST' })).status).toBe(200);
    await bot.connector.waitFor(
      () => bot.connector.textsTo(customer.conversationId).length >= 3,
      'the joined and resolved notices and the survey',
    );
    expect(bot.connector.textsTo(customer.conversationId)).toEqual([
      t('pl', 'handoff.agentJoinedNeutral'),
      t('pl', 'handoff.resolved', { agentName: 'admin' }),
      t('pl', 'feedback.prompt'),
    ]);
  });

  it('when a customer of an English client turns to Polish while an agent handles the case, then the resolve notice is Polish like the survey after it', async () => {
    const customer = { locale: 'en-US', conversationId: 'written-pl-later' };
    await bot.say('I want to talk to a human about my November invoice', customer);
    await bot.say(t('en', 'common.skip'), customer);
    expect(texts(await bot.say('yes', customer))).toEqual([
      t('en', 'handoff.queuedNoEstimateNoContact', { position: 1 }),
    ]);
    const caseId = await take(customer.conversationId);
    await bot.say('Przepraszam, wolę pisać po polsku, jeśli można', customer);
    await bot.say('Faktura za listopad jest dwa razy wyższa niż zwykle', customer);
    const before = bot.connector.textsTo(customer.conversationId).length;
    expect((await bot.api(`/api/agent/cases/${caseId}/resolve`, { method: 'POST' })).status).toBe(200);
    await bot.connector.waitFor(
      () => bot.connector.textsTo(customer.conversationId).length >= before + 2,
      'the resolved notice and the survey',
    );
    expect(bot.connector.textsTo(customer.conversationId).slice(before)).toEqual([
      t('pl', 'handoff.resolved', { agentName: 'admin' }),
      t('pl', 'feedback.prompt'),
    ]);
  });
});
