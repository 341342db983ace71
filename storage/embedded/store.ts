import { Aggregator, Query } from 'mingo';
import type { AnyObject } from 'mingo/types';
import type { Document } from 'mongodb';
import type { Clock } from '../../core/clock';
import {
  collectionNames,
  DuplicateKeyError,
  type CollectionName,
  type FindOptions,
  type IndexSpec,
} from '../port';
import { simpleFilter } from './fastPaths';
import { ChangeFanout, type Watcher } from './feed';
import type { Change, NedbJournal } from './journal';
import { idsOf, isMatchStage, toSortSpec, withBucketAsGroup } from './semantics';
import { copy, isPlainObject, valueAt, type Stored } from './values';

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

/** A write made with a log, on its way to it. */
interface LoggedWrite {
  /** Every change the write made, expired documents it deleted first included. */
  readonly changes: Change[];
  /** The store's `nextExpiry` once the write was made. */
  nextExpiry: number;
  /** Computes the write against the latest documents and applies its changes to them (again after a failure). */
  compute(): void;
  /** Settles the caller's promise: with the computed outcome once the changes are committed, or the log's error. */
  settle(failure: { error: unknown } | null): void;
}

/** A LoggedWrite and the promise of its caller (one object per write: writes are the store's hot path). */
class PendingWrite<R> implements LoggedWrite {
  readonly changes: Change[] = [];
  nextExpiry = Infinity;
  readonly promise: Promise<R>;
  private resolve!: (value: R) => void;
  private reject!: (error: unknown) => void;
  /** Set by compute(), which the log always runs before settle() without a failure. */
  private outcome: { result: R } | { error: unknown } | null = null;

  constructor(
    private readonly store: Store,
    private readonly task: (changes: Change[]) => R,
  ) {
    this.promise = new Promise<R>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  compute(): void {
    this.changes.length = 0;
    try {
      this.outcome = { result: this.store.compute(this.task, this.changes) };
    } catch (error) {
      // Like MongoDB, the changes made before the failure (e.g. a duplicate key) stay (see Store.write).
      this.outcome = { error };
    }
    this.nextExpiry = this.store.latestNextExpiry;
  }

  settle(failure: { error: unknown } | null): void {
    const outcome = failure ?? this.outcome;
    if (outcome === null) this.reject(new Error('a logged write was settled before it was computed'));
    else if ('result' in outcome) this.resolve(outcome.result);
    else this.reject(outcome.error);
  }
}

/** The documents, indexes and log of one collection. */
export class Store {
  /** The committed documents: those in the log, the only ones reads see. */
  private readonly docs = new Map<string, Stored>();
  /**
   * The documents writes compute against: the committed ones and the changes on their way to the log (in
   * memory, where there is no log, the same Map).
   */
  private latestDocs: Map<string, Stored>;
  /** Writes made since the last append, for the next one. */
  private waiting: LoggedWrite[] = [];
  /** The loop that logs the waiting writes, while there are some or a compaction is due (see `logWaiting`). */
  private logging: Promise<void> | null = null;
  private compactionDue = false;
  /** An append failed, so the datafile may end in part of a line: it must be rewritten before the next one. */
  private damaged = false;
  private readonly indexSpecs = new Map<string, IndexSpec>();
  private readonly unique: UniqueIndex[] = [];
  private readonly ttl: TtlIndex[] = [];
  /** Earliest instant (ms) at which some of the latest documents may expire. */
  private nextExpiry = Infinity;
  /**
   * The same for the committed documents, which may still hold documents the latest ones no longer do: set
   * when a write is committed, to `nextExpiry` as it was when the write was made. (In memory, where the
   * latest documents are the committed ones, it stays Infinity.)
   */
  private committedNextExpiry = Infinity;
  private sweepScheduled = false;
  /** Why the last append to the datafile failed, until one succeeds again; reported by ping() (readiness). */
  private failure: unknown = null;
  private readonly feed = new ChangeFanout();

  constructor(
    readonly name: CollectionName,
    private readonly journal: NedbJournal | null,
    loaded: Stored[],
    private readonly clock: Clock,
    private readonly resolveCollection: (name: CollectionName) => Store | undefined,
  ) {
    for (const doc of loaded) this.docs.set(doc._id, doc);
    this.latestDocs = journal ? new Map(this.docs) : this.docs;
  }

  /** The documents that write tasks compute against. */
  get latest(): ReadonlyMap<string, Stored> {
    return this.latestDocs;
  }

  // ---- reads: synchronous over the committed documents ----

  /**
   * The first `limit` documents that match, in natural order, among the committed ones or, for writes, `from`
   * the latest ones (no copies: callers copy what they hand out).
   */
  select(filter: Document, limit = Infinity, from: ReadonlyMap<string, Stored> = this.docs): Stored[] {
    const ids = idsOf(filter);
    // Compiling a mingo Query costs far more than the turn's own work: decide simple filters (equalities,
    // $exists and $in) directly, leaving mingo the documents it must judge. The documents looked up by `_id`
    // meet the filter's `_id` clause already.
    const simple = simpleFilter(filter, ids !== null);
    let query: Query | null = null;
    const candidates = ids ? ids.flatMap((id) => from.get(id) ?? []) : from.values();
    const now = this.expiryCutoff();
    const out: Stored[] = [];
    for (const doc of candidates) {
      if (now !== null && this.expiryOf(doc) <= now) continue;
      const verdict = simple ? simple(doc) : undefined;
      if ((verdict ?? (query ??= new Query(filter)).test(doc)) && out.push(doc) >= limit) break;
    }
    return out;
  }

  /**
   * The matching documents (committed, or `from` the latest), sorted, paged and projected (no copies: callers
   * copy what they hand out).
   */
  matching(
    filter: Document,
    options: FindOptions = {},
    from: ReadonlyMap<string, Stored> = this.docs,
  ): Stored[] {
    const { sort, skip, limit, projection } = options;
    let docs: Stored[];
    if (sort === undefined && !skip) docs = this.select(filter, limit || Infinity, from);
    else {
      let cursor = new Query({}).find<Stored>(this.select(filter, Infinity, from));
      if (sort !== undefined) cursor = cursor.sort(toSortSpec(sort));
      if (skip) cursor = cursor.skip(skip);
      if (limit) cursor = cursor.limit(limit);
      docs = cursor.all();
    }
    return projection === undefined ? docs : docs.map((doc) => project(doc, projection));
  }

  find(filter: Document, options?: FindOptions): Stored[] {
    return this.matching(filter, options).map(copy);
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

  // ---- writes: computed at once against the latest documents, committed once logged ----

  /**
   * Runs `task` against the latest documents, first deleting expired ones. The task pushes the changes it
   * makes, which apply to the latest documents when it returns or throws (like MongoDB, documents updated
   * before a failing one, e.g. a duplicate key, stay updated); the promise settles once they are committed.
   */
  write<R>(task: (changes: Change[]) => R): Promise<R> {
    const journal = this.journal;
    if (!journal) return new Promise<R>((resolve) => resolve(this.compute(task, null)));
    const write = new PendingWrite(this, task);
    write.compute();
    this.waiting.push(write);
    this.logging ??= this.logWaiting(journal);
    return write.promise;
  }

  /** `nextExpiry` of the latest documents (a logged write notes it once computed). */
  get latestNextExpiry(): number {
    return this.nextExpiry;
  }

  /** Checks the unique indexes for `next` replacing `previous`, and reserves its keys. */
  reserve(previous: Stored | undefined, next: Stored): void {
    if (!previous && this.latestDocs.has(next._id)) {
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
      for (const doc of this.latestDocs.values()) {
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
      this.committedNextExpiry = -Infinity;
    }
    this.indexSpecs.set(name, spec);
  }

  /** Schedules a sweep when some document may be past its expiry (cheap when none is). */
  sweepIfDue(): void {
    if (!this.isDue(this.clock.now().getTime()) || this.sweepScheduled) return;
    this.sweepScheduled = true;
    // The sweep is computed at once, possibly inside the write whose first read found it due: it deletes only
    // expired documents, which that read hides anyway, before the write has computed anything.
    // A sweep that cannot be logged fails like any write (and ping() reports it); the next sweep tries again.
    this.write(() => undefined)
      .catch(() => undefined)
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

  /** Rewrites the datafile without superseded lines, after the appends under way. */
  compact(): void {
    if (!this.journal) return;
    this.compactionDue = true;
    this.logging ??= this.logWaiting(this.journal);
  }

  /** {@link compact}, resolving once the datafile has been rewritten (or the rewrite failed: it stays as it was). */
  async compacted(): Promise<void> {
    this.compact();
    await this.logging;
  }

  /** Subscribes to the changes committed from now on (see ChangeFanout); returns the unsubscribe function. */
  watch(watcher: Watcher): () => void {
    return this.feed.subscribe(watcher);
  }

  /** Ends the change feed, waits for the writes made so far to be logged, then compacts and closes the datafile. */
  async close(): Promise<void> {
    this.feed.clear();
    await this.logging;
    await this.journal?.close(this.docs.values());
  }

  // ---- internals ----

  /**
   * Runs a write against the latest documents, first deleting expired ones, and applies its changes to them;
   * with a log (PendingWrite.compute), collects all of them in `logged`.
   */
  compute<R>(task: (changes: Change[]) => R, logged: Change[] | null): R {
    const sweep = this.dueSweep();
    if (sweep) {
      for (const change of sweep.expired) {
        this.applyLatest(change);
        logged?.push(change);
      }
      this.nextExpiry = sweep.nextExpiry;
    }
    const changes: Change[] = [];
    try {
      return task(changes);
    } finally {
      for (const change of changes) {
        this.applyLatest(change);
        logged?.push(change);
      }
    }
  }

  /**
   * Appends the waiting writes to the log, then commits and acknowledges them; compacts the datafile first
   * when that is due (the writes made meanwhile wait, and then share one append). Runs while there is
   * something to do, so appends and compactions never overlap and the committed documents change only here.
   */
  private async logWaiting(journal: NedbJournal): Promise<void> {
    // The writes made in the same synchronous run as this one (e.g. through Promise.all) share its append.
    await Promise.resolve();
    while (this.waiting.length > 0 || this.compactionDue) {
      const batch = this.waiting;
      this.waiting = [];
      if (this.compactionDue || this.damaged) {
        this.compactionDue = false;
        try {
          await journal.rewrite(this.docs.values());
          this.damaged = false;
        } catch (error) {
          // A failed rewrite leaves the datafile as it was: harmless unless it has to repair the datafile.
          if (this.damaged) {
            this.fail(batch, error);
            continue;
          }
        }
      }
      try {
        await journal.append(batch.flatMap((write) => write.changes));
      } catch (error) {
        this.damaged = true;
        this.fail(batch, error);
        continue;
      }
      for (const write of batch) {
        for (const change of write.changes) this.commit(change);
        this.committedNextExpiry = write.nextExpiry;
      }
      this.failure = null;
      for (const write of batch) write.settle(null);
      if (journal.grown) this.compactionDue = true;
    }
    this.logging = null;
  }

  /**
   * Fails writes that could not be logged. Nothing of them was committed, but the latest documents and the
   * unique keys hold their changes, and the waiting writes were computed on top of them: rebuild the former
   * from the committed documents and compute the latter again.
   */
  private fail(batch: LoggedWrite[], error: unknown): void {
    this.failure = error;
    for (const write of batch) write.settle({ error });
    this.latestDocs = new Map(this.docs);
    this.rebuildUniqueIndexes();
    this.nextExpiry = -Infinity;
    const retried = this.waiting;
    this.waiting = [];
    for (const write of retried) {
      write.compute();
      this.waiting.push(write);
    }
  }

  private applyLatest({ id, next }: Change): void {
    const previous = this.latestDocs.get(id);
    // In memory the latest documents are the committed ones: the change is committed now.
    if (!this.journal) this.feed.publish(previous, id, next);
    if (next) {
      this.latestDocs.set(id, next);
      this.nextExpiry = Math.min(this.nextExpiry, this.expiryOf(next));
    } else {
      this.latestDocs.delete(id);
      if (previous) this.releaseUniqueKeys(previous);
    }
  }

  /** Makes a logged change visible (with a log; in memory the latest documents are the committed ones). */
  private commit({ id, next }: Change): void {
    this.feed.publish(this.docs.get(id), id, next);
    if (next) this.docs.set(id, next);
    else this.docs.delete(id);
  }

  /** The current time in ms when some document may have expired, else null. */
  private expiryCutoff(): number | null {
    if (this.ttl.length === 0) return null;
    const now = this.clock.now().getTime();
    if (now < Math.min(this.nextExpiry, this.committedNextExpiry)) return null;
    this.sweepIfDue();
    return now;
  }

  private isDue(now: number): boolean {
    return this.ttl.length > 0 && now >= this.nextExpiry;
  }

  /** When some document may have expired: the deletions of the expired ones and the next expiry after them. */
  private dueSweep(): { expired: Change[]; nextExpiry: number } | null {
    if (this.ttl.length === 0) return null;
    const now = this.clock.now().getTime();
    if (!this.isDue(now)) return null;
    const expired: Change[] = [];
    let nextExpiry = Infinity;
    for (const doc of this.latestDocs.values()) {
      const expiry = this.expiryOf(doc);
      if (expiry <= now) expired.push({ id: doc._id, next: null });
      else nextExpiry = Math.min(nextExpiry, expiry);
    }
    return { expired, nextExpiry };
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
      for (const doc of this.latestDocs.values()) {
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

function duplicate(collection: string, index: string, key: Document): DuplicateKeyError {
  return new DuplicateKeyError(
    `E11000 duplicate key error collection: ${collection} index: ${index} dup key: ${JSON.stringify(key)}`,
  );
}

/**
 * The fields of `doc` a projection keeps (not a copy: nested values are shared). An inclusion of top-level
 * fields (`{episode: 1}`), the common case, is picked directly; mingo applies any other.
 */
export function project(doc: Stored, projection: Document): Stored {
  const fields = Object.keys(projection);
  if (fields.length === 0) return doc;
  if (fields.every((field) => projection[field] === 1 && field !== '_id' && !field.includes('.'))) {
    const out: Stored = { _id: doc._id };
    for (const field of fields) {
      const value: unknown = doc[field];
      if (field in doc) out[field] = value;
    }
    return out;
  }
  const [projected] = new Query({}).find<Stored>([doc], projection).all();
  return projected ?? { _id: doc._id };
}
