import type { Activity } from 'botbuilder';
import { t } from '../../locales';
import type { Doc } from '../../storage/port';
import { startTestBot, texts, type TestBot } from '../helpers/harness';

/** The apology of the turn-error handler, without its reference. */
const apology = t('en', 'common.error', { ref: '' }).replace(/\s*\(.*$/, '');

interface StateDoc extends Doc {
  state: string;
}

describe('activity fields the store cannot hold', () => {
  let bot: TestBot;
  let n = 0;

  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(() => bot.close());

  /** The ids of the dialogs on the conversation's stored dialog stack. */
  async function dialogStack(conversationId: string): Promise<string[]> {
    const doc = await bot.app.db
      .collection<StateDoc>('botState')
      .findOne({ _id: `webchat/conversations/${conversationId}/` });
    const state = JSON.parse(doc?.state ?? '{}') as { dialogState?: { dialogStack?: Array<{ id: string }> } };
    return (state.dialogState?.dialogStack ?? []).map((d) => d.id);
  }

  it.each<[string, (conversationId: string) => Record<string, unknown>]>([
    [
      'keys with $ and . in conversation',
      (id) => ({ conversation: { id, conversationType: 'personal', $where: 1, 'a.b': 2 } }),
    ],
    [
      'keys with $ and . in from',
      () => ({ from: { id: 'user-1', name: 'Ann', $gt: '', 'a.b': { $ne: 1 } } }),
    ],
    ['keys with $ and . in recipient', () => ({ recipient: { id: 'bot', name: 'Bot', $x: 1, 'y.z': 1 } })],
    ['an operator as aadObjectId', () => ({ from: { id: 'user-1', name: 'Ann', aadObjectId: { $gt: '' } } })],
    ['entities: null', () => ({ entities: null })],
    ['entities that are not entities', () => ({ entities: [null, 5, { type: 5 }, 'mention'] })],
    ['a number as locale', () => ({ locale: 5 })],
    ['an object as locale', () => ({ locale: {} })],
  ])(
    'when a customer message in a dialog carries %s, then it is answered and the dialog goes on',
    async (_name, hostile) => {
      const conversationId = `hostile-${++n}`;
      await bot.say('human', { conversationId });
      const before = await dialogStack(conversationId);
      expect(before.length).toBeGreaterThan(0);

      const response = await bot.post({
        type: 'message',
        text: 'my bill is twice as high as last month',
        channelId: 'webchat',
        serviceUrl: bot.connector.url,
        from: { id: 'user-1', name: 'Ann' },
        recipient: { id: 'bot', name: 'Bot' },
        conversation: { id: conversationId, conversationType: 'personal' },
        locale: 'en-US',
        deliveryMode: 'expectReplies',
        ...hostile(conversationId),
      });
      expect(response.status).toBe(200);
      const replies = texts(((await response.json()) as { activities: Partial<Activity>[] }).activities);
      expect(replies.length).toBeGreaterThan(0);
      expect(replies.join(' ')).not.toContain(apology);
      // The dialog went on: it is still the escalation, one step further, and nothing strange was stored.
      expect((await dialogStack(conversationId))[0]).toBe(before[0]);
      const stored = JSON.stringify(await bot.app.conversations.get(conversationId));
      expect(stored).not.toMatch(/\$where|\$gt|\$ne|\$x|"a\.b"|"y\.z"/);
    },
  );

  it.each([
    ['100,000 letters', 'N'.repeat(100_000), 200],
    ['a letter and 150 emoji (never cut in half)', `a${'😀'.repeat(150)}`, 199],
  ])('when the customer’s name is %s, then at most 200 characters are kept', async (_name, name, kept) => {
    const conversationId = `hostile-name-${++n}`;
    const replies = await bot.send(
      { type: 'message', text: 'hello', from: { id: 'user-long', name } },
      { conversationId },
    );
    expect(texts(replies).join(' ')).not.toContain(apology);
    const doc = await bot.app.conversations.get(conversationId);
    expect(doc?.customerName).toBe(name.slice(0, kept));
    expect(doc?.reference.user?.name).toBe(name.slice(0, kept));
  });
});
