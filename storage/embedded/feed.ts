import type { ChangeOperation } from '../port';
import type { Stored } from './values';

/** A subscriber of a collection's change feed. */
export interface Watcher {
  deliver(operationType: ChangeOperation, id: string, next: Stored | null): void;
  onError(error: unknown): void;
}

interface Committed {
  readonly operationType: ChangeOperation;
  readonly id: string;
  readonly next: Stored | null;
  /** The watchers subscribed when the change was committed. */
  readonly to: readonly Watcher[];
}

/**
 * The embedded store's change feed of one collection: the committed changes, delivered in commit order on a
 * microtask, never inside the write that made them (a watcher may read or write the store). A watcher gets the
 * changes committed while it is subscribed. Costs nothing while nobody watches.
 */
export class ChangeFanout {
  private readonly watchers = new Set<Watcher>();
  private pending: Committed[] = [];

  /** Subscribes a watcher; returns the unsubscribe function. */
  subscribe(watcher: Watcher): () => void {
    this.watchers.add(watcher);
    return () => {
      this.watchers.delete(watcher);
    };
  }

  /** Unsubscribes everyone (the database closes). */
  clear(): void {
    this.watchers.clear();
    this.pending = [];
  }

  /** A change has been committed: `previous` is the committed document it replaces, if any. */
  publish(previous: Stored | undefined, id: string, next: Stored | null): void {
    if (this.watchers.size === 0) return;
    const operationType = next === null ? 'delete' : previous ? 'update' : 'insert';
    const change: Committed = { operationType, id, next, to: [...this.watchers] };
    if (this.pending.push(change) === 1) queueMicrotask(() => this.flush());
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    for (const { operationType, id, next, to } of batch) {
      for (const watcher of to) {
        if (!this.watchers.has(watcher)) continue;
        try {
          watcher.deliver(operationType, id, next);
        } catch (error) {
          watcher.onError(error);
        }
      }
    }
  }
}
