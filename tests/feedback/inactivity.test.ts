import type { Activity } from 'botbuilder';
import { t } from '../../locales';
import { startTestBot, type TestBot } from '../helpers/harness';

const isSurvey = (activity: Partial<Activity>): boolean =>
  activity.attachments?.some((a) => a.contentType === 'application/vnd.microsoft.card.adaptive') ?? false;

describe('the survey after a customer goes quiet', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot({ FAQ_SEED_DEMO: 'true', SURVEY_INACTIVITY_MINUTES: '30' });
  });
  afterAll(() => bot.close());

  it('when a customer asked a question and is silent for 30 minutes, then one survey arrives in their language', async () => {
    const who = { conversationId: 'idle-nb', locale: 'nb-NO' };
    await bot.say('Hvordan endrer jeg passordet til wifi?', who);
    bot.clock.advance(29 * 60_000);
    expect(await bot.app.sweeps.surveyIdle()).toBe(0);
    bot.clock.advance(2 * 60_000);
    expect(await bot.app.sweeps.surveyIdle()).toBe(1);
    const sent = bot.connector.sent.filter((r) => r.conversationId === 'idle-nb');
    expect(sent.some((r) => isSurvey(r.activity))).toBe(true);
    expect(sent.map((r) => r.activity.text ?? '').join(' ')).toMatch(/[æøå]|Hvordan|vurder/i);
    bot.clock.advance(60 * 60_000);
    expect(await bot.app.sweeps.surveyIdle()).toBe(0);
  });

  it('when a customer of an English client asked in Polish and goes quiet, then the survey arrives in Polish', async () => {
    const who = { conversationId: 'idle-pl-in-en', locale: 'en-US' };
    await bot.say('Jak zmienić hasło do wifi?', who);
    bot.clock.advance(31 * 60_000);
    expect(await bot.app.sweeps.surveyIdle()).toBe(1);
    const sent = bot.connector.sent.filter((r) => r.conversationId === 'idle-pl-in-en');
    expect(sent.map((r) => r.activity.text)).toContain(t('pl', 'feedback.prompt'));
  });

  it('when the customer writes again while the sweep is under way, then their episode stays open and no survey arrives', async () => {
    const who = { conversationId: 'idle-race' };
    await bot.say('How do I change my wifi password?', who);
    const { conversations } = bot.app;
    const opened = (await conversations.get('idle-race'))?.episode;
    bot.clock.advance(31 * 60_000);
    // The sweep has found the quiet conversation; before it closes the episode, the customer asks again.
    const idleSince = conversations.idleSince.bind(conversations);
    const found = jest.spyOn(conversations, 'idleSince').mockImplementationOnce(async (cutoff, limit) => {
      const quiet = await idleSince(cutoff, limit);
      expect(quiet.map((doc) => doc._id)).toContain('idle-race');
      await bot.say('and how do I pay my bill?', who);
      return quiet;
    });
    try {
      await bot.app.sweeps.surveyIdle();
    } finally {
      found.mockRestore();
    }
    expect((await conversations.get('idle-race'))?.episode?.id).toBe(opened?.id);
    expect(
      bot.connector.sent.filter((r) => r.conversationId === 'idle-race' && isSurvey(r.activity)),
    ).toEqual([]);
  });

  it('when a person is handling the conversation, then no survey is sent however long it is quiet', async () => {
    const who = { conversationId: 'idle-handoff' };
    await bot.say('How do I change my wifi password?', who);
    await bot.app.handoff.open({
      conversationId: 'idle-handoff',
      customerId: 'user-1',
      locale: 'en',
      channel: 'webchat',
      reason: 'request',
      summary: 'Wi-Fi password does not work',
    });
    bot.clock.advance(120 * 60_000);
    await bot.app.sweeps.surveyIdle();
    expect(
      bot.connector.sent.filter((r) => r.conversationId === 'idle-handoff' && isSurvey(r.activity)),
    ).toEqual([]);
  });

  it('when a customer goes quiet in the middle of a hand-over, then no survey interrupts it and the hand-over goes on', async () => {
    const who = { conversationId: 'idle-describing', locale: 'pl-PL' };
    await bot.say('konsultant', who);
    await bot.say('nie działa mi telewizja od wczoraj, cały czas czarny ekran', who);
    bot.clock.advance(45 * 60_000);
    await bot.app.sweeps.surveyIdle();
    const sent = () => bot.connector.sent.filter((r) => r.conversationId === 'idle-describing');
    expect(sent().filter((r) => isSurvey(r.activity))).toEqual([]);
    // Back from the break: the contact goes where it was asked for, and the case is made.
    await bot.say('sorry, byłem zajęty. mój numer to 600 100 200', who);
    await bot.say('tak', who);
    expect((await bot.app.handoff.activeCase('idle-describing'))?.contact).toEqual({ phone: '600 100 200' });
  });

  it('when the customer only said hello (no episode), then nobody is surveyed', async () => {
    await bot.send(
      { type: 'conversationUpdate', membersAdded: [{ id: 'user-1', name: 'Customer' }] },
      { conversationId: 'idle-hello' },
    );
    bot.clock.advance(120 * 60_000);
    await bot.app.sweeps.surveyIdle();
    expect(bot.connector.sent.filter((r) => r.conversationId === 'idle-hello')).toEqual([]);
  });
});
