import {
  MongoServerError,
  type ChangeStream,
  type ChangeStreamDocument,
  type Collection as DriverCollection,
  type ResumeToken,
  type WithId,
} from 'mongodb';
import type { ChangeEvent, ChangeFeed, Doc } from './port';

/** The first wait before a failed change stream is opened again; it doubles up to the maximum. */
const RESTART_DELAY_MS = 500;
const MAX_RESTART_DELAY_MS = 30_000;

/** The server no longer has the history the resume token points into (the oplog rolled over). */
const HISTORY_LOST_CODES = new Set([280, 286]);

/**
 * A collection's change feed on MongoDB: a change stream with the document after each change
 * (`fullDocument: 'updateLookup'`). The driver resumes it by itself after a transient error; when the stream
 * fails anyway (or is invalidated), it is opened again after a pause from the last resume token, or from now
 * when the server has lost that point of its history (the missed events are lost, which `onError` hears of).
 */
export class MongoChangeFeed<T extends Doc> implements ChangeFeed {
  private stream: ChangeStream<WithId<T>> | null = null;
  /** Where the stream resumes after a failure (undefined: from now). */
  private resumeToken: ResumeToken = undefined;
  private closed = false;
  private running: Promise<void> = Promise.resolve();
  /** Ends the pause before a restart early (close). */
  private wake: (() => void) | null = null;

  private constructor(
    private readonly driver: DriverCollection<T>,
    private readonly listener: (event: ChangeEvent<T>) => void,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Opens the change stream; resolves once the server has started it, rejects when it cannot. */
  static async open<T extends Doc>(
    driver: DriverCollection<T>,
    listener: (event: ChangeEvent<T>) => void,
    onError: (error: unknown) => void,
  ): Promise<MongoChangeFeed<T>> {
    const feed = new MongoChangeFeed(driver, listener, onError);
    const stream = feed.openStream();
    try {
      // The first round trip starts the stream on the server: changes from here on are in it.
      feed.deliver(await stream.tryNext());
    } catch (error) {
      await stream.close();
      throw error;
    }
    feed.resumeToken = stream.resumeToken;
    feed.running = feed.run(stream);
    return feed;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    await this.stream?.close();
    await this.running;
  }

  private openStream(): ChangeStream<WithId<T>> {
    const stream = this.driver.watch<WithId<T>>(
      [{ $match: { operationType: { $in: ['insert', 'update', 'replace', 'delete'] } } }],
      {
        fullDocument: 'updateLookup',
        ...(this.resumeToken !== undefined ? { startAfter: this.resumeToken } : {}),
      },
    );
    this.stream = stream;
    return stream;
  }

  private async run(first: ChangeStream<WithId<T>>): Promise<void> {
    let stream = first;
    let delay = RESTART_DELAY_MS;
    while (!this.closed) {
      try {
        for (;;) {
          const change = await stream.next();
          this.resumeToken = stream.resumeToken;
          this.deliver(change);
          delay = RESTART_DELAY_MS;
        }
      } catch (error) {
        await stream.close();
        if (this.closed) return;
        this.onError(error);
        if (error instanceof MongoServerError && HISTORY_LOST_CODES.has(Number(error.code))) {
          this.resumeToken = undefined;
        }
        await this.pause(delay);
        delay = Math.min(2 * delay, MAX_RESTART_DELAY_MS);
        if (this.closed) return;
        stream = this.openStream();
      }
    }
  }

  private deliver(change: ChangeStreamDocument<WithId<T>> | null): void {
    if (!change) return;
    let event: ChangeEvent<T>;
    switch (change.operationType) {
      case 'insert':
      case 'replace':
        event = {
          operationType: change.operationType,
          documentKey: { _id: change.documentKey._id },
          fullDocument: change.fullDocument,
        };
        break;
      case 'update':
        event = {
          operationType: 'update',
          documentKey: { _id: change.documentKey._id },
          ...(change.fullDocument ? { fullDocument: change.fullDocument } : {}),
        };
        break;
      case 'delete':
        event = { operationType: 'delete', documentKey: { _id: change.documentKey._id } };
        break;
      default:
        // invalidate (the collection was dropped or renamed): the stream ends and is opened again.
        return;
    }
    try {
      this.listener(event);
    } catch (error) {
      this.onError(error);
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
