import { randomUUID } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { mkdir, open, rename, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import Datastore from '@seald-io/nedb';
import { Aggregator, Query, update as applyOperators } from 'mingo';
import type { AnyObject } from 'mingo/types';
import type { Document, OptionalUnlessRequiredId } from 'mongodb';
import { systemClock, type Clock } from '../core/clock';
import { isRecord } from '../core/guards';
import { lockDataDir } from './dataDirLock';
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
 * pipeline on them, so the semantics are MongoDB's. The durable log is one datafile per collection
 * (`<dir>/<collection>.db`) in nedb's line format: nedb loads (and compacts) it at open, then the store appends
 * and compacts it itself (see NedbJournal). The in-memory mode (tests) has no log.
 *
 * Writes. A write runs synchronously when it is called: it computes its result against the latest documents,
 * checks and reserves the unique keys, and applies its changes to the latest documents; so writes to one
 * collection never interleave, and findOneAndUpdate and conditional updates are atomic. In memory that is all:
 * the latest documents are the committed ones. With a log, the latest documents are the committed ones plus
 * the changes on their way to the log, and reads see only the committed ones. The changes are appended to the
 * datafile in the order the writes were made, those of the writes made in one synchronous run or during a
 * compaction together (group commit), and only then become committed, visible and acknowledged. When an
 * append fails, its writes fail and leave no trace: the latest documents and unique keys are rebuilt from the
 * committed ones, and the writes made since are computed again on top of them.
 *
 * Stored documents are immutable: never mutated in place and never handed out (callers get deep copies). So
 * versions of a document share structure: an update copies only the objects on the paths it writes (copy on
 * write) and the values it writes (the caller may change what it passed), and keeps the rest of the previous
 * version, e.g. the transcript array when it sets one field. Updates that mingo applies work on a deep copy.
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
  /** How often each datafile is rewritten without superseded lines. */
  compactionIntervalMs?: number;
  /**
   * A datafile is also rewritten as soon as it has grown to four times its size after the last rewrite, and to
   * at least this many bytes (every change appends the whole document).
   */
  compactionMinBytes?: number;
}

const DEFAULT_SWEEP_INTERVAL_MS = 60_000;
const DEFAULT_COMPACTION_INTERVAL_MS = 10 * 60_000;
const DEFAULT_COMPACTION_MIN_BYTES = 16 * 1024 * 1024;

/** A stored document: free-form fields and a string `_id`. */
type Stored = Document & { _id: string };

export class EmbeddedDatabase implements Database {
  readonly kind = 'embedded';
  private readonly timers: NodeJS.Timeout[] = [];
  private closed = false;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly stores: ReadonlyMap<CollectionName, Store>,
    sweepIntervalMs: number,
    compactionIntervalMs: number | null,
    /** Releases the lock on the data folder (nothing in memory). */
    private readonly unlock: () => Promise<void>,
  ) {
    this.every(sweepIntervalMs, (store) => store.sweepIfDue());
    if (compactionIntervalMs !== null) this.every(compactionIntervalMs, (store) => store.compact());
  }

  /**
   * Opens (and loads) every collection of the port. On disk it first takes the exclusive lock on the folder
   * (see lockDataDir): a second process gets DataDirLockedError instead of overwriting the first one's data.
   */
  static async open(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
    const clock = options.clock ?? systemClock;
    const { location } = options;
    if ('dir' in location) await mkdir(location.dir, { recursive: true });
    const unlock = 'dir' in location ? await lockDataDir(location.dir) : () => Promise.resolve();
    const stores = new Map<CollectionName, Store>();
    const resolveCollection = (collection: CollectionName): Store | undefined => stores.get(collection);
    try {
      for (const name of collectionNames) {
        const { journal, docs } =
          'dir' in location
            ? await NedbJournal.open(
                path.join(location.dir, `${name}.db`),
                options.compactionMinBytes ?? DEFAULT_COMPACTION_MIN_BYTES,
              )
            : { journal: null, docs: [] };
        stores.set(name, new Store(name, journal, docs, clock, resolveCollection));
      }
    } catch (error) {
      await unlock();
      throw error;
    }
    return new EmbeddedDatabase(
      stores,
      options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS,
      'dir' in location ? (options.compactionIntervalMs ?? DEFAULT_COMPACTION_INTERVAL_MS) : null,
      unlock,
    );
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
  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    try {
      await Promise.all([...this.stores.values()].map((store) => store.close()));
    } finally {
      await this.unlock();
    }
  }

  private every(intervalMs: number, task: (store: Store) => void): void {
    const timer = setInterval(() => {
      for (const store of this.stores.values()) task(store);
    }, intervalMs);
    timer.unref();
    this.timers.push(timer);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The embedded database is closed.');
  }
}

/**
 * The durable log of one collection: a datafile in nedb's format, one document per line as nedb's
 * `model.serialize` writes it (JSON, Dates as `{"$$date": ms}`), the last line of an `_id` winning and
 * `{"$$deleted":true,"_id":…}` deleting. nedb loads it at open (and rewrites it without superseded lines);
 * from then on it is written here, since nedb's own writes cost a second in-memory copy of the collection with
 * its own indexes, a deep copy, a replacer-driven JSON.stringify and a file open per write.
 *
 * Lines are appended through a handle kept open, in batches: the writes made while an append is in flight
 * share the next one (group commit), so under load an append costs a few microseconds per write, and the event
 * loop never waits for the disk.
 * Appends are not flushed to disk, as nedb's are not. Compaction rewrites the datafile crash-safe as nedb does,
 * asynchronously: a temporary file (`<datafile>~`, which nedb's load knows how to recover) written, flushed to
 * disk, then renamed over the datafile.
 */
class NedbJournal {
  private constructor(
    private readonly filename: string,
    /** The datafile, open for appending. */
    private handle: FileHandle,
    /** Its length in bytes: where a failed append is cut back to. */
    private size: number,
    private readonly compactionMinBytes: number,
    /** Its length after the last rewrite (or at open). */
    private compactedSize = size,
  ) {}

  /** Whether the datafile has grown enough since its last rewrite to be rewritten now. */
  get grown(): boolean {
    return this.size >= Math.max(4 * this.compactedSize, this.compactionMinBytes);
  }

  /** Loads the datafile with nedb and opens it for appending. */
  static async open(
    filename: string,
    compactionMinBytes: number,
  ): Promise<{ journal: NedbJournal; docs: Stored[] }> {
    await dropTornTail(filename);
    const datastore = new Datastore<Stored>({ filename });
    await datastore.loadDatabaseAsync();
    // The documents are nedb's own, and the datastore is dropped: the store may keep them without copying.
    const docs = datastore.getAllData();
    const handle = await open(filename, 'a');
    const { size } = await handle.stat();
    return { journal: new NedbJournal(filename, handle, size, compactionMinBytes), docs };
  }

  /** Appends the lines of the changes, in order, in one write. */
  async append(changes: readonly Change[]): Promise<void> {
    if (changes.length === 0) return;
    let lines = '';
    for (const { id, next } of changes) {
      lines += (next ? serialize(next) : JSON.stringify({ $$deleted: true, _id: id })) + '\n';
    }
    const bytes = Buffer.from(lines);
    try {
      await this.handle.appendFile(bytes);
    } catch (error) {
      // Lines written before the failure must not come back at the next start: the writes were refused.
      // Should this fail too, the caller marks the datafile damaged and rewrites it before the next append.
      await this.handle.truncate(this.size);
      throw error;
    }
    this.size += bytes.length;
  }

  /** Replaces the datafile with one line per document; the datafile stays whole if this fails. */
  async rewrite(docs: Iterable<Stored>): Promise<void> {
    const temporary = `${this.filename}~`;
    const file = await open(temporary, NEW_FILE_FOR_APPENDING);
    let size = 0;
    const write = async (chunk: string): Promise<void> => {
      const bytes = Buffer.from(chunk);
      await file.appendFile(bytes);
      size += bytes.length;
    };
    try {
      let chunk = '';
      for (const doc of docs) {
        chunk += serialize(doc) + '\n';
        if (chunk.length >= REWRITE_CHUNK_CHARS) {
          await write(chunk);
          chunk = '';
        }
      }
      await write(chunk);
      await file.sync();
      await rename(temporary, this.filename);
    } catch (error) {
      await file.close();
      throw error;
    }
    // The handle on the temporary file is now the datafile's.
    const replaced = this.handle;
    this.handle = file;
    this.size = size;
    this.compactedSize = size;
    await replaced.close();
    await syncDirectory(path.dirname(this.filename));
  }

  /** Compacts the datafile one last time and closes it. */
  async close(docs: Iterable<Stored>): Promise<void> {
    await this.rewrite(docs);
    await this.handle.close();
  }
}

/**
 * Cuts off the end of a datafile after its last newline: part of a line that an append was writing when the
 * process died (every append ends with a newline). nedb would count it as corrupt, and refuses to load a file
 * with more than 10% corrupt lines, which one torn line makes of a small collection.
 */
async function dropTornTail(filename: string): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(filename, 'r+');
  } catch (error) {
    if (isRecord(error) && error.code === 'ENOENT') return;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    const chunk = Buffer.alloc(TAIL_CHUNK_BYTES);
    for (let end = size; end > 0;) {
      const start = Math.max(0, end - chunk.length);
      const { bytesRead } = await handle.read(chunk, 0, end - start, start);
      const newline = chunk.subarray(0, bytesRead).lastIndexOf(NEWLINE);
      if (newline >= 0) {
        if (start + newline + 1 < size) await handle.truncate(start + newline + 1);
        return;
      }
      end = start;
    }
    if (size > 0) await handle.truncate(0);
  } finally {
    await handle.close();
  }
}

const TAIL_CHUNK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

/** Creates or truncates a file, for appending. */
const NEW_FILE_FOR_APPENDING =
  fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_TRUNC | fsConstants.O_APPEND;

/** How much of a rewritten datafile is serialised between two writes (characters). */
const REWRITE_CHUNK_CHARS = 1 << 20;

/** Flushes a rename in `dir` to disk, as nedb does (Windows cannot flush a directory). */
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A function that returns what `run` returned, or throws what it threw. */
function outcomeOf<R>(run: () => R): () => R {
  try {
    const value = run();
    return () => value;
  } catch (error) {
    return () => rethrow(error);
  }
}

function rethrow(error: unknown): never {
  throw error;
}

/** A document as a line of nedb's datafile (what nedb's `model.serialize` writes, without the newline). */
function serialize(doc: Stored): string {
  return JSON.stringify(withTaggedDates(doc));
}

/**
 * Stored data with each Date replaced by nedb's `{$$date: ms}`, ready for JSON.stringify (three times faster
 * than nedb's way, a replacer that JSON.stringify calls on every value).
 */
function withTaggedDates(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Date) return { $$date: value.getTime() };
  if (Array.isArray(value)) {
    const items: unknown[] = value;
    const out: unknown[] = [];
    for (const item of items) out.push(withTaggedDates(item));
    return out;
  }
  if (!isPlainObject(value)) return value;
  const out: Document = {};
  for (const key in value) {
    const item: unknown = value[key];
    out[key] = withTaggedDates(item);
  }
  return out;
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

/**
 * A change computed by a write: applied to the latest documents at once, committed once it is in the log.
 * `next: null` deletes.
 */
interface Change {
  readonly id: string;
  readonly next: Stored | null;
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

/** The documents, indexes and log of one collection. */
class Store {
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
    if (sort === undefined && !skip && projection === undefined)
      return this.select(filter, limit || Infinity, from);
    let cursor = new Query({}).find<Stored>(this.select(filter, Infinity, from), projection ?? {});
    if (options.sort !== undefined) cursor = cursor.sort(toSortSpec(options.sort));
    if (options.skip) cursor = cursor.skip(options.skip);
    if (options.limit) cursor = cursor.limit(options.limit);
    return cursor.all();
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
    return new Promise<() => R>((settle) => {
      let outcome: () => R;
      const write: LoggedWrite = {
        changes: [],
        nextExpiry: Infinity,
        compute: () => {
          write.changes.length = 0;
          outcome = outcomeOf(() => this.compute(task, write.changes));
          write.nextExpiry = this.nextExpiry;
        },
        settle: (failure) => settle(failure ? () => rethrow(failure.error) : outcome),
      };
      write.compute();
      this.waiting.push(write);
      this.logging ??= this.logWaiting(journal);
    }).then((outcome) => outcome());
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

  /** Waits for the writes made so far to be logged, then compacts and closes the datafile. */
  async close(): Promise<void> {
    await this.logging;
    await this.journal?.close(this.docs.values());
  }

  // ---- internals ----

  /**
   * Runs a write against the latest documents, first deleting expired ones, and applies its changes to them;
   * with a log, collects all of them in `logged`.
   */
  private compute<R>(task: (changes: Change[]) => R, logged: Change[] | null): R {
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

/** The typed view of a store that the port hands out. */
class EmbeddedCollection<T extends Doc> implements Collection<T> {
  constructor(
    private readonly store: Store,
    private readonly assertOpen: () => void,
  ) {}

  get name(): string {
    return this.store.name;
  }

  async insertOne(doc: OptionalUnlessRequiredId<T>): Promise<void> {
    this.assertOpen();
    const input: Document = doc;
    return this.store.write((changes) => {
      const id: unknown = input._id ?? randomUUID();
      if (typeof id !== 'string') throw new Error('Documents have a string _id.');
      const next = copy({ ...input, _id: id });
      assertStorable(next);
      this.store.reserve(undefined, next);
      changes.push({ id: next._id, next });
    });
  }

  findOne(filter: Filter<T>, options: FindOptions = {}): Promise<WithId<T> | null> {
    return new Promise((resolve) => {
      this.assertOpen();
      const [first] = this.store.find(filter, { ...options, limit: 1 });
      resolve(first ? typed<T>(first) : null);
    });
  }

  async find(filter: Filter<T>, options?: FindOptions): Promise<WithId<T>[]> {
    this.assertOpen();
    return Promise.resolve(this.store.find(filter, options).map((doc) => typed<T>(doc)));
  }

  async updateOne(
    filter: Filter<T>,
    update: UpdateFilter<T>,
    options: { upsert?: boolean } = {},
  ): Promise<UpdateResult> {
    this.assertOpen();
    return this.store.write((changes) => {
      const [target] = this.store.select(filter, 1, this.store.latest);
      if (target) {
        const modified = this.modify(target, filter, update, changes);
        return { matchedCount: 1, modifiedCount: modified ? 1 : 0, upsertedId: null };
      }
      if (!options.upsert) return { matchedCount: 0, modifiedCount: 0, upsertedId: null };
      const inserted = this.upsert(filter, update, changes);
      return { matchedCount: 0, modifiedCount: 0, upsertedId: inserted._id };
    });
  }

  async updateMany(filter: Filter<T>, update: UpdateFilter<T>): Promise<UpdateResult> {
    this.assertOpen();
    return this.store.write((changes) => {
      const targets = this.store.select(filter, Infinity, this.store.latest);
      for (const target of targets) this.modify(target, filter, update, changes);
      return { matchedCount: targets.length, modifiedCount: changes.length, upsertedId: null };
    });
  }

  async findOneAndUpdate(
    filter: Filter<T>,
    update: UpdateFilter<T>,
    options: FindOneAndUpdateOptions = {},
  ): Promise<WithId<T> | null> {
    this.assertOpen();
    const returnAfter = options.returnDocument === 'after';
    return this.store.write((changes) => {
      const [found] = this.store.matching(
        filter,
        options.sort === undefined ? { limit: 1 } : { sort: options.sort, limit: 1 },
        this.store.latest,
      );
      const target = found && this.store.latest.get(found._id);
      if (target) {
        const modified = this.modify(target, filter, update, changes);
        return typed<T>(copy(returnAfter ? (modified ?? target) : target));
      }
      if (!options.upsert) return null;
      const inserted = this.upsert(filter, update, changes);
      return returnAfter ? typed<T>(copy(inserted)) : null;
    });
  }

  deleteOne(filter: Filter<T>): Promise<{ deletedCount: number }> {
    return this.delete(filter, 1);
  }

  deleteMany(filter: Filter<T>): Promise<{ deletedCount: number }> {
    return this.delete(filter, Infinity);
  }

  async countDocuments(filter: Filter<T> = {}): Promise<number> {
    this.assertOpen();
    return Promise.resolve(this.store.count(filter));
  }

  async aggregate<R extends Document = Document>(pipeline: Document[]): Promise<R[]> {
    this.assertOpen();
    // Aggregation results have no declared shape in either store: R is the caller's statement of it.
    return Promise.resolve(this.store.aggregate(pipeline) as R[]);
  }

  async createIndex(spec: IndexSpec): Promise<void> {
    this.assertOpen();
    return this.store.write(() => this.store.createIndex(spec));
  }

  /** Applies the update to a stored document; returns the new version, or null when nothing changed. */
  private modify(target: Stored, filter: Document, update: Document, changes: Change[]): Stored | null {
    const next = updated(target, filter, update, false);
    if (!next) return null;
    this.store.reserve(target, next);
    changes.push({ id: next._id, next });
    return next;
  }

  /** Inserts the document an upsert creates: the filter's equality fields, then the update with $setOnInsert. */
  private upsert(filter: Document, update: Document, changes: Change[]): Stored {
    const seed = equalityFields(filter);
    const doc = updated(seed, filter, update, true) ?? seed;
    const id: unknown = doc._id;
    if (typeof id !== 'string') throw new Error('Documents have a string _id.');
    if (id === '') doc._id = randomUUID();
    assertStorable(doc);
    this.store.reserve(undefined, doc);
    changes.push({ id: doc._id, next: doc });
    return doc;
  }

  private async delete(filter: Filter<T>, limit: number): Promise<{ deletedCount: number }> {
    this.assertOpen();
    return this.store.write((changes) => {
      for (const doc of this.store.select(filter, limit, this.store.latest)) {
        changes.push({ id: doc._id, next: null });
      }
      return { deletedCount: changes.length };
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
  let modifier: Document = update;
  if ('$setOnInsert' in update) {
    const { $setOnInsert, ...rest }: Document = update;
    modifier = rest;
    if (inserting && isPlainObject($setOnInsert)) {
      const set: Document = isPlainObject(modifier.$set) ? modifier.$set : {};
      const clash = Object.keys($setOnInsert).find((field) => field in set);
      if (clash !== undefined)
        throw new Error(`Updating the path '${clash}' would create a conflict at '${clash}'.`);
      modifier.$set = { ...set, ...$setOnInsert };
    }
    if (Object.keys(modifier).length === 0) return null;
  }
  // applySimpleUpdate checks the paths and the values it writes: the rest of the document was stored before.
  const simple = applySimpleUpdate(doc, modifier);
  if (simple !== undefined) return simple;
  const next = copy(doc);
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
  if (keys.length === 1 && Array.isArray(id.$in) && id.$in.every((v) => typeof v === 'string')) {
    return [...new Set<string>(id.$in)];
  }
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

const matchAll = (): boolean => true;

/**
 * A direct test for filters made only of equalities to strings, numbers, booleans or Dates, `$exists` and
 * `$in` over strings,
 * the shape of every query on a customer's turn. The test answers undefined where MongoDB's semantics need
 * mingo (an array at the path, where equality means "contains"); other filters get no direct test at all.
 * With `idMet`, the `_id` clause is known to hold.
 */
function simpleFilter(filter: Document, idMet: boolean): ((doc: Document) => boolean | undefined) | null {
  const checks: Array<(doc: Document) => boolean | undefined> = [];
  for (const path of Object.keys(filter)) {
    if (path === '_id' && idMet) continue;
    const expected: unknown = filter[path];
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
    } else if (
      typeof expected === 'string' ||
      typeof expected === 'number' ||
      typeof expected === 'boolean' ||
      expected instanceof Date
    ) {
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
  if (checks.length === 0) return matchAll;
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

/** A simple update step's value that removes the field. */
const UNSET = Symbol('unset');
/** A simple update step's answer where mingo must decide. */
const MINGO = Symbol('mingo');

/** One field written by a simple update: its path and its new value (or UNSET). */
interface SimpleStep {
  readonly parts: string[];
  readonly value: unknown;
}

/**
 * Applies the update operators of a customer's turn ($set, $unset, $inc, $max, $min, $push with $each/$slice)
 * on top-level or dotted object paths, without mingo (whose updater rebuilds its operator tables on every
 * call). Returns the new version of the stored document, copied on write (it shares every object the update
 * does not write with `doc`), or null when nothing changed; undefined for anything else (arrays on the path,
 * positional or numeric paths, `_id`, mixed types, overlapping paths), which mingo then applies with MongoDB's
 * semantics.
 */
function applySimpleUpdate(doc: Stored, modifier: Document): Stored | null | undefined {
  // Every step is planned against `doc` before any is applied, so that anything for mingo leaves no trace.
  const steps: SimpleStep[] = [];
  for (const op of Object.keys(modifier)) {
    const fields: unknown = modifier[op];
    if (!SIMPLE_UPDATE_OPERATORS.has(op) || !isPlainObject(fields)) return undefined;
    for (const path of Object.keys(fields)) {
      const parts = path.split('.');
      if (!isSimplePath(parts)) return undefined;
      for (const step of steps) if (overlaps(step.parts, parts)) return undefined;
      const current = valueOnObjectPath(doc, parts);
      if (current === MINGO) return undefined;
      const value = simpleStep(op, current, fields[path]);
      if (value === MINGO) return undefined;
      steps.push({ parts, value });
    }
  }
  const next: Stored = { ...doc };
  let changed = false;
  for (const step of steps) changed = applyStep(next, doc, step) || changed;
  return changed ? next : null;
}

/** A path of object fields: not `_id`, no positional `$`, no array index, no empty part. */
function isSimplePath(parts: string[]): boolean {
  if (parts[0] === '_id') return false;
  for (const part of parts) if (part === '' || part.startsWith('$') || /^\d+$/.test(part)) return false;
  return true;
}

/** Whether two paths are the same or one leads into the other (MongoDB refuses such an update). */
function overlaps(a: string[], b: string[]): boolean {
  const shorter = Math.min(a.length, b.length);
  for (let i = 0; i < shorter; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The value at a path whose intermediate fields are objects or missing; MINGO when one is something else. */
function valueOnObjectPath(doc: Document, parts: string[]): unknown {
  let node: Document | undefined = doc;
  const last = parts.length - 1;
  for (let i = 0; i < last && node !== undefined; i++) {
    const child: unknown = node[parts[i] ?? ''];
    if (child !== undefined && !isPlainObject(child)) return MINGO;
    node = child;
  }
  return node?.[parts[last] ?? ''];
}

/**
 * Writes one planned step into `next`, the new version of the stored `doc`: each object on the path that is
 * still `doc`'s own is copied first, and missing ones are created (except to unset). Returns whether it
 * changed anything.
 */
function applyStep(next: Document, doc: Document, { parts, value }: SimpleStep): boolean {
  let node = next;
  let stored: Document | undefined = doc;
  const last = parts.length - 1;
  for (let i = 0; i < last; i++) {
    const part = parts[i] ?? '';
    const original: unknown = stored?.[part];
    stored = isPlainObject(original) ? original : undefined;
    const child: unknown = node[part];
    if (isPlainObject(child)) node = child === original ? (node[part] = { ...child }) : child;
    else if (value === UNSET) return false;
    else node = node[part] = {};
  }
  const key = parts[last] ?? '';
  if (value === UNSET) {
    if (!(key in node)) return false;
    delete node[key];
    return true;
  }
  if (key in node && sameValue(node[key], value)) return false;
  node[key] = value;
  return true;
}

/** The new value of one field under one operator (UNSET removes it), or MINGO where mingo must decide. */
function simpleStep(op: string, current: unknown, value: unknown): unknown {
  switch (op) {
    case '$set':
      return storableCopy(value);
    case '$unset':
      return UNSET;
    case '$inc':
      if (typeof value !== 'number' || (current !== undefined && typeof current !== 'number')) return MINGO;
      return (current ?? 0) + value;
    case '$max':
    case '$min': {
      const stored = storableCopy(value);
      if (current === undefined) return stored;
      const [a, b] = [comparable(current), comparable(value)];
      if (a === undefined || b === undefined || typeof a !== typeof b) return MINGO;
      if (current instanceof Date !== value instanceof Date) return MINGO;
      const replace = op === '$max' ? b > a : b < a;
      return replace ? stored : current;
    }
    case '$push': {
      if (current !== undefined && !Array.isArray(current)) return MINGO;
      const existing: readonly unknown[] = Array.isArray(current) ? (current as readonly unknown[]) : [];
      if (!isPlainObject(value) || !Object.keys(value).some((k) => k.startsWith('$'))) {
        return [...existing, storableCopy(value)];
      }
      const keys = Object.keys(value);
      const each: unknown = value.$each;
      const slice: unknown = value.$slice;
      if (!Array.isArray(each) || keys.some((k) => k !== '$each' && k !== '$slice')) return MINGO;
      if (slice !== undefined && (typeof slice !== 'number' || !Number.isInteger(slice))) return MINGO;
      const all = [...existing, ...each.map((item: unknown) => storableCopy(item))];
      if (slice === undefined) return all;
      return slice >= 0 ? all.slice(0, slice) : slice === 0 ? [] : all.slice(slice);
    }
    default:
      return MINGO;
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
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    for (const k of keys) if (!(k in b) || !sameValue(a[k], b[k])) return false;
    return true;
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
  if (!dottedPath.includes('.')) return doc[dottedPath];
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

/**
 * nedb's file format reserves field names starting with `$` and containing `.`, and a datafile line is JSON:
 * refuse those names and values JSON cannot hold (bigint, functions, symbols) up front, so that a bad write
 * fails alone, before it reaches the datafile.
 */
function assertStorable(value: unknown): void {
  const path = unstorablePath(value);
  if (path === null) return;
  const last = path.pop();
  const where = path.join('.');
  throw new Error(
    last === undefined
      ? `The embedded store cannot store a ${typeof value} value${where ? ` (at "${where}")` : ''}.`
      : `The embedded store cannot store the field name "${last}" (at "${where}").`,
  );
}

/** A copy of a value to store, checked (the copy: a caller's class instance becomes a plain object). */
function storableCopy(value: unknown): unknown {
  const stored = copy(value);
  assertStorable(stored);
  return stored;
}

/**
 * The path to the first field name that nedb cannot store, or null (allocates nothing when there is none). A
 * value JSON cannot hold ends the path with undefined in place of a field name.
 */
function unstorablePath(value: unknown): (string | undefined)[] | null {
  const kind = typeof value;
  if (kind === 'bigint' || kind === 'function' || kind === 'symbol') return [undefined];
  if (Array.isArray(value)) {
    const items: unknown[] = value;
    for (let i = 0; i < items.length; i++) {
      const inner = unstorablePath(items[i]);
      if (inner) return [String(i), ...inner];
    }
  } else if (isPlainObject(value)) {
    for (const key of Object.keys(value)) {
      if (key.startsWith('$') || key.includes('.')) return [key];
      const inner = unstorablePath(value[key]);
      if (inner) return [key, ...inner];
    }
  }
  return null;
}

/** An object literal's kind: its prototype is Object.prototype, of this realm or another (structuredClone), or null. */
function isPlainObject(value: unknown): value is Document {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null || Object.getPrototypeOf(proto) === null;
}

/** A deep copy of stored data: plain objects, arrays and Dates (anything else through structuredClone). */
function copy<V>(value: V): V;
function copy(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  // Plain objects first, the commonest; `for…in` is the fastest walk, and a plain object inherits no
  // enumerable field.
  if (isPlainObject(value)) {
    const out: Document = {};
    for (const key in value) {
      const item: unknown = value[key];
      out[key] = copy(item);
    }
    return out;
  }
  if (Array.isArray(value)) {
    const items: unknown[] = value;
    const out: unknown[] = [];
    for (const item of items) out.push(copy(item));
    return out;
  }
  if (value instanceof Date) return new Date(value.getTime());
  return structuredClone(value);
}

/** The store holds untyped documents; each collection's T is the app's statement of their shape. */
function typed<T extends Doc>(doc: Stored): WithId<T> {
  return doc as WithId<T>;
}
