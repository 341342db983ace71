import fsPromises, { copyFile, mkdtemp, readdir, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Datastore from '@seald-io/nedb';
import { EmbeddedDatabase } from '../../storage/embedded';
import { openDatabase } from '../../storage/index';
import { DuplicateKeyError, type Doc } from '../../storage/port';
import { describeDatabaseContract } from './databaseContract';
import { ManualClock } from './manualClock';

const ids = (docs: Doc[]): string[] => docs.map((doc) => doc._id);

const tempDirs: string[] = [];
const newTempDir = async (): Promise<string> => {
  const dir = await mkdtemp(path.join(tmpdir(), 'embedded-store-'));
  tempDirs.push(dir);
  return dir;
};

afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

const memoryClock = new ManualClock();
describeDatabaseContract(
  'embedded store in memory',
  () => EmbeddedDatabase.open({ location: { inMemory: true }, clock: memoryClock }),
  { clock: memoryClock },
);

const fileClock = new ManualClock();
describeDatabaseContract(
  'embedded store in a directory',
  async () => EmbeddedDatabase.open({ location: { dir: await newTempDir() }, clock: fileClock }),
  { clock: fileClock },
);

interface NoteDoc extends Doc {
  text: string;
  at: Date;
  tags: string[];
}

describe('embedded store files', () => {
  it('when the store is closed and reopened, then inserts, updates, deletes and indexes survive', async () => {
    const dir = await newTempDir();
    const first = await EmbeddedDatabase.open({ location: { dir } });
    const notes = first.collection<NoteDoc>('audit');
    await notes.insertOne({ _id: 'n1', text: 'one', at: new Date('2025-05-01T10:00:00Z'), tags: [] });
    await notes.insertOne({ _id: 'n2', text: 'two', at: new Date('2025-05-02T10:00:00Z'), tags: [] });
    await notes.insertOne({ _id: 'n3', text: 'three', at: new Date('2025-05-03T10:00:00Z'), tags: [] });
    await notes.updateOne({ _id: 'n1' }, { $push: { tags: 'kept' } });
    await notes.deleteOne({ _id: 'n2' });
    await first.close();

    const second = await EmbeddedDatabase.open({ location: { dir } });
    const reopened = second.collection<NoteDoc>('audit');
    expect(await reopened.find({}, { sort: { _id: 1 } })).toEqual([
      { _id: 'n1', text: 'one', at: new Date('2025-05-01T10:00:00Z'), tags: ['kept'] },
      { _id: 'n3', text: 'three', at: new Date('2025-05-03T10:00:00Z'), tags: [] },
    ]);
    await second.close();
    expect((await readdir(dir)).sort()).toContain('audit.db');
  });

  it('when documents are written, then the datafile is in nedb format, as a fresh nedb Datastore loads it', async () => {
    const dir = await newTempDir();
    const db = await EmbeddedDatabase.open({ location: { dir } });
    const notes = db.collection<NoteDoc>('audit');
    await notes.insertOne({ _id: 'n1', text: 'one', at: new Date('2025-05-01T10:00:00Z'), tags: [] });
    await Promise.all([
      notes.insertOne({ _id: 'n2', text: 'two', at: new Date('2025-05-02T10:00:00Z'), tags: ['a'] }),
      notes.updateOne({ _id: 'n1' }, { $push: { tags: 'kept' } }),
      notes.insertOne({ _id: 'n3', text: 'three', at: new Date('2025-05-03T10:00:00Z'), tags: [] }),
    ]);
    await notes.deleteOne({ _id: 'n3' });
    const expected = await notes.find({}, { sort: { _id: 1 } });
    const loadWithNedb = async (): Promise<unknown[]> => {
      // A copy: nedb compacts the file it loads, which must not happen under the open store.
      const copyDir = await newTempDir();
      await copyFile(path.join(dir, 'audit.db'), path.join(copyDir, 'audit.db'));
      const nedb = new Datastore<NoteDoc>({ filename: path.join(copyDir, 'audit.db') });
      await nedb.loadDatabaseAsync();
      return nedb.getAllData().sort((a, b) => a._id.localeCompare(b._id));
    };
    expect(await loadWithNedb()).toEqual(expected);
    await db.close();
    expect(await loadWithNedb()).toEqual(expected);
  });

  it('when a write is not in the datafile yet, then reads do not see it and later writes build on it', async () => {
    const db = await EmbeddedDatabase.open({ location: { dir: await newTempDir() } });
    const notes = db.collection<NoteDoc>('audit');
    const inserted = notes.insertOne({ _id: 'n1', text: 'one', at: new Date(), tags: [] });
    const updated = notes.updateOne({ _id: 'n1' }, { $push: { tags: 'next' } });
    expect(await notes.findOne({ _id: 'n1' })).toBeNull();
    await inserted;
    expect(await updated).toEqual({ matchedCount: 1, modifiedCount: 1, upsertedId: null });
    expect((await notes.findOne({ _id: 'n1' }))?.tags).toEqual(['next']);
    await db.close();
  });

  it('when an append fails, then its writes fail and leave no trace, and writes made meanwhile are made again', async () => {
    const dir = await newTempDir();
    const db = await EmbeddedDatabase.open({ location: { dir } });
    const surveys = db.collection<Doc & { episodeId: string }>('surveys');
    await surveys.createIndex({ keys: { episodeId: 1 }, unique: true });
    const failure = Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' });
    const failAppend = (): Promise<never> => Promise.reject(failure);
    // Appends go through FileHandle.appendFile, as do the writes of a datafile rewrite.
    const probe = await fsPromises.open(path.join(dir, 'probe'), 'w');
    const fileHandle: FileHandle = Object.getPrototypeOf(probe) as FileHandle;
    await probe.close();
    const append = jest.spyOn(fileHandle, 'appendFile');
    const passThrough = append.getMockImplementation();
    if (!passThrough) throw new Error('jest.spyOn calls the real method by default');
    append.mockImplementationOnce(failAppend);
    try {
      await expect(surveys.insertOne({ _id: 's0', episodeId: 'e0' })).rejects.toBe(failure);
      expect(await surveys.countDocuments()).toBe(0);

      // The datafile may now end in part of a line, so it is rewritten before the next append. Hold that
      // rewrite, fail the append after it, and meanwhile make a write that conflicts with the failing one.
      const realRename = fsPromises.rename;
      let renaming = (): void => undefined;
      const renameCalled = new Promise<void>((resolve) => (renaming = resolve));
      let releaseRename = (): void => undefined;
      const renameReleased = new Promise<void>((resolve) => (releaseRename = resolve));
      const rename = jest.spyOn(fsPromises, 'rename').mockImplementationOnce(async (from, to) => {
        renaming();
        await renameReleased;
        return realRename(from, to);
      });
      // The rewrite's own write first, then the append that fails.
      append.mockImplementationOnce(passThrough);
      append.mockImplementationOnce(failAppend);
      const failing = surveys.insertOne({ _id: 's1', episodeId: 'e1' });
      await renameCalled;
      const conflicting = surveys.insertOne({ _id: 's2', episodeId: 'e1' });
      releaseRename();
      await expect(failing).rejects.toBe(failure);
      await expect(conflicting).resolves.toBeUndefined();
      expect(rename).toHaveBeenCalledTimes(2);
      expect(ids(await surveys.find({}))).toEqual(['s2']);
      await expect(surveys.insertOne({ _id: 's3', episodeId: 'e1' })).rejects.toBeInstanceOf(
        DuplicateKeyError,
      );
      await surveys.insertOne({ _id: 's1', episodeId: 'e4' });
    } finally {
      jest.restoreAllMocks();
      await db.close();
    }

    const reopened = await EmbeddedDatabase.open({ location: { dir } });
    expect(await reopened.collection('surveys').find({}, { sort: { _id: 1 } })).toEqual([
      { _id: 's1', episodeId: 'e4' },
      { _id: 's2', episodeId: 'e1' },
    ]);
    await reopened.close();
  });

  it('when a datafile grows to four times its compacted size, then it is rewritten without waiting for the timer', async () => {
    const dir = await newTempDir();
    const db = await EmbeddedDatabase.open({ location: { dir }, compactionMinBytes: 4096 });
    const settings = db.collection<Doc & { n: number; pad: string }>('settings');
    for (let n = 0; n < 500; n++) {
      await settings.updateOne({ _id: 'one' }, { $set: { n, pad: 'x'.repeat(100) } }, { upsert: true });
    }
    // 500 versions of a ~130-byte document were appended (~65 kB); compaction keeps the file near its limit.
    expect((await fsPromises.stat(path.join(dir, 'settings.db'))).size).toBeLessThan(4096 + 1024);
    await db.close();
    const reopened = await EmbeddedDatabase.open({ location: { dir } });
    expect(await reopened.collection('settings').findOne({ _id: 'one' })).toMatchObject({ n: 499 });
    await reopened.close();
  });

  it('when the store opens through openDatabase, then the schema indexes are in force', async () => {
    const db = await openDatabase({ mongodbDb: 'unused', dataDir: await newTempDir() });
    try {
      expect(db.kind).toBe('embedded');
      const surveys = db.collection<Doc & { episodeId: string }>('surveys');
      await surveys.insertOne({ _id: 's1', episodeId: 'e1' });
      await expect(surveys.insertOne({ _id: 's2', episodeId: 'e1' })).rejects.toBeInstanceOf(
        DuplicateKeyError,
      );
    } finally {
      await db.close();
    }
  });

  it('when a field name starts with $ or contains a dot, then the write is refused and nothing is stored', async () => {
    const db = await EmbeddedDatabase.open({ location: { inMemory: true } });
    const settings = db.collection<Doc & { value: Record<string, number> }>('settings');
    await expect(settings.insertOne({ _id: 'x', value: { 'a.b': 1 } })).rejects.toThrow(/field name "a.b"/);
    await expect(settings.insertOne({ _id: 'y', value: { $bad: 1 } })).rejects.toThrow(/field name "\$bad"/);
    expect(await settings.countDocuments()).toBe(0);
    await db.close();
  });

  it('when an update brings a field name nedb cannot store inside an array or an object of a class, then it is refused and the datafile still loads', async () => {
    class Meta {
      constructor(readonly fields: Record<string, number>) {}
    }
    const dir = await newTempDir();
    const db = await EmbeddedDatabase.open({ location: { dir } });
    const settings = db.collection<Doc & { list?: unknown[]; meta?: unknown }>('settings');
    await settings.insertOne({ _id: 'a' });
    await expect(settings.updateOne({ _id: 'a' }, { $push: { list: [{ 'x.y': 1 }] } })).rejects.toThrow(
      /field name "x.y"/,
    );
    await expect(
      settings.updateOne({ _id: 'a' }, { $set: { meta: new Meta({ 'a.b': 1 }) } }),
    ).rejects.toThrow(/field name "a.b"/);
    await db.close();
    const reopened = await EmbeddedDatabase.open({ location: { dir } });
    expect(await reopened.collection('settings').find({})).toEqual([{ _id: 'a' }]);
    await reopened.close();
  });

  it('when one write of a batch holds a value JSON cannot store, then it fails alone', async () => {
    const db = await EmbeddedDatabase.open({ location: { dir: await newTempDir() } });
    const audit = db.collection<Doc & { v: unknown }>('audit');
    const results = await Promise.allSettled([
      audit.insertOne({ _id: 'i1', v: 1 }),
      audit.insertOne({ _id: 'big', v: 10n }),
      audit.insertOne({ _id: 'i2', v: 2 }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(ids(await audit.find({}, { sort: { _id: 1 } }))).toEqual(['i1', 'i2']);
    await db.close();
  });

  it('when an append fails after writing part of its lines, then those lines do not come back at the next start', async () => {
    const dir = await newTempDir();
    const db = await EmbeddedDatabase.open({ location: { dir } });
    const audit = db.collection<Doc & { n: number }>('audit');
    await audit.insertOne({ _id: 'kept', n: 0 });
    const probe = await fsPromises.open(path.join(dir, 'probe'), 'w');
    const fileHandle = Object.getPrototypeOf(probe) as FileHandle;
    await probe.close();
    const append = jest.spyOn(fileHandle, 'appendFile');
    const passThrough = append.getMockImplementation();
    if (!passThrough) throw new Error('jest.spyOn calls the real method by default');
    const failure = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    append.mockImplementationOnce(async function (this: FileHandle, data, options) {
      // The disk fills up after one whole line and part of the next.
      const text = String(data);
      await passThrough.call(this, text.slice(0, text.indexOf('\n') + 6), options);
      throw failure;
    });
    try {
      const writes = await Promise.allSettled([
        audit.insertOne({ _id: 'refused-1', n: 1 }),
        audit.insertOne({ _id: 'refused-2', n: 2 }),
      ]);
      expect(writes.map((w) => w.status)).toEqual(['rejected', 'rejected']);
    } finally {
      jest.restoreAllMocks();
    }
    // A crash now, before any other write: what does the datafile hold?
    const copyDir = await newTempDir();
    await copyFile(path.join(dir, 'audit.db'), path.join(copyDir, 'audit.db'));
    const afterCrash = await EmbeddedDatabase.open({ location: { dir: copyDir } });
    expect(ids(await afterCrash.collection('audit').find({}))).toEqual(['kept']);
    await afterCrash.close();
    await db.close();
  });

  it('when a filter names one _id twice in $in, then the document counts once', async () => {
    const db = await EmbeddedDatabase.open({ location: { inMemory: true } });
    const audit = db.collection<Doc & { n: number }>('audit');
    await audit.insertOne({ _id: 'k', n: 1 });
    expect(await audit.find({ _id: { $in: ['k', 'k'] } })).toHaveLength(1);
    expect(await audit.countDocuments({ _id: { $in: ['k', 'k'] } })).toBe(1);
    expect((await audit.updateMany({ _id: { $in: ['k', 'k'] } }, { $inc: { n: 1 } })).modifiedCount).toBe(1);
    await db.close();
  });

  it('when close is called twice at once, then both wait for the same close', async () => {
    const dir = await newTempDir();
    const db = await EmbeddedDatabase.open({ location: { dir } });
    const write = db.collection<Doc & { n: number }>('audit').insertOne({ _id: 'last', n: 1 });
    await Promise.all([db.close(), db.close()]);
    await write;
    const reopened = await EmbeddedDatabase.open({ location: { dir } });
    expect(await reopened.collection('audit').countDocuments()).toBe(1);
    await reopened.close();
  });

  it('when the store is closed, then it refuses further calls', async () => {
    const db = await EmbeddedDatabase.open({ location: { inMemory: true } });
    const audit = db.collection<Doc & { n: number }>('audit');
    await db.close();
    await expect(db.ping()).rejects.toThrow(/closed/);
    // Refusals are rejections, never synchronous throws, whatever the call.
    await expect(audit.insertOne({ _id: 'late', n: 1 })).rejects.toThrow(/closed/);
    await expect(audit.updateOne({ _id: 'late' }, { $set: { n: 2 } })).rejects.toThrow(/closed/);
    await expect(audit.findOne({ _id: 'late' })).rejects.toThrow(/closed/);
    await expect(audit.countDocuments()).rejects.toThrow(/closed/);
  });
});
