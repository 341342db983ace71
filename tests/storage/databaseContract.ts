import {
  DuplicateKeyError,
  type ChangeEvent,
  type ChangeFeed,
  type Collection,
  type Database,
  type Doc,
} from '../../storage/port';
import type { ManualClock } from './manualClock';

interface CaseDoc extends Doc {
  status: 'queued' | 'assigned' | 'resolved';
  priority: number;
  createdAt: Date;
  conversationId?: string;
  agentId?: string;
  tags?: string[];
  notes?: { text: string }[];
  attempts?: number;
  locale?: string;
  episode?: { id?: string; faqEntryId?: string };
  score?: number;
  views?: number;
  seenAt?: Date;
  recent?: number[];
}

interface RatingDoc extends Doc {
  score: number;
  locale: string;
  createdAt: Date;
}

interface ExpiringDoc extends Doc {
  text: string;
  expiresAt: Date;
}

export interface ContractOptions {
  /** The clock the store under test expires TTL documents by; TTL expiry is tested only when given. */
  clock?: ManualClock;
}

/** The events a change feed delivered, and a wait for the next ones (no timeouts: jest's own ends a hang). */
class FeedRecorder<T extends Doc> {
  readonly events: ChangeEvent<T>[] = [];
  readonly errors: unknown[] = [];
  private waiter: { count: number; resolve: () => void } | null = null;

  readonly listener = (event: ChangeEvent<T>): void => {
    this.events.push(event);
    if (this.waiter && this.events.length >= this.waiter.count) this.waiter.resolve();
  };

  readonly onError = (error: unknown): void => {
    this.errors.push(error);
  };

  /** Resolves once `count` events in all have arrived. */
  until(count: number): Promise<ChangeEvent<T>[]> {
    if (this.events.length >= count) return Promise.resolve(this.events);
    return new Promise((resolve) => {
      this.waiter = { count, resolve: () => resolve(this.events) };
    });
  }
}

const day = (n: number): Date => new Date(Date.UTC(2025, 0, n, 12));

const sampleCases: CaseDoc[] = [
  {
    _id: 'c1',
    status: 'queued',
    priority: 1,
    createdAt: day(1),
    conversationId: 'conv-a',
    tags: ['billing'],
  },
  { _id: 'c2', status: 'queued', priority: 3, createdAt: day(2), conversationId: 'conv-b' },
  {
    _id: 'c3',
    status: 'assigned',
    priority: 2,
    createdAt: day(3),
    agentId: 'agent-1',
    tags: ['login', 'billing'],
  },
  { _id: 'c4', status: 'resolved', priority: 1, createdAt: day(4), agentId: 'agent-2' },
];

/**
 * The behaviour every Database adapter shares: MongoDB's semantics for the part of the driver API the app
 * uses. Each test gets a fresh database from `open`.
 */
export function describeDatabaseContract(
  name: string,
  open: () => Promise<Database>,
  options: ContractOptions = {},
): void {
  describe(`${name}: database contract`, () => {
    let db: Database;
    let cases: Collection<CaseDoc>;

    beforeEach(async () => {
      db = await open();
      cases = db.collection<CaseDoc>('cases');
    });

    afterEach(async () => {
      await db.close();
    });

    const seed = async (): Promise<void> => {
      for (const doc of sampleCases) await cases.insertOne({ ...doc, createdAt: new Date(doc.createdAt) });
    };
    const ids = (docs: Doc[]): string[] => docs.map((d) => d._id);

    describe('inserting and reading', () => {
      it('when a document is inserted, then findOne by _id returns it with its Dates intact', async () => {
        await seed();
        const found = await cases.findOne({ _id: 'c1' });
        expect(found).toEqual(sampleCases[0]);
        expect(found?.createdAt).toBeInstanceOf(Date);
      });

      it('when nothing matches, then findOne returns null and find an empty list', async () => {
        await seed();
        expect(await cases.findOne({ _id: 'missing' })).toBeNull();
        expect(await cases.find({ status: 'resolved', priority: 9 })).toEqual([]);
      });

      it('when the same _id is inserted twice, then the second insert fails with DuplicateKeyError', async () => {
        await seed();
        await expect(cases.insertOne({ ...sampleCases[0]!, priority: 9 })).rejects.toBeInstanceOf(
          DuplicateKeyError,
        );
        expect((await cases.findOne({ _id: 'c1' }))?.priority).toBe(1);
      });

      it('when a returned document is changed by the caller, then the stored one is not', async () => {
        await seed();
        const found = await cases.findOne({ _id: 'c1' });
        found?.tags?.push('mutated');
        expect((await cases.findOne({ _id: 'c1' }))?.tags).toEqual(['billing']);
      });

      it('when the database is pinged, then it answers', async () => {
        await expect(db.ping()).resolves.toBeUndefined();
      });
    });

    describe('filters', () => {
      beforeEach(seed);

      it.each<[string, Parameters<Collection<CaseDoc>['find']>[0], string[]]>([
        ['$in', { status: { $in: ['assigned', 'resolved'] } }, ['c3', 'c4']],
        ['$gt on numbers', { priority: { $gt: 1 } }, ['c2', 'c3']],
        ['$gte and $lt on Dates', { createdAt: { $gte: day(2), $lt: day(4) } }, ['c2', 'c3']],
        ['$exists true', { agentId: { $exists: true } }, ['c3', 'c4']],
        ['$exists false', { agentId: { $exists: false } }, ['c1', 'c2']],
        ['$ne', { status: { $ne: 'queued' } }, ['c3', 'c4']],
        ['$or', { $or: [{ priority: 3 }, { agentId: 'agent-2' }] }, ['c2', 'c4']],
        ['$regex', { conversationId: { $regex: '^conv-[ab]$' } }, ['c1', 'c2']],
        ['a RegExp value', { conversationId: /B$/i }, ['c2']],
        ['equality on an array element', { tags: 'billing' }, ['c1', 'c3']],
        ['equality at an array position', { 'tags.0': 'login' }, ['c3']],
        ['$exists true at an array position', { 'tags.1': { $exists: true } }, ['c3']],
        ['$exists false at an array position', { 'tags.1': { $exists: false } }, ['c1', 'c2', 'c4']],
        ['$in on _id', { _id: { $in: ['c4', 'c2', 'nope'] } }, ['c2', 'c4']],
        ['_id plus another condition', { _id: 'c1', status: 'assigned' }, []],
      ])(
        'when filtering with %s, then exactly the matching documents are found',
        async (_label, filter, expected) => {
          expect(ids(await cases.find(filter, { sort: { _id: 1 } }))).toEqual(expected);
        },
      );

      it('when counting, then countDocuments agrees with find', async () => {
        expect(await cases.countDocuments()).toBe(4);
        expect(await cases.countDocuments({ status: 'queued' })).toBe(2);
      });
    });

    describe('sort, skip, limit and projection', () => {
      beforeEach(seed);

      it('when sorting on two fields, then ties are broken by the second', async () => {
        const sorted = await cases.find({}, { sort: { priority: 1, createdAt: -1 } });
        expect(ids(sorted)).toEqual(['c4', 'c1', 'c3', 'c2']);
      });

      it('when skipping and limiting, then the page comes after sorting', async () => {
        const page = await cases.find({}, { sort: { createdAt: -1 }, skip: 1, limit: 2 });
        expect(ids(page)).toEqual(['c3', 'c2']);
      });

      it('when projecting, then only the chosen fields and _id come back', async () => {
        const found = await cases.find({ _id: 'c3' }, { projection: { status: 1, agentId: 1 } });
        expect(found).toEqual([{ _id: 'c3', status: 'assigned', agentId: 'agent-1' }]);
      });

      it('when projecting out a field and sorting on it, then the sort still applies', async () => {
        const found = await cases.find(
          {},
          { sort: { priority: -1 }, projection: { priority: 0, tags: 0 }, limit: 1 },
        );
        expect(found).toEqual([{ _id: 'c2', status: 'queued', createdAt: day(2), conversationId: 'conv-b' }]);
      });

      it('when findOne has a sort, then it returns the first in that order', async () => {
        expect((await cases.findOne({ status: 'queued' }, { sort: { priority: -1 } }))?._id).toBe('c2');
      });
    });

    describe('updates', () => {
      beforeEach(seed);

      it('when $set, $inc, $push and $unset apply, then the document changes and the counts say so', async () => {
        const result = await cases.updateOne(
          { _id: 'c1' },
          {
            $set: { status: 'assigned' },
            $inc: { attempts: 2 },
            $push: { tags: 'vip' },
            $unset: { conversationId: '' },
          },
        );
        expect(result).toEqual({ matchedCount: 1, modifiedCount: 1, upsertedId: null });
        const doc = await cases.findOne({ _id: 'c1' });
        expect(doc).toMatchObject({ status: 'assigned', attempts: 2, tags: ['billing', 'vip'] });
        expect(doc).not.toHaveProperty('conversationId');
      });

      it('when an update changes nothing, then it matches but does not modify', async () => {
        const result = await cases.updateOne({ _id: 'c1' }, { $set: { status: 'queued' } });
        expect(result).toEqual({ matchedCount: 1, modifiedCount: 0, upsertedId: null });
      });

      it('when dotted paths are set, then missing parents are created and unsetting under a missing parent creates nothing', async () => {
        await cases.updateOne({ _id: 'c1' }, { $set: { 'episode.id': 'e1', 'episode.faqEntryId': 'f1' } });
        await cases.updateOne({ _id: 'c2' }, { $unset: { 'episode.id': '' } });
        expect(await cases.findOne({ _id: 'c1' })).toMatchObject({ episode: { id: 'e1', faqEntryId: 'f1' } });
        expect(await cases.findOne({ _id: 'c2' })).not.toHaveProperty('episode');
      });

      it('when one update writes a field and a path inside it, then it is refused as a conflict', async () => {
        await expect(
          cases.updateOne({ _id: 'c1' }, { $set: { episode: { id: 'e1' }, 'episode.faqEntryId': 'f1' } }),
        ).rejects.toThrow(/conflict/);
        expect(await cases.findOne({ _id: 'c1' })).not.toHaveProperty('episode');
      });

      it('when a nested field is updated, then its siblings, earlier reads and the values passed are unaffected', async () => {
        const episode = { id: 'e1' };
        await cases.updateOne({ _id: 'c1' }, { $set: { episode, notes: [{ text: 'a' }] } });
        const before = await cases.findOne({ _id: 'c1' });
        episode.id = 'changed by the caller';
        await cases.updateOne({ _id: 'c1' }, { $set: { 'episode.faqEntryId': 'f1' } });
        await cases.updateOne({ _id: 'c1' }, { $push: { notes: { text: 'b' } } });
        expect(before).toMatchObject({ episode: { id: 'e1' }, notes: [{ text: 'a' }] });
        expect(before?.episode).not.toHaveProperty('faqEntryId');
        expect(await cases.findOne({ _id: 'c1' })).toMatchObject({
          episode: { id: 'e1', faqEntryId: 'f1' },
          notes: [{ text: 'a' }, { text: 'b' }],
          tags: ['billing'],
        });
        before?.notes?.push({ text: 'mutated' });
        expect((await cases.findOne({ _id: 'c1' }))?.notes).toHaveLength(2);
      });

      it('when $max and $inc meet missing and present fields, then MongoDB results come back', async () => {
        const later = new Date('2030-01-01T00:00:00Z');
        await cases.updateOne({ _id: 'c1' }, { $max: { score: 0.4, seenAt: later }, $inc: { views: 1 } });
        await cases.updateOne({ _id: 'c1' }, { $max: { score: 0.2 }, $inc: { views: 2 } });
        const doc = await cases.findOne({ _id: 'c1' });
        expect(doc).toMatchObject({ score: 0.4, views: 3 });
        expect(doc?.seenAt?.getTime()).toBe(later.getTime());
      });

      it('when $push with $each and $slice meets a missing array, then it starts from an empty one', async () => {
        await cases.updateOne({ _id: 'c1' }, { $push: { recent: { $each: [1, 2, 3], $slice: -2 } } });
        await cases.updateOne({ _id: 'c1' }, { $push: { recent: { $each: [4], $slice: -2 } } });
        expect((await cases.findOne({ _id: 'c1' }))?.recent).toEqual([3, 4]);
      });

      it('when $addToSet adds a present value, then the array is unchanged', async () => {
        await cases.updateOne({ _id: 'c3' }, { $addToSet: { tags: 'login' } });
        await cases.updateOne({ _id: 'c3' }, { $addToSet: { tags: 'refund' } });
        expect((await cases.findOne({ _id: 'c3' }))?.tags).toEqual(['login', 'billing', 'refund']);
      });

      it('when $push has $each and $slice, then only the last items are kept', async () => {
        await cases.updateOne(
          { _id: 'c2' },
          { $push: { notes: { $each: [{ text: 'a' }, { text: 'b' }, { text: 'c' }], $slice: -2 } } },
        );
        expect((await cases.findOne({ _id: 'c2' }))?.notes).toEqual([{ text: 'b' }, { text: 'c' }]);
      });

      it('when updateOne matches nothing without upsert, then nothing is written', async () => {
        const result = await cases.updateOne({ _id: 'nope' }, { $set: { priority: 5 } });
        expect(result).toEqual({ matchedCount: 0, modifiedCount: 0, upsertedId: null });
        expect(await cases.countDocuments()).toBe(4);
      });

      it('when an upsert inserts, then the filter equalities and $setOnInsert are in the new document', async () => {
        const result = await cases.updateOne(
          { _id: 'c9', status: 'queued' },
          { $inc: { attempts: 1 }, $setOnInsert: { priority: 2, createdAt: day(9) } },
          { upsert: true },
        );
        expect(result).toEqual({ matchedCount: 0, modifiedCount: 0, upsertedId: 'c9' });
        expect(await cases.findOne({ _id: 'c9' })).toEqual({
          _id: 'c9',
          status: 'queued',
          attempts: 1,
          priority: 2,
          createdAt: day(9),
        });
      });

      it('when an upsert finds the document, then $setOnInsert is ignored', async () => {
        const result = await cases.updateOne(
          { _id: 'c1' },
          { $inc: { attempts: 1 }, $setOnInsert: { priority: 9 } },
          { upsert: true },
        );
        expect(result).toEqual({ matchedCount: 1, modifiedCount: 1, upsertedId: null });
        expect(await cases.findOne({ _id: 'c1' })).toMatchObject({ priority: 1, attempts: 1 });
      });

      it('when 20 $setOnInsert upserts of one new _id race, then it is inserted once and exactly one says so', async () => {
        // Instances seeding the same entries at once (knowledge/store.ts seedIfEmpty): each entry once.
        const results = await Promise.allSettled(
          Array.from({ length: 20 }, (_, i) =>
            cases.updateOne(
              { _id: 'seeded' },
              { $setOnInsert: { status: 'queued', priority: i, createdAt: day(1) } },
              { upsert: true },
            ),
          ),
        );
        const inserted = results.filter((r) => r.status === 'fulfilled' && r.value.upsertedId === 'seeded');
        expect(inserted).toHaveLength(1);
        for (const result of results) {
          if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(DuplicateKeyError);
          else if (result.value.upsertedId === null) expect(result.value.modifiedCount).toBe(0);
        }
        expect(await cases.countDocuments({ _id: 'seeded' })).toBe(1);
      });

      it('when updateMany runs, then every match changes and the counts say so', async () => {
        const result = await cases.updateMany({ status: 'queued' }, { $set: { priority: 5 } });
        expect(result).toEqual({ matchedCount: 2, modifiedCount: 2, upsertedId: null });
        expect(ids(await cases.find({ priority: 5 }, { sort: { _id: 1 } }))).toEqual(['c1', 'c2']);
      });

      it('when an update names no operator, then it is refused', async () => {
        await expect(cases.updateOne({ _id: 'c1' }, { priority: 2 })).rejects.toThrow();
      });
    });

    describe('findOneAndUpdate', () => {
      beforeEach(seed);

      it('when returnDocument is before, then the old version comes back', async () => {
        const before = await cases.findOneAndUpdate({ _id: 'c1' }, { $set: { status: 'assigned' } });
        expect(before?.status).toBe('queued');
        expect((await cases.findOne({ _id: 'c1' }))?.status).toBe('assigned');
      });

      it('when returnDocument is after, then the new version comes back', async () => {
        const after = await cases.findOneAndUpdate(
          { _id: 'c1' },
          { $set: { status: 'assigned' } },
          { returnDocument: 'after' },
        );
        expect(after?.status).toBe('assigned');
      });

      it('when nothing matches, then it returns null and changes nothing', async () => {
        expect(
          await cases.findOneAndUpdate({ _id: 'c4', status: 'queued' }, { $set: { status: 'assigned' } }),
        ).toBeNull();
        expect((await cases.findOne({ _id: 'c4' }))?.status).toBe('resolved');
      });

      it('when it has a sort, then it takes the first match in that order (oldest queued case)', async () => {
        const taken = await cases.findOneAndUpdate(
          { status: 'queued' },
          { $set: { status: 'assigned', agentId: 'agent-9' } },
          { sort: { createdAt: 1 }, returnDocument: 'after' },
        );
        expect(taken?._id).toBe('c1');
      });

      it('when it upserts with returnDocument after, then the inserted document comes back', async () => {
        const doc = await cases.findOneAndUpdate(
          { _id: 'c7' },
          { $setOnInsert: { status: 'queued', priority: 1, createdAt: day(7) } },
          { upsert: true, returnDocument: 'after' },
        );
        expect(doc).toEqual({ _id: 'c7', status: 'queued', priority: 1, createdAt: day(7) });
      });

      it('when it upserts with returnDocument before and a projection, then an insert returns null and an update the old fields asked for', async () => {
        const upsert = () =>
          cases.findOneAndUpdate(
            { _id: 'c8' },
            { $set: { status: 'queued' }, $inc: { attempts: 1 } },
            { upsert: true, returnDocument: 'before', projection: { attempts: 1 } },
          );
        expect(await upsert()).toBeNull();
        expect(await upsert()).toEqual({ _id: 'c8', attempts: 1 });
        expect(await cases.findOne({ _id: 'c8' })).toEqual({ _id: 'c8', status: 'queued', attempts: 2 });
        const whole = await cases.findOneAndUpdate(
          { _id: 'c8' },
          { $set: { priority: 3 } },
          { projection: {} },
        );
        expect(whole).toEqual({ _id: 'c8', status: 'queued', attempts: 2 });
      });

      it('when 20 agents claim the same queued case at once, then exactly one wins', async () => {
        const claims = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            cases.findOneAndUpdate(
              { _id: 'c2', status: 'queued' },
              { $set: { status: 'assigned', agentId: `agent-${i}` } },
              { returnDocument: 'after' },
            ),
          ),
        );
        const winners = claims.filter((claim) => claim !== null);
        expect(winners).toHaveLength(1);
        expect((await cases.findOne({ _id: 'c2' }))?.agentId).toBe(winners[0]?.agentId);
      });

      it('when 20 conditional updateOne race, then exactly one modifies', async () => {
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            cases.updateOne(
              { _id: 'c1', status: 'queued' },
              { $set: { status: 'assigned', agentId: `agent-${i}` } },
            ),
          ),
        );
        expect(results.filter((r) => r.modifiedCount === 1)).toHaveLength(1);
      });
    });

    describe('deleting', () => {
      beforeEach(seed);

      it('when deleteOne matches several, then one goes', async () => {
        expect(await cases.deleteOne({ status: 'queued' })).toEqual({ deletedCount: 1 });
        expect(await cases.countDocuments({ status: 'queued' })).toBe(1);
      });

      it('when deleteMany runs, then every match goes and the rest stays', async () => {
        expect(await cases.deleteMany({ priority: 1 })).toEqual({ deletedCount: 2 });
        expect(ids(await cases.find({}, { sort: { _id: 1 } }))).toEqual(['c2', 'c3']);
        expect(await cases.deleteMany({ priority: 99 })).toEqual({ deletedCount: 0 });
      });
    });

    describe('indexes', () => {
      it('when a unique index exists, then inserting or updating into a taken key fails with DuplicateKeyError', async () => {
        const tokens = db.collection<Doc & { tokenHash: string }>('staffTokens');
        await tokens.createIndex({ keys: { tokenHash: 1 }, unique: true });
        await tokens.createIndex({ keys: { tokenHash: 1 }, unique: true });
        await tokens.insertOne({ _id: 't1', tokenHash: 'aaa' });
        await tokens.insertOne({ _id: 't2', tokenHash: 'bbb' });
        await expect(tokens.insertOne({ _id: 't3', tokenHash: 'aaa' })).rejects.toBeInstanceOf(
          DuplicateKeyError,
        );
        await expect(tokens.updateOne({ _id: 't2' }, { $set: { tokenHash: 'aaa' } })).rejects.toBeInstanceOf(
          DuplicateKeyError,
        );
        await tokens.deleteOne({ _id: 't1' });
        await tokens.insertOne({ _id: 't3', tokenHash: 'aaa' });
        expect(await tokens.countDocuments({ tokenHash: 'aaa' })).toBe(1);
      });

      it('when an upsert would take a unique key, then it fails with DuplicateKeyError', async () => {
        const surveys = db.collection<Doc & { episodeId: string }>('surveys');
        await surveys.createIndex({ keys: { episodeId: 1 }, unique: true });
        await surveys.insertOne({ _id: 's1', episodeId: 'e1' });
        await expect(
          surveys.updateOne({ _id: 's2' }, { $set: { episodeId: 'e1' } }, { upsert: true }),
        ).rejects.toBeInstanceOf(DuplicateKeyError);
      });

      it('when a unique index is partial, then documents outside its filter may share a key', async () => {
        await cases.createIndex({
          keys: { conversationId: 1 },
          unique: true,
          partialFilterExpression: { status: 'queued' },
          name: 'one_queued_case_per_conversation',
        });
        await cases.insertOne({
          _id: 'a',
          status: 'resolved',
          priority: 1,
          createdAt: day(1),
          conversationId: 'x',
        });
        await cases.insertOne({
          _id: 'b',
          status: 'resolved',
          priority: 1,
          createdAt: day(1),
          conversationId: 'x',
        });
        await cases.insertOne({
          _id: 'c',
          status: 'queued',
          priority: 1,
          createdAt: day(1),
          conversationId: 'x',
        });
        await expect(
          cases.insertOne({
            _id: 'd',
            status: 'queued',
            priority: 1,
            createdAt: day(1),
            conversationId: 'x',
          }),
        ).rejects.toBeInstanceOf(DuplicateKeyError);
      });

      it('when a unique index is created over duplicates, then it fails with DuplicateKeyError', async () => {
        await seed();
        await expect(cases.createIndex({ keys: { status: 1 }, unique: true })).rejects.toBeInstanceOf(
          DuplicateKeyError,
        );
      });

      it('when a TTL index is created, then it is accepted', async () => {
        await db.collection('caseMessages').createIndex({ keys: { expiresAt: 1 }, expireAfterSeconds: 0 });
      });

      if (options.clock) {
        const clock = options.clock;
        it('when a document passes its TTL expiry, then it is gone from reads and writes', async () => {
          const messages = db.collection<ExpiringDoc>('caseMessages');
          await messages.createIndex({ keys: { expiresAt: 1 }, expireAfterSeconds: 0 });
          const soon = new Date(clock.now().getTime() + 60_000);
          const later = new Date(clock.now().getTime() + 3_600_000);
          await messages.insertOne({ _id: 'm1', text: 'soon', expiresAt: soon });
          await messages.insertOne({ _id: 'm2', text: 'later', expiresAt: later });
          expect(await messages.countDocuments()).toBe(2);
          clock.advance(60_000);
          expect(await messages.findOne({ _id: 'm1' })).toBeNull();
          expect(ids(await messages.find({}))).toEqual(['m2']);
          expect(await messages.countDocuments()).toBe(1);
          await messages.insertOne({ _id: 'm1', text: 'again', expiresAt: later });
          expect((await messages.findOne({ _id: 'm1' }))?.text).toBe('again');
        });
      }
    });

    describe('change feed', () => {
      const feeds: ChangeFeed[] = [];
      const watch = async <T extends Doc>(collection: Collection<T>): Promise<FeedRecorder<T>> => {
        const recorder = new FeedRecorder<T>();
        feeds.push(await collection.watch(recorder.listener, recorder.onError));
        return recorder;
      };
      const summary = (events: ChangeEvent<CaseDoc>[]): unknown[] =>
        events.map(({ operationType, documentKey, fullDocument }) => [
          operationType,
          documentKey._id,
          fullDocument?.status,
        ]);

      afterEach(async () => {
        for (const feed of feeds.splice(0)) await feed.close();
      });

      it('when documents are inserted, updated and deleted, then the feed reports each change with the document after it, in order', async () => {
        const feed = await watch(cases);
        await cases.insertOne({ _id: 'f1', status: 'queued', priority: 1, createdAt: day(1) });
        await cases.updateOne({ _id: 'f1' }, { $set: { status: 'assigned', agentId: 'a1' } });
        await cases.findOneAndUpdate({ _id: 'f1' }, { $set: { status: 'resolved' } });
        await cases.deleteOne({ _id: 'f1' });
        const events = await feed.until(4);
        expect(summary(events)).toEqual([
          ['insert', 'f1', 'queued'],
          ['update', 'f1', 'assigned'],
          ['update', 'f1', 'resolved'],
          ['delete', 'f1', undefined],
        ]);
        expect(events[0]?.fullDocument).toEqual({
          _id: 'f1',
          status: 'queued',
          priority: 1,
          createdAt: day(1),
        });
        expect(events[1]?.fullDocument?.agentId).toBe('a1');
        expect(events[3]).toEqual({ operationType: 'delete', documentKey: { _id: 'f1' } });
        expect(feed.errors).toEqual([]);
      });

      it('when upserts, updateMany and deleteMany run, then every document they touch is reported', async () => {
        const feed = await watch(cases);
        await cases.updateOne(
          { _id: 'u1' },
          { $setOnInsert: { status: 'queued', priority: 1, createdAt: day(1) } },
          { upsert: true },
        );
        await cases.insertOne({ _id: 'u2', status: 'queued', priority: 2, createdAt: day(2) });
        await cases.updateMany({ status: 'queued' }, { $set: { status: 'assigned' } });
        await cases.deleteMany({ status: 'assigned' });
        const events = await feed.until(6);
        expect(summary(events.slice(0, 2))).toEqual([
          ['insert', 'u1', 'queued'],
          ['insert', 'u2', 'queued'],
        ]);
        expect(summary(events.slice(2, 4)).sort()).toEqual([
          ['update', 'u1', 'assigned'],
          ['update', 'u2', 'assigned'],
        ]);
        expect(summary(events.slice(4, 6)).sort()).toEqual([
          ['delete', 'u1', undefined],
          ['delete', 'u2', undefined],
        ]);
      });

      it('when an update changes nothing or a write fails, then the feed reports nothing for it', async () => {
        await cases.insertOne({ _id: 'n1', status: 'queued', priority: 1, createdAt: day(1) });
        const feed = await watch(cases);
        await cases.updateOne({ _id: 'n1' }, { $set: { status: 'queued' } });
        await expect(
          cases.insertOne({ _id: 'n1', status: 'assigned', priority: 1, createdAt: day(1) }),
        ).rejects.toThrow(DuplicateKeyError);
        await cases.insertOne({ _id: 'marker', status: 'queued', priority: 1, createdAt: day(1) });
        expect(summary(await feed.until(1))).toEqual([['insert', 'marker', 'queued']]);
      });

      it('when a feed is closed or watches another collection, then it hears nothing of these writes', async () => {
        const closed = await watch(cases);
        const other = await watch(db.collection<ExpiringDoc>('caseMessages'));
        const feed = await watch(cases);
        await feeds[0]?.close();
        await cases.insertOne({ _id: 'x1', status: 'queued', priority: 1, createdAt: day(1) });
        await db
          .collection<ExpiringDoc>('caseMessages')
          .insertOne({ _id: 'm1', text: 'hi', expiresAt: day(9) });
        expect(summary(await feed.until(1))).toEqual([['insert', 'x1', 'queued']]);
        expect((await other.until(1)).map((event) => event.documentKey._id)).toEqual(['m1']);
        expect(closed.events).toEqual([]);
      });

      it('when a listener reads the store, then it sees the change it was told of', async () => {
        const seen: (CaseDoc | null)[] = [];
        let done: () => void = () => undefined;
        const read = new Promise<void>((resolve) => (done = resolve));
        feeds.push(
          await cases.watch(
            (event) => {
              void cases.findOne({ _id: event.documentKey._id }).then((doc) => {
                seen.push(doc);
                done();
              });
            },
            () => undefined,
          ),
        );
        await cases.insertOne({ _id: 'r1', status: 'queued', priority: 1, createdAt: day(1) });
        await read;
        expect(seen.map((doc) => doc?._id)).toEqual(['r1']);
      });

      it('when a listener throws, then onError hears of it and the feed goes on', async () => {
        const errors: unknown[] = [];
        const recorder = new FeedRecorder<CaseDoc>();
        feeds.push(
          await cases.watch(
            (event) => {
              recorder.listener(event);
              if (event.documentKey._id === 't1') throw new Error('listener failed');
            },
            (error) => errors.push(error),
          ),
        );
        await cases.insertOne({ _id: 't1', status: 'queued', priority: 1, createdAt: day(1) });
        await cases.insertOne({ _id: 't2', status: 'queued', priority: 1, createdAt: day(1) });
        expect((await recorder.until(2)).map((event) => event.documentKey._id)).toEqual(['t1', 't2']);
        expect(errors).toEqual([new Error('listener failed')]);
      });

      if (options.clock) {
        const clock = options.clock;
        it('when a document expires by its TTL index, then the feed reports its deletion', async () => {
          const messages = db.collection<ExpiringDoc>('caseMessages');
          await messages.createIndex({ keys: { expiresAt: 1 }, expireAfterSeconds: 0 });
          await messages.insertOne({
            _id: 'e1',
            text: 'soon',
            expiresAt: new Date(clock.now().getTime() + 60_000),
          });
          const feed = await watch(messages);
          clock.advance(60_000);
          expect(await messages.countDocuments()).toBe(0);
          expect(await feed.until(1)).toEqual([{ operationType: 'delete', documentKey: { _id: 'e1' } }]);
        });
      }
    });

    describe('aggregation', () => {
      let ratings: Collection<RatingDoc>;

      beforeEach(async () => {
        ratings = db.collection<RatingDoc>('faqVotes');
        const scores = [5, 4, 4, 2, 1, 5];
        for (const [i, score] of scores.entries()) {
          await ratings.insertOne({
            _id: `r${i}`,
            score,
            locale: i % 2 ? 'pl' : 'en',
            createdAt: new Date(Date.UTC(2025, 2, 1 + Math.floor(i / 2), 10)),
          });
        }
      });

      it('when a report pipeline runs, then $match, $group, $sort and $project give MongoDB results', async () => {
        const rows = await ratings.aggregate([
          { $match: { createdAt: { $gte: new Date(Date.UTC(2025, 2, 1)) } } },
          { $group: { _id: '$locale', count: { $sum: 1 }, average: { $avg: '$score' } } },
          { $sort: { _id: 1 } },
          { $project: { _id: 0, locale: '$_id', count: 1, average: 1 } },
        ]);
        expect(rows).toEqual([
          { locale: 'en', count: 3, average: 10 / 3 },
          { locale: 'pl', count: 3, average: 11 / 3 },
        ]);
      });

      it('when $facet splits a report, then each facet sees the same input', async () => {
        const [report] = await ratings.aggregate<{
          summary: unknown[];
          daily: unknown[];
          buckets: unknown[];
        }>([
          {
            $facet: {
              summary: [
                {
                  $group: {
                    _id: null,
                    count: { $sum: 1 },
                    happy: { $sum: { $cond: [{ $gte: ['$score', 4] }, 1, 0] } },
                  },
                },
                { $project: { _id: 0 } },
              ],
              daily: [
                {
                  $group: {
                    _id: { $dateToString: { format: '%Y-%m-%d', date: '$createdAt' } },
                    n: { $sum: 1 },
                  },
                },
                { $sort: { _id: 1 } },
              ],
              buckets: [
                { $bucket: { groupBy: '$score', boundaries: [1, 3, 4, 6], output: { n: { $sum: 1 } } } },
              ],
            },
          },
        ]);
        expect(report).toEqual({
          summary: [{ count: 6, happy: 4 }],
          daily: [
            { _id: '2025-03-01', n: 2 },
            { _id: '2025-03-02', n: 2 },
            { _id: '2025-03-03', n: 2 },
          ],
          buckets: [
            { _id: 1, n: 2 },
            { _id: 4, n: 4 },
          ],
        });
      });

      it('when a pipeline writes nested fields, then the stored documents are unchanged', async () => {
        await ratings.aggregate([{ $set: { score: 0 } }, { $unset: 'locale' }]);
        expect(await ratings.findOne({ _id: 'r0' })).toMatchObject({ score: 5, locale: 'en' });
      });
    });
  });
}
