import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EmbeddedDatabase } from '../../storage/embedded';
import { openDatabase } from '../../storage/index';
import { DuplicateKeyError, type Doc } from '../../storage/port';
import { describeDatabaseContract } from './databaseContract';
import { ManualClock } from './manualClock';

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

  it('when the store is closed, then it refuses further calls', async () => {
    const db = await EmbeddedDatabase.open({ location: { inMemory: true } });
    await db.close();
    await expect(db.ping()).rejects.toThrow(/closed/);
  });
});
