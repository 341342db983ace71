import {
  MongoClient,
  MongoServerError,
  type Collection as DriverCollection,
  type Db,
  type Document,
  type OptionalUnlessRequiredId,
} from 'mongodb';
import {
  DuplicateKeyError,
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
export const ratingsValidator: Document = {
  $jsonSchema: {
    bsonType: 'object',
    required: ['episodeId', 'conversationId', 'createdAt'],
    properties: {
      score: { bsonType: 'int', minimum: 1, maximum: 5 },
      episodeId: { bsonType: 'string' },
      conversationId: { bsonType: 'string' },
      createdAt: { bsonType: 'date' },
    },
  },
};

/** The production store: a thin pass-through to the official driver. */
export class MongoDatabase implements Database {
  readonly kind = 'mongodb';

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
  ) {}

  /** Connects (majority writes, retryable writes) and applies the collection validators. */
  static async connect(uri: string, dbName: string): Promise<MongoDatabase> {
    const client = new MongoClient(uri, { writeConcern: { w: 'majority' }, retryWrites: true });
    await client.connect();
    try {
      const database = new MongoDatabase(client, client.db(dbName));
      await database.applyValidator('ratings', ratingsValidator);
      return database;
    } catch (error) {
      await client.close();
      throw error;
    }
  }

  collection<T extends Doc>(name: CollectionName): Collection<T> {
    return new MongoCollection<T>(this.db.collection<T>(name));
  }

  async ping(): Promise<void> {
    await this.db.command({ ping: 1 });
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private async applyValidator(name: CollectionName, validator: Document): Promise<void> {
    const exists = (await this.db.listCollections({ name }, { nameOnly: true }).toArray()).length > 0;
    if (exists) {
      await this.db.command({
        collMod: name,
        validator,
        validationLevel: 'strict',
        validationAction: 'error',
      });
      return;
    }
    try {
      await this.db.createCollection(name, {
        validator,
        validationLevel: 'strict',
        validationAction: 'error',
      });
    } catch (error) {
      // Another instance created it first (NamespaceExists): it applies the same validator.
      if (!(error instanceof MongoServerError && error.code === 48)) throw error;
    }
  }
}

class MongoCollection<T extends Doc> implements Collection<T> {
  constructor(private readonly driver: DriverCollection<T>) {}

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
