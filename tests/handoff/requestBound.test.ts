import { Writable } from 'node:stream';
import type { Activity } from 'botbuilder';
import pino from 'pino';
import { loadConfig } from '../../config';
import { t } from '../../locales';
import { startTestBot, texts, type TestBot } from '../helpers/harness';
import { untilSaturdayNoon } from '../storage/manualClock';
import { ANA, CHANNEL, mention, teamsActivity, thread } from '../staff/teams';

/**
 * The daily bound of requests for a person per client (HANDOFF_REQUESTS_PER_CLIENT_PER_DAY, default 10), through
 * the embedded Direct Line over HTTP behind a trusted proxy: one address that starts conversation after
 * conversation, leaving a message for staff out of hours in each, gets its first ten into the follow-up inbox and
 * the Teams escalation channel, and is told in its language, as soon as it asks for a person (before it describes
 * the problem), that the next cannot be passed on; two hand-overs begun with one request left both go on, and
 * only the first to be sent passes (the request is counted when the case is created); another customer
 * behind the same proxy leaves theirs as usual, and the address may leave messages again once a day has passed. A
 * Teams customer counts by their account; in business hours the bound keeps the address's cases out of the queue.
 */
jest.setTimeout(120_000);

const HOUR = 3_600_000;
/** The bound as deployed when HANDOFF_REQUESTS_PER_CLIENT_PER_DAY is unset. */
const BOUND = loadConfig({}).HANDOFF_REQUESTS_PER_CLIENT_PER_DAY;
const FLOODER = '203.0.113.66';
const NEIGHBOUR = '198.51.100.8';

/** What a customer types to leave a message, in each language. */
const words = {
  en: { human: 'human', yes: 'yes', describe: 'my bill is twice as high as last month' },
  pl: {
    human: 'konsultant',
    yes: 'tak',
    describe: 'mój rachunek jest dwa razy wyższy niż w zeszłym miesiącu',
  },
  id: { human: 'manusia', yes: 'iya', describe: 'tagihan saya dua kali lipat dari bulan lalu' },
  nb: { human: 'menneske', yes: 'ja', describe: 'regningen min er dobbelt så høy som forrige måned' },
} as const;
type Locale = keyof typeof words;

interface ActivitySet {
  activities: Array<Partial<Activity>>;
  watermark: string;
}

let bot: TestBot;
const logLines: string[] = [];

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });
  bot = await startTestBot(
    {
      BUSINESS_HOURS: 'Mon-Fri 08:00-18:00',
      BUSINESS_TIMEZONE: 'UTC',
      TRUST_PROXY: '127.0.0.1',
      HANDOFF_REQUESTS_PER_CLIENT_PER_DAY: String(BOUND),
    },
    { log: pino({ level: 'warn' }, sink) },
  );
  bot.clock.advance(untilSaturdayNoon(bot.clock.now()));
  // The staff team's escalation channel receives a card for every follow-up.
  const post = thread('bound-setup');
  await bot.post(teamsActivity(bot.connector.url, ANA, post, mention('set escalation channel')));
  await bot.connector.waitFor(() => bot.connector.textsTo(post).length > 0, 'the channel confirmation');
});
afterAll(async () => {
  await bot?.close();
});

/** A new web chat on the embedded Direct Line from the client at `address` (behind the trusted proxy). */
async function webChat(address: string, locale: Locale) {
  const headers = { 'content-type': 'application/json', 'x-forwarded-for': address };
  const start = await fetch(`${bot.url}/v3/directline/conversations`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ locale }),
  });
  expect(start.status).toBe(201);
  const { token, conversationId } = (await start.json()) as { token: string; conversationId: string };
  const authorized = { ...headers, authorization: `Bearer ${token}` };
  const base = `${bot.url}/v3/directline/conversations/${conversationId}/activities`;
  let watermark = '';
  /** Sends a message; the bot's replies to it. */
  const say = async (text: string): Promise<string[]> => {
    const sent = await fetch(base, {
      method: 'POST',
      headers: authorized,
      body: JSON.stringify({ type: 'message', text, locale, from: { name: 'Customer' } }),
    });
    expect(sent.status).toBe(200);
    const read = await fetch(`${base}${watermark ? `?watermark=${watermark}` : ''}`, { headers: authorized });
    const set = (await read.json()) as ActivitySet;
    watermark = set.watermark;
    return set.activities
      .filter((a) => a.type === 'message' && a.from?.role === 'bot')
      .map((a) => a.text ?? '');
  };
  return { conversationId, say };
}

/**
 * Asks for a person in a new conversation (out of hours, up to the offer to leave a message); the bot's replies
 * after its welcome.
 */
async function beginMessage(address: string, locale: Locale) {
  const chat = await webChat(address, locale);
  const welcome = t(locale, 'common.welcome', { botName: loadConfig({}).WEBCHAT_BOT_NAME });
  return { chat, replies: (await chat.say(words[locale].human)).filter((text) => text !== welcome) };
}

/** Leaves a message in a conversation begun by beginMessage; the bot's replies to the final "yes". */
async function finishMessage(
  chat: Awaited<ReturnType<typeof webChat>>,
  locale: Locale,
  email: string,
): Promise<string[]> {
  const w = words[locale];
  expect((await chat.say(w.yes)).join(' ')).toContain(t(locale, 'handoff.describe'));
  await chat.say(w.describe);
  expect((await chat.say(email)).join(' ')).toContain(email);
  return chat.say(w.yes);
}

/** Leaves a message for staff in a new conversation; the bot's replies to the final "yes". */
async function leaveMessage(address: string, locale: Locale, email: string): Promise<string[]> {
  const { chat } = await beginMessage(address, locale);
  return finishMessage(chat, locale, email);
}

const limit = (locale: Locale): string[] => [t(locale, 'handoff.requestLimit')];

const saved = (locale: Locale): string => t(locale, 'handoff.ticketSaved');

async function openFollowups(): Promise<Array<{ id: string; summary: string }>> {
  const response = await bot.api('/api/agent/followups');
  expect(response.status).toBe(200);
  return (await response.json()) as Array<{ id: string; summary: string }>;
}

/** Cards posted to the escalation channel so far. */
const channelPosts = (): number =>
  bot.connector.sent.filter((r) => r.conversationId === CHANNEL && r.method === 'POST').length;

describe('a bound on the requests for a person one client makes in a day', () => {
  it('when the bound is not set, then a client may make 10 requests a day: room for the two or three of a customer', () => {
    expect(BOUND).toBe(10);
  });

  it('when a customer leaves two messages in two conversations, then both reach staff', async () => {
    const before = (await openFollowups()).length;
    expect((await leaveMessage(NEIGHBOUR, 'en', 'ola@example.com')).join(' ')).toContain(saved('en'));
    expect((await leaveMessage(NEIGHBOUR, 'en', 'ola@example.com')).join(' ')).toContain(saved('en'));
    expect((await openFollowups()).length).toBe(before + 2);
  });

  it('when two hand-overs of one address begin with one request left, then both go on, and only the first sent reaches staff', async () => {
    const before = (await openFollowups()).length;
    for (let i = 1; i < BOUND; i++) {
      expect((await leaveMessage(FLOODER, 'en', `flood${i}@example.com`)).join(' ')).toContain(saved('en'));
    }
    const first = await beginMessage(FLOODER, 'en');
    const second = await beginMessage(FLOODER, 'en');
    for (const begun of [first, second]) expect(begun.replies).not.toEqual(limit('en'));
    expect((await finishMessage(first.chat, 'en', 'flood10@example.com')).join(' ')).toContain(saved('en'));
    expect(await finishMessage(second.chat, 'en', 'flood10@example.com')).toEqual(limit('en'));
    expect((await openFollowups()).length).toBe(before + BOUND);
  });

  it('when one address asks for a person in its eleventh conversation, then it is told at once in English that nothing can be passed on', async () => {
    const inbox = await openFollowups();
    await bot.connector.waitFor(() => channelPosts() >= inbox.length, 'a card per follow-up');
    const cards = channelPosts();
    logLines.length = 0;

    const { chat, replies } = await beginMessage(FLOODER, 'en');
    expect(replies).toEqual(limit('en'));
    // What the customer writes next is not taken as the request's description or contact.
    await chat.say(words.en.describe);
    await chat.say('flood11@example.com');
    // Nothing new for staff, and nothing the address left before is lost.
    expect((await openFollowups()).map((f) => f.id)).toEqual(inbox.map((f) => f.id));
    expect(channelPosts()).toBe(cards);
    // Logged at warn, without what the customer wrote and without the address: the client as the quota stores it.
    const warning = logLines.find((line) => line.includes('over its daily bound'));
    expect(warning).toBeDefined();
    const { level, client } = JSON.parse(warning ?? '{}') as { level: number; client: string };
    expect(level).toBe(40);
    expect(warning).not.toContain(FLOODER);
    expect(warning).not.toMatch(/flood11|bill|example\.com/);
    expect(await bot.app.db.collection('quotas').countDocuments({ _id: client })).toBe(1);
  });

  it.each(['pl', 'id', 'nb'] as const)(
    'when the address over its bound asks for a person in %s, then it is told at once in that language, without English',
    async (locale) => {
      const before = (await openFollowups()).length;
      const { replies } = await beginMessage(FLOODER, locale);
      expect(replies).toEqual(limit(locale));
      expect(replies.join(' ')).not.toContain(t('en', 'handoff.requestLimit').slice(0, 30));
      expect((await openFollowups()).length).toBe(before);
    },
  );

  it('when another customer behind the same proxy leaves a message meanwhile, then it reaches staff', async () => {
    const before = (await openFollowups()).length;
    expect((await leaveMessage(NEIGHBOUR, 'pl', 'jan@example.pl')).join(' ')).toContain(saved('pl'));
    expect((await openFollowups()).length).toBe(before + 1);
  });

  it('when a Teams customer leaves a message in chat after chat, then their account is the client: the eleventh is not passed on, another account is', async () => {
    const before = (await openFollowups()).length;
    let chats = 0;
    /** Leaves a message in a new Teams chat of the account; the replies to each message, until the bound's notice. */
    const leaveOnTeams = async (account: string): Promise<string[][]> => {
      const customer = { conversationId: `teams-chat-${++chats}`, channelId: 'msteams' };
      const say = async (text: string) =>
        texts(
          await bot.send(
            { type: 'message', text, from: { id: `29:${account}`, aadObjectId: account, name: 'Kim' } },
            customer,
          ),
        );
      const replies: string[][] = [];
      for (const text of ['human', 'yes', words.en.describe, 'yes']) {
        replies.push(await say(text));
        if (replies.at(-1)?.join(' ') === limit('en').join(' ')) break;
      }
      return replies;
    };
    const lastReply = (replies: string[][]): string => replies.at(-1)?.join(' ') ?? '';
    for (let i = 1; i <= BOUND; i++) expect(lastReply(await leaveOnTeams('aad-kim'))).toContain(saved('en'));
    expect(await leaveOnTeams('aad-kim')).toEqual([limit('en')]);
    expect(lastReply(await leaveOnTeams('aad-lee'))).toContain(saved('en'));
    expect((await openFollowups()).length).toBe(before + BOUND + 1);
  });

  it('when a day has passed since its first messages, then the address may leave a message again', async () => {
    bot.clock.advance(24 * HOUR + 1);
    const before = (await openFollowups()).length;
    expect((await leaveMessage(FLOODER, 'en', 'back@example.com')).join(' ')).toContain(saved('en'));
    expect((await openFollowups()).length).toBe(before + 1);
  });

  it('when one address asks for a person in conversation after conversation in business hours, then the eleventh is told at once and no case is queued', async () => {
    // Monday 10:00 UTC: the shop is open, so each request queues a case.
    bot.clock.advance(22 * HOUR);
    const queued = async (): Promise<number> =>
      ((await (await bot.api('/api/agent/cases?status=queued')).json()) as unknown[]).length;
    const before = await queued();
    const askForPerson = () => beginMessage('192.0.2.77', 'en');
    for (let i = 1; i <= BOUND; i++) {
      const { chat, replies } = await askForPerson();
      expect(replies.join(' ')).toContain(t('en', 'handoff.describe'));
      await chat.say(words.en.describe);
      await chat.say('queue@example.com');
      expect(await chat.say(words.en.yes)).not.toContain(t('en', 'handoff.requestLimit'));
    }
    expect(await queued()).toBe(before + BOUND);
    expect((await askForPerson()).replies).toEqual(limit('en'));
    expect(await queued()).toBe(before + BOUND);
  });
});
