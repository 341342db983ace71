import { createLogger } from '../../core/logger';
import { ConversationHub, type ActivitySet } from '../../server/directline/hub';
import { EmbeddedDatabase } from '../../storage/embedded';
import type { Database } from '../../storage/port';
import { ensureIndexes } from '../../storage/schema';
import { TestClock } from './directLineServer';

const limits = {
  maxActivitiesPerConversation: 3,
  activityRetentionMs: 60_000,
  conversationIdleMs: 10 * 60_000,
};
const message = (text: string) => ({ type: 'message', text });
const textsOf = (set: ActivitySet) => set.activities.map((a) => a.text);

describe('embedded Direct Line conversations in the database', () => {
  let clock: TestClock;
  let db: Database;
  const hubs: ConversationHub[] = [];

  const hub = async (): Promise<ConversationHub> => {
    const made = new ConversationHub(db, clock, limits, createLogger('silent'));
    await made.follow();
    hubs.push(made);
    return made;
  };

  beforeEach(async () => {
    clock = new TestClock();
    db = await EmbeddedDatabase.open({ location: { inMemory: true }, clock });
    await ensureIndexes(db);
  });

  afterEach(async () => {
    for (const made of hubs.splice(0)) await made.close();
    await db.close();
  });

  it('when a conversation has more activities than the limit, then only the newest are read and watermarks go on', async () => {
    const one = await hub();
    const conversation = await one.create('dl_u');
    for (const text of ['1', '2', '3', '4', '5']) await one.append(conversation, message(text));
    const now = await one.get(conversation.id);
    if (!now) throw new Error('conversation lost');
    expect(await one.since(now, undefined)).toEqual(expect.objectContaining({ watermark: '5' }));
    expect(textsOf(await one.since(now, undefined))).toEqual(['3', '4', '5']);
    expect(textsOf(await one.since(now, '4'))).toEqual(['5']);
  });

  it('when an activity holds an Adaptive Card, then its $schema and dotted field names come back as sent', async () => {
    const one = await hub();
    const conversation = await one.create('dl_u');
    const card = {
      contentType: 'application/vnd.microsoft.card.adaptive',
      content: { $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', 'a.b': { $c: 1 } },
    };
    await one.append(conversation, { type: 'message', attachments: [card] });
    const [read] = (await one.since(conversation, undefined)).activities;
    expect(read?.attachments).toEqual([card]);
  });

  it('when activities are older than the retention time, then they are dropped', async () => {
    const one = await hub();
    const conversation = await one.create('dl_u');
    await one.append(conversation, message('old'));
    clock.advance(61_000);
    await one.append(conversation, message('new'));
    expect(textsOf(await one.since(conversation, undefined))).toEqual(['new']);
  });

  it('when a conversation has been idle too long, then it is forgotten', async () => {
    const one = await hub();
    const conversation = await one.create('dl_u');
    clock.advance(limits.conversationIdleMs + 1);
    expect(await one.get(conversation.id)).toBeUndefined();
  });

  it('when an activity is appended on one instance, then the streams of another get it and a revocation there ends them', async () => {
    const [a, b] = [await hub(), await hub()];
    const conversation = await a.create('dl_u');
    const delivered: ActivitySet[] = [];
    let ended = 0;
    b.subscribe(conversation, {
      token: 'token-1',
      deliver: (set) => delivered.push(set),
      end: () => ended++,
    });
    b.subscribe(conversation, { token: 'token-2', deliver: () => undefined, end: () => ended++ });
    await a.append(conversation, message('hello'));
    await a.revoke(conversation, 'token-1', clock.now().getTime() + 60_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(delivered.map(textsOf)).toEqual([['hello']]);
    expect(delivered[0]?.watermark).toBe('1');
    expect(ended).toBe(1);
    expect(b.streams(conversation)).toBe(1);
  });

  it('when a conversation is refreshed for hours, then revoked tokens that have expired are forgotten', async () => {
    const one = await hub();
    let conversation = await one.create('dl_u');
    for (let i = 0; i < 5; i += 1) {
      await one.revoke(conversation, `token-${i}`, clock.now().getTime() + 30_000);
      clock.advance(20_000);
      conversation = (await one.get(conversation.id)) ?? conversation;
    }
    // At the last refresh (80 s) token-0 … token-2 had expired (30, 50, 70 s); token-3 and token-4 had not.
    expect(Object.keys(conversation.revoked).sort()).toEqual(['token-3', 'token-4']);
  });

  it('when two instances start the same conversation at once, then only one of them starts it', async () => {
    const [a, b] = [await hub(), await hub()];
    const conversation = await a.create('dl_u');
    const started = await Promise.all([
      a.markStarted(conversation, 'pl-PL'),
      b.markStarted(conversation, 'pl-PL'),
    ]);
    expect(started.filter(Boolean)).toHaveLength(1);
    expect((await b.get(conversation.id))?.locale).toBe('pl-PL');
  });
});
