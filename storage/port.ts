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
] as const;
export type CollectionName = (typeof collectionNames)[number];

export interface Database {
  readonly kind: 'mongodb' | 'embedded';
  collection<T extends Doc>(name: CollectionName): Collection<T>;
  /** Throws when the database cannot be reached (readiness probe). */
  ping(): Promise<void>;
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
