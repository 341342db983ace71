import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Activity } from 'botbuilder';
import pino from 'pino';
import { createLogger } from '../../core/logger';
import { EscalationChannelStore } from '../../handoff/escalationChannel';
import { t } from '../../locales';
import { startTestBot, type TestBot } from '../helpers/harness';
import { ANA, CHANNEL, mention, teamsActivity, thread } from './teams';

/**
 * Erasing a customer's data cleans their cards in the Teams escalation channel (the Bot Connector stand-in
 * records what the bot sends): the case card and the follow-up card become a neutral card in STAFF_LOCALE, the
 * customer's messages the bot posted in the card's thread are deleted, and the records of the cards go. When
 * Teams cannot be reached, the erasure completes and says what is left there.
 */
const STAFF_LOCALE = 'nb';
const SUMMARY = 'Sigrid Berg wants the parcel sent to Storgata 9';
const EMAIL = 'sigrid.berg@example.com';
const THREAD_TEXT = 'my neighbour at Storgata 11 can take it';

let bot: TestBot;
let dir: string;
let logFile: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'csb-teams-erasure-'));
  logFile = path.join(dir, 'app.log');
  const log = createLogger('info', { destination: pino.destination({ dest: logFile, sync: true }) });
  bot = await startTestBot({ STAFF_LOCALE }, { log });
  const post = thread('set-channel');
  await bot.post(teamsActivity(bot.connector.url, ANA, post, mention('set escalation channel')));
  await bot.connector.waitFor(() => bot.connector.textsTo(post).length > 0, 'the channel confirmation');
});
afterAll(async () => {
  await bot.close();
  rmSync(dir, { recursive: true, force: true });
});

const store = () => new EscalationChannelStore(bot.app.db, bot.clock);
const attachmentsOf = (activity: Partial<Activity>): string => JSON.stringify(activity.attachments ?? []);

/** Polls until `read` gives a value (the bot remembers a card once Teams has answered the post). */
async function eventually<T>(read: () => Promise<T | null>, what: string): Promise<T> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const value = await read();
    if (value !== null) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

/** A customer with a case (card, and their message in its thread) and a follow-up (card) in the channel. */
async function customerWithCards(who: string): Promise<{ caseId: string; followupId: string }> {
  const conversationId = `${who}-conv`;
  await bot.say('hello', { conversationId, userId: who });
  const { caseDoc } = await bot.app.handoff.open({
    conversationId,
    customerId: who,
    locale: 'en',
    channel: 'webchat',
    reason: 'request',
    summary: SUMMARY,
    contact: { email: EMAIL },
  });
  const caseCard = await eventually(() => store().cardOf(caseDoc.id), 'the case card');
  await bot.say(THREAD_TEXT, { conversationId, userId: who });
  await eventually(
    async () => ((await store().cardOf(caseDoc.id))?.replies?.length ? true : null),
    'the customer message in the card thread',
  );
  expect(bot.connector.textsTo(thread(caseCard.activityId)).join()).toContain(THREAD_TEXT);
  const followup = await bot.app.followups.open({
    conversationId,
    customerId: who,
    channel: 'webchat',
    locale: 'en',
    reason: 'left-message',
    summary: SUMMARY,
    contact: [{ kind: 'email', value: EMAIL }],
  });
  await eventually(() => store().followupCardOf(followup.id), 'the follow-up card');
  return { caseId: caseDoc.id, followupId: followup.id };
}

const erase = async (customerId: string) => {
  const response = await bot.api(`/api/admin/customers/${customerId}`, { method: 'DELETE' });
  expect(response.status).toBe(200);
  return (await response.json()) as {
    erased: Record<string, number>;
    leftBehind?: Array<{ kind: string; channel: string; activityId: string }>;
  };
};

it('when an admin erases a customer, then their case and follow-up cards become a neutral card in STAFF_LOCALE and the thread message goes', async () => {
  const { caseId, followupId } = await customerWithCards('teams-erase-1');
  const caseCard = await store().cardOf(caseId);
  const followupCard = await store().followupCardOf(followupId);
  const reply = caseCard?.replies?.[0];
  expect(reply).toEqual(expect.any(String));
  const before = bot.connector.sent.length;

  const result = await erase('teams-erase-1');

  expect(result.leftBehind).toBeUndefined();
  const after = bot.connector.sent.slice(before);
  const updated = (activityId: string | undefined) =>
    after.filter((r) => r.method === 'PUT' && r.conversationId === CHANNEL && r.activityId === activityId);
  for (const card of [caseCard, followupCard]) {
    const [put] = updated(card?.activityId);
    expect(attachmentsOf(put?.activity ?? {})).toContain(t(STAFF_LOCALE, 'staff.erasedCard'));
    expect(attachmentsOf(put?.activity ?? {})).not.toMatch(/Sigrid|Storgata|example\.com/);
  }
  expect(after.filter((r) => r.method === 'DELETE').map((r) => [r.conversationId, r.activityId])).toEqual([
    [thread(caseCard?.activityId ?? ''), reply],
  ]);
  expect(await store().cardOf(caseId)).toBeNull();
  expect(await store().followupCardOf(followupId)).toBeNull();
});

it('when Teams cannot be reached at the erasure, then the erasure completes and says which cards are left, and the log names no customer data', async () => {
  const { caseId, followupId } = await customerWithCards('teams-erase-2');
  // Teams goes away: the cards' channel now answers at a closed port.
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const caseCard = await store().cardOf(caseId);
  const followupCard = await store().followupCardOf(followupId);
  if (!caseCard || !followupCard) throw new Error('the cards were not posted');
  const gone = { ...caseCard.channel, serviceUrl: deadUrl };
  await store().rememberCard({ caseId, channel: gone, activityId: caseCard.activityId });
  for (const reply of caseCard.replies ?? []) await store().rememberReply(caseId, reply);
  await store().rememberFollowupCard({ followupId, channel: gone, activityId: followupCard.activityId });

  const result = await erase('teams-erase-2');

  expect(result.erased).toMatchObject({ cases: 1, followups: 1, conversations: 1 });
  expect(result.leftBehind).toEqual([
    expect.objectContaining({ kind: 'teams.caseCard', channel: CHANNEL, activityId: caseCard.activityId }),
    expect.objectContaining({
      kind: 'teams.threadMessage',
      channel: CHANNEL,
      activityId: caseCard.replies?.[0],
    }),
    expect.objectContaining({
      kind: 'teams.followupCard',
      channel: CHANNEL,
      activityId: followupCard.activityId,
    }),
  ]);
  expect(await store().cardOf(caseId)).toBeNull();
  expect(await store().followupCardOf(followupId)).toBeNull();
  const log = readFileSync(logFile, 'utf8');
  expect(log).toContain('staff cards in Teams could not be cleaned');
  expect(log).toContain(caseCard.activityId);
  expect(log).not.toMatch(/teams-erase-2|Sigrid|Storgata|example\.com/);
});
