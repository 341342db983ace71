import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TeamsStaff } from '../../bots/teamsStaff';
import { createLogger } from '../../core/logger';
import { EscalationChannelStore } from '../../handoff/escalationChannel';
import { t } from '../../locales';
import { subjectOf } from '../../privacy/customerData';
import { startTestBot, type TestBot } from '../helpers/harness';
import { ANA, mention, teamsActivity, thread } from '../staff/teams';

/**
 * Erasing a customer whose case has a long thread in the Teams escalation channel. The Bot Connector cleans one
 * message per call (an update of the card, a delete per thread message; deleting a thread's root leaves its
 * replies), so the erasure makes exactly those calls for what carries the customer's words, a few at a time,
 * and what Teams refused is finished by erasing the customer again. The stand-in below keeps the channel's
 * messages, so that the tests read what is left in Teams.
 */
const SUMMARY = 'Ingrid Dahl wants the refund sent to account 1234 5678 90';
const WORDS = /Ingrid|refund|Sagene/;
const customerText = (n: number): string => `my flat in Sagene ${n} floods`;

interface Call {
  method: string;
  conversationId: string;
  activityId?: string;
  /** The answer's status. */
  status?: number;
}

/** The Bot Connector of a Teams channel: keeps what the bot posted, updated and deleted; answers a little later. */
class TeamsChannelStandIn {
  readonly messages = new Map<string, { conversationId: string; body: string }>();
  readonly calls: Call[] = [];
  inFlight = 0;
  maxInFlight = 0;
  /** The answer to a call instead of doing it (a status), or undefined to do it. */
  refuse: (call: Call, index: number) => number | undefined = () => undefined;
  /** Calls whose answer is held (while `holding`), released by `release()`. */
  holding = false;
  private held: Array<() => void> = [];
  private next = 0;
  private readonly server: Server;
  url = '';

  constructor() {
    this.server = createServer((req, res) => {
      void (async () => {
        const body = await readBody(req);
        this.inFlight++;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        const match = /\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
        const call: Call = {
          method: req.method ?? '',
          conversationId: decodeURIComponent(match?.[1] ?? ''),
          ...(match?.[2] ? { activityId: decodeURIComponent(match[2]) } : {}),
        };
        // Answered after a moment (or when released), as a real service is: calls made at once overlap here.
        await new Promise<void>((resolve) =>
          this.holding ? this.held.push(resolve) : setTimeout(resolve, 2),
        );
        this.inFlight--;
        const status = this.refuse(call, this.calls.length);
        this.calls.push(call);
        const answer = (code: number, json: unknown) => {
          call.status = code;
          res.writeHead(code, { 'content-type': 'application/json' });
          res.end(JSON.stringify(json));
        };
        if (status !== undefined) return answer(status, { error: { code: 'Refused' } });
        if (call.method === 'POST') return answer(200, { id: this.post(call.conversationId, body) });
        const id = call.activityId ?? '';
        if (!this.messages.has(id)) return answer(404, { error: { code: 'NotFound' } });
        if (call.method === 'DELETE') this.messages.delete(id);
        else this.messages.set(id, { conversationId: call.conversationId, body });
        return answer(200, { id });
      })();
    });
  }

  /** A message in the channel (posted by the bot); its id. */
  post(conversationId: string, body: string): string {
    const id = `m${++this.next}`;
    this.messages.set(id, { conversationId, body });
    return id;
  }

  release(): void {
    this.holding = false;
    for (const resolve of this.held.splice(0)) resolve();
  }

  /** Everything the channel shows, as one text. */
  shown(): string {
    return [...this.messages.values()].map((m) => m.body).join('\n');
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

let bot: TestBot;
const teams = new TeamsChannelStandIn();

beforeAll(async () => {
  await teams.start();
  bot = await startTestBot({ STAFF_LOCALE: 'en' });
  const post = thread('set-channel');
  await bot.post(teamsActivity(teams.url, ANA, post, mention('set escalation channel')));
  await eventually(async () => (await store().channel()) ?? null, 'the escalation channel');
});
afterAll(async () => {
  await bot.close();
  await teams.stop();
});

const store = () => new EscalationChannelStore(bot.app.db, bot.clock);

/** Polls until `read` gives a value (the bot remembers a card once Teams has answered the post). */
async function eventually<T>(read: () => Promise<T | null>, what: string): Promise<T> {
  for (let attempt = 0; attempt < 400; attempt++) {
    const value = await read();
    if (value !== null) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

/** A customer with a case whose card is in the channel; `said` of their messages in its thread (posted by the bot). */
async function customerWithThread(
  who: string,
  said: number,
): Promise<{ caseId: string; conversationId: string }> {
  const conversationId = `${who}-conv`;
  await bot.say('hello', { conversationId, userId: who });
  const { caseDoc } = await bot.app.handoff.open({
    conversationId,
    customerId: who,
    locale: 'en',
    channel: 'webchat',
    reason: 'request',
    summary: SUMMARY,
  });
  await eventually(() => store().cardOf(caseDoc.id), 'the case card');
  for (let n = 1; n <= said; n++) await bot.say(customerText(n), { conversationId, userId: who });
  await eventually(
    async () => ((await store().cardOf(caseDoc.id))?.replies?.length === said ? true : null),
    'the customer messages in the card thread',
  );
  return { caseId: caseDoc.id, conversationId };
}

/** A long thread: `count` more customer messages in the card's thread, as the bot posts them. */
async function longerThread(caseId: string, count: number): Promise<void> {
  const card = await store().cardOf(caseId);
  if (!card) throw new Error('no card');
  const where = thread(card.activityId, card.channel.conversationId);
  for (let n = 0; n < count; n++) {
    const text = t('en', 'staff.customerSays', { text: customerText(100 + n) });
    await store().rememberReply(caseId, teams.post(where, JSON.stringify({ type: 'message', text })));
  }
}

const erase = async (customerId: string) => {
  const response = await bot.api(`/api/admin/customers/${customerId}`, { method: 'DELETE' });
  expect(response.status).toBe(200);
  return (await response.json()) as {
    erased: Record<string, number>;
    leftBehind?: Array<{ kind: string; channel: string; activityId: string }>;
  };
};

const callsSince = (before: number): Call[] => teams.calls.slice(before);
const count = (calls: Call[], method: string): number => calls.filter((c) => c.method === method).length;

it('when an admin erases a customer, then Teams gets one card update and one delete per customer message in the thread, not for the bot notices, and none of their words remain', async () => {
  const { caseId, conversationId } = await customerWithThread('thread-1', 3);
  await bot.app.handoff.take(caseId, { id: 'agent-1', name: 'Ana Nowak' });
  await bot.app.handoff.customerLeft(conversationId);
  const stateLeft = t('en', 'staff.stateLeft');
  // The notice in the thread (the card says the same once updated).
  const inThread = () =>
    [...teams.messages.values()].some(
      (m) => m.conversationId.includes(';messageid=') && m.body.includes(stateLeft),
    );
  await eventually(() => Promise.resolve(inThread() ? true : null), 'the left notice in the thread');
  expect(teams.shown()).toMatch(WORDS);
  const before = teams.calls.length;

  const result = await erase('thread-1');

  expect(result.leftBehind).toBeUndefined();
  const calls = callsSince(before);
  expect([count(calls, 'PUT'), count(calls, 'DELETE'), calls.length]).toEqual([1, 3, 4]);
  expect(teams.shown()).not.toMatch(WORDS);
  expect(teams.shown()).toContain(t('en', 'staff.erasedCard'));
  expect(inThread()).toBe(true);
});

it('when a customer with 200 messages in a case thread is erased, then Teams gets 201 calls, never more than 4 at once, and keeps none of their words', async () => {
  const { caseId } = await customerWithThread('thread-2', 1);
  await longerThread(caseId, 199);
  const before = teams.calls.length;
  teams.maxInFlight = 0;

  const result = await erase('thread-2');

  expect(result.leftBehind).toBeUndefined();
  const calls = callsSince(before);
  expect([count(calls, 'PUT'), count(calls, 'DELETE')]).toEqual([1, 200]);
  expect(teams.maxInFlight).toBeLessThanOrEqual(4);
  expect(teams.shown()).not.toMatch(WORDS);
  expect(await store().erasureOf(subjectOf('thread-2'))).toEqual([]);
});

it('when Teams refuses halfway through a long thread, then the erasure completes and lists what is left, and erasing again cleans just that', async () => {
  const { caseId } = await customerWithThread('thread-3', 1);
  await longerThread(caseId, 199);
  const before = teams.calls.length;
  // Teams throttles after 100 calls (429 without Retry-After: the SDK does not retry it).
  teams.refuse = (_call, index) => (index - before >= 100 ? 429 : undefined);

  const first = await erase('thread-3');

  expect(first.erased).toMatchObject({ cases: 1, conversations: 1 });
  expect(first.leftBehind).toHaveLength(101);
  expect(first.leftBehind?.every((item) => item.kind === 'teams.threadMessage')).toBe(true);
  expect(teams.shown()).toMatch(WORDS);
  expect(await store().cardOf(caseId)).toBeNull();
  teams.refuse = () => undefined;
  const again = teams.calls.length;

  const second = await erase('thread-3');

  expect(second.leftBehind).toBeUndefined();
  const calls = callsSince(again);
  expect([count(calls, 'PUT'), count(calls, 'DELETE')]).toEqual([0, 101]);
  // Each message was deleted once: the first run's progress was kept.
  const deleted = callsSince(before).filter((c) => c.method === 'DELETE' && c.status === 200);
  expect([deleted.length, new Set(deleted.map((c) => c.activityId)).size]).toEqual([200, 200]);
  expect(teams.shown()).not.toMatch(WORDS);
  expect(await store().erasureOf(subjectOf('thread-3'))).toEqual([]);
});

it('when Teams does not answer, then the erasure returns within its budget listing what is left, and the calls under way still finish it once Teams answers', async () => {
  const { caseId } = await customerWithThread('thread-4', 2);
  const staff = new TeamsStaff({
    adapter: bot.app.adapter,
    appId: '',
    handoff: bot.app.handoff,
    followups: bot.app.followups,
    db: bot.app.db,
    clock: bot.clock,
    log: createLogger('silent'),
    presence: { seen: () => undefined },
    locale: 'en',
    erasureBudgetMs: 50,
  });
  const subject = subjectOf('thread-4');
  teams.holding = true;

  const left = await staff.eraseCards(subject, [caseId], []);

  // Returned while Teams still holds every call: all is listed as left.
  expect(left.map((item) => item.kind)).toEqual([
    'teams.caseCard',
    'teams.threadMessage',
    'teams.threadMessage',
  ]);
  teams.release();
  await staff.idle();
  expect(await staff.eraseCards(subject, [], [])).toEqual([]);
  expect(teams.shown()).not.toMatch(WORDS);
  expect(await store().erasureOf(subject)).toEqual([]);
});
