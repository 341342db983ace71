import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import { DuplicateKeyError, type Collection, type Database, type Doc } from './port';

/** One bot state item: the key is the `_id`; the state is JSON text, so its field names may hold `$` and `.`. */
export interface BotStateDoc extends Doc {
  state: string;
  eTag: string;
}

/**
 * botbuilder's `Storage` over the `botState` collection, with optimistic concurrency. A write without an
 * eTag (or with `*`) overwrites; a write with the eTag last read replaces the item and assigns a new eTag;
 * a write with any other eTag is rejected with an error, never dropped. Like MemoryStorage, an eTag on an
 * item that no longer exists creates it.
 */
export class DatabaseStorage implements Storage {
  private readonly items: Collection<BotStateDoc>;

  constructor(db: Database) {
    this.items = db.collection<BotStateDoc>('botState');
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (keys.length === 0) return {};
    const docs = await this.items.find({ _id: { $in: keys } });
    const items: StoreItems = {};
    for (const doc of docs) {
      const state: unknown = JSON.parse(doc.state);
      items[doc._id] = { ...(typeof state === 'object' && state !== null ? state : {}), eTag: doc.eTag };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    await Promise.all(
      Object.entries(changes).map(([key, item]: [string, unknown]) => this.writeItem(key, item)),
    );
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length > 0) await this.items.deleteMany({ _id: { $in: keys } });
  }

  private async writeItem(key: string, item: unknown): Promise<void> {
    const record: Record<string, unknown> = typeof item === 'object' && item !== null ? { ...item } : {};
    const { eTag, ...rest } = record;
    const fields = { state: JSON.stringify(rest), eTag: randomUUID() };
    if (typeof eTag !== 'string' || eTag === '' || eTag === '*') {
      await this.items.updateOne({ _id: key }, { $set: fields }, { upsert: true });
      return;
    }
    const { matchedCount } = await this.items.updateOne({ _id: key, eTag }, { $set: fields });
    if (matchedCount === 1) return;
    try {
      await this.items.insertOne({ _id: key, ...fields });
    } catch (error) {
      // It exists with another eTag, or another writer created it since: either way this write is stale.
      if (error instanceof DuplicateKeyError) throw conflict(key);
      throw error;
    }
  }
}

function conflict(key: string): Error {
  return new Error(`Storage: error writing "${key}" due to eTag conflict: it was changed since it was read.`);
}
