import { t } from '../../locales';
import { leaseTables } from '../../storage/index';
import { DocumentLeases, MemoryLeases, type LeasedDoc } from '../../storage/lease';
import { texts } from '../helpers/harness';
import { startTwoInstances, type Instance, type TwoInstances } from './twoInstances';

/** A customer message to one instance; the texts of its replies. */
const say = async (on: Instance, conversationId: string, text: string, locale = 'en-US'): Promise<string[]> =>
  texts(await on.say(text, { conversationId, userId: `user-${conversationId}`, locale }));

describe.each([
  ['leases in memory (the embedded store)', false],
  ['leases in documents (as on MongoDB)', true],
])('one conversation on two instances, %s', (_, leasesInDocuments) => {
  let two: TwoInstances;
  beforeAll(async () => {
    two = await startTwoInstances({ leasesInDocuments });
  });
  afterAll(() => two.close());

  it('when a rating reaches A and a comment reaches B at once, then they run one after the other and the survey keeps its steps', async () => {
    await say(two.a, 'survey', 'how do I reset my password?');
    expect(await say(two.b, 'survey', "thanks, that's all")).toEqual([t('en', 'feedback.prompt')]);
    // A's turn, once it has read the state, waits until B has the comment: the turns overlap.
    let arrivedAtB = (): void => undefined;
    const atB = new Promise<void>((resolve) => (arrivedAtB = resolve));
    const handle = two.b.app.adapter.handle.bind(two.b.app.adapter);
    const handing = jest.spyOn(two.b.app.adapter, 'handle').mockImplementation((auth, activity, logic) => {
      arrivedAtB();
      return handle(auth, activity, logic);
    });
    const record = two.a.app.conversations.record.bind(two.a.app.conversations);
    const recording = jest.spyOn(two.a.app.conversations, 'record').mockImplementation(async (...args) => {
      await atB;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return record(...args);
    });
    const [rated, commented] = await Promise.all([
      say(two.a, 'survey', '4'),
      say(two.b, 'survey', 'Very quick, thank you!'),
    ]);
    handing.mockRestore();
    recording.mockRestore();
    const thanked = `${t('en', 'feedback.thanks', { score: 4 })} ${t('en', 'feedback.commentOffer')}`;
    // The rating, then the comment: as if they had come one after the other.
    expect([rated, commented]).toEqual([[thanked], [t('en', 'feedback.commentThanks')]]);
    const summary = (await (await two.b.api('/api/admin/ratings/summary')).json()) as { count: number };
    expect(summary.count).toBe(1);
  });

  it('when both instances run the sweeps at once, then one of them runs each sweep', async () => {
    const expiring = [
      jest.spyOn(two.a.app.handoff, 'expireOverdue'),
      jest.spyOn(two.b.app.handoff, 'expireOverdue'),
    ];
    const runs = (): number => expiring.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
    await Promise.all([two.a.app.sweeps.expireCases(), two.b.app.sweeps.expireCases()]);
    expect(runs()).toBe(1);
    // The other instance's timer, within the lease's lifetime: it leaves the sweep alone.
    const other = expiring[0]?.mock.calls.length === 1 ? two.b.app : two.a.app;
    expect(await other.sweeps.expireCases()).toBe(0);
    expect(runs()).toBe(1);
    for (const spy of expiring) spy.mockRestore();
  });
});

describe('a conversation busy on another instance', () => {
  let two: TwoInstances;
  beforeAll(async () => {
    two = await startTwoInstances({ leasePolicy: { waitMs: 200 } });
  });
  afterAll(() => two.close());

  it('when its lease stays held beyond the wait, then a Polish customer is asked in Polish to send again, and the next message is answered', async () => {
    const leases = leaseTables(two.db, two.a.app.conversations, two.clock, 'another-instance').turns;
    const held = await leases.acquire('busy', 60_000);
    if (!held) throw new Error('the lease was not free');
    expect(await say(two.a, 'busy', 'jak zresetować hasło?', 'pl-PL')).toEqual([t('pl', 'common.busy')]);
    await leases.release(held);
    const answered = await say(two.b, 'busy', 'jak zresetować hasło?', 'pl-PL');
    expect(answered).not.toContain(t('pl', 'common.busy'));
    expect(answered.length).toBeGreaterThan(0);
  });
});

describe("a customer turn's lease", () => {
  it('when the store is the embedded one, then the lease is kept in memory and costs no database write', async () => {
    const two = await startTwoInstances();
    const acquire = jest.spyOn(MemoryLeases.prototype, 'acquire');
    const inDocuments = jest.spyOn(DocumentLeases.prototype, 'acquire');
    try {
      expect(await say(two.a, 'in-memory', 'how do I reset my password?')).not.toHaveLength(0);
      expect(await say(two.b, 'in-memory', 'and how do I pay my bill?')).not.toHaveLength(0);
      expect(acquire).toHaveBeenCalledTimes(2);
      expect(inDocuments).not.toHaveBeenCalled();
      expect(
        await two.db.collection<LeasedDoc>('conversations').findOne({ _id: 'in-memory' }),
      ).not.toHaveProperty('lease');
    } finally {
      acquire.mockRestore();
      inDocuments.mockRestore();
      await two.close();
    }
  });

  it('when the lease is kept in the conversation record (MongoDB), then it costs one write: the transcript write releases it', async () => {
    const two = await startTwoInstances({ leasesInDocuments: true });
    const acquire = jest.spyOn(DocumentLeases.prototype, 'acquire');
    const release = jest.spyOn(DocumentLeases.prototype, 'release');
    try {
      expect(await say(two.a, 'one-write', 'how do I reset my password?')).not.toHaveLength(0);
      expect(await say(two.b, 'one-write', 'and how do I pay my bill?')).not.toHaveLength(0);
      expect(acquire).toHaveBeenCalledTimes(2);
      expect(release).not.toHaveBeenCalled();
      expect(
        await two.db.collection<LeasedDoc>('conversations').findOne({ _id: 'one-write' }),
      ).not.toHaveProperty('lease');
    } finally {
      acquire.mockRestore();
      release.mockRestore();
      await two.close();
    }
  });
});
