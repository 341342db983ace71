import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { collectionNames } from '../../storage/port';
import { startTestBot, type TestBot } from '../helpers/harness';
import { suitesOnMongo } from '../helpers/testDatabase';

/**
 * What an erasure could leave behind besides the customer's records: events that work under way writes after
 * it, the embedded store's datafiles until their next compaction, and contact details in the unanswered list.
 */
const erase = async (bot: TestBot, customerId: string): Promise<Record<string, number>> => {
  const response = await bot.api(`/api/admin/customers/${customerId}`, { method: 'DELETE' });
  expect(response.status).toBe(200);
  return ((await response.json()) as { erased: Record<string, number> }).erased;
};

const allDocs = async (bot: TestBot): Promise<string> => {
  const parts = await Promise.all(
    collectionNames.map(async (name) => JSON.stringify(await bot.app.db.collection(name).find({}))),
  );
  return parts.join('\n');
};

/** Polls until `check` holds (work under way in the app, with nothing to wait on). */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

/** A customer's case, taken by the admin (the customer has been told). */
async function takenCase(bot: TestBot, conversationId: string, customerId: string): Promise<string> {
  await bot.say('hello', { conversationId, userId: customerId });
  const { caseDoc } = await bot.app.handoff.open({
    conversationId,
    customerId,
    locale: 'en',
    channel: 'webchat',
    reason: 'request',
    summary: 'My router keeps restarting',
  });
  expect((await bot.api(`/api/agent/cases/${caseDoc.id}/take`, { method: 'POST' })).status).toBe(200);
  await bot.connector.waitFor(
    (sent) => sent.some((r) => r.conversationId === conversationId),
    'the "agent joined" notice',
  );
  return caseDoc.id;
}

describe('an erasure with work under way', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(() => bot.close());

  it('when an agent message and a resolve are in flight during the erasure, then no event of the customer stays afterwards', async () => {
    const customerId = 'inflight-customer';
    const caseId = await takenCase(bot, 'inflight-conv', customerId);
    // The customer's channel is slow: the agent's message waits for it, and the resolve notice after it.
    const release = bot.connector.holdNext();
    try {
      const message = bot.api(`/api/agent/cases/${caseId}/messages`, {
        method: 'POST',
        body: JSON.stringify({ text: 'Your parcel is on its way' }),
      });
      await bot.connector.waitFor(() => bot.connector.pending === 1, 'the agent message under way');
      const resolve = bot.api(`/api/agent/cases/${caseId}/resolve`, { method: 'POST' });
      await until(
        async () => (await bot.app.handoff.get(caseId)).status === 'resolved',
        'the case resolved, its notice waiting',
      );

      expect(await erase(bot, customerId)).toMatchObject({ cases: 1, conversations: 1 });
      release();
      await Promise.all([message, resolve]);
      await bot.app.handoff.idle();
    } finally {
      release();
    }

    expect(await bot.app.db.collection('events').find({})).toEqual([]);
    const stored = await allDocs(bot);
    expect(stored).not.toContain(customerId);
    expect(stored).not.toContain(caseId);
  });
});

describe('the unanswered-question list', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(() => bot.close());

  it('when a question with an e-mail address and a phone number goes unanswered, then the list keeps neither', async () => {
    await bot.say(
      'Can Sigrid Berg at sigrid.berg@example.com rent a giraffe for Storgata 9? Call me on +47 912 34 567',
      { conversationId: 'unanswered-contact', userId: 'unanswered-customer' },
    );
    await erase(bot, 'unanswered-customer');
    const response = await bot.api('/api/admin/unanswered');
    const { unanswered } = (await response.json()) as { unanswered: Array<{ text: string }> };
    const texts = unanswered.map((item) => item.text);
    expect(texts).toEqual([expect.stringContaining('giraffe')]);
    expect(texts[0]).toContain('[[redacted:email]]');
    expect(texts[0]).toContain('[[redacted:phone]]');
    expect(texts[0]).not.toMatch(/example\.com|912 34 567/);
  });
});

const itOnEmbedded = suitesOnMongo ? it.skip : it;

describe('the embedded store after an erasure', () => {
  let bot: TestBot;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'csb-erasure-disk-'));
    bot = await startTestBot({}, { dataDir: dir });
  });
  afterAll(async () => {
    await bot.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const onDisk = (): string =>
    readdirSync(dir)
      .filter((name) => name.endsWith('.db'))
      .map((name) => readFileSync(path.join(dir, name), 'utf8'))
      .join('\n');

  itOnEmbedded('when a customer is erased, then their data is gone from the datafiles at once', async () => {
    const who = { conversationId: 'disk-conv', userId: 'disk-customer' };
    await bot.say('hello', who);
    await bot.say('hello again', { conversationId: 'disk-other', userId: 'disk-other-customer' });
    expect(onDisk()).toContain(who.userId);

    expect(await erase(bot, who.userId)).toMatchObject({ conversations: 1 });

    const disk = onDisk();
    expect(disk).not.toContain(who.userId);
    expect(disk).not.toContain(who.conversationId);
    expect(disk).toContain('disk-other-customer');
  });
});
