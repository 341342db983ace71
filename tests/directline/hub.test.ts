import { ConversationHub, type ActivitySet } from '../../server/directline/hub';
import { TestClock } from './directLineServer';

const limits = {
  maxConversations: 2,
  maxActivitiesPerConversation: 3,
  activityRetentionMs: 60_000,
  conversationIdleMs: 10 * 60_000,
};
const message = (text: string) => ({ type: 'message', text });
const textsOf = (set: ActivitySet) => set.activities.map((a) => a.text);

describe('embedded Direct Line memory bounds', () => {
  it('when a conversation has more activities than the limit, then only the newest are kept and watermarks go on', () => {
    const hub = new ConversationHub(new TestClock(), limits);
    const conversation = hub.create('dl_u');
    for (const text of ['1', '2', '3', '4', '5']) hub.append(conversation, message(text));
    expect(hub.since(conversation, undefined)).toEqual(expect.objectContaining({ watermark: '5' }));
    expect(textsOf(hub.since(conversation, undefined))).toEqual(['3', '4', '5']);
    expect(textsOf(hub.since(conversation, '4'))).toEqual(['5']);
  });

  it('when activities are older than the retention time, then they are dropped', () => {
    const clock = new TestClock();
    const hub = new ConversationHub(clock, limits);
    const conversation = hub.create('dl_u');
    hub.append(conversation, message('old'));
    clock.advance(61_000);
    hub.append(conversation, message('new'));
    expect(textsOf(hub.since(conversation, undefined))).toEqual(['new']);
  });

  it('when more conversations start than the limit, then the least recently active is evicted and its streams end', () => {
    const hub = new ConversationHub(new TestClock(), limits);
    const first = hub.create('dl_1');
    const second = hub.create('dl_2');
    let ended = 0;
    hub.subscribe(second, { token: 'token-1', deliver: () => undefined, end: () => ended++ });
    hub.get(first.id); // first is now the more recently active
    hub.create('dl_3');
    expect(hub.get(second.id)).toBeUndefined();
    expect(hub.get(first.id)).toBe(first);
    expect(ended).toBe(1);
  });

  it('when a conversation has been idle too long, then it is forgotten', () => {
    const clock = new TestClock();
    const hub = new ConversationHub(clock, limits);
    const conversation = hub.create('dl_u');
    clock.advance(limits.conversationIdleMs + 1);
    expect(hub.get(conversation.id)).toBeUndefined();
  });
});
