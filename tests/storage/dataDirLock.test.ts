import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../core/paths';
import { DataDirLockedError, LOCK_FILE } from '../../storage/dataDirLock';
import { EmbeddedDatabase } from '../../storage/embedded';

/** Resolves once the process has exited, with its exit code. */
const exited = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.on('exit', resolve);
  });

/** The bot (index.ts) on `dir` and any free port; `ready` waits until the first one listens. */
function startBot(dir: string, logLevel: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'index.ts'], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH, PORT: '0', DATA_DIR: dir, LOG_LEVEL: logLevel, FAQ_SEED_DEMO: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function listening(bot: ChildProcess): Promise<void> {
  let stdout = '';
  bot.stdout?.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    bot.stdout?.on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes('"msg":"listening"')) resolve();
    });
    bot.once('exit', () => reject(new Error(`the first bot ended: ${stdout}`)));
  });
}

jest.setTimeout(120_000);

describe('one process per DATA_DIR', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'data-dir-lock-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('when a second bot starts on the same DATA_DIR, then it exits 1 naming the folder and the holder', async () => {
    const first = startBot(dir, 'info');
    try {
      await listening(first);
      const second = startBot(dir, 'silent');
      let stderr = '';
      second.stderr?.setEncoding('utf8');
      second.stderr?.on('data', (chunk: string) => (stderr += chunk));
      expect(await exited(second)).toBe(1);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toContain(`DATA_DIR ${dir} is in use by process ${first.pid}`);
      expect(first.exitCode).toBeNull();
    } finally {
      first.kill('SIGKILL');
      await exited(first);
    }
    // The first bot died without releasing: its lock is stale and taken over.
    const db = await EmbeddedDatabase.open({ location: { dir } });
    expect(JSON.parse(await readFile(path.join(dir, LOCK_FILE), 'utf8'))).toEqual({
      pid: process.pid,
      host: hostname(),
    });
    await db.close();
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });

  it('when the lock names a process that is gone, then the store takes it over', async () => {
    const gone = spawn(process.execPath, ['-e', '']);
    await exited(gone);
    await writeFile(path.join(dir, LOCK_FILE), JSON.stringify({ pid: gone.pid, host: hostname() }));
    const db = await EmbeddedDatabase.open({ location: { dir } });
    await db.collection('settings').insertOne({ _id: 'x' });
    await db.close();
  });

  it('when the lock is held on another host, then the store refuses (it cannot tell whether that one runs)', async () => {
    await writeFile(path.join(dir, LOCK_FILE), JSON.stringify({ pid: 4242, host: 'elsewhere' }));
    await expect(EmbeddedDatabase.open({ location: { dir } })).rejects.toThrow(
      /in use by process 4242 on elsewhere/,
    );
  });

  it('when this process opens the folder twice, then the second open is refused until the first closes', async () => {
    const first = await EmbeddedDatabase.open({ location: { dir } });
    await expect(EmbeddedDatabase.open({ location: { dir } })).rejects.toBeInstanceOf(DataDirLockedError);
    await first.close();
    const again = await EmbeddedDatabase.open({ location: { dir } });
    await again.close();
  });
});
