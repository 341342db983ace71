import { spawn } from 'node:child_process';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fromRoot } from '../../core/paths';
import { EmbeddedDatabase } from '../../storage/embedded';
import type { Doc } from '../../storage/port';

/** Runs tests/fixtures/journalWriter.ts on `dir` until it has acknowledged `writes` writes, then kills it. */
function writeThenCrash(dir: string, writes: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fromRoot('tests/fixtures/journalWriter.ts'), dir],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const acknowledged: string[] = [];
    let pending = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      acknowledged.push(...lines);
      if (acknowledged.length >= writes) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', () => resolve(acknowledged));
  });
}

describe('the embedded store on disk, when its process is killed', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'journal-crash-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('when the process is killed mid-stream, then every acknowledged write is there after a restart', async () => {
    const acknowledged = await writeThenCrash(dir, 800);
    expect(acknowledged.length).toBeGreaterThanOrEqual(800);
    const db = await EmbeddedDatabase.open({ location: { dir } });
    try {
      const inserted = acknowledged.filter((l) => l.startsWith('insert ')).map((l) => l.slice(7));
      const stored = new Set((await db.collection('audit').find({})).map((d) => d._id));
      expect(inserted.filter((id) => !stored.has(id))).toEqual([]);
      const counters = acknowledged.filter((l) => l.startsWith('counter ')).map((l) => Number(l.slice(8)));
      const counter = await db.collection<Doc & { count: number }>('settings').findOne({ _id: 'counter' });
      expect(counter?.count).toBeGreaterThanOrEqual(Math.max(...counters));
    } finally {
      await db.close();
    }
  });

  it('when the last line of a datafile was cut off by the crash, then the store opens without it', async () => {
    const datafile = path.join(dir, 'settings.db');
    await appendFile(datafile, '{"_id":"a","v":1}\n{"_id":"b","v":2}\n{"_id":"c","v":3}\n{"_id":"a","v":');
    const db = await EmbeddedDatabase.open({ location: { dir } });
    try {
      expect(await db.collection('settings').find({}, { sort: { _id: 1 } })).toEqual([
        { _id: 'a', v: 1 },
        { _id: 'b', v: 2 },
        { _id: 'c', v: 3 },
      ]);
      await db.collection<Doc & { v: number }>('settings').insertOne({ _id: 'd', v: 4 });
    } finally {
      await db.close();
    }
    const reopened = await EmbeddedDatabase.open({ location: { dir } });
    expect(await reopened.collection('settings').countDocuments()).toBe(4);
    await reopened.close();
  });
});
