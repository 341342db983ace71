import { promises as fsPromises, type promises as fs } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestBot, type TestBot } from '../helpers/harness';

describe('readiness while the store cannot write', () => {
  let dir: string;
  let bot: TestBot;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'readiness-'));
    bot = await startTestBot({}, { dataDir: dir });
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await bot.close();
    await rm(dir, { recursive: true, force: true });
  });

  const issueToken = (name: string): Promise<number> =>
    bot
      .api('/api/admin/tokens', { method: 'POST', body: JSON.stringify({ name, role: 'agent' }) })
      .then((response) => response.status);
  const readiness = (): Promise<number> => fetch(`${bot.url}/readyz`).then((response) => response.status);

  it('when writes fail (a full disk), then /readyz answers 503; once a write succeeds again, 200', async () => {
    expect(await issueToken('before')).toBe(201);
    expect(await readiness()).toBe(200);

    // Every append and datafile rewrite goes through FileHandle.appendFile.
    const probe = await fsPromises.open(path.join(dir, 'probe'), 'w');
    const fileHandle = Object.getPrototypeOf(probe) as fs.FileHandle;
    await probe.close();
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const append = jest.spyOn(fileHandle, 'appendFile').mockRejectedValue(full);

    expect(await issueToken('while full')).toBe(500);
    const unready = await fetch(`${bot.url}/readyz`);
    expect(unready.status).toBe(503);
    expect(await unready.json()).toEqual({ error: 'unavailable', message: expect.any(String) as unknown });

    append.mockRestore();
    expect(await readiness()).toBe(503);
    expect(await issueToken('after')).toBe(201);
    expect(await readiness()).toBe(200);
  });
});
