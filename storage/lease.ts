import { randomUUID } from 'node:crypto';
import type { Document } from 'mongodb';
import type { Clock } from '../core/clock';
import type { KeyedQueue } from '../core/keyedQueue';
import { DuplicateKeyError, type Collection, type Doc } from './port';

/** A lease: who holds a name (a conversation, a sweep) until when. Past `expiresAt` it is free. */
export interface Lease {
  /** The instance holding it. */
  owner: string;
  /** This holding's id: a late release of an earlier holding never frees a newer one. */
  holding: string;
  expiresAt: Date;
}

/**
 * A document that can be leased, in its `lease` field: a conversation record (its turns) or a document of the
 * `leases` collection (a sweep; the TTL index removes forgotten ones).
 */
export interface LeasedDoc extends Doc {
  lease?: Lease;
}

/** A lease held: renewed while the work runs, released after (by its table, or by a write that says so). */
export interface Held {
  readonly name: string;
  readonly holding: string;
  /** Kept in the `lease` field of the document named `name`: a write of that document may release it. */
  readonly inDocument: boolean;
  /** Set once the lease has been released, by whichever write did it. */
  released: boolean;
}

/**
 * Where leases are kept, so that one instance at a time does a piece of work (a conversation's turn, a sweep)
 * whichever instance it arrives at: `acquire` takes a lease that is free (never taken, released or expired) or
 * this instance's own; `renew` pushes the expiry of a holding; `release` frees it (never a newer holding).
 */
export interface LeaseTable {
  /** Takes the lease for `ttlMs`, or undefined while another instance holds it. */
  acquire(name: string, ttlMs: number): Promise<Held | undefined>;
  /** Extends a holding by `ttlMs` from now; false when it was lost (expired and taken by another). */
  renew(held: Held, ttlMs: number): Promise<boolean>;
  release(held: Held): Promise<void>;
}

/**
 * Leases in the database, shared by every instance (MongoDB). The lease is a field of the leased document, so
 * that the write that ends the work can release it too (a conversation's turn ends by recording what the bot
 * said: see ConversationStore.record). Each operation is one conditional write:
 * - acquire: an upsert that matches the document only when its lease is free or this instance's; a lease held
 *   by another instance makes the upsert insert a second `_id`, which fails with a duplicate key;
 * - renew: pushes the expiry of this holding;
 * - release: removes this holding.
 */
export class DocumentLeases implements LeaseTable {
  constructor(
    private readonly docs: Collection<LeasedDoc>,
    private readonly clock: Clock,
    /** This instance (one per process). */
    readonly owner: string,
    /** Fields a document created by an acquire gets (a conversation record's expiry). */
    private readonly onInsert: (now: Date) => Document = () => ({}),
  ) {}

  async acquire(name: string, ttlMs: number): Promise<Held | undefined> {
    const now = this.clock.now();
    const holding = randomUUID();
    const inserted = this.onInsert(now);
    try {
      await this.docs.updateOne(
        {
          _id: name,
          $or: [
            { lease: { $exists: false } },
            { 'lease.expiresAt': { $lte: now } },
            { 'lease.owner': this.owner },
          ],
        },
        {
          $set: { lease: { owner: this.owner, holding, expiresAt: new Date(now.getTime() + ttlMs) } },
          ...(Object.keys(inserted).length > 0 ? { $setOnInsert: inserted } : {}),
        },
        { upsert: true },
      );
      return { name, holding, inDocument: true, released: false };
    } catch (error) {
      if (error instanceof DuplicateKeyError) return undefined;
      throw error;
    }
  }

  async renew(held: Held, ttlMs: number): Promise<boolean> {
    const { matchedCount } = await this.docs.updateOne(
      { _id: held.name, 'lease.holding': held.holding },
      { $set: { 'lease.expiresAt': new Date(this.clock.now().getTime() + ttlMs) } },
    );
    return matchedCount === 1;
  }

  async release(held: Held): Promise<void> {
    await this.docs.updateOne({ _id: held.name, 'lease.holding': held.holding }, { $unset: { lease: '' } });
    held.released = true;
  }
}

/**
 * Leases in a table in memory, for the embedded store: only one process opens it (the DATA_DIR lock), so the
 * instances that can compete for a lease are the apps of that process over the same store, which share its
 * table (EmbeddedDatabase.leaseTable). Same rules as DocumentLeases, without a database write: after a
 * restart no lease is held, as none could be by a process that is gone.
 */
export class MemoryLeases implements LeaseTable {
  private holdings = 0;

  constructor(
    private readonly leases: Map<string, Lease>,
    private readonly clock: Clock,
    /** This instance (one per app). */
    readonly owner: string,
  ) {}

  acquire(name: string, ttlMs: number): Promise<Held | undefined> {
    const now = this.clock.now().getTime();
    const current = this.leases.get(name);
    if (current && current.expiresAt.getTime() > now && current.owner !== this.owner) {
      return Promise.resolve(undefined);
    }
    const holding = `${this.owner}:${++this.holdings}`;
    this.leases.set(name, { owner: this.owner, holding, expiresAt: new Date(now + ttlMs) });
    return Promise.resolve({ name, holding, inDocument: false, released: false });
  }

  renew(held: Held, ttlMs: number): Promise<boolean> {
    const current = this.leases.get(held.name);
    if (current?.holding !== held.holding) return Promise.resolve(false);
    current.expiresAt = new Date(this.clock.now().getTime() + ttlMs);
    return Promise.resolve(true);
  }

  release(held: Held): Promise<void> {
    if (this.leases.get(held.name)?.holding === held.holding) this.leases.delete(held.name);
    held.released = true;
    return Promise.resolve();
  }
}

/** A piece of work running under a lease of `leases`, renewed for `ttlMs` at a time. */
interface Running {
  readonly leases: LeaseTable;
  readonly held: Held;
  readonly ttlMs: number;
}

/** How long leases last and how long work waits for one. */
export interface LeasePolicy {
  /** A lease's lifetime; renewed while the work runs, so only an instance that died holds one this long. */
  ttlMs: number;
  /** How often a running piece of work renews its lease. */
  renewEveryMs: number;
  /** How long work waits for a lease another instance holds before giving up. */
  waitMs: number;
  /** The first pause between tries; doubled after each, up to `maxPauseMs`. */
  firstPauseMs: number;
  maxPauseMs: number;
}

export const defaultLeasePolicy: LeasePolicy = {
  ttlMs: 30_000,
  renewEveryMs: 10_000,
  waitMs: 15_000,
  firstPauseMs: 25,
  maxPauseMs: 1_000,
};

/**
 * Work that runs one at a time per key across instances: the in-process keyed queue orders the work of this
 * instance (the fast path), and a database lease per key keeps other instances out while it runs. A lease held
 * elsewhere is waited for, polling with backoff, up to `waitMs`; then `busy` runs instead of the work. The work
 * is given its lease and may release it with its own last write (a customer turn does: the lease then costs one
 * round trip per turn, its acquire); otherwise it is released after the work without the caller waiting for it
 * (the next holder on this instance takes it over anyway).
 */
export class LeasedQueue {
  private readonly releasing = new Set<Promise<void>>();
  /** The work running under a lease, renewed together by `renewer` while there is some. */
  private readonly running = new Set<Running>();
  private renewer: NodeJS.Timeout | undefined;

  constructor(
    private readonly queue: KeyedQueue,
    /** The leases of `run`'s keys (conversations) and of `once`'s names (sweeps). */
    private readonly leases: { readonly turns: LeaseTable; readonly sweeps: LeaseTable },
    private readonly onError: (err: unknown) => void,
    private readonly policy: LeasePolicy = defaultLeasePolicy,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  run<T>(key: string, work: (held: Held) => Promise<T>, busy: () => Promise<T>): Promise<T> {
    return this.queue.run(key, async () => {
      const held = await this.waitFor(key);
      if (!held) return busy();
      try {
        return await this.renewing(this.leases.turns, held, this.policy.ttlMs, () => work(held));
      } finally {
        if (!held.released) this.release(held);
      }
    });
  }

  /**
   * Runs `work` under the lease `name` for `ttlMs` when it is free, renewing it while the work runs, and keeps
   * the lease afterwards until it expires: work that every instance starts on a timer then runs once per
   * lifetime. Undefined when another instance holds it.
   */
  async once<T>(name: string, ttlMs: number, work: () => Promise<T>): Promise<T | undefined> {
    const held = await this.leases.sweeps.acquire(name, ttlMs);
    return held ? this.renewing(this.leases.sweeps, held, ttlMs, work) : undefined;
  }

  /** Resolves when every queued piece of work has finished and its lease is released (shutdown). */
  async drain(): Promise<void> {
    await this.queue.drain();
    while (this.releasing.size > 0) await Promise.all([...this.releasing]);
  }

  private async waitFor(name: string): Promise<Held | undefined> {
    const { ttlMs, waitMs, firstPauseMs, maxPauseMs } = this.policy;
    let waited = 0;
    for (let pause = firstPauseMs; ; pause = Math.min(maxPauseMs, pause * 2)) {
      const held = await this.leases.turns.acquire(name, ttlMs);
      if (held || waited >= waitMs) return held;
      await this.sleep(pause);
      waited += pause;
    }
  }

  private async renewing<T>(
    leases: LeaseTable,
    held: Held,
    ttlMs: number,
    work: () => Promise<T>,
  ): Promise<T> {
    const running: Running = { leases, held, ttlMs };
    this.running.add(running);
    // One timer renews every lease held by this instance (a timer per turn would cost each turn its set-up).
    this.renewer ??= setInterval(() => this.renewAll(), this.policy.renewEveryMs).unref();
    try {
      return await work();
    } finally {
      this.running.delete(running);
      if (this.running.size === 0) {
        clearInterval(this.renewer);
        this.renewer = undefined;
      }
    }
  }

  private renewAll(): void {
    for (const { leases, held, ttlMs } of this.running) {
      if (!held.released) leases.renew(held, ttlMs).catch(this.onError);
    }
  }

  private release(held: Held): void {
    const released: Promise<void> = this.leases.turns
      .release(held)
      .catch(this.onError)
      .finally(() => this.releasing.delete(released));
    this.releasing.add(released);
  }
}
