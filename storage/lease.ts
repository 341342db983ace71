import { createHash, randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock';
import type { KeyedQueue } from '../core/keyedQueue';
import { DuplicateKeyError, type Collection, type Database, type Doc } from './port';

/**
 * One lease: who holds a name (a conversation, a sweep) until when. A lease past `expiresAt` is free; the TTL
 * index removes forgotten ones.
 */
export interface LeaseDoc extends Doc {
  /** The instance holding it. */
  owner: string;
  /** This holding's id: a late release of an earlier holding never frees a newer one. */
  holding: string;
  expiresAt: Date;
}

/** A lease held: renew it while the work runs, release it after. */
export interface Held {
  readonly name: string;
  readonly holding: string;
}

/**
 * Leases in the database, so that one instance at a time does a piece of work (a conversation's turn, a
 * sweep) whichever instance it arrives at. Each operation is one conditional write:
 * - acquire: an upsert that matches the lease only when it is free (expired) or this instance's; a lease held
 *   by another instance makes the upsert insert a second `_id`, which fails with a duplicate key;
 * - renew: pushes the expiry of this holding;
 * - release: deletes this holding (not a newer one of the same instance).
 */
export class Leases {
  private readonly docs: Collection<LeaseDoc>;

  constructor(
    db: Database,
    private readonly clock: Clock,
    /** This instance (one per process). */
    readonly owner: string = randomUUID(),
  ) {
    this.docs = db.collection<LeaseDoc>('leases');
  }

  /** Takes the lease for `ttlMs`, or undefined while another instance holds it. */
  async acquire(name: string, ttlMs: number): Promise<Held | undefined> {
    const now = this.clock.now();
    const holding = randomUUID();
    try {
      await this.docs.updateOne(
        { _id: name, $or: [{ expiresAt: { $lte: now } }, { owner: this.owner }] },
        { $set: { owner: this.owner, holding, expiresAt: new Date(now.getTime() + ttlMs) } },
        { upsert: true },
      );
      return { name, holding };
    } catch (error) {
      if (error instanceof DuplicateKeyError) return undefined;
      throw error;
    }
  }

  /** Extends a holding by `ttlMs` from now; false when it was lost (expired and taken by another). */
  async renew(held: Held, ttlMs: number): Promise<boolean> {
    const { matchedCount } = await this.docs.updateOne(
      { _id: held.name, holding: held.holding },
      { $set: { expiresAt: new Date(this.clock.now().getTime() + ttlMs) } },
    );
    return matchedCount === 1;
  }

  async release(held: Held): Promise<void> {
    await this.docs.deleteOne({ _id: held.name, holding: held.holding });
  }
}

/** The lease of a conversation's turns; hashed, so that no lease holds a customer's conversation id. */
export function turnLeaseName(conversationId: string): string {
  return `turn:${createHash('sha256').update(conversationId).digest('base64url')}`;
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
 * elsewhere is waited for, polling with backoff, up to `waitMs`; then `busy` runs instead of the work. The
 * lease is released after the work without the caller waiting for it (the next holder on this instance takes
 * it over anyway): one awaited round trip per piece of work.
 */
export class LeasedQueue {
  private readonly releasing = new Set<Promise<void>>();

  constructor(
    private readonly queue: KeyedQueue,
    private readonly leases: Leases,
    private readonly onError: (err: unknown) => void,
    private readonly policy: LeasePolicy = defaultLeasePolicy,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  run<T>(key: string, work: () => Promise<T>, busy: () => Promise<T>): Promise<T> {
    return this.queue.run(key, async () => {
      const held = await this.waitFor(turnLeaseName(key));
      if (!held) return busy();
      try {
        return await this.renewing(held, this.policy.ttlMs, work);
      } finally {
        this.release(held);
      }
    });
  }

  /**
   * Runs `work` under the lease `name` for `ttlMs` when it is free, renewing it while the work runs, and keeps
   * the lease afterwards until it expires: work that every instance starts on a timer then runs once per
   * lifetime. Undefined when another instance holds it.
   */
  async once<T>(name: string, ttlMs: number, work: () => Promise<T>): Promise<T | undefined> {
    const held = await this.leases.acquire(name, ttlMs);
    return held ? this.renewing(held, ttlMs, work) : undefined;
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
      const held = await this.leases.acquire(name, ttlMs);
      if (held || waited >= waitMs) return held;
      await this.sleep(pause);
      waited += pause;
    }
  }

  private async renewing<T>(held: Held, ttlMs: number, work: () => Promise<T>): Promise<T> {
    const timer = setInterval(() => {
      this.leases.renew(held, ttlMs).catch(this.onError);
    }, this.policy.renewEveryMs);
    timer.unref();
    try {
      return await work();
    } finally {
      clearInterval(timer);
    }
  }

  private release(held: Held): void {
    const released: Promise<void> = this.leases
      .release(held)
      .catch(this.onError)
      .finally(() => this.releasing.delete(released));
    this.releasing.add(released);
  }
}
