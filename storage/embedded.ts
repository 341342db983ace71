import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import Datastore from '@seald-io/nedb';
import { Aggregator, Query, update as applyOperators } from 'mingo';
import type { AnyObject } from 'mingo/types';
import type { Document, OptionalUnlessRequiredId } from 'mongodb';
import { systemClock, type Clock } from '../core/clock';
import { KeyedQueue } from '../core/keyedQueue';
import {
  collectionNames,
  DuplicateKeyError,
  type Collection,
  type CollectionName,
  type Database,
  type Doc,
  type Filter,
  type FindOneAndUpdateOptions,
  type FindOptions,
  type IndexSpec,
  type Sort,
  type UpdateFilter,
  type UpdateResult,
  type WithId,
} from './port';

/*
 * The embedded store: the database port without a MongoDB server, for one process.
 *
 * Design. Each collection keeps its documents in memory, in a Map by `_id` (O(1) lookups; insertion order is
 * the natural order), and mingo evaluates every filter, update operator, projection, sort and aggregation
 * pipeline on them, so the semantics are MongoDB's. nedb is only the durable log: one datafile per collection
 * (`<dir>/<collection>.db`, nedb's line format, compacted at load, periodically and at close). The in-memory
 * mode (tests) has no log.
 *
 * Writes to one collection run one at a time through a queue. A write computes its result against the
 * committed documents, checks the unique indexes, appends to the log and only then becomes visible; so
 * findOneAndUpdate and conditional updates are atomic, and a read never sees a write that is not on disk.
 * Stored documents are never mutated in place and never handed out: callers get copies.
 *
 * TTL indexes: a document is invisible to reads from the instant it expires (by the injected clock); a sweep
 * deletes expired documents when a read or write finds one due, and every `sweepIntervalMs`.
 *
 * Differences from MongoDB, all outside what the app uses: field names may not start with `$` or contain `.`
 * (nedb's file format); a unique index treats an array value as one key (no multikey indexes); non-unique
 * indexes are accepted and not needed (every query scans the Map, except lookups by `_id`).
 */

export interface EmbeddedOptions {
  /** Where the datafiles live, or `inMemory: true` for tests (nothing is written). */
  location: { dir: string } | { inMemory: true };
  /** The time that TTL indexes expire documents by. */
  clock?: Clock;
  /** How often expired documents are deleted even when nobody reads them. */
  sweepIntervalMs?: number;
  /** How often nedb rewrites each datafile without superseded lines. */
  compactionIntervalMs?: number;
}

const DEFAULT_SWEEP_INTERVAL_MS = 60_000;
const DEFAULT_COMPACTION_INTERVAL_MS = 10 * 60_000;

/** A stored document: free-form fields and a string `_id`. */
type Stored = Document & { _id: string };

export class EmbeddedDatabase implements Database {
  readonly kind = 'embedded';
  private readonly sweepTimer: NodeJS.Timeout;
  private closed = false;

  private constructor(
    private readonly stores: ReadonlyMap<CollectionName, Store>,
    private readonly writes: KeyedQueue,
    sweepIntervalMs: number,
  ) {
    this.sweepTimer = setInterval(() => {
      for (const store of this.stores.values()) store.sweepIfDue();
    }, sweepIntervalMs);
    this.sweepTimer.unref();
  }

  /** Opens (and loads) every collection of the port. */
  static async open(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
    const clock = options.clock ?? systemClock;
    const { location } = options;
    if ('dir' in location) await mkdir(location.dir, { recursive: true });
    const stores = new Map<CollectionName, Store>();
    const writes = new KeyedQueue();
    for (const name of collectionNames) {
      const journal =
        'dir' in location
          ? await NedbJournal.open(
              path.join(location.dir, `${name}.db`),
              options.compactionIntervalMs ?? DEFAULT_COMPACTION_INTERVAL_MS,
            )
          : null;
      stores.set(name, new Store(name, journal, clock, writes, (collection) => stores.get(collection)));
    }
    return new EmbeddedDatabase(stores, writes, options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS);
  }

  collection<T extends Doc>(name: CollectionName): Collection<T> {
    const store = this.stores.get(name);
    if (!store) throw new Error(`Unknown collection "${name}".`);
    return new EmbeddedCollection<T>(store, () => this.assertOpen());
  }

  ping(): Promise<void> {
    try {
      this.assertOpen();
      for (const store of this.stores.values()) store.assertHealthy();
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** Waits for pending writes, compacts the datafiles and stops the timers. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.sweepTimer);
    await this.writes.drain();
    await Promise.all([...this.stores.values()].map((store) => store.close()));
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The embedded database is closed.');
  }
}

/** The durable log of one collection: the nedb datafile. */
class NedbJournal {
  private constructor(private readonly datastore: Datastore<Stored>) {}

  static async open(filename: string, compactionIntervalMs: number): Promise<NedbJournal> {
    const datastore = new Datastore<Stored>({ filename });
    await datastore.loadDatabaseAsync();
    datastore.setAutocompactionInterval(compactionIntervalMs);
    return new NedbJournal(datastore);
  }

  load(): Stored[] {
    return this.datastore.getAllData().map(copy);
  }

  async put(doc: Stored): Promise<void> {
    await this.datastore.updateAsync({ _id: doc._id }, doc, { upsert: true });
  }

  async remove(id: string): Promise<void> {
    await this.datastore.removeAsync({ _id: id }, {});
  }

  async close(): Promise<void> {
    this.datastore.stopAutocompaction();
    await this.datastore.compactDatafileAsync();
  }
}

interface UniqueIndex {
  readonly name: string;
  readonly fields: string[];
  readonly partial: Query | null;
  /** Index key → `_id` of the document holding it. */
  readonly owners: Map<string, string>;
}

interface TtlIndex {
  readonly field: string;
  readonly expireAfterMs: number;
  readonly partial: Query | null;
}

/** A change computed by a write, applied once it is in the log. `next: null` deletes. */
interface Change {
  readonly id: string;
  readonly next: Stored | null;
}

/** The documents, indexes and write queue of one collection. */
class Store {
  private readonly docs = new Map<string, Stored>();
  private readonly indexSpecs = new Map<string, IndexSpec>();
  private readonly unique: UniqueIndex[] = [];
  private readonly ttl: TtlIndex[] = [];
  /** Earliest instant (ms) at which some document may expire. */
  private nextExpiry = Infinity;
  private sweepScheduled = false;
  /** A failed background sweep; reported by ping(). */
  private failure: unknown = null;

  constructor(
    readonly name: CollectionName,
    private readonly journal: NedbJournal | null,
    private readonly clock: Clock,
    /** Serialises the writes of each collection (keyed by collection name). */
    private readonly writes: KeyedQueue,
    private readonly resolveCollection: (name: CollectionName) => Store | undefined,
  ) {
    for (const doc of journal?.load() ?? []) this.docs.set(doc._id, doc);
  }

  // ---- reads: synchronous over the committed documents ----

  /** The committed documents that match, in natural order (no copies: callers copy what they hand out). */
  select(filter: Document): Stored[] {
    const ids = idsOf(filter);
    const keys = Object.keys(filter);
    // Compiling a mingo Query costs far more than the turn's own work: skip it for `{}` and `{_id: <string>}`,
    // and decide simple filters (equalities and $exists) directly, leaving mingo the documents it must judge.
    const trivial = keys.length === 0 || (keys.length === 1 && typeof filter._id === 'string');
    const simple = trivial ? null : simpleFilter(filter);
    let query: Query | null = null;
    const mingoTest = (doc: Stored): boolean => (query ??= new Query(filter)).test(doc);
    const candidates = ids ? ids.flatMap((id) => this.docs.get(id) ?? []) : this.docs.values();
    const now = this.expiryCutoff();
    const out: Stored[] = [];
    for (const doc of candidates) {
      if (now !== null && this.expiryOf(doc) <= now) continue;
      const verdict = trivial ? true : simple ? simple(doc) : undefined;
      if (verdict ?? mingoTest(doc)) out.push(doc);
    }
    return out;
  }

  find(filter: Document, options: FindOptions = {}): Stored[] {
    const matches = this.select(filter);
    const { sort, skip, limit, projection } = options;
    if (sort === undefined && !skip && projection === undefined)
      return matches.slice(0, limit || undefined).map(copy);
    let cursor = new Query({}).find<Stored>(matches, options.projection ?? {});
    if (options.sort !== undefined) cursor = cursor.sort(toSortSpec(options.sort));
    if (options.skip) cursor = cursor.skip(options.skip);
    if (options.limit) cursor = cursor.limit(options.limit);
    return cursor.all().map(copy);
  }

  count(filter: Document): number {
    if (Object.keys(filter).length === 0 && this.expiryCutoff() === null) return this.docs.size;
    return this.select(filter).length;
  }

  aggregate(pipeline: Document[]): Document[] {
    // A leading $match runs on the stored documents; the rest of the pipeline gets private copies of the
    // survivors, since some stages (e.g. $set on a nested path) write into their input documents. A $facet
    // stage copies its input for each facet itself.
    const leading: Document[] = [];
    let rest = pipeline;
    while (rest[0] && isMatchStage(rest[0])) {
      leading.push(rest[0].$match);
      rest = rest.slice(1);
    }
    const survivors = this.select(leading.length ? { $and: leading } : {});
    const input = rest[0] && isPlainObject(rest[0].$facet) ? survivors : survivors.map(copy);
    return new Aggregator(rest.flatMap(withBucketAsGroup), {
      collectionResolver: (name) => this.lookup(name),
    }).run<Document>(input);
  }

  // ---- writes: serialised through the queue ----

  /** Runs `task` after every earlier write of this collection, first deleting expired documents. */
  write<R>(task: () => Promise<R> | R): Promise<R> {
    return this.writes.run(this.name, async () => {
      await this.sweep();
      return task();
    });
  }

  get(id: string): Stored | undefined {
    return this.docs.get(id);
  }

  /** Checks the unique indexes for `next` replacing `previous`, and reserves its keys. */
  reserve(previous: Stored | undefined, next: Stored): void {
    if (!previous && this.docs.has(next._id)) {
      throw duplicate(this.name, '_id_', { _id: next._id });
    }
    const keys = this.unique.map((index) => uniqueKey(index, next));
    this.unique.forEach((index, i) => {
      const key = keys[i];
      const owner = key === undefined ? undefined : index.owners.get(key);
      if (owner !== undefined && owner !== next._id) {
        throw duplicate(
          this.name,
          index.name,
          Object.fromEntries(index.fields.map((f) => [f, valueAt(next, f)])),
        );
      }
    });
    this.unique.forEach((index, i) => {
      const oldKey = previous && uniqueKey(index, previous);
      if (oldKey !== undefined && index.owners.get(oldKey) === next._id) index.owners.delete(oldKey);
      const key = keys[i];
      if (key !== undefined) index.owners.set(key, next._id);
    });
  }

  /** Writes each change to the log, then makes it visible (the log keeps the order of the changes). */
  async commit(changes: Change[]): Promise<void> {
    const journal = this.journal;
    const results = await Promise.allSettled(
      changes.map(async (change) => {
        if (journal) await (change.next ? journal.put(change.next) : journal.remove(change.id));
        this.apply(change);
      }),
    );
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) {
      // Unique keys were reserved for changes that never became visible.
      this.rebuildUniqueIndexes();
      throw failed.reason;
    }
  }

  createIndex(spec: IndexSpec): void {
    const fields = Object.keys(spec.keys);
    const name = spec.name ?? fields.map((f) => `${f}_${spec.keys[f]}`).join('_');
    const existing = this.indexSpecs.get(name);
    if (existing) {
      if (JSON.stringify(existing) !== JSON.stringify(spec)) {
        throw new Error(`An index named "${name}" with different options already exists on ${this.name}.`);
      }
      return;
    }
    const partial = spec.partialFilterExpression ? new Query(spec.partialFilterExpression) : null;
    if (spec.unique) {
      const index: UniqueIndex = { name, fields, partial, owners: new Map() };
      for (const doc of this.docs.values()) {
        const key = uniqueKey(index, doc);
        if (key === undefined) continue;
        if (index.owners.has(key)) throw duplicate(this.name, name, { key });
        index.owners.set(key, doc._id);
      }
      this.unique.push(index);
    }
    if (spec.expireAfterSeconds !== undefined) {
      const [field] = fields;
      if (fields.length !== 1 || field === undefined) throw new Error('A TTL index has exactly one field.');
      this.ttl.push({ field, expireAfterMs: spec.expireAfterSeconds * 1000, partial });
      this.nextExpiry = -Infinity;
    }
    this.indexSpecs.set(name, spec);
  }

  /** Schedules a sweep when some document may be past its expiry (cheap when none is). */
  sweepIfDue(): void {
    if (!this.isDue(this.clock.now().getTime()) || this.sweepScheduled) return;
    this.sweepScheduled = true;
    this.write(() => undefined)
      .catch((error: unknown) => {
        this.failure = error;
      })
      .finally(() => {
        this.sweepScheduled = false;
      });
  }

  assertHealthy(): void {
    if (this.failure !== null) {
      throw new Error(`The embedded collection ${this.name} could not write its datafile.`, {
        cause: this.failure,
      });
    }
  }

  /** Compacts the datafile; called once the write queue is drained. */
  async close(): Promise<void> {
    await this.journal?.close();
  }

  // ---- internals ----

  private apply({ id, next }: Change): void {
    const previous = this.docs.get(id);
    if (next) {
      this.docs.set(id, next);
      this.nextExpiry = Math.min(this.nextExpiry, this.expiryOf(next));
    } else {
      this.docs.delete(id);
      if (previous) this.releaseUniqueKeys(previous);
    }
  }

  /** The current time in ms when some document may have expired, else null. */
  private expiryCutoff(): number | null {
    if (this.ttl.length === 0) return null;
    const now = this.clock.now().getTime();
    if (!this.isDue(now)) return null;
    this.sweepIfDue();
    return now;
  }

  private isDue(now: number): boolean {
    return this.ttl.length > 0 && now >= this.nextExpiry;
  }

  /** Deletes expired documents (inside the write queue). */
  private async sweep(): Promise<void> {
    const now = this.clock.now().getTime();
    if (!this.isDue(now)) return;
    const expired: Change[] = [];
    let next = Infinity;
    for (const doc of this.docs.values()) {
      const expiry = this.expiryOf(doc);
      if (expiry <= now) expired.push({ id: doc._id, next: null });
      else next = Math.min(next, expiry);
    }
    await this.commit(expired);
    this.nextExpiry = next;
  }

  /** When the document expires (ms), as MongoDB's TTL monitor sees it: the earliest Date in the field. */
  private expiryOf(doc: Stored): number {
    let expiry = Infinity;
    for (const index of this.ttl) {
      if (index.partial && !index.partial.test(doc)) continue;
      const value = valueAt(doc, index.field);
      for (const item of Array.isArray(value) ? value : [value]) {
        if (item instanceof Date) expiry = Math.min(expiry, item.getTime() + index.expireAfterMs);
      }
    }
    return expiry;
  }

  private releaseUniqueKeys(doc: Stored): void {
    for (const index of this.unique) {
      const key = uniqueKey(index, doc);
      if (key !== undefined && index.owners.get(key) === doc._id) index.owners.delete(key);
    }
  }

  private rebuildUniqueIndexes(): void {
    for (const index of this.unique) {
      index.owners.clear();
      for (const doc of this.docs.values()) {
        const key = uniqueKey(index, doc);
        if (key !== undefined) index.owners.set(key, doc._id);
      }
    }
  }

  /** `$lookup` and friends read other collections of the same database. */
  private lookup(name: string): AnyObject[] {
    const known = collectionNames.find((n) => n === name);
    const store = known && this.resolveCollection(known);
    if (!store) throw new Error(`Unknown collection "${name}" in an aggregation pipeline.`);
    return store.select({}).map(copy);
  }
}

/** The typed view of a store that the port hands out. */
class EmbeddedCollection<T extends Doc> implements Collection<T> {
  constructor(
    private readonly store: Store,
    private readonly assertOpen: () => void,
  ) {}

  get name(): string {
    return this.store.name;
  }

  insertOne(doc: OptionalUnlessRequiredId<T>): Promise<void> {
    this.assertOpen();
    const input: Document = doc;
    return this.store.write(async () => {
      const id: unknown = input._id ?? randomUUID();
      if (typeof id !== 'string') throw new Error('Documents have a string _id.');
      const next = copy({ ...input, _id: id });
      assertStorable(next);
      this.store.reserve(undefined, next);
      await this.store.commit([{ id: next._id, next }]);
    });
  }

  async findOne(filter: Filter<T>, options: FindOptions = {}): Promise<WithId<T> | null> {
    const [first] = await this.find(filter, { ...options, limit: 1 });
    return first ?? null;
  }

  find(filter: Filter<T>, options?: FindOptions): Promise<WithId<T>[]> {
    this.assertOpen();
    return Promise.resolve(this.store.find(filter, options).map((doc) => typed<T>(doc)));
  }

  updateOne(
    filter: Filter<T>,
    update: UpdateFilter<T>,
    options: { upsert?: boolean } = {},
  ): Promise<UpdateResult> {
    this.assertOpen();
    return this.store.write(async () => {
      const [target] = this.store.select(filter);
      if (target) {
        const modified = await this.modify(target, filter, update);
        return { matchedCount: 1, modifiedCount: modified ? 1 : 0, upsertedId: null };
      }
      if (!options.upsert) return { matchedCount: 0, modifiedCount: 0, upsertedId: null };
      const inserted = await this.upsert(filter, update);
      return { matchedCount: 0, modifiedCount: 0, upsertedId: inserted._id };
    });
  }

  updateMany(filter: Filter<T>, update: UpdateFilter<T>): Promise<UpdateResult> {
    this.assertOpen();
    return this.store.write(async () => {
      const targets = this.store.select(filter);
      const changes: Change[] = [];
      try {
        for (const target of targets) {
          const next = updated(target, filter, update, false);
          if (!next) continue;
          this.store.reserve(target, next);
          changes.push({ id: next._id, next });
        }
      } finally {
        // Like MongoDB, documents updated before a failing one (e.g. a duplicate key) stay updated.
        await this.store.commit(changes);
      }
      return { matchedCount: targets.length, modifiedCount: changes.length, upsertedId: null };
    });
  }

  findOneAndUpdate(
    filter: Filter<T>,
    update: UpdateFilter<T>,
    options: FindOneAndUpdateOptions = {},
  ): Promise<WithId<T> | null> {
    this.assertOpen();
    const returnAfter = options.returnDocument === 'after';
    return this.store.write(async () => {
      const [found] = this.store.find(
        filter,
        options.sort === undefined ? { limit: 1 } : { sort: options.sort, limit: 1 },
      );
      const target = found && this.store.get(found._id);
      if (target) {
        const modified = await this.modify(target, filter, update);
        return typed<T>(copy(returnAfter ? (modified ?? target) : target));
      }
      if (!options.upsert) return null;
      const inserted = await this.upsert(filter, update);
      return returnAfter ? typed<T>(copy(inserted)) : null;
    });
  }

  deleteOne(filter: Filter<T>): Promise<{ deletedCount: number }> {
    return this.delete(filter, 1);
  }

  deleteMany(filter: Filter<T>): Promise<{ deletedCount: number }> {
    return this.delete(filter, Infinity);
  }

  countDocuments(filter: Filter<T> = {}): Promise<number> {
    this.assertOpen();
    return Promise.resolve(this.store.count(filter));
  }

  aggregate<R extends Document = Document>(pipeline: Document[]): Promise<R[]> {
    this.assertOpen();
    // Aggregation results have no declared shape in either store: R is the caller's statement of it.
    return Promise.resolve(this.store.aggregate(pipeline) as R[]);
  }

  createIndex(spec: IndexSpec): Promise<void> {
    this.assertOpen();
    return this.store.write(() => this.store.createIndex(spec));
  }

  /** Applies the update to a stored document; returns the new version, or null when nothing changed. */
  private async modify(target: Stored, filter: Document, update: Document): Promise<Stored | null> {
    const next = updated(target, filter, update, false);
    if (!next) return null;
    this.store.reserve(target, next);
    await this.store.commit([{ id: next._id, next }]);
    return next;
  }

  /** Inserts the document an upsert creates: the filter's equality fields, then the update with $setOnInsert. */
  private async upsert(filter: Document, update: Document): Promise<Stored> {
    const seed = equalityFields(filter);
    const doc = updated(seed, filter, update, true) ?? seed;
    const id: unknown = doc._id;
    if (typeof id !== 'string') throw new Error('Documents have a string _id.');
    if (id === '') doc._id = randomUUID();
    assertStorable(doc);
    this.store.reserve(undefined, doc);
    await this.store.commit([{ id: doc._id, next: doc }]);
    return doc;
  }

  private delete(filter: Filter<T>, limit: number): Promise<{ deletedCount: number }> {
    this.assertOpen();
    return this.store.write(async () => {
      const targets = this.store.select(filter).slice(0, limit);
      await this.store.commit(targets.map((doc) => ({ id: doc._id, next: null })));
      return { deletedCount: targets.length };
    });
  }
}

// ---- MongoDB semantics that mingo leaves to the caller ----

/**
 * The document after applying MongoDB update operators, or null when nothing changed. `$setOnInsert` applies
 * only when inserting; `_id` is immutable once stored.
 */
function updated(doc: Stored, filter: Document, update: Document, inserting: boolean): Stored | null {
  const operators = Object.keys(update);
  if (operators.length === 0 || operators.some((op) => !op.startsWith('$'))) {
    throw new Error('Update document requires atomic operators.');
  }
  const { $setOnInsert, ...modifier }: Document = update;
  if (inserting && isPlainObject($setOnInsert)) {
    const set: Document = isPlainObject(modifier.$set) ? modifier.$set : {};
    const clash = Object.keys($setOnInsert).find((field) => field in set);
    if (clash !== undefined)
      throw new Error(`Updating the path '${clash}' would create a conflict at '${clash}'.`);
    modifier.$set = { ...set, ...$setOnInsert };
  }
  if (Object.keys(modifier).length === 0) return null;
  const next = copy(doc);
  const simple = applySimpleUpdate(next, modifier);
  if (simple !== undefined) {
    if (!simple) return null;
    // applySimpleUpdate checked the paths and the values it wrote: the rest of the document was stored before.
    return next;
  }
  // mingo ignores $push modifiers ($slice, $sort) when the array does not exist yet; MongoDB starts from [].
  if (isPlainObject(modifier.$push)) {
    const missing = Object.keys(modifier.$push).filter(
      (p) => !p.includes('$') && valueAt(next, p) === undefined,
    );
    if (missing.length > 0) applyOperators(next, { $set: Object.fromEntries(missing.map((p) => [p, []])) });
  }
  // The filter locates the positional `$` element; an inserted document need not match it, and without a
  // positional path mingo need not compile it.
  const condition = inserting || !usesPositional(modifier) ? undefined : filter;
  const changed = applyOperators(next, modifier, undefined, condition, {
    cloneMode: 'deep',
  });
  if (changed.length === 0) return null;
  if (!inserting && next._id !== doc._id) {
    throw new Error("Performing an update on the path '_id' would modify the immutable field '_id'.");
  }
  assertStorable(next);
  return next;
}

/** The fields an upsert copies from its filter: top-level equalities, `$eq` and those inside `$and`. */
function equalityFields(filter: Document): Stored {
  const set: Document = {};
  const collect = (clause: Document): void => {
    for (const [field, condition] of Object.entries<unknown>(clause)) {
      if (field === '$and' && Array.isArray(condition)) {
        for (const part of condition) if (isPlainObject(part)) collect(part);
      } else if (!field.startsWith('$') && !(condition instanceof RegExp)) {
        if (!isPlainObject(condition) || !Object.keys(condition).some((k) => k.startsWith('$'))) {
          set[field] = condition;
        } else if ('$eq' in condition) {
          const value: unknown = condition.$eq;
          set[field] = value;
        }
      }
    }
  };
  collect(filter);
  // `_id: ''` stands for "none yet": the caller assigns one unless the filter or update did.
  const { _id: id, ...fields } = set;
  const seed: Stored = { _id: typeof id === 'string' ? id : '' };
  if (Object.keys(fields).length > 0)
    applyOperators(seed, { $set: fields }, undefined, undefined, { cloneMode: 'deep' });
  return seed;
}

/** The `_id`s a filter is limited to (equality or `$in` on `_id`), so the lookup skips the scan. */
function idsOf(filter: Document): string[] | null {
  const id: unknown = filter._id;
  if (typeof id === 'string') return [id];
  if (!isPlainObject(id)) return null;
  const keys = Object.keys(id);
  if (keys.length === 1 && typeof id.$eq === 'string') return [id.$eq];
  if (keys.length === 1 && Array.isArray(id.$in) && id.$in.every((v) => typeof v === 'string')) return id.$in;
  return null;
}

/** The driver's many sort shapes as a `{field: 1 | -1}` document. */
function toSortSpec(sort: Sort): Record<string, 1 | -1> {
  const direction = (value: unknown): 1 | -1 => {
    if (value === 1 || value === 'asc' || value === 'ascending') return 1;
    if (value === -1 || value === 'desc' || value === 'descending') return -1;
    throw new Error(`Unsupported sort direction ${JSON.stringify(value)}.`);
  };
  const isDirection = (value: unknown): boolean =>
    [1, -1, 'asc', 'desc', 'ascending', 'descending'].some((d) => d === value);
  let pairs: [string, unknown][];
  if (typeof sort === 'string') pairs = [[sort, 1]];
  else if (
    typeof sort === 'number' ||
    (!Array.isArray(sort) && !(sort instanceof Map) && !isPlainObject(sort))
  ) {
    throw new Error('A sort needs a field name.');
  } else if (sort instanceof Map)
    pairs = Array.from(sort, ([field, dir]: [unknown, unknown]) => [String(field), dir]);
  else if (Array.isArray(sort)) {
    const items: unknown[] = sort;
    const [first, second] = items;
    if (items.length === 2 && typeof first === 'string' && isDirection(second)) pairs = [[first, second]];
    else pairs = items.map((item) => (typeof item === 'string' ? [item, 1] : pairOf(item)));
  } else pairs = Object.entries(sort);
  return Object.fromEntries(pairs.map(([field, dir]) => [field, direction(dir)]));
}

function pairOf(item: unknown): [string, unknown] {
  if (Array.isArray(item) && typeof item[0] === 'string') return [item[0], item[1]];
  throw new Error(`Unsupported sort ${JSON.stringify(item)}.`);
}

/**
 * mingo's $bucket puts a value equal to a boundary into the bucket below it; MongoDB's own definition of
 * $bucket as $group on a $switch is exact, so run that instead (also inside $facet).
 */
function withBucketAsGroup(stage: Document): Document[] {
  if (isPlainObject(stage.$facet)) {
    const facets = Object.entries<unknown>(stage.$facet).map(([name, pipeline]): [string, unknown] => {
      if (!Array.isArray(pipeline)) return [name, pipeline];
      const stages: unknown[] = pipeline;
      return [name, stages.flatMap((inner) => (isPlainObject(inner) ? withBucketAsGroup(inner) : [inner]))];
    });
    return [{ $facet: Object.fromEntries(facets) }];
  }
  const bucket: unknown = stage.$bucket;
  if (!isPlainObject(bucket) || !Array.isArray(bucket.boundaries)) return [stage];
  const bounds: unknown[] = bucket.boundaries;
  const groupBy: unknown = bucket.groupBy;
  const output: unknown = bucket.output ?? { count: { $sum: 1 } };
  const branches = bounds.slice(0, -1).map((lower, i) => ({
    case: { $and: [{ $gte: [groupBy, lower] }, { $lt: [groupBy, bounds[i + 1]] }] },
    then: lower,
  }));
  const fallbackValue: unknown = bucket.default;
  const fallback: Document = 'default' in bucket ? { default: fallbackValue } : {};
  const id = { $switch: { branches, ...fallback } };
  return [{ $group: { _id: id, ...(isPlainObject(output) ? output : {}) } }, { $sort: { _id: 1 } }];
}

function isMatchStage(stage: Document): stage is { $match: Document } {
  return Object.keys(stage).length === 1 && isPlainObject(stage.$match);
}

function uniqueKey(index: UniqueIndex, doc: Stored): string | undefined {
  if (index.partial && !index.partial.test(doc)) return undefined;
  // Missing and null are the same key, as in MongoDB; Dates are tagged so they never equal a string.
  return JSON.stringify(
    index.fields.map((field) => {
      const value = valueAt(doc, field);
      return value instanceof Date ? { $date: value.getTime() } : (value ?? null);
    }),
  );
}

/**
 * A direct test for filters made only of equalities to strings, numbers, booleans or Dates, `$exists` and
 * `$in` over strings,
 * the shape of every query on a customer's turn. The test answers undefined where MongoDB's semantics need
 * mingo (an array at the path, where equality means "contains"); other filters get no direct test at all.
 */
function simpleFilter(filter: Document): ((doc: Document) => boolean | undefined) | null {
  const checks: Array<(doc: Document) => boolean | undefined> = [];
  for (const [path, expected] of Object.entries<unknown>(filter)) {
    if (path.startsWith('$')) return null;
    if (isPlainObject(expected)) {
      const ops = Object.keys(expected);
      if (ops.length !== 1) return null;
      const inList: unknown = expected.$in;
      if (typeof expected.$exists === 'boolean') {
        const wanted = expected.$exists === true;
        checks.push((doc) => {
          const value = valueAt(doc, path);
          return Array.isArray(value) ? undefined : (value !== undefined) === wanted;
        });
      } else if (Array.isArray(inList) && inList.every((v) => typeof v === 'string')) {
        const wanted = new Set<unknown>(inList);
        checks.push((doc) => {
          const value = valueAt(doc, path);
          return Array.isArray(value) ? undefined : typeof value === 'string' && wanted.has(value);
        });
      } else {
        return null;
      }
    } else if (['string', 'number', 'boolean'].includes(typeof expected) || expected instanceof Date) {
      const key = expected instanceof Date ? expected.getTime() : expected;
      checks.push((doc) => {
        const value = valueAt(doc, path);
        if (Array.isArray(value)) return undefined;
        return (value instanceof Date ? value.getTime() : value) === key && typeof value === typeof expected;
      });
    } else {
      return null;
    }
  }
  return (doc) => {
    let verdict: boolean | undefined = true;
    for (const check of checks) {
      const result = check(doc);
      if (result === false) return false;
      if (result === undefined) verdict = undefined;
    }
    return verdict;
  };
}

const SIMPLE_UPDATE_OPERATORS = new Set(['$set', '$unset', '$inc', '$max', '$min', '$push']);

/**
 * Applies the update operators of a customer's turn ($set, $unset, $inc, $max, $min, $push with $each/$slice)
 * on top-level or dotted object paths, without mingo (whose updater rebuilds its operator tables on every
 * call). Returns whether anything changed, or undefined, untouched, for anything else (arrays on the path,
 * positional or numeric paths, `_id`, mixed types), which mingo then applies with MongoDB's semantics.
 */
function applySimpleUpdate(doc: Document, modifier: Document): boolean | undefined {
  const steps: Array<() => boolean> = [];
  const seen = new Set<string>();
  for (const [op, fields] of Object.entries<unknown>(modifier)) {
    if (!SIMPLE_UPDATE_OPERATORS.has(op) || !isPlainObject(fields)) return undefined;
    for (const [path, value] of Object.entries<unknown>(fields)) {
      const parts = path.split('.');
      if (parts[0] === '_id' || parts.some((p) => p === '' || p.startsWith('$') || /^\d+$/.test(p)))
        return undefined;
      const parent = parentOf(doc, parts);
      if (parent === undefined) return undefined;
      const key = parts[parts.length - 1] ?? '';
      const current: unknown = parent.existing?.[key];
      const step = simpleStep(op, current, value);
      if (step === undefined) return undefined;
      if (seen.has(path)) return undefined;
      seen.add(path);
      steps.push(() => {
        if (step.unset && !parent.existing) return false;
        const target = parent.existing ?? parent.create();
        if (step.unset) {
          if (!(key in target)) return false;
          delete target[key];
          return true;
        }
        if (key in target && sameValue(target[key], step.value)) return false;
        target[key] = step.value;
        return true;
      });
    }
  }
  let changed = false;
  for (const step of steps) changed = step() || changed;
  return changed;
}

/** The object holding the last part of a path: existing, or creatable (missing intermediate objects). */
function parentOf(
  doc: Document,
  parts: string[],
): { existing: Document | undefined; create: () => Document } | undefined {
  let node: Document | undefined = doc;
  for (const part of parts.slice(0, -1)) {
    const child: unknown = node?.[part];
    if (child === undefined) {
      node = undefined;
      continue;
    }
    if (!isPlainObject(child)) return undefined;
    node = child;
  }
  return {
    existing: node,
    create: () => {
      let at: Document = doc;
      for (const part of parts.slice(0, -1)) {
        const child: unknown = at[part];
        at = isPlainObject(child) ? child : (at[part] = {});
      }
      return at;
    },
  };
}

/** The new value of one field under one operator, or undefined where mingo must decide. */
function simpleStep(
  op: string,
  current: unknown,
  value: unknown,
): { value?: unknown; unset?: true } | undefined {
  switch (op) {
    case '$set':
      assertStorable(value);
      return { value: copy(value) };
    case '$unset':
      return { unset: true };
    case '$inc':
      if (typeof value !== 'number' || (current !== undefined && typeof current !== 'number'))
        return undefined;
      return { value: (current ?? 0) + value };
    case '$max':
    case '$min': {
      assertStorable(value);
      if (current === undefined) return { value: copy(value) };
      const [a, b] = [comparable(current), comparable(value)];
      if (a === undefined || b === undefined || typeof a !== typeof b) return undefined;
      if (current instanceof Date !== value instanceof Date) return undefined;
      const replace = op === '$max' ? b > a : b < a;
      return { value: replace ? copy(value) : current };
    }
    case '$push': {
      if (current !== undefined && !Array.isArray(current)) return undefined;
      const existing: readonly unknown[] = Array.isArray(current) ? (current as readonly unknown[]) : [];
      if (!isPlainObject(value)) return { value: [...existing, copy(value)] };
      const keys = Object.keys(value);
      if (!keys.some((k) => k.startsWith('$'))) {
        assertStorable(value);
        return { value: [...existing, copy(value)] };
      }
      const each: unknown = value.$each;
      const slice: unknown = value.$slice;
      if (!Array.isArray(each) || keys.some((k) => k !== '$each' && k !== '$slice')) return undefined;
      if (slice !== undefined && (typeof slice !== 'number' || !Number.isInteger(slice))) return undefined;
      each.forEach((item: unknown) => assertStorable(item));
      const all = [...existing, ...each.map((item: unknown) => copy(item))];
      if (slice === undefined) return { value: all };
      return { value: slice >= 0 ? all.slice(0, slice) : slice === 0 ? [] : all.slice(slice) };
    }
    default:
      return undefined;
  }
}

function comparable(value: unknown): number | string | undefined {
  if (value instanceof Date) return value.getTime();
  return typeof value === 'number' || typeof value === 'string' ? value : undefined;
}

/** Deep equality of stored values (plain objects, arrays, Dates, primitives). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]))
    );
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && sameValue(a[k], b[k]));
  }
  return a === b;
}

/** Whether an update names a positional path (`a.$.b`), the only case where mingo needs the filter. */
function usesPositional(modifier: Document): boolean {
  return Object.values(modifier).some(
    (fields) => isPlainObject(fields) && Object.keys(fields).some((path) => path.split('.').includes('$')),
  );
}

function valueAt(doc: Document, dottedPath: string): unknown {
  let value: unknown = doc;
  for (const part of dottedPath.split('.')) {
    if (!isPlainObject(value)) return undefined;
    value = value[part];
  }
  return value;
}

function duplicate(collection: string, index: string, key: Document): DuplicateKeyError {
  return new DuplicateKeyError(
    `E11000 duplicate key error collection: ${collection} index: ${index} dup key: ${JSON.stringify(key)}`,
  );
}

/** nedb's file format reserves field names starting with `$` and containing `.`: refuse them up front. */
function assertStorable(value: unknown, where = ''): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertStorable(item, `${where}.${i}`));
  } else if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (key.startsWith('$') || key.includes('.')) {
        throw new Error(`The embedded store cannot store the field name "${key}" (at "${where.slice(1)}").`);
      }
      assertStorable(item, `${where}.${key}`);
    }
  }
}

function isPlainObject(value: unknown): value is Document {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A deep copy of stored data: plain objects, arrays and Dates (anything else through structuredClone). */
function copy<V>(value: V): V;
function copy(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const items: unknown[] = value;
    return items.map(copy);
  }
  if (value instanceof Date) return new Date(value.getTime());
  if (!isPlainObject(value)) return structuredClone(value);
  const out: Document = {};
  for (const [key, item] of Object.entries<unknown>(value)) out[key] = copy(item);
  return out;
}

/** The store holds untyped documents; each collection's T is the app's statement of their shape. */
function typed<T extends Doc>(doc: Stored): WithId<T> {
  return doc as WithId<T>;
}
