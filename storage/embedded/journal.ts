import { constants as fsConstants } from 'node:fs';
import { open, rename, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import Datastore from '@seald-io/nedb';
import type { Document } from 'mongodb';
import { isRecord } from '../../core/guards';
import { isPlainObject, type Stored } from './values';

/**
 * The durable log of one collection: a datafile in nedb's format, one document per line as nedb's
 * `model.serialize` writes it (JSON, Dates as `{"$$date": ms}`), the last line of an `_id` winning and
 * `{"$$deleted":true,"_id":…}` deleting. nedb loads it at open (and rewrites it without superseded lines);
 * from then on it is written here, since nedb's own writes cost a second in-memory copy of the collection with
 * its own indexes, a deep copy, a replacer-driven JSON.stringify and a file open per write.
 *
 * Lines are appended through a handle kept open, in batches: the writes made while an append is in flight
 * share the next one (group commit), so under load an append costs a few microseconds per write, and the event
 * loop never waits for the disk.
 * Appends are not flushed to disk, as nedb's are not. Compaction rewrites the datafile crash-safe as nedb does,
 * asynchronously: a temporary file (`<datafile>~`, which nedb's load knows how to recover) written, flushed to
 * disk, then renamed over the datafile.
 */
export class NedbJournal {
  private constructor(
    private readonly filename: string,
    /** The datafile, open for appending. */
    private handle: FileHandle,
    /** Its length in bytes: where a failed append is cut back to. */
    private size: number,
    private readonly compactionMinBytes: number,
    /** Its length after the last rewrite (or at open). */
    private compactedSize = size,
  ) {}

  /** Whether the datafile has grown enough since its last rewrite to be rewritten now. */
  get grown(): boolean {
    return this.size >= Math.max(4 * this.compactedSize, this.compactionMinBytes);
  }

  /** Loads the datafile with nedb and opens it for appending. */
  static async open(
    filename: string,
    compactionMinBytes: number,
  ): Promise<{ journal: NedbJournal; docs: Stored[] }> {
    await dropTornTail(filename);
    const datastore = new Datastore<Stored>({ filename });
    await datastore.loadDatabaseAsync();
    // The documents are nedb's own, and the datastore is dropped: the store may keep them without copying.
    const docs = datastore.getAllData();
    const handle = await open(filename, 'a');
    const { size } = await handle.stat();
    return { journal: new NedbJournal(filename, handle, size, compactionMinBytes), docs };
  }

  /** Appends the lines of the changes, in order, in one write. */
  async append(changes: readonly Change[]): Promise<void> {
    if (changes.length === 0) return;
    let lines = '';
    for (const { id, next } of changes) {
      lines += (next ? serialize(next) : JSON.stringify({ $$deleted: true, _id: id })) + '\n';
    }
    const bytes = Buffer.from(lines);
    try {
      await this.handle.appendFile(bytes);
    } catch (error) {
      // Lines written before the failure must not come back at the next start: the writes were refused.
      // Should this fail too, the caller marks the datafile damaged and rewrites it before the next append.
      await this.handle.truncate(this.size);
      throw error;
    }
    this.size += bytes.length;
  }

  /** Replaces the datafile with one line per document; the datafile stays whole if this fails. */
  async rewrite(docs: Iterable<Stored>): Promise<void> {
    const temporary = `${this.filename}~`;
    const file = await open(temporary, NEW_FILE_FOR_APPENDING);
    let size = 0;
    const write = async (chunk: string): Promise<void> => {
      const bytes = Buffer.from(chunk);
      await file.appendFile(bytes);
      size += bytes.length;
    };
    try {
      let chunk = '';
      for (const doc of docs) {
        chunk += serialize(doc) + '\n';
        if (chunk.length >= REWRITE_CHUNK_CHARS) {
          await write(chunk);
          chunk = '';
        }
      }
      await write(chunk);
      await file.sync();
      await rename(temporary, this.filename);
    } catch (error) {
      await file.close();
      throw error;
    }
    // The handle on the temporary file is now the datafile's.
    const replaced = this.handle;
    this.handle = file;
    this.size = size;
    this.compactedSize = size;
    await replaced.close();
    await syncDirectory(path.dirname(this.filename));
  }

  /** Compacts the datafile one last time and closes it. */
  async close(docs: Iterable<Stored>): Promise<void> {
    await this.rewrite(docs);
    await this.handle.close();
  }
}

/**
 * Cuts off the end of a datafile after its last newline: part of a line that an append was writing when the
 * process died (every append ends with a newline). nedb would count it as corrupt, and refuses to load a file
 * with more than 10% corrupt lines, which one torn line makes of a small collection.
 */
async function dropTornTail(filename: string): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(filename, 'r+');
  } catch (error) {
    if (isRecord(error) && error.code === 'ENOENT') return;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    const chunk = Buffer.alloc(TAIL_CHUNK_BYTES);
    for (let end = size; end > 0;) {
      const start = Math.max(0, end - chunk.length);
      const { bytesRead } = await handle.read(chunk, 0, end - start, start);
      const newline = chunk.subarray(0, bytesRead).lastIndexOf(NEWLINE);
      if (newline >= 0) {
        if (start + newline + 1 < size) await handle.truncate(start + newline + 1);
        return;
      }
      end = start;
    }
    if (size > 0) await handle.truncate(0);
  } finally {
    await handle.close();
  }
}

const TAIL_CHUNK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

/** Creates or truncates a file, for appending. */
const NEW_FILE_FOR_APPENDING =
  fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_TRUNC | fsConstants.O_APPEND;

/** How much of a rewritten datafile is serialised between two writes (characters). */
const REWRITE_CHUNK_CHARS = 1 << 20;

/** Flushes a rename in `dir` to disk, as nedb does (Windows cannot flush a directory). */
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A document as a line of nedb's datafile (what nedb's `model.serialize` writes, without the newline). */
function serialize(doc: Stored): string {
  return JSON.stringify(withTaggedDates(doc));
}

/**
 * Stored data with each Date replaced by nedb's `{$$date: ms}`, ready for JSON.stringify (three times faster
 * than nedb's way, a replacer that JSON.stringify calls on every value).
 */
function withTaggedDates(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Date) return { $$date: value.getTime() };
  if (Array.isArray(value)) {
    const items: unknown[] = value;
    const out: unknown[] = [];
    for (const item of items) out.push(withTaggedDates(item));
    return out;
  }
  if (!isPlainObject(value)) return value;
  const out: Document = {};
  for (const key in value) {
    const item: unknown = value[key];
    out[key] = withTaggedDates(item);
  }
  return out;
}

/**
 * A change computed by a write: applied to the latest documents at once, committed once it is in the log.
 * `next: null` deletes.
 */
export interface Change {
  readonly id: string;
  readonly next: Stored | null;
}
