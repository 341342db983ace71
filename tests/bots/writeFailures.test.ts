import { promises as fsPromises, type promises as fs } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { t } from '../../locales';
import type { Doc } from '../../storage/port';
import { startTestBot, texts, type TestBot } from '../helpers/harness';

interface StateDoc extends Doc {
  state: string;
}

/** The apology of the turn-error handler in `locale`, without its reference. */
const apology = (locale: string): string => t(locale, 'common.error', { ref: '' }).replace(/\s*\(.*$/, '');

describe('when the store cannot write (a full disk)', () => {
  let dir: string;
  let bot: TestBot;
  let fileHandle: fs.FileHandle;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'write-failures-'));
    bot = await startTestBot({}, { dataDir: dir });
    // Every append to the embedded store's datafiles goes through FileHandle.appendFile.
    const probe = await fsPromises.open(path.join(dir, 'probe'), 'w');
    fileHandle = Object.getPrototypeOf(probe) as fs.FileHandle;
    await probe.close();
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    await bot.close();
    await rm(dir, { recursive: true, force: true });
  });

  const full = (): Error =>
    Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

  async function dialogStack(conversationId: string): Promise<string[]> {
    const doc = await bot.app.db
      .collection<StateDoc>('botState')
      .findOne({ _id: `webchat/conversations/${conversationId}/` });
    const state = JSON.parse(doc?.state ?? '{}') as { dialogState?: { dialogStack?: Array<{ id: string }> } };
    return (state.dialogState?.dialogStack ?? []).map((d) => d.id);
  }

  it.each([
    ['pl-PL', 'pl', 'Dzień dobry, mam pytanie o rachunek'],
    ['nb-NO', 'nb', 'Hei, jeg har et spørsmål om regningen'],
    ['id-ID', 'id', 'Halo, saya punya pertanyaan tentang tagihan'],
  ])(
    'then a customer writing in %s gets the apology in their language',
    async (clientLocale, locale, text) => {
      const customer = { conversationId: `full-disk-${locale}`, locale: clientLocale };
      await bot.say('hello', customer);
      jest.spyOn(fileHandle, 'appendFile').mockRejectedValue(full());
      const replies = texts(await bot.say(text, customer));
      expect(replies.join(' ')).toContain(apology(locale));
    },
  );

  it('then a customer in the middle of a dialog keeps it, and goes on once writes succeed again', async () => {
    const customer = { conversationId: 'full-disk-dialog' };
    await bot.say('human', customer);
    const stack = await dialogStack(customer.conversationId);
    expect(stack.length).toBeGreaterThan(0);
    // The first write of the turn fails; the ones after it (a clean-up) would succeed.
    jest.spyOn(fileHandle, 'appendFile').mockRejectedValueOnce(full());
    expect(texts(await bot.say('my bill is twice as high as last month', customer)).join(' ')).toContain(
      apology('en'),
    );
    expect(await dialogStack(customer.conversationId)).toEqual(stack);
    jest.restoreAllMocks();
    const replies = texts(await bot.say('my bill is twice as high as last month', customer));
    expect(replies.join(' ')).not.toContain(apology('en'));
    expect((await dialogStack(customer.conversationId))[0]).toBe(stack[0]);
  });
});
