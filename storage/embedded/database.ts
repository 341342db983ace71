import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { systemClock, type Clock } from '../../core/clock';
import { lockDataDir } from '../dataDirLock';
import type { Lease } from '../lease';
import { collectionNames, type Collection, type CollectionName, type Database, type Doc } from '../port';
import { EmbeddedCollection } from './collection';
import { NedbJournal } from './journal';
import { Store } from './store';

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
 * Change feed: each committed change (TTL deletions included) goes to the collection's watchers, on a
 * microtask after the commit (see ChangeFanout).
 *
 * Differences from MongoDB, all outside what the app uses: field names may not start with `$` or contain `.`
 * (nedb's file format); a unique index treats an array value as one key (no multikey indexes); non-unique
 * indexes are accepted and not needed (every query scans the Map, except lookups by `_id`).
 *
 * Modules: database.ts (this: opening, timers, closing), store.ts (one collection: documents, indexes, writes
 * and their logging), journal.ts (the datafile), collection.ts (the port's typed view of a store),
 * semantics.ts (MongoDB semantics that mingo leaves to the caller), fastPaths.ts (filters and updates decided
 * without mingo), feed.ts (the change feed), values.ts (stored values: copies, paths, storability).
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

export class EmbeddedDatabase implements Database {
  readonly kind = 'embedded';
  private readonly timers: NodeJS.Timeout[] = [];
  private closed = false;
  private closing: Promise<void> | undefined;
  private readonly leaseTables = new Map<string, Map<string, Lease>>();

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
   * A table of leases in memory (storage/lease.ts: MemoryLeases), shared by every app of this process over this
   * store, which no other process opens: its leases need no log.
   */
  leaseTable(name: string): Map<string, Lease> {
    let table = this.leaseTables.get(name);
    if (!table) {
      table = new Map();
      this.leaseTables.set(name, table);
    }
    return table;
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

  /**
   * Rewrites these collections' datafiles now, without deleted and superseded lines (after the writes under way),
   * rather than at the next periodic compaction: a deletion is otherwise only a marker appended to the file.
   */
  async compact(names: readonly CollectionName[]): Promise<void> {
    this.assertOpen();
    const stores = names.flatMap((name) => this.stores.get(name) ?? []);
    await Promise.all(stores.map((store) => store.compacted()));
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
