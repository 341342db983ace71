import { randomUUID } from 'node:crypto';
import type { Document, OptionalUnlessRequiredId } from 'mongodb';
import type {
  ChangeEvent,
  ChangeFeed,
  Collection,
  Doc,
  Filter,
  FindOneAndUpdateOptions,
  FindOptions,
  IndexSpec,
  UpdateFilter,
  UpdateResult,
  WithId,
} from '../port';
import type { Change } from './journal';
import { equalityFields, updated } from './semantics';
import { project, type Store } from './store';
import { assertStorable, copy, typed, type Stored } from './values';

/** The typed view of a store that the port hands out. */
export class EmbeddedCollection<T extends Doc> implements Collection<T> {
  constructor(
    private readonly store: Store,
    private readonly assertOpen: () => void,
  ) {}

  get name(): string {
    return this.store.name;
  }

  async insertOne(doc: OptionalUnlessRequiredId<T>): Promise<void> {
    this.assertOpen();
    const input: Document = doc;
    return this.store.write((changes) => {
      const id: unknown = input._id ?? randomUUID();
      if (typeof id !== 'string') throw new Error('Documents have a string _id.');
      const next = copy({ ...input, _id: id });
      assertStorable(next);
      this.store.reserve(undefined, next);
      changes.push({ id: next._id, next });
    });
  }

  findOne(filter: Filter<T>, options: FindOptions = {}): Promise<WithId<T> | null> {
    return new Promise((resolve) => {
      this.assertOpen();
      const [first] = this.store.find(filter, { ...options, limit: 1 });
      resolve(first ? typed<T>(first) : null);
    });
  }

  async find(filter: Filter<T>, options?: FindOptions): Promise<WithId<T>[]> {
    this.assertOpen();
    return Promise.resolve(this.store.find(filter, options).map((doc) => typed<T>(doc)));
  }

  async updateOne(
    filter: Filter<T>,
    update: UpdateFilter<T>,
    options: { upsert?: boolean } = {},
  ): Promise<UpdateResult> {
    this.assertOpen();
    return this.store.write((changes) => {
      const [target] = this.store.select(filter, 1, this.store.latest);
      if (target) {
        const modified = this.modify(target, filter, update, changes);
        return { matchedCount: 1, modifiedCount: modified ? 1 : 0, upsertedId: null };
      }
      if (!options.upsert) return { matchedCount: 0, modifiedCount: 0, upsertedId: null };
      const inserted = this.upsert(filter, update, changes);
      return { matchedCount: 0, modifiedCount: 0, upsertedId: inserted._id };
    });
  }

  async updateMany(filter: Filter<T>, update: UpdateFilter<T>): Promise<UpdateResult> {
    this.assertOpen();
    return this.store.write((changes) => {
      const targets = this.store.select(filter, Infinity, this.store.latest);
      for (const target of targets) this.modify(target, filter, update, changes);
      return { matchedCount: targets.length, modifiedCount: changes.length, upsertedId: null };
    });
  }

  async findOneAndUpdate(
    filter: Filter<T>,
    update: UpdateFilter<T>,
    options: FindOneAndUpdateOptions = {},
  ): Promise<WithId<T> | null> {
    this.assertOpen();
    const returnAfter = options.returnDocument === 'after';
    return this.store.write((changes) => {
      const [found] = this.store.matching(
        filter,
        options.sort === undefined ? { limit: 1 } : { sort: options.sort, limit: 1 },
        this.store.latest,
      );
      const target = found && this.store.latest.get(found._id);
      const returned = (doc: Stored): WithId<T> =>
        typed<T>(copy(options.projection ? project(doc, options.projection) : doc));
      if (target) {
        const modified = this.modify(target, filter, update, changes);
        return returned(returnAfter ? (modified ?? target) : target);
      }
      if (!options.upsert) return null;
      const inserted = this.upsert(filter, update, changes);
      return returnAfter ? returned(inserted) : null;
    });
  }

  deleteOne(filter: Filter<T>): Promise<{ deletedCount: number }> {
    return this.delete(filter, 1);
  }

  deleteMany(filter: Filter<T>): Promise<{ deletedCount: number }> {
    return this.delete(filter, Infinity);
  }

  async countDocuments(filter: Filter<T> = {}): Promise<number> {
    this.assertOpen();
    return Promise.resolve(this.store.count(filter));
  }

  async aggregate<R extends Document = Document>(pipeline: Document[]): Promise<R[]> {
    this.assertOpen();
    // Aggregation results have no declared shape in either store: R is the caller's statement of it.
    return Promise.resolve(this.store.aggregate(pipeline) as R[]);
  }

  async createIndex(spec: IndexSpec): Promise<void> {
    this.assertOpen();
    return this.store.write(() => this.store.createIndex(spec));
  }

  async watch(
    listener: (event: ChangeEvent<T>) => void,
    onError: (error: unknown) => void,
  ): Promise<ChangeFeed> {
    this.assertOpen();
    const unsubscribe = this.store.watch({
      deliver: (operationType, id, next) =>
        listener({
          operationType,
          documentKey: { _id: id },
          ...(next ? { fullDocument: typed<T>(copy(next)) } : {}),
        }),
      onError,
    });
    return Promise.resolve({
      close: () => {
        unsubscribe();
        return Promise.resolve();
      },
    });
  }

  /** Applies the update to a stored document; returns the new version, or null when nothing changed. */
  private modify(target: Stored, filter: Document, update: Document, changes: Change[]): Stored | null {
    const next = updated(target, filter, update, false);
    if (!next) return null;
    this.store.reserve(target, next);
    changes.push({ id: next._id, next });
    return next;
  }

  /** Inserts the document an upsert creates: the filter's equality fields, then the update with $setOnInsert. */
  private upsert(filter: Document, update: Document, changes: Change[]): Stored {
    const seed = equalityFields(filter);
    const doc = updated(seed, filter, update, true) ?? seed;
    const id: unknown = doc._id;
    if (typeof id !== 'string') throw new Error('Documents have a string _id.');
    if (id === '') doc._id = randomUUID();
    assertStorable(doc);
    this.store.reserve(undefined, doc);
    changes.push({ id: doc._id, next: doc });
    return doc;
  }

  private async delete(filter: Filter<T>, limit: number): Promise<{ deletedCount: number }> {
    this.assertOpen();
    return this.store.write((changes) => {
      for (const doc of this.store.select(filter, limit, this.store.latest)) {
        changes.push({ id: doc._id, next: null });
      }
      return { deletedCount: changes.length };
    });
  }
}
