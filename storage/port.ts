import type {
  Document,
  Filter,
  FindOptions as MongoFindOptions,
  OptionalUnlessRequiredId,
  Sort,
  UpdateFilter,
  WithId,
} from 'mongodb';

/**
 * The database port: the subset of the MongoDB driver's collection API the app uses, with the driver's own
 * names, types and semantics. The MongoDB adapter passes calls straight to the driver (so the compiler checks
 * every filter and update against the driver's types); the embedded adapter implements the same semantics.
 *
 * Every document has a string `_id` chosen by the app, so both stores behave the same.
 */
export interface Doc {
  _id: string;
}

export type { Filter, UpdateFilter, Sort, WithId };

export interface FindOptions {
  sort?: Sort;
  skip?: number;
  limit?: number;
  projection?: MongoFindOptions['projection'];
}

export interface UpdateResult {
  matchedCount: number;
  modifiedCount: number;
  upsertedId: string | null;
}

export interface FindOneAndUpdateOptions {
  returnDocument?: 'before' | 'after';
  upsert?: boolean;
  sort?: Sort;
  /** The fields of the returned document (`{episode: 1}`: the episode and `_id`). */
  projection?: FindOptions['projection'];
}

export interface IndexSpec {
  /** Field → 1 | -1. */
  keys: Record<string, 1 | -1>;
  unique?: boolean;
  /** TTL: documents expire this many seconds after the Date in the single indexed field. */
  expireAfterSeconds?: number;
  /** Only index documents matching this filter (MongoDB partial index). */
  partialFilterExpression?: Document;
  name?: string;
}

/** The kinds of change a change feed reports (MongoDB's `operationType`). */
export type ChangeOperation = 'insert' | 'update' | 'replace' | 'delete';

/** One change of one document: the subset of a MongoDB change event the app needs. */
export interface ChangeEvent<T extends Doc> {
  operationType: ChangeOperation;
  documentKey: { _id: string };
  /**
   * The document after the change; absent on delete. On MongoDB an update's document is looked up when the
   * event is read (`fullDocument: 'updateLookup'`), so it may already hold later changes, and it is absent
   * when the document has been deleted since.
   */
  fullDocument?: WithId<T>;
}

/** A running change feed (see Collection.watch). */
export interface ChangeFeed {
  /** Stops the feed: no event is delivered once the promise resolves. */
  close(): Promise<void>;
}

export interface Collection<T extends Doc> {
  readonly name: string;
  /** Throws DuplicateKeyError when a unique index (or _id) is violated. */
  insertOne(doc: OptionalUnlessRequiredId<T>): Promise<void>;
  findOne(filter: Filter<T>, options?: FindOptions): Promise<WithId<T> | null>;
  find(filter: Filter<T>, options?: FindOptions): Promise<WithId<T>[]>;
  updateOne(
    filter: Filter<T>,
    update: UpdateFilter<T>,
    options?: { upsert?: boolean },
  ): Promise<UpdateResult>;
  updateMany(filter: Filter<T>, update: UpdateFilter<T>): Promise<UpdateResult>;
  /** Atomic: the single-document conditional update used for claims and state transitions. */
  findOneAndUpdate(
    filter: Filter<T>,
    update: UpdateFilter<T>,
    options?: FindOneAndUpdateOptions,
  ): Promise<WithId<T> | null>;
  deleteOne(filter: Filter<T>): Promise<{ deletedCount: number }>;
  deleteMany(filter: Filter<T>): Promise<{ deletedCount: number }>;
  countDocuments(filter?: Filter<T>): Promise<number>;
  aggregate<R extends Document = Document>(pipeline: Document[]): Promise<R[]>;
  createIndex(spec: IndexSpec): Promise<void>;
  /**
   * The change feed: calls `listener` with each change to the collection's documents committed after the
   * promise resolves, in commit order, until the feed is closed (or the database). Embedded store: in this
   * process, just after the write is committed. MongoDB: a change stream (the server must be a replica set),
   * which resumes from the last event's resume token after an error. `onError` hears of a feed that failed and
   * restarts (events may then be missed) and of a listener that threw; the feed goes on.
   */
  watch(listener: (event: ChangeEvent<T>) => void, onError: (error: unknown) => void): Promise<ChangeFeed>;
}

export const collectionNames = [
  'botState',
  'conversations',
  'faq',
  'faqHistory',
  'faqVotes',
  'unanswered',
  'cases',
  'caseMessages',
  'ratings',
  'ratingComments',
  'surveys',
  'staffTokens',
  'settings',
  'audit',
  'directline',
  'reviewItems',
  'reviewLabels',
  'followups',
  'leases',
  'events',
  'quotas',
] as const;
export type CollectionName = (typeof collectionNames)[number];

export interface Database {
  readonly kind: 'mongodb' | 'embedded';
  collection<T extends Doc>(name: CollectionName): Collection<T>;
  /** Throws when the database cannot be reached (readiness probe). */
  ping(): Promise<void>;
  /**
   * Makes deletions in these collections final on disk now (after an erasure), where the store keeps deleted
   * lines until a later compaction (the embedded store); MongoDB manages its own storage and has none.
   */
  compact?(names: readonly CollectionName[]): Promise<void>;
  close(): Promise<void>;
}

/** A unique-index violation, with the same meaning in both stores (MongoDB error code 11000). */
export class DuplicateKeyError extends Error {
  readonly code = 11000;
  constructor(message = 'duplicate key') {
    super(message);
    this.name = 'DuplicateKeyError';
  }
}
