import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import type { ChangeEvent, ChangeFeed, Collection, CollectionName, Database, Doc } from './port';

/** Whose event it is: the erasure of a customer's data finds their events by these. */
export interface EventSubject {
  conversationId: string;
  customerId: string;
  /**
   * The record the event is about (a case, a follow-up): an event that work under way writes after an erasure
   * removed that record is taken back at once (see `publish`). Not stored.
   */
  record?: { collection: CollectionName; id: string };
}

/** An event as stored in the `events` collection. */
export interface EventDoc<E extends object> extends Doc, EventSubject {
  at: Date;
  /** TTL: the database removes the event after this; every instance's feed has delivered it long before. */
  expiresAt: Date;
  event: E;
}

/** How long an event stays in the database (the feed delivers it within moments; this only bounds storage). */
export const EVENT_RETENTION_MS = 10 * 60_000;

/**
 * Events every instance hears, through the database: `publish` inserts the event into the `events` collection,
 * and each instance's bus follows that collection's change feed and hands each event to its subscribers. Every
 * instance, the publishing one included, delivers each event once, from the feed, in commit order (the same
 * order everywhere: an event published after another one's `publish` resolved comes after it on every
 * instance). Events that fail to be written are logged and lost; their readers re-read what they show now and
 * then. `E` is the events' type: plain data (what a JSON or BSON document holds).
 */
export class EventBus<E extends object> {
  private readonly events: Collection<EventDoc<E>>;
  private readonly listeners = new Set<(event: E) => void>();
  private feed: ChangeFeed | undefined;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    this.events = db.collection<EventDoc<E>>('events');
  }

  /** Starts following the feed: events committed from now on reach this instance's subscribers. */
  async start(): Promise<void> {
    this.feed = await this.events.watch(
      (change) => this.deliver(change),
      (err) => this.log.warn({ err }, 'event feed interrupted; events may have been missed'),
    );
  }

  /** Stops following the feed (before the database closes). */
  async close(): Promise<void> {
    await this.feed?.close();
    this.feed = undefined;
  }

  /**
   * Writes the event for every instance; resolves once it is committed (or its failure logged). With
   * `subject.record`, the record is looked up after the write, and the event deleted when it is gone: an erasure
   * deletes the customer's records, then their events (privacy/customerData.ts), so an event written during or
   * after it, by work that started before it (an agent's message, a resolve), is removed by one or the other.
   */
  async publish(event: E, subject: EventSubject): Promise<void> {
    const at = this.clock.now();
    const id = randomUUID();
    try {
      await this.events.insertOne({
        _id: id,
        conversationId: subject.conversationId,
        customerId: subject.customerId,
        at,
        expiresAt: new Date(at.getTime() + EVENT_RETENTION_MS),
        event,
      });
      const { record } = subject;
      if (record && !(await this.db.collection(record.collection).findOne({ _id: record.id }))) {
        await this.events.deleteOne({ _id: id });
        this.log.debug({ collection: record.collection }, 'event of an erased record taken back');
      }
    } catch (err) {
      this.log.error({ err }, 'event not published');
    }
  }

  /** Hears every event of every instance from now on; returns the unsubscribe function. */
  subscribe(listener: (event: E) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private deliver(change: ChangeEvent<EventDoc<E>>): void {
    if (change.operationType !== 'insert' || !change.fullDocument) return;
    const { event } = change.fullDocument;
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.log.error({ err }, 'event listener failed');
      }
    }
  }
}
