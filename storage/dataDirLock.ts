import { randomUUID } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';

/** The lock file in DATA_DIR: `{"pid":…,"host":…}` of the process using the embedded store. */
export const LOCK_FILE = 'LOCK';

/** Another process holds DATA_DIR; the message names the folder and the holder. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly holder: { pid: number; host: string },
  ) {
    super(
      `DATA_DIR ${path.resolve(dir)} is in use by process ${holder.pid} on ${holder.host}: the embedded store ` +
        `serves one process only (stop that process, or use MongoDB for several; if it is surely gone, ` +
        `delete ${path.join(path.resolve(dir), LOCK_FILE)})`,
    );
    this.name = 'DataDirLockedError';
  }
}

interface Holder {
  pid: number;
  host: string;
}

/** Lock files this process holds (a second open in the same process is refused like one from another). */
const held = new Set<string>();

function parseHolder(text: string): Holder | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return undefined;
    const { pid, host } = value as Record<string, unknown>;
    return Number.isInteger(pid) && typeof host === 'string' ? { pid: Number(pid), host } : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a process with that id runs on this machine (EPERM: it runs, as another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the lock's holder is gone: it was on this host and its pid no longer runs, or has become this very
 * process (a container restarted with the same pid) without this process having taken the lock.
 */
function stale(holder: Holder, file: string): boolean {
  if (holder.host !== hostname()) return false;
  if (holder.pid === process.pid) return !held.has(file);
  return !alive(holder.pid);
}

/**
 * Takes the exclusive lock on `dir`, or throws DataDirLockedError. The lock file appears atomically with its
 * content (written to a temporary file, then hard-linked, which fails when the lock exists); a lock whose
 * process is gone (killed, crashed) is taken over. Returns the release function (also run at process exit).
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const file = path.join(dir, LOCK_FILE);
  const me: Holder = { pid: process.pid, host: hostname() };
  const temporary = path.join(dir, `${LOCK_FILE}.${randomUUID()}`);
  await writeFile(temporary, JSON.stringify(me));
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await link(temporary, file);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const holder = parseHolder(await readFile(file, 'utf8').catch(() => '')) ?? {
        pid: 0,
        host: 'an unknown host',
      };
      // Two attempts: another process may take over the same stale lock at the same moment.
      if (attempt > 1 || !stale(holder, file)) throw new DataDirLockedError(dir, holder);
      await unlink(file).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
      });
    }
  } finally {
    await unlink(temporary);
  }
  held.add(file);
  const releaseAtExit = (): void => {
    try {
      unlinkSync(file);
    } catch {
      // Already gone: nothing to release.
    }
  };
  process.once('exit', releaseAtExit);
  return async () => {
    if (!held.delete(file)) return;
    process.off('exit', releaseAtExit);
    await unlink(file).catch(() => undefined);
  };
}
