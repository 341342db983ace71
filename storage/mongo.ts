import { isDeepStrictEqual } from 'node:util';
import {
  MongoClient,
  MongoServerError,
  type Collection as DriverCollection,
  type Db,
  type Document,
  type OptionalUnlessRequiredId,
} from 'mongodb';
import { MongoChangeFeed } from './mongoFeed';
import {
  DuplicateKeyError,
  type ChangeEvent,
  type ChangeFeed,
  type Collection,
  type CollectionName,
  type Database,
  type Doc,
  type Filter,
  type FindOneAndUpdateOptions,
  type FindOptions,
  type IndexSpec,
  type UpdateFilter,
  type UpdateResult,
  type WithId,
} from './port';

/** Rejects malformed ratings at the server, whatever code wrote them. */
export const ratingsValidator: { $jsonSchema: Record<string, unknown> } = {
  $jsonSchema: {
    bsonType: 'object',
    required: ['episodeId', 'conversationId', 'createdAt', 'score'],
    properties: {
      score: { bsonType: 'int', minimum: 1, maximum: 5 },
      episodeId: { bsonType: 'string' },
      conversationId: { bsonType: 'string' },
      createdAt: { bsonType: 'date' },
    },
  },
};

const validation = { validationLevel: 'strict', validationAction: 'error' } as const;

/** The oldest server the app runs on: the report pipelines use `$dateTrunc` (MongoDB 5.0). */
export const minimumServerVersion = { major: 5, minor: 0 };

/** The role that grants `collMod`, which updating a collection's validator needs (readWrite does not). */
const collModRole = 'dbAdmin';

/** MongoDB's error codes: the user lacks a privilege; the collection exists already. */
const UNAUTHORIZED = 13;
const NAMESPACE_EXISTS = 48;

/** Where the adapter reports what an operator should know but that does not stop the app. */
export interface MongoLog {
  warn(details: Record<string, unknown>, message: string): void;
}

/**
 * Whether a collection's options (as `listCollections` reports them) lack the wanted validator: a different
 * or missing validator, validation level or action. Key order does not matter.
 */
export function validatorDiffers(options: Document | undefined, validator: Document): boolean {
  const current: Record<string, unknown> = {};
  for (const key of ['validator', 'validationLevel', 'validationAction']) {
    const value: unknown = options?.[key];
    current[key] = value;
  }
  return !isDeepStrictEqual(current, { validator, ...validation });
}

/** Throws when the server is older than the app needs (`version` as buildInfo reports it, e.g. "7.0.12"). */
export function assertServerVersion(version: string): void {
  const [major = NaN, minor = NaN] = version.split('.').map(Number);
  const { major: needMajor, minor: needMinor } = minimumServerVersion;
  if (major > needMajor || (major === needMajor && minor >= needMinor)) return;
  throw new Error(
    `MongoDB ${version} is too old: the app needs MongoDB ${needMajor}.${needMinor} or later ($dateTrunc in the report pipelines).`,
  );
}

/** The production store: a thin pass-through to the official driver. */
export class MongoDatabase implements Database {
  readonly kind = 'mongodb';
  private readonly feeds = new Set<ChangeFeed>();

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
  ) {}

  /**
   * Connects (majority writes, retryable writes), checks the server version and applies the collection
   * validators.
   */
  static async connect(uri: string, dbName: string, log: MongoLog = silent): Promise<MongoDatabase> {
    const client = new MongoClient(uri, { writeConcern: { w: 'majority' }, retryWrites: true });
    await client.connect();
    try {
      const database = new MongoDatabase(client, client.db(dbName));
      const info = await database.db.command({ buildInfo: 1 });
      assertServerVersion(typeof info.version === 'string' ? info.version : '');
      await database.applyValidator('ratings', ratingsValidator, log);
      return database;
    } catch (error) {
      await client.close();
      throw error;
    }
  }

  collection<T extends Doc>(name: CollectionName): Collection<T> {
    return new MongoCollection<T>(this.db.collection<T>(name), this.feeds);
  }

  async ping(): Promise<void> {
    await this.db.command({ ping: 1 });
  }

  /** Closes the change feeds, then the connection. */
  async close(): Promise<void> {
    await Promise.all([...this.feeds].map((feed) => feed.close()));
    await this.client.close();
  }

  /**
   * Creates the collection with the validator, or updates the validator of an existing one when it differs
   * (`collMod`); a user without the privilege for that gets a warning, and the app starts with the validator
   * the collection has.
   */
  private async applyValidator(name: CollectionName, validator: Document, log: MongoLog): Promise<void> {
    let [existing] = await this.db.listCollections({ name }, { nameOnly: false }).toArray();
    if (!existing) {
      try {
        await this.db.createCollection(name, { validator, ...validation });
        return;
      } catch (error) {
        // Another instance created it first: compare with what it applied.
        if (!(error instanceof MongoServerError && error.code === NAMESPACE_EXISTS)) throw error;
        [existing] = await this.db.listCollections({ name }, { nameOnly: false }).toArray();
      }
    }
    if (!validatorDiffers(existing?.options, validator)) return;
    try {
      await this.db.command({ collMod: name, validator, ...validation });
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === UNAUTHORIZED)) throw error;
      log.warn(
        { collection: name, role: collModRole, error: error.message },
        `The ${name} collection's validator is out of date and this database user may not update it (collMod): grant the ${collModRole} role on the database once, or apply it as an administrator. The app runs with the validator the collection has.`,
      );
    }
  }
}

const silent: MongoLog = { warn: () => undefined };

class MongoCollection<T extends Doc> implements Collection<T> {
  constructor(
    private readonly driver: DriverCollection<T>,
    /** The database's open change feeds, closed with it. */
    private readonly feeds: Set<ChangeFeed>,
  ) {}

  get name(): string {
    return this.driver.collectionName;
  }

  async insertOne(doc: OptionalUnlessRequiredId<T>): Promise<void> {
    await mapDuplicateKey(() => this.driver.insertOne(doc));
  }

  findOne(filter: Filter<T>, options: FindOptions = {}): Promise<WithId<T> | null> {
    return this.driver.findOne(filter, options);
  }

  find(filter: Filter<T>, options: FindOptions = {}): Promise<WithId<T>[]> {
    return this.driver.find(filter, options).toArray();
  }

  async updateOne(
    filter: Filter<T>,
    update: UpdateFilter<T>,
    options: { upsert?: boolean } = {},
  ): Promise<UpdateResult> {
    const result = await mapDuplicateKey(() => this.driver.updateOne(filter, update, options));
    return {
      matchedCount: result.matchedCount,
      modifiedCount: result.modifiedCount,
      upsertedId: idOf(result.upsertedId),
    };
  }

  async updateMany(filter: Filter<T>, update: UpdateFilter<T>): Promise<UpdateResult> {
    const result = await mapDuplicateKey(() => this.driver.updateMany(filter, update));
    return { matchedCount: result.matchedCount, modifiedCount: result.modifiedCount, upsertedId: null };
  }

  findOneAndUpdate(
    filter: Filter<T>,
    update: UpdateFilter<T>,
    options: FindOneAndUpdateOptions = {},
  ): Promise<WithId<T> | null> {
    return mapDuplicateKey(() => this.driver.findOneAndUpdate(filter, update, options));
  }

  async deleteOne(filter: Filter<T>): Promise<{ deletedCount: number }> {
    const { deletedCount } = await this.driver.deleteOne(filter);
    return { deletedCount };
  }

  async deleteMany(filter: Filter<T>): Promise<{ deletedCount: number }> {
    const { deletedCount } = await this.driver.deleteMany(filter);
    return { deletedCount };
  }

  countDocuments(filter: Filter<T> = {}): Promise<number> {
    return this.driver.countDocuments(filter);
  }

  aggregate<R extends Document = Document>(pipeline: Document[]): Promise<R[]> {
    return this.driver.aggregate<R>(pipeline).toArray();
  }

  async createIndex(spec: IndexSpec): Promise<void> {
    const { keys, ...options } = spec;
    await mapDuplicateKey(() => this.driver.createIndex(keys, options));
  }

  async watch(
    listener: (event: ChangeEvent<T>) => void,
    onError: (error: unknown) => void,
  ): Promise<ChangeFeed> {
    const feed = await MongoChangeFeed.open(this.driver, listener, onError);
    const { feeds } = this;
    feeds.add(feed);
    return {
      close: async () => {
        feeds.delete(feed);
        await feed.close();
      },
    };
  }
}

/** Our documents carry string ids; anything else means the app inserted through another path. */
function idOf(id: unknown): string | null {
  if (id === null || id === undefined) return null;
  if (typeof id !== 'string') throw new Error(`Expected a string _id, got ${typeof id}.`);
  return id;
}

/** Runs a driver call, turning MongoDB's duplicate-key error (code 11000) into the port's DuplicateKeyError. */
async function mapDuplicateKey<R>(call: () => Promise<R>): Promise<R> {
  try {
    return await call();
  } catch (error) {
    if (isDuplicateKey(error))
      throw new DuplicateKeyError(error instanceof Error ? error.message : undefined);
    throw error;
  }
}

function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 11000;
}
