import { randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder';
import { t } from '../../locales';
import { Leases, type LeasedDoc } from '../../storage/lease';
import { texts } from '../helpers/harness';
import { startTwoInstancesB, type TwoInstancesB } from './twoInstancesB';

/** A customer message to one instance's /api/messages; the replies (deliveryMode expectReplies). */
async function say(
  two: TwoInstancesB,
  on: 'a' | 'b',
  conversationId: string,
  text: string,
  locale = 'en-US',
): Promise<string[]> {
  const response = await fetch(`${two.urls[on]}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'message',
      id: randomUUID(),
      text,
      channelId: 'webchat',
      serviceUrl: two.connector.url,
      from: { id: `user-${conversationId}`, name: 'Customer' },
      recipient: { id: 'bot', name: 'Bot' },
      conversation: { id: conversationId, conversationType: 'personal' },
      locale,
      timestamp: new Date().toISOString(),
      deliveryMode: 'expectReplies',
    }),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { activities?: Partial<Activity>[] };
  return texts(body.activities ?? []);
}

describe('one conversation on two instances', () => {
  let two: TwoInstancesB;
  beforeAll(async () => {
    two = await startTwoInstancesB();
  });
  afterAll(() => two.close());

  it('when a rating reaches A and a comment reaches B at once, then they run one after the other and the survey keeps its steps', async () => {
    await say(two, 'a', 'survey', 'how do I reset my password?');
    expect(await say(two, 'b', 'survey', "thanks, that's all")).toEqual([t('en', 'feedback.prompt')]);
    // A's turn, once it has read the state, waits until B has the comment: the turns overlap.
    let arrivedAtB = (): void => undefined;
    const atB = new Promise<void>((resolve) => (arrivedAtB = resolve));
    const handle = two.b.adapter.handle.bind(two.b.adapter);
    const handing = jest.spyOn(two.b.adapter, 'handle').mockImplementation((auth, activity, logic) => {
      arrivedAtB();
      return handle(auth, activity, logic);
    });
    const record = two.a.conversations.record.bind(two.a.conversations);
    const recording = jest.spyOn(two.a.conversations, 'record').mockImplementation(async (...args) => {
      await atB;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return record(...args);
    });
    const [rated, commented] = await Promise.all([
      say(two, 'a', 'survey', '4'),
      say(two, 'b', 'survey', 'Very quick, thank you!'),
    ]);
    handing.mockRestore();
    recording.mockRestore();
    const thanked = `${t('en', 'feedback.thanks', { score: 4 })} ${t('en', 'feedback.commentOffer')}`;
    // The rating, then the comment: as if they had come one after the other.
    expect([rated, commented]).toEqual([[thanked], [t('en', 'feedback.commentThanks')]]);
    const summary = (await (
      await fetch(`${two.urls.b}/api/admin/ratings/summary`, {
        headers: { authorization: 'Bearer test-admin-token-0123456789abcdef' },
      })
    ).json()) as { count: number };
    expect(summary.count).toBe(1);
  });

  it('when both instances run the sweeps at once, then one of them runs each sweep', async () => {
    const expiring = [jest.spyOn(two.a.handoff, 'expireOverdue'), jest.spyOn(two.b.handoff, 'expireOverdue')];
    const runs = (): number => expiring.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
    await Promise.all([two.a.sweeps.expireCases(), two.b.sweeps.expireCases()]);
    expect(runs()).toBe(1);
    // The other instance's timer, within the lease's lifetime: it leaves the sweep alone.
    const other = expiring[0]?.mock.calls.length === 1 ? two.b : two.a;
    expect(await other.sweeps.expireCases()).toBe(0);
    expect(runs()).toBe(1);
    for (const spy of expiring) spy.mockRestore();
  });
});

describe('a conversation busy on another instance', () => {
  let two: TwoInstancesB;
  beforeAll(async () => {
    two = await startTwoInstancesB({ leasePolicy: { waitMs: 200 } });
  });
  afterAll(() => two.close());

  it('when its lease stays held beyond the wait, then a Polish customer is asked in Polish to send again, and the next message is answered', async () => {
    const leases = new Leases(two.db.collection<LeasedDoc>('conversations'), two.clock, 'another-instance');
    const held = await leases.acquire('busy', 60_000);
    if (!held) throw new Error('the lease was not free');
    expect(await say(two, 'a', 'busy', 'jak zresetować hasło?', 'pl-PL')).toEqual([t('pl', 'common.busy')]);
    await leases.release(held);
    const answered = await say(two, 'b', 'busy', 'jak zresetować hasło?', 'pl-PL');
    expect(answered).not.toContain(t('pl', 'common.busy'));
    expect(answered.length).toBeGreaterThan(0);
  });
});

describe("a customer turn's lease", () => {
  let two: TwoInstancesB;
  beforeAll(async () => {
    two = await startTwoInstancesB();
  });
  afterAll(() => two.close());

  it('when a customer asks a question, then the lease costs one write (its acquire): the transcript write releases it', async () => {
    const acquire = jest.spyOn(Leases.prototype, 'acquire');
    const release = jest.spyOn(Leases.prototype, 'release');
    try {
      expect(await say(two, 'a', 'one-write', 'how do I reset my password?')).not.toHaveLength(0);
      expect(await say(two, 'b', 'one-write', 'and how do I pay my bill?')).not.toHaveLength(0);
      expect(acquire).toHaveBeenCalledTimes(2);
      expect(release).not.toHaveBeenCalled();
      const record = await two.db.collection<LeasedDoc>('conversations').findOne({ _id: 'one-write' });
      expect(record?.lease).toBeUndefined();
    } finally {
      acquire.mockRestore();
      release.mockRestore();
    }
  });
});
