import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Activity } from 'botbuilder';
import pino from 'pino';
import { createLogger } from '../../core/logger';
import { EscalationChannelStore } from '../../handoff/escalationChannel';
import { t } from '../../locales';
import { queuedCase, startTestBot, type TestBot } from '../helpers/harness';
import { ANA, BOB, BOT, CHANNEL, TEAM, mention, teamsActivity, teamsEvent, thread } from './teams';

/**
 * The Teams escalation channel goes away (deleted, its team deleted or archived, the app removed from the team):
 * Teams tells the bot, which forgets the channel, logs it, and posts nothing there again, while new cases reach
 * the staff console. A post that Teams refuses leaves one actionable error in the log and the channel set. The
 * Bot Connector stand-in records what the bot sends; the log is read from its file.
 */
const SUMMARY = 'Sigrid Berg cannot log in';

let bot: TestBot;
let dir: string;
let logFile: string;
let cases = 0;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'csb-teams-gone-'));
  logFile = path.join(dir, 'app.log');
  const log = createLogger('debug', { destination: pino.destination({ dest: logFile, sync: true }) });
  bot = await startTestBot({}, { log });
});
afterAll(async () => {
  await bot.close();
  rmSync(dir, { recursive: true, force: true });
});

interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

const logLines = (): LogLine[] =>
  readFileSync(logFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LogLine);

/** The log lines whose message starts with `start`. */
const logged = (start: string): LogLine[] => logLines().filter((line) => line.msg.startsWith(start));

/** Waits until the log has more lines starting with `start` than `before` (the app logs as it goes). */
async function nextLog(start: string, before: number): Promise<LogLine> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const lines = logged(start);
    const line = lines[before];
    if (line) return line;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Timed out waiting for the log line "${start}"`);
}

const store = () => new EscalationChannelStore(bot.app.db, bot.clock);
const teams = (activity: Partial<Activity>) => bot.post(activity);

/** Ana types "set escalation channel" in the staff team's support channel. */
async function setChannel(): Promise<void> {
  const post = thread(`set-${Math.random()}`);
  await bot.post(teamsActivity(bot.connector.url, ANA, post, mention('set escalation channel')));
  await bot.connector.waitFor(() => bot.connector.textsTo(post).length > 0, 'the channel confirmation');
  expect(await store().channel()).toMatchObject({ conversationId: CHANNEL, teamId: TEAM });
}

/** A new web chat case; resolves once its card is posted in the channel, or once the bot decided not to. */
async function newCase(): Promise<{ caseId: string; conversationId: string; posted: boolean }> {
  const notPosted = logged('no Teams escalation channel set; case card not posted').length;
  const before = cardsIn(CHANNEL);
  const conversationId = `gone-${++cases}`;
  const { caseDoc } = await queuedCase(bot, conversationId, SUMMARY);
  const caseId = caseDoc.id;
  for (let attempt = 0; attempt < 200; attempt++) {
    if (await store().cardOf(caseId)) return { caseId, conversationId, posted: true };
    if (logged('no Teams escalation channel set; case card not posted').length > notPosted)
      return { caseId, conversationId, posted: cardsIn(CHANNEL) > before };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('Timed out waiting for the case card (or its absence)');
}

const cardsIn = (channel: string): number =>
  bot.connector.sent.filter((r) => r.conversationId === channel && (r.activity.attachments ?? []).length > 0)
    .length;

/** The case ids the staff console lists. */
async function inConsole(): Promise<string[]> {
  const response = await bot.api('/api/agent/cases');
  expect(response.status).toBe(200);
  return ((await response.json()) as Array<{ id: string }>).map((c) => c.id);
}

const gone: Array<[string, (url: string) => Partial<Activity>]> = [
  ['the escalation channel is deleted', (url) => teamsEvent(url, 'channelDeleted')],
  ['its team is deleted', (url) => teamsEvent(url, 'teamDeleted', { channel: TEAM })],
  ['its team is archived', (url) => teamsEvent(url, 'teamArchived', { channel: TEAM })],
  [
    'the app is removed from its team (installationUpdate)',
    (url) => teamsEvent(url, undefined, {}, { type: 'installationUpdate', action: 'remove' }),
  ],
  [
    'the bot is removed from its team (membersRemoved)',
    (url) => teamsEvent(url, 'teamMemberRemoved', { channel: TEAM }, { membersRemoved: [BOT] }),
  ],
];

describe.each(gone)('when %s', (_what, event) => {
  it('then the channel is forgotten with a warning that names no customer, and new cases reach the console only', async () => {
    await setChannel();
    const warned = logged('Teams escalation channel forgotten').length;
    expect((await teams(event(bot.connector.url))).status).toBe(200);
    const warning = await nextLog('Teams escalation channel forgotten', warned);
    expect(warning).toMatchObject({ level: 40, channel: CHANNEL, teamId: TEAM, by: ANA.aadObjectId });
    expect(await store().channel()).toBeNull();
    const sentBefore = bot.connector.sent.length;
    const { caseId, posted } = await newCase();
    expect(posted).toBe(false);
    expect(bot.connector.sent.slice(sentBefore).filter((r) => r.conversationId.startsWith('19:'))).toEqual(
      [],
    );
    expect(await inConsole()).toContain(caseId);
    expect(JSON.stringify(logLines())).not.toContain('Sigrid');
  });
});

describe('news of other channels and teams', () => {
  const elsewhere: Array<[string, (url: string) => Partial<Activity>]> = [
    [
      'another channel of the team is deleted',
      (url) => teamsEvent(url, 'channelDeleted', { channel: '19:x@thread.tacv2' }),
    ],
    [
      'a channel with its id is deleted in another tenant',
      (url) => teamsEvent(url, 'channelDeleted', { tenant: 'tenant-other' }),
    ],
    [
      'another team is deleted',
      (url) =>
        teamsEvent(url, 'teamDeleted', {
          team: '19:other-team@thread.tacv2',
          channel: '19:other-team@thread.tacv2',
        }),
    ],
    [
      'the app is removed from another team',
      (url) =>
        teamsEvent(
          url,
          undefined,
          { team: '19:other-team@thread.tacv2' },
          { type: 'installationUpdate', action: 'remove' },
        ),
    ],
    [
      'a person is removed from the team',
      (url) => teamsEvent(url, 'teamMemberRemoved', { channel: TEAM }, { membersRemoved: [BOB] }),
    ],
    ['the escalation channel is renamed', (url) => teamsEvent(url, 'channelRenamed')],
  ];

  it.each(elsewhere)(
    'when %s, then the escalation channel stays and gets the next case',
    async (_what, event) => {
      await setChannel();
      expect((await teams(event(bot.connector.url))).status).toBe(200);
      expect((await newCase()).posted).toBe(true);
      expect(await store().channel()).toMatchObject({ conversationId: CHANNEL });
    },
  );
});

it('when the escalation channel is gone, then the cards already there get nothing more, and a mention of the bot says none is set', async () => {
  await setChannel();
  const { caseId, conversationId, posted } = await newCase();
  expect(posted).toBe(true);
  const card = (await store().cardOf(caseId))?.activityId ?? '';
  await teams(teamsEvent(bot.connector.url, 'channelDeleted'));
  const sentBefore = bot.connector.sent.length;
  const skipped = logged('Teams channel gone; its card is not updated').length;

  await bot.say('Still there?', { conversationId, userId: `${conversationId}-user` });
  await nextLog('Teams channel gone; its card is not updated', skipped);
  await bot.app.handoff.take(caseId, { id: BOB.aadObjectId, name: BOB.name });
  await nextLog('Teams channel gone; its card is not updated', skipped + 1);
  const toTeams = bot.connector.sent.slice(sentBefore).filter((r) => r.conversationId.startsWith('19:'));
  expect(toTeams).toEqual([]);
  expect(await store().cardOf(caseId)).toMatchObject({ activityId: card });

  const general = thread('what-now', TEAM);
  await teams(teamsActivity(bot.connector.url, BOB, general, mention('hello'), { channel: TEAM }));
  await bot.connector.waitFor(() => bot.connector.textsTo(general).length > 0, 'the answer');
  expect(bot.connector.textsTo(general)).toEqual([t('en', 'staff.helpNoChannel')]);
});

it('when the deleted team is restored, then its channel is not used again until staff set it, and the log says so', async () => {
  await setChannel();
  await teams(teamsEvent(bot.connector.url, 'teamDeleted', { channel: TEAM }));
  const back = logged('the former Teams escalation channel is back').length;
  await teams(teamsEvent(bot.connector.url, 'teamRestored', { channel: TEAM }));
  expect(await nextLog('the former Teams escalation channel is back', back)).toMatchObject({
    level: 40,
    channel: CHANNEL,
    teamId: TEAM,
    lost: 'teamDeleted',
  });
  expect(await store().channel()).toBeNull();
  expect((await newCase()).posted).toBe(false);

  await setChannel();
  expect((await newCase()).posted).toBe(true);
});

describe('when Teams refuses a post in the escalation channel', () => {
  const refusals: Array<[string, number, string, 'card' | 'thread']> = [
    ['the card of a new case', 403, 'BotNotInConversationRoster', 'card'],
    ["a customer's message in a card's thread", 404, 'ConversationNotFound', 'thread'],
  ];

  it.each(refusals)(
    'when %s meets %i %s, then one error says what staff should do, nothing is said in the channel, and the channel stays',
    async (_what, status, code, where) => {
      await setChannel();
      const errors = () => logLines().filter((line) => line.level >= 50);
      const unreachable = logged('Teams escalation channel seems unreachable').length;
      const opened = where === 'thread' ? await newCase() : undefined;
      const errorsBefore = errors().length;
      const sentBefore = bot.connector.sent.length;
      bot.connector.failNext(status, 1, code);
      let caseId: string;
      if (opened) {
        caseId = opened.caseId;
        await bot.say('Sigrid again: still locked out', {
          conversationId: opened.conversationId,
          userId: `${opened.conversationId}-user`,
        });
      } else caseId = (await queuedCase(bot, `refused-${++cases}`, SUMMARY)).caseDoc.id;
      const line = await nextLog('Teams escalation channel seems unreachable', unreachable);

      expect(line).toMatchObject({
        level: 50,
        channel: CHANNEL,
        caseId,
        reason: `HTTP ${status} ${code}`,
      });
      expect(line.msg).toContain('set escalation channel');
      expect(errors().length).toBe(errorsBefore + 1);
      expect(bot.connector.sent.slice(sentBefore).filter((r) => r.conversationId.startsWith('19:'))).toEqual(
        [],
      );
      expect(await store().channel()).toMatchObject({ conversationId: CHANNEL });
      expect(await inConsole()).toContain(caseId);
      expect(JSON.stringify(logLines())).not.toMatch(/Sigrid|locked out/);
    },
  );
});

it('when Teams says a message is not found, then the failure is logged as such, not as an unreachable channel', async () => {
  await setChannel();
  const { caseId, conversationId } = await newCase();
  const failed = logged('Teams staff update failed').length;
  const unreachable = logged('Teams escalation channel seems unreachable').length;
  // `ActivityNotFoundInConversation`: one message is gone (a card deleted in Teams), not the channel.
  bot.connector.failNext(404, 1, 'ActivityNotFoundInConversation');
  await bot.say('Hello?', { conversationId, userId: `${conversationId}-user` });
  expect(await nextLog('Teams staff update failed', failed)).toMatchObject({
    level: 50,
    caseId,
    type: 'message',
  });
  expect(logged('Teams escalation channel seems unreachable')).toHaveLength(unreachable);
  expect(await store().channel()).toMatchObject({ conversationId: CHANNEL });
});

it('when the store fails while a team event is handled, then the error is logged and no apology is posted in the team', async () => {
  await setChannel();
  const failed = logged('Teams team or channel event not handled').length;
  const sentBefore = bot.connector.sent.length;
  const down = jest
    .spyOn(EscalationChannelStore.prototype, 'channel')
    .mockRejectedValueOnce(new Error('database unreachable'));
  try {
    expect((await teams(teamsEvent(bot.connector.url, 'teamArchived', { channel: TEAM }))).status).toBe(200);
    expect(await nextLog('Teams team or channel event not handled', failed)).toMatchObject({
      level: 50,
      event: 'teamArchived',
    });
  } finally {
    down.mockRestore();
  }
  expect(bot.connector.sent.slice(sentBefore)).toEqual([]);
});
