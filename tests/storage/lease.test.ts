import { EmbeddedDatabase } from '../../storage/embedded';
import { ConversationStore, type Episode } from '../../storage/conversations';
import {
  DocumentLeases,
  MemoryLeases,
  type Held,
  type Lease,
  type LeasedDoc,
  type LeaseTable,
} from '../../storage/lease';
import type { Database } from '../../storage/port';
import { ensureIndexes } from '../../storage/schema';
import { ManualClock } from './manualClock';
import { describeWithMongo, openTestMongo } from './testMongo';

/** The lease operations, the same in every lease table: `tables(owner)` gives one instance's table. */
function describeLeaseContract(
  name: string,
  open: (clock: ManualClock) => Promise<{ tables: (owner: string) => LeaseTable; close(): Promise<void> }>,
): void {
  describe(`${name}: leases`, () => {
    let clock: ManualClock;
    let opened: { tables: (owner: string) => LeaseTable; close(): Promise<void> };
    let a: LeaseTable;
    let b: LeaseTable;

    beforeEach(async () => {
      clock = new ManualClock(new Date());
      opened = await open(clock);
      [a, b] = [opened.tables('instance-a'), opened.tables('instance-b')];
    });

    afterEach(async () => {
      await opened.close();
    });

    it('when a lease is free, then one instance takes it and the other cannot until it is released', async () => {
      const held = await a.acquire('turn:1', 10_000);
      expect(held).toBeDefined();
      expect(await b.acquire('turn:1', 10_000)).toBeUndefined();
      expect(await b.acquire('turn:2', 10_000)).toBeDefined();
      if (held) await a.release(held);
      expect(await b.acquire('turn:1', 10_000)).toBeDefined();
    });

    it('when the holder takes its lease again, then it gets a new holding that an earlier release leaves alone', async () => {
      const first = await a.acquire('turn:1', 10_000);
      const second = await a.acquire('turn:1', 10_000);
      if (!first || !second) throw new Error('not acquired');
      expect(second.holding).not.toBe(first.holding);
      await a.release(first);
      expect(await b.acquire('turn:1', 10_000)).toBeUndefined();
    });

    it('when a lease expires, then another instance takes it, and the old holder can neither renew nor release it', async () => {
      const old = await a.acquire('turn:1', 10_000);
      if (!old) throw new Error('not acquired');
      clock.advance(10_001);
      const taken = await b.acquire('turn:1', 10_000);
      expect(taken).toBeDefined();
      expect(await a.renew(old, 10_000)).toBe(false);
      await a.release(old);
      expect(await a.acquire('turn:1', 10_000)).toBeUndefined();
    });

    it('when the holder renews, then the lease outlives its first expiry', async () => {
      const held = await a.acquire('turn:1', 10_000);
      if (!held) throw new Error('not acquired');
      clock.advance(8_000);
      expect(await a.renew(held, 10_000)).toBe(true);
      clock.advance(8_000);
      expect(await b.acquire('turn:1', 10_000)).toBeUndefined();
    });

    it('when 10 instances try to take the same lease at once, then exactly one gets it', async () => {
      const instances = Array.from({ length: 10 }, (_, i) => opened.tables(`instance-${i}`));
      const results = await Promise.all(instances.map((leases) => leases.acquire('sweep:x', 10_000)));
      expect(results.filter((held) => held !== undefined)).toHaveLength(1);
    });
  });
}

/** A conversation's turn lease, held in its record and released by the write that ends the turn. */
function describeTurnLeaseContract(name: string, open: (clock: ManualClock) => Promise<Database>): void {
  describe(`${name}: a conversation's turn lease`, () => {
    let clock: ManualClock;
    let db: Database;
    let conversations: ConversationStore;
    let a: DocumentLeases;
    let b: DocumentLeases;

    beforeEach(async () => {
      clock = new ManualClock(new Date());
      db = await open(clock);
      await ensureIndexes(db);
      conversations = new ConversationStore(db, clock, { transcriptTurns: 10, retentionDays: 90 });
      [a, b] = [conversations.turnLeases('instance-a'), conversations.turnLeases('instance-b')];
    });

    afterEach(async () => {
      await db.close();
    });

    /** Instance A's lease of the conversation's turn. */
    const held = async (): Promise<Held> => {
      const lease = await a.acquire('conversation-1', 10_000);
      if (!lease) throw new Error('not acquired');
      return lease;
    };

    /** Instance A's lease, expired and since taken by instance B. */
    const lostToB = async (): Promise<Held> => {
      const lease = await held();
      clock.advance(10_001);
      expect(await b.acquire('conversation-1', 10_000)).toBeDefined();
      return lease;
    };

    /** The turn's last write with the episode its question opened (answered by entry "e"), under `lease`. */
    const recordOpening = async (lease: Held): Promise<Episode> => {
      const opening = conversations.newEpisode();
      await conversations.record('conversation-1', 'bot', ['Hello!'], { opening, faqEntryId: 'e', lease });
      return opening;
    };

    it('when the turn records what the bot said with its lease, then that one write also releases it', async () => {
      const lease = await held();
      expect(await b.acquire('conversation-1', 10_000)).toBeUndefined();
      await conversations.record('conversation-1', 'bot', ['Hello!'], { lease });
      expect(lease.released).toBe(true);
      expect((await conversations.get('conversation-1'))?.recent.map((line) => line.text)).toEqual([
        'Hello!',
      ]);
      expect(await b.acquire('conversation-1', 10_000)).toBeDefined();
    });

    it('when the lease was lost meanwhile, then the lines are recorded and the new holder keeps the lease', async () => {
      const lost = await lostToB();
      await conversations.record('conversation-1', 'bot', ['Hello!'], { lease: lost });
      expect(lost.released).toBe(false);
      expect((await conversations.get('conversation-1'))?.recent.map((line) => line.text)).toEqual([
        'Hello!',
      ]);
      expect(await a.acquire('conversation-1', 10_000)).toBeUndefined();
    });

    it('when the turn writes the episode its question opened with its lease, then that one write opens it and releases the lease', async () => {
      const lease = await held();
      const opening = await recordOpening(lease);
      expect(lease.released).toBe(true);
      expect((await conversations.get('conversation-1'))?.episode).toEqual({ ...opening, faqEntryId: 'e' });
      expect(await b.acquire('conversation-1', 10_000)).toBeDefined();
    });

    it('when the lease was lost before the turn wrote the episode its question opened, then only the lines are recorded', async () => {
      const lost = await lostToB();
      await recordOpening(lost);
      expect(lost.released).toBe(false);
      const doc = await conversations.get('conversation-1');
      expect(doc?.episode).toBeUndefined();
      expect(doc?.recent.map((line) => line.text)).toEqual(['Hello!']);
      expect(await a.acquire('conversation-1', 10_000)).toBeUndefined();
    });

    it('when the turn records nothing, then its lease stays held for the queue to release', async () => {
      const lease = await held();
      await conversations.record('conversation-1', 'bot', [], { lease });
      expect(lease.released).toBe(false);
      await a.release(lease);
      expect(await b.acquire('conversation-1', 10_000)).toBeDefined();
    });

    it('when an acquire creates the conversation record, then it is linked to nobody and expires after the retention period', async () => {
      await a.acquire('conversation-1', 10_000);
      expect(await conversations.get('conversation-1')).toMatchObject({
        reference: {},
        customerId: '',
        recent: [],
        expiresAt: new Date(clock.now().getTime() + 90 * 24 * 3600 * 1000),
      });
    });
  });
}

describeTurnLeaseContract('embedded store', (clock) =>
  EmbeddedDatabase.open({ location: { inMemory: true }, clock }),
);

describeWithMongo('MongoDB', () => {
  describeTurnLeaseContract('MongoDB', () => openTestMongo());
});

/** Document leases (the `leases` collection) over a database, one table per instance. */
async function documentLeases(
  db: Database,
  clock: ManualClock,
): Promise<{ tables: (owner: string) => LeaseTable; close(): Promise<void> }> {
  await ensureIndexes(db);
  return {
    tables: (owner) => new DocumentLeases(db.collection<LeasedDoc>('leases'), clock, owner),
    close: () => db.close(),
  };
}

describeLeaseContract('embedded store, in documents', async (clock) =>
  documentLeases(await EmbeddedDatabase.open({ location: { inMemory: true }, clock }), clock),
);

describeLeaseContract('embedded store, in memory (what the app uses with it)', (clock) => {
  const table = new Map<string, Lease>();
  return Promise.resolve({
    tables: (owner: string) => new MemoryLeases(table, clock, owner),
    close: () => Promise.resolve(),
  });
});

describeWithMongo('MongoDB', () => {
  describeLeaseContract('MongoDB', async (clock) => documentLeases(await openTestMongo(), clock));
});
