import {
  ConversationState,
  TestAdapter,
  TurnContext,
  UserState,
  type Activity,
  type Storage,
  type StoreItems,
} from 'botbuilder';
import { systemClock } from '../../core/clock';
import {
  DatabaseStorage,
  JsonBotState,
  StateConflictError,
  type BotStateDoc,
} from '../../storage/botStateStore';
import { EmbeddedDatabase } from '../../storage/embedded';
import { EmbeddedCollection } from '../../storage/embedded/collection';
import type { Database } from '../../storage/port';
import { ensureIndexes } from '../../storage/schema';
import { ManualClock } from './manualClock';
import { describeWithMongo, openTestMongo } from './testMongo';

/** The conformance suite of botbuilder's storage tests, for DatabaseStorage over one Database. */
function describeStorageConformance(name: string, open: () => Promise<Database>): void {
  describe(`${name}: bot state storage`, () => {
    let db: Database;
    let storage: Storage;

    beforeEach(async () => {
      db = await open();
      storage = new DatabaseStorage(db, { clock: systemClock, days: 90 });
    });

    afterEach(async () => {
      await db.close();
    });

    const itemOf = (items: StoreItems, key: string): Record<string, unknown> => {
      const item: unknown = items[key];
      if (typeof item !== 'object' || item === null) throw new Error(`${key} was not read`);
      return { ...item };
    };
    const eTagOf = (items: StoreItems, key: string): unknown => itemOf(items, key).eTag;

    it('when an unknown key is read, then nothing comes back', async () => {
      expect(await storage.read(['unknown'])).toEqual({});
    });

    it('when objects are created, then they read back with an eTag', async () => {
      await storage.write({ create1: { id: 1 }, create2: { id: 2, nested: { list: [1, 2] } } });
      const items = await storage.read(['create1', 'create2']);
      expect(items.create1).toMatchObject({ id: 1 });
      expect(items.create2).toMatchObject({ id: 2, nested: { list: [1, 2] } });
      expect(eTagOf(items, 'create1')).not.toBe(eTagOf(items, 'create2'));
    });

    it('when keys and state fields hold $, dots, slashes and spaces, then they round-trip', async () => {
      const key = 'msteams/conversations/a:1$b.c d/users/$x.y';
      const state = { 'dotted.key': 1, $dollar: { 'a.b': [{ $c: true }] } };
      await storage.write({ [key]: state });
      expect((await storage.read([key]))[key]).toMatchObject(state);
    });

    it('when a stored state is not JSON (damaged outside the bot), then it reads as empty and a write replaces it', async () => {
      await db
        .collection<BotStateDoc>('botState')
        .insertOne({ _id: 'damaged', state: '{"dialogState":', eTag: 'e1', expiresAt: new Date() });
      const items = await storage.read(['damaged']);
      expect(items.damaged).toEqual({ eTag: 'e1' });
      await storage.write({ damaged: { ...itemOf(items, 'damaged'), fresh: true } });
      expect((await storage.read(['damaged'])).damaged).toMatchObject({ fresh: true });
    });

    it('when an object is updated with the eTag it was read with, then the update lands with a new eTag', async () => {
      await storage.write({ item: { count: 1 } });
      const first = await storage.read(['item']);
      await storage.write({ item: { ...itemOf(first, 'item'), count: 2 } });
      const second = await storage.read(['item']);
      expect(second.item).toMatchObject({ count: 2 });
      expect(eTagOf(second, 'item')).not.toBe(eTagOf(first, 'item'));
    });

    it('when an update carries a stale eTag, then it is rejected and the stored object is kept', async () => {
      await storage.write({ item: { count: 1 } });
      const stale = await storage.read(['item']);
      await storage.write({ item: { ...itemOf(stale, 'item'), count: 2 } });
      await expect(storage.write({ item: { ...itemOf(stale, 'item'), count: 3 } })).rejects.toThrow(
        StateConflictError,
      );
      expect((await storage.read(['item'])).item).toMatchObject({ count: 2 });
    });

    it('when an object is written, then it carries the new eTag and writing it again lands', async () => {
      await storage.write({ item: { count: 1 } });
      const item = itemOf(await storage.read(['item']), 'item');
      await storage.write({ item });
      expect(item.eTag).toBe(eTagOf(await storage.read(['item']), 'item'));
      item.count = 2;
      await storage.write({ item });
      expect((await storage.read(['item'])).item).toMatchObject({ count: 2 });
    });

    it('when an update carries the * eTag, then it overwrites whatever is stored', async () => {
      await storage.write({ item: { count: 1 } });
      await storage.write({ item: { count: 2 } });
      await storage.write({ item: { count: 3, eTag: '*' } });
      expect((await storage.read(['item'])).item).toMatchObject({ count: 3 });
    });

    it('when a batch is written, read and deleted, then every key is handled', async () => {
      await storage.write({ a: { v: 'a' }, b: { v: 'b' }, c: { v: 'c' } });
      expect(Object.keys(await storage.read(['a', 'b', 'c', 'd'])).sort()).toEqual(['a', 'b', 'c']);
      await storage.delete(['a', 'c']);
      expect(Object.keys(await storage.read(['a', 'b', 'c']))).toEqual(['b']);
    });

    it('when an unknown key is deleted, then nothing fails', async () => {
      await expect(storage.delete(['never-written'])).resolves.toBeUndefined();
    });

    it('when two writers use the same eTag at once, then exactly one wins', async () => {
      await storage.write({ item: { count: 0 } });
      const read = await storage.read(['item']);
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          storage.write({ item: { ...itemOf(read, 'item'), count: i + 1 } }),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'rejected')).toHaveLength(9);
    });

    it('when two writers create a key with the same made-up eTag at once, then exactly one wins', async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, (_, i) => storage.write({ fresh: { n: i, eTag: 'from-elsewhere' } })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    });
  });
}

describeStorageConformance('embedded store', () => EmbeddedDatabase.open({ location: { inMemory: true } }));

describeWithMongo('MongoDB', () => {
  describeStorageConformance('MongoDB', openTestMongo);
});

describe('JsonBotState: bot state with JSON change detection', () => {
  let db: Database;
  let storage: DatabaseStorage;
  let writes: string[];

  const activity: Partial<Activity> = {
    type: 'message',
    channelId: 'msteams',
    conversation: { id: 'a:1$b.c', isGroup: false, conversationType: 'personal', name: '' },
    from: { id: 'user-1', name: '' },
    recipient: { id: 'bot', name: '' },
  };
  const turn = (): TurnContext => new TurnContext(new TestAdapter(), activity);

  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock();
    db = await EmbeddedDatabase.open({ location: { inMemory: true }, clock });
    await ensureIndexes(db);
    storage = new DatabaseStorage(db, { clock, days: 90 });
    writes = [];
    const write = storage.writeText.bind(storage);
    storage.writeText = (key, json, eTag) => {
      writes.push(key);
      return write(key, json, eTag);
    };
  });

  afterEach(async () => {
    await db.close();
  });

  it('when it keys state, then the keys are those of botbuilder ConversationState and UserState', async () => {
    const context = turn();
    const [conversation, user] = [JsonBotState.conversation(storage), JsonBotState.user(storage)];
    await conversation.createProperty('n').set(context, 1);
    await user.createProperty('n').set(context, 2);
    await conversation.saveChanges(context);
    await user.saveChanges(context);
    expect(await new ConversationState(storage).createProperty('n').get(turn())).toBe(1);
    expect(await new UserState(storage).createProperty('n').get(turn())).toBe(2);
  });

  it('when a turn changes a property, then it is saved once and the next turn reads it', async () => {
    const state = JsonBotState.conversation(storage);
    const first = turn();
    await state.createProperty<{ step: number }>('dialog').set(first, { step: 1 });
    await state.saveChanges(first);
    await state.saveChanges(first);
    expect(writes).toHaveLength(1);
    expect(await state.createProperty('dialog').get(turn())).toEqual({ step: 1 });
  });

  it('when a turn reads state and changes nothing, then nothing is written', async () => {
    const state = JsonBotState.conversation(storage);
    const first = turn();
    await state.createProperty('dialog').set(first, { step: 1 });
    await state.saveChanges(first);
    const second = turn();
    const dialog = state.createProperty<{ step: number }>('dialog');
    expect(await dialog.get(second)).toEqual({ step: 1 });
    await dialog.set(second, { step: 1 });
    await state.saveChanges(second);
    expect(writes).toHaveLength(1);
  });

  it('when a nested value is changed in place, then the change is saved', async () => {
    const state = JsonBotState.conversation(storage);
    const first = turn();
    await state.createProperty('dialog').set(first, { stack: [{ id: 'a' }] });
    await state.saveChanges(first);
    const second = turn();
    const dialog = await state.createProperty<{ stack: { id: string }[] }>('dialog').get(second);
    dialog?.stack.push({ id: 'b' });
    await state.saveChanges(second);
    expect(await state.createProperty('dialog').get(turn())).toEqual({ stack: [{ id: 'a' }, { id: 'b' }] });
  });

  it('when state is cleared or deleted, then the next turn starts empty', async () => {
    const state = JsonBotState.conversation(storage);
    const property = state.createProperty<number>('n');
    const first = turn();
    await property.set(first, 1);
    await state.saveChanges(first);
    const second = turn();
    await state.load(second);
    await state.clear(second);
    await state.saveChanges(second);
    expect(await property.get(turn())).toBeUndefined();
    const third = turn();
    await property.set(third, 3);
    await state.saveChanges(third);
    await state.delete(turn());
    expect(await storage.read(['msteams/conversations/a:1$b.c/'])).toEqual({});
  });

  it('when the state of a conversation is not written for the retention period, then it is deleted', async () => {
    const state = JsonBotState.conversation(storage);
    const property = state.createProperty<number>('n');
    const first = turn();
    await property.set(first, 1);
    await state.saveChanges(first);
    clock.advance(89 * 86_400_000);
    expect(await property.get(turn())).toBe(1);
    clock.advance(2 * 86_400_000);
    expect(await property.get(turn())).toBeUndefined();
  });

  it('when two turns read the same state and both change it, then the second save fails and the first one is kept', async () => {
    const state = JsonBotState.conversation(storage);
    const step = state.createProperty<string>('step');
    const [first, second] = [turn(), turn()];
    expect(await step.get(first)).toBeUndefined();
    expect(await step.get(second)).toBeUndefined();
    await step.set(first, 'rating');
    await step.set(second, 'comment');
    await state.saveChanges(first);
    await expect(state.saveChanges(second)).rejects.toThrow(StateConflictError);
    expect(await step.get(turn())).toBe('rating');
    // Read again (what a re-run does), the change lands on the newer state.
    state.forget(second);
    expect(await step.get(second)).toBe('rating');
    await step.set(second, 'comment');
    await state.saveChanges(second);
    await step.set(second, 'done');
    await state.saveChanges(second);
    expect(await step.get(turn())).toBe('done');
  });

  it("when a turn loads its conversation's and its user's state together, then one query reads both", async () => {
    const [conversation, user] = [JsonBotState.conversation(storage), JsonBotState.user(storage)];
    const first = turn();
    await conversation.createProperty('n').set(first, 1);
    await user.createProperty('n').set(first, 2);
    await Promise.all([conversation.saveChanges(first), user.saveChanges(first)]);
    const find = jest.spyOn(EmbeddedCollection.prototype, 'find');
    try {
      const second = turn();
      await Promise.all([conversation.load(second), user.load(second)]);
      expect(find).toHaveBeenCalledTimes(1);
      expect(await conversation.createProperty('n').get(second)).toBe(1);
      expect(await user.createProperty('n').get(second)).toBe(2);
    } finally {
      find.mockRestore();
    }
  });

  it('when a state read as absent is saved, then one insert creates it', async () => {
    const state = JsonBotState.conversation(storage);
    const context = turn();
    await state.createProperty('n').set(context, 1);
    const updates = jest.spyOn(EmbeddedCollection.prototype, 'updateOne');
    const inserts = jest.spyOn(EmbeddedCollection.prototype, 'insertOne');
    try {
      await state.saveChanges(context);
      expect(updates).not.toHaveBeenCalled();
      expect(inserts).toHaveBeenCalledTimes(1);
    } finally {
      updates.mockRestore();
      inserts.mockRestore();
    }
    expect(await state.createProperty('n').get(turn())).toBe(1);
  });

  it('when a turn has no conversation, then keying it fails with a clear error', async () => {
    const context = new TurnContext(new TestAdapter(), { ...activity, conversation: undefined });
    await expect(JsonBotState.conversation(storage).load(context)).rejects.toThrow(
      /channel and conversation/,
    );
  });
});
