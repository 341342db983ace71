import { randomUUID } from 'node:crypto';
import {
  BotState,
  type StatePropertyAccessor,
  type Storage,
  type StoreItems,
  type TurnContext,
} from 'botbuilder';
import { daysAfter, type Clock } from '../core/clock';
import { isRecord } from '../core/guards';
import { DuplicateKeyError, type Collection, type Database, type Doc } from './port';

/** One bot state item: the key is the `_id`; the state is JSON text, so its field names may hold `$` and `.`. */
export interface BotStateDoc extends Doc {
  state: string;
  eTag: string;
  /** TTL: an item not written for the retention period is deleted (a conversation's state after its end). */
  expiresAt: Date;
}

export interface StateRetention {
  clock: Clock;
  /** Days an item is kept after its last write (TRANSCRIPT_RETENTION_DAYS: the state holds what was said). */
  days: number;
}

/**
 * botbuilder's `Storage` over the `botState` collection, with optimistic concurrency. A write without an
 * eTag (or with `*`) overwrites; a write with the eTag last read replaces the item and assigns a new eTag;
 * a write with any other eTag is rejected with StateConflictError, never dropped. Like MemoryStorage, an eTag
 * on an item that no longer exists creates it; the eTag of an item read as absent (ABSENT) only creates it. Every write sets when the item expires, and sets the eTag of the
 * item object it was given to the new one (so a second write of the same object needs no read).
 */
export class DatabaseStorage implements Storage {
  private readonly items: Collection<BotStateDoc>;
  /** The read being gathered in this tick (see `find`). */
  private batch: { wanted: Set<string>; docs: Promise<Map<string, BotStateDoc>> } | undefined;

  constructor(
    db: Database,
    private readonly retention: StateRetention,
  ) {
    this.items = db.collection<BotStateDoc>('botState');
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (keys.length === 0) return {};
    const docs = await this.find(keys);
    const items: StoreItems = {};
    for (const key of keys) {
      const doc = docs.get(key);
      if (doc) items[key] = { ...stateOf(doc.state), eTag: doc.eTag };
    }
    return items;
  }

  /** One item as stored: its state's JSON text (without the eTag) and its eTag; undefined when absent. */
  async readText(key: string): Promise<{ json: string; eTag: string } | undefined> {
    const doc = (await this.find([key])).get(key);
    return doc && { json: doc.state, eTag: doc.eTag };
  }

  /**
   * The stored items of `keys`. Reads asked for in the same tick share one query: a turn reads its conversation's
   * and its user's state together, in one round trip.
   */
  private find(keys: string[]): Promise<Map<string, BotStateDoc>> {
    let batch = this.batch;
    if (!batch) {
      const wanted = new Set<string>();
      const docs = new Promise<void>((resolve) => queueMicrotask(resolve)).then(async () => {
        this.batch = undefined;
        const found = await this.items.find({ _id: { $in: [...wanted] } });
        return new Map(found.map((doc) => [doc._id, doc]));
      });
      batch = { wanted, docs };
      this.batch = batch;
    }
    for (const key of keys) batch.wanted.add(key);
    return batch.docs;
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
    const written = await this.writeText(key, JSON.stringify(rest), eTag);
    if (isRecord(item)) item.eTag = written;
  }

  /** Writes an item's state as JSON text, with the eTag it was read with (see the class); returns the new eTag. */
  async writeText(key: string, json: string, eTag: unknown): Promise<string> {
    const fields = {
      state: json,
      eTag: randomUUID(),
      expiresAt: daysAfter(this.retention.clock.now(), this.retention.days),
    };
    await this.writeFields(key, eTag, fields);
    return fields.eTag;
  }

  private async writeFields(key: string, eTag: unknown, fields: Omit<BotStateDoc, '_id'>): Promise<void> {
    if (typeof eTag !== 'string' || eTag === '' || eTag === '*') {
      await this.items.updateOne({ _id: key }, { $set: fields }, { upsert: true });
      return;
    }
    if (eTag !== ABSENT) {
      const { matchedCount } = await this.items.updateOne({ _id: key, eTag }, { $set: fields });
      if (matchedCount === 1) return;
    }
    try {
      await this.items.insertOne({ _id: key, ...fields });
    } catch (error) {
      // It exists with another eTag, or another writer created it since: either way this write is stale.
      if (error instanceof DuplicateKeyError) throw new StateConflictError(key);
      throw error;
    }
  }
}

/**
 * A stored state as an object. Text that is not a JSON object (damaged outside the bot) reads as an empty state,
 * which the turn's save then replaces: a conversation is never stuck on a state it cannot read, and nothing is
 * deleted to get there.
 */
function stateOf(text: string): object {
  try {
    const state: unknown = JSON.parse(text);
    return typeof state === 'object' && state !== null ? state : {};
  } catch {
    return {};
  }
}

/** A state write refused because the item changed since it was read (another turn of it wrote first). */
export class StateConflictError extends Error {
  constructor(readonly key: string) {
    super(`Storage: error writing "${key}" due to eTag conflict: it was changed since it was read.`);
    this.name = 'StateConflictError';
  }
}

/** A state item as read and written: free-form fields plus the storage's eTag. */
type StateItem = Record<string, unknown>;

interface CachedState {
  state: StateItem;
  /** The state's JSON text (without eTag) as last read or written. */
  json: string;
}

/** The eTag a state read as absent is written with: it matches no stored item, so the write only creates. */
const ABSENT = 'absent';

/** The JSON text of an empty state. */
const EMPTY_JSON = '{}';

/**
 * botbuilder's BotState with cheaper change detection: the state's JSON text as read is compared with its text
 * at save, where botbuilder hashes it with SHA-256 over a replacer-based stringify three times per state and
 * turn (about 5% of a customer turn's CPU). JSON is also what DatabaseStorage stores, so "changed" means
 * exactly "stores differently". A save writes with the eTag the state was read with (a state read as absent
 * may only be created), so a save over a state another instance changed since fails with StateConflictError
 * instead of overwriting it; the next save of the same turn uses the eTag of its own last write.
 */
export class JsonBotState extends BotState {
  private readonly cacheKey = Symbol('JsonBotState');

  constructor(
    private readonly items: DatabaseStorage,
    private readonly keyOf: (context: TurnContext) => string,
  ) {
    super(items, (context) => Promise.resolve(keyOf(context)));
  }

  /** The state of the whole conversation, keyed as botbuilder's ConversationState keys it. */
  static conversation(storage: DatabaseStorage): JsonBotState {
    return new JsonBotState(storage, ({ activity }) => {
      const { channelId, conversation } = activity;
      if (!channelId || !conversation?.id)
        throw new Error('Conversation state needs a channel and conversation.');
      return `${channelId}/conversations/${conversation.id}/`;
    });
  }

  /** The state of one user across conversations, keyed as botbuilder's UserState keys it. */
  static user(storage: DatabaseStorage): JsonBotState {
    return new JsonBotState(storage, ({ activity }) => {
      const { channelId, from } = activity;
      if (!channelId || !from?.id) throw new Error('User state needs a channel and user.');
      return `${channelId}/users/${from.id}/`;
    });
  }

  override async load(context: TurnContext, force = false): Promise<StateItem> {
    const cached = this.cached(context);
    if (cached && !force) return cached.state;
    const stored = await this.items.readText(this.keyOf(context));
    // The text as stored is the state's JSON (a damaged text then differs from any state, and a save replaces it).
    const loaded: CachedState = stored
      ? { state: { ...stateOf(stored.json), eTag: stored.eTag }, json: stored.json }
      : { state: { eTag: ABSENT }, json: EMPTY_JSON };
    context.turnState.set(this.cacheKey, loaded);
    return loaded.state;
  }

  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    const cached = this.cached(context) ?? (force ? { state: {}, json: '' } : undefined);
    if (!cached) return;
    const json = jsonOf(cached.state);
    if (!force && json === cached.json) return;
    // A later save in the same turn writes with the eTag of this one.
    cached.state.eTag = await this.items.writeText(this.keyOf(context), json, cached.state.eTag);
    cached.json = json;
    context.turnState.set(this.cacheKey, cached);
  }

  /** Empties the state; the save that follows is still checked against the eTag it was read with. */
  override clear(context: TurnContext): Promise<void> {
    const eTag = this.cached(context)?.state.eTag;
    const state: StateItem = eTag === undefined ? {} : { eTag };
    context.turnState.set(this.cacheKey, { state, json: '' } satisfies CachedState);
    return Promise.resolve();
  }

  /** Deletes the stored state; the turn goes on with an empty one, which a save creates anew. */
  override async delete(context: TurnContext): Promise<void> {
    context.turnState.delete(this.cacheKey);
    await this.items.delete([this.keyOf(context)]);
  }

  override get(context: TurnContext): StateItem | undefined {
    return this.cached(context)?.state;
  }

  override createProperty<T>(name: string): StatePropertyAccessor<T> {
    return new JsonStateProperty<T>(this, name);
  }

  /** Forgets what this turn read, so that the next load reads the stored state again (a turn re-run). */
  forget(context: TurnContext): void {
    context.turnState.delete(this.cacheKey);
  }

  private cached(context: TurnContext): CachedState | undefined {
    return context.turnState.get<CachedState | undefined>(this.cacheKey);
  }
}

/** The state's JSON without its eTag (left out by a rest copy: `delete` would make the copy a slow dictionary). */
function jsonOf(state: StateItem): string {
  const { eTag, ...fields } = state;
  return JSON.stringify(fields);
}

/**
 * A property of a JsonBotState, read and written as botbuilder's BotStatePropertyAccessor does (a default value
 * is stored as a copy), without loading the state again once the turn has it: a turn reads its properties
 * dozens of times.
 */
class JsonStateProperty<T> implements StatePropertyAccessor<T> {
  constructor(
    private readonly state: JsonBotState,
    readonly name: string,
  ) {}

  async delete(context: TurnContext): Promise<void> {
    const fields = await this.fields(context);
    delete fields[this.name];
  }

  get(context: TurnContext): Promise<T | undefined>;
  get(context: TurnContext, defaultValue: T): Promise<T>;
  async get(context: TurnContext, defaultValue?: T): Promise<T | undefined> {
    const fields = await this.fields(context);
    if (!Object.hasOwn(fields, this.name) && defaultValue !== undefined) {
      // A copy as JSON, as state is stored (and as botbuilder copies it).
      fields[this.name] =
        typeof defaultValue === 'object' ? (JSON.parse(JSON.stringify(defaultValue)) as T) : defaultValue;
    }
    return fields[this.name] as T | undefined;
  }

  async set(context: TurnContext, value: T): Promise<void> {
    const fields = await this.fields(context);
    fields[this.name] = value;
  }

  private fields(context: TurnContext): StateItem | Promise<StateItem> {
    return this.state.get(context) ?? this.state.load(context);
  }
}
