import { ActivityTypes, type ConversationReference } from 'botbuilder';
import { connect } from 'node:net';
import { WebSocket } from 'ws';
import { t } from '../../locales';
import { BOT_KEY_HEADER, SERVICE_PATH } from '../../server/directline/link';
import { followStream, startDirectLineServer, type DirectLineServer } from './directLineServer';

interface Grant {
  conversationId: string;
  token: string;
  expires_in: number;
  streamUrl?: string;
}
interface Activity {
  id: string;
  type: string;
  text?: string;
  from: { id: string; role?: string };
  channelData?: { clientActivityID?: string };
  serviceUrl?: string;
  replyToId?: string;
}
interface ActivitySet {
  activities: Activity[];
  watermark: string;
}

let dl: DirectLineServer;

async function call(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(`${dl.url}${path}`, {
    method,
    headers,
    body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as unknown) : undefined,
    headers: response.headers,
  };
}

async function start(locale?: string): Promise<Grant> {
  const generated = await call('POST', '/v3/directline/tokens/generate');
  expect(generated.status).toBe(200);
  const { token } = generated.body as Grant;
  const started = await call('POST', '/v3/directline/conversations', {
    token,
    body: locale ? { locale } : {},
  });
  expect(started.status).toBe(201);
  return started.body as Grant;
}

const say = (grant: Grant, text: string, clientActivityID = 'client-1') =>
  call('POST', `/v3/directline/conversations/${grant.conversationId}/activities`, {
    token: grant.token,
    body: { type: 'message', text, from: { id: 'ignored', name: 'Ann' }, channelData: { clientActivityID } },
  });

const poll = async (grant: Grant, watermark?: string): Promise<ActivitySet> => {
  const query = watermark === undefined ? '' : `?watermark=${watermark}`;
  const result = await call(
    'GET',
    `/v3/directline/conversations/${grant.conversationId}/activities${query}`,
    {
      token: grant.token,
    },
  );
  expect(result.status).toBe(200);
  return result.body as ActivitySet;
};

/** The `{error, message}` shape with that status and code. */
function expectError(result: { status: number; body: unknown }, status: number, error: string): void {
  expect(result.status).toBe(status);
  expect(result.body).toMatchObject({ error });
  expect(Object.keys(result.body as object).sort()).toEqual(['error', 'message']);
}

const texts = (set: ActivitySet): Array<string | undefined> => set.activities.map((a) => a.text);

function userOf(token: string): string {
  const payload = token.split('.')[1] ?? '';
  return (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { user: string }).user;
}

/** A conversation reference as the bot stores it from a web chat turn. */
const referenceTo = (grant: Grant): Partial<ConversationReference> => ({
  channelId: 'webchat',
  serviceUrl: dl.link.serviceUrl,
  conversation: { id: grant.conversationId, isGroup: false, conversationType: 'personal', name: '' },
  bot: { id: 'bot', name: 'Test bot' },
  user: { id: userOf(grant.token), name: '' },
});

describe('embedded Direct Line', () => {
  beforeEach(async () => {
    dl = await startDirectLineServer({ limits: { maxClientActivityBytes: 4096 } });
  });
  afterEach(async () => {
    await dl.close();
  });

  it('when a conversation starts, then the bot welcomes the customer in the locale of the start', async () => {
    const grant = await start('pl-PL');
    expect(grant.streamUrl).toMatch(
      /^ws:\/\/127\.0\.0\.1:\d+\/v3\/directline\/conversations\/[\w-]+\/stream\?t=/,
    );
    const set = await poll(grant);
    expect(set.activities).toHaveLength(1);
    expect(set.activities[0]?.text).toBe(t('pl', 'common.welcome', { botName: 'Test bot' }));
    expect(set.activities[0]?.from.role).toBe('bot');
  });

  it('when the customer writes, then the message is echoed with its client id and the reply follows after the watermark', async () => {
    const grant = await start();
    const welcome = await poll(grant);
    const posted = await say(grant, 'hello there');
    expect(posted.status).toBe(200);
    const { id } = posted.body as { id: string };
    const after = await poll(grant, welcome.watermark);
    expect(texts(after)).toEqual(['hello there', 'echo: hello there']);
    const [echo, reply] = after.activities;
    expect(echo?.id).toBe(id);
    expect(echo?.channelData?.clientActivityID).toBe('client-1');
    expect(echo?.from).toEqual({ id: userOf(grant.token), name: 'Ann', role: 'user' });
    expect(reply?.replyToId).toBe(id);
    expect(texts(await poll(grant, after.watermark))).toEqual([]);
  });

  it('when the client listens on the WebSocket stream, then it gets the backlog and every new activity', async () => {
    const grant = await start();
    const ws = new WebSocket(grant.streamUrl ?? '');
    const received: Activity[] = [];
    const sawReply = new Promise<void>((resolve, reject) => {
      ws.on('message', (data: Buffer) => {
        received.push(...(JSON.parse(data.toString('utf8')) as ActivitySet).activities);
        if (received.some((a) => a.text === 'echo: over the socket')) resolve();
      });
      ws.on('error', reject);
    });
    await new Promise((resolve) => ws.once('open', resolve));
    expect((await say(grant, 'over the socket')).status).toBe(200);
    await sawReply;
    ws.close();
    expect(received.map((a) => a.text)).toEqual([
      t('en', 'common.welcome', { botName: 'Test bot' }),
      'over the socket',
      'echo: over the socket',
    ]);
  });

  it('when a stream URL carries another conversation, a forged or no token, then the upgrade is refused', async () => {
    const mine = await start();
    const theirs = await start();
    const base = (mine.streamUrl ?? '').split('?')[0] ?? '';
    const theirToken = new URL(theirs.streamUrl ?? '').searchParams.get('t') ?? '';
    const refusal = (url: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url);
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => resolve(101));
      });
    expect(await refusal(`${base}?t=${theirToken}`)).toBe(403);
    expect(await refusal(base)).toBe(401);
    expect(await refusal(`${base}?t=${mine.token}`)).toBe(401); // a REST token is not a stream token
  });

  it('when the bot updates a reply, then the client gets the new version under the same id', async () => {
    const grant = await start();
    const welcome = await poll(grant);
    await say(grant, 'edit me');
    const after = await poll(grant, welcome.watermark);
    const versions = after.activities.filter((a) => a.from.role === 'bot');
    expect(versions.map((a) => a.text)).toEqual(['second version']);
  });

  it('when the token is refreshed, then the new token works for the same conversation and user', async () => {
    const grant = await start();
    const refreshed = await call('POST', '/v3/directline/tokens/refresh', { token: grant.token });
    expect(refreshed.status).toBe(200);
    const next = refreshed.body as Grant;
    expect(next.conversationId).toBe(grant.conversationId);
    expect(userOf(next.token)).toBe(userOf(grant.token));
    expect((await say({ ...grant, token: next.token }, 'still here')).status).toBe(200);
  });

  it('when the client reconnects, then it gets a fresh stream URL from its watermark', async () => {
    const grant = await start();
    const result = await call('GET', `/v3/directline/conversations/${grant.conversationId}?watermark=1`, {
      token: grant.token,
    });
    expect(result.status).toBe(200);
    expect((result.body as Grant).streamUrl).toContain('watermark=1');
  });

  it('when a request has no token, then it is refused with 401', async () => {
    const grant = await start();
    const result = await call('GET', `/v3/directline/conversations/${grant.conversationId}/activities`);
    expectError(result, 401, 'unauthorized');
    const forged = await call('GET', `/v3/directline/conversations/${grant.conversationId}/activities`, {
      token: `${grant.token.slice(0, -4)}AAAA`,
    });
    expect(forged.status).toBe(401);
  });

  it("when a client uses another conversation's token, then it is refused with 403 and sees nothing", async () => {
    const mine = await start();
    const theirs = await start();
    await say(theirs, 'private');
    const read = await call('GET', `/v3/directline/conversations/${theirs.conversationId}/activities`, {
      token: mine.token,
    });
    expect(read.status).toBe(403);
    expect(JSON.stringify(read.body)).not.toContain('private');
    const write = await call('POST', `/v3/directline/conversations/${theirs.conversationId}/activities`, {
      token: mine.token,
      body: { type: 'message', text: 'hi' },
    });
    expect(write.status).toBe(403);
  });

  it('when a token has expired, then requests and refreshes get 403', async () => {
    const grant = await start();
    dl.clock.advance((grant.expires_in + 1) * 1000);
    expect((await say(grant, 'too late')).status).toBe(403);
    expect((await call('POST', '/v3/directline/tokens/refresh', { token: grant.token })).status).toBe(403);
  });

  it('when the token a stream was opened with expires, then the stream closes and gets nothing sent after', async () => {
    // Started without a token: the stream belongs to the token granted with it, which is never refreshed.
    const started = await call('POST', '/v3/directline/conversations');
    const grant = started.body as Grant;
    const stream = followStream(grant.streamUrl ?? '');
    await stream.received(t('en', 'common.welcome', { botName: 'Test bot' }));
    dl.clock.advance((grant.expires_in + 1) * 1000);
    const late = 'Hi, this is Maria from support.';
    await dl.adapter.continueConversationAsync('', referenceTo(grant), async (context) => {
      await context.sendActivity({ type: ActivityTypes.Message, text: late });
    });
    const outcome = await Promise.race([
      stream.closed.then(() => 'closed'),
      stream.received(late).then(() => 'received'),
    ]);
    expect(outcome).toBe('closed');
    expect(stream.texts).not.toContain(late);
  });

  it('when the token a stream belongs to expires before the stream is opened, then the upgrade is refused', async () => {
    const grant = await start();
    // A minute before the token expires: the stream token handed out now is good for two minutes.
    dl.clock.advance((grant.expires_in - 60) * 1000);
    const reconnect = await call('GET', `/v3/directline/conversations/${grant.conversationId}`, {
      token: grant.token,
    });
    const { streamUrl } = reconnect.body as Grant;
    dl.clock.advance(30_000);
    const inTime = followStream(streamUrl ?? '');
    expect(await inTime.opened).toBe(101);
    inTime.ws.close();
    dl.clock.advance(31_000);
    expect(await followStream(streamUrl ?? '').opened).toBe(403);
  });

  it('when an activity is larger than the limit, then it is refused with 413', async () => {
    const grant = await start();
    const result = await say(grant, 'x'.repeat(5000));
    expectError(result, 413, 'payload_too_large');
  });

  it('when the body is not valid JSON or not an activity, then it is refused with 400', async () => {
    const grant = await start();
    const path = `/v3/directline/conversations/${grant.conversationId}/activities`;
    const malformed = await call('POST', path, { token: grant.token, raw: '{"type": "message", ' });
    expect(malformed.status).toBe(400);
    expect(Object.keys(malformed.body as object).sort()).toEqual(['error', 'message']);
    const invoke = await call('POST', path, { token: grant.token, body: { type: 'invoke', name: 'x' } });
    expect(invoke.status).toBe(400);
    const textObject = await call('POST', path, {
      token: grant.token,
      body: { type: 'message', text: { $gt: '' } },
    });
    expect(textObject.status).toBe(400);
  });

  it('when the bot-side endpoints are called without the key or with a wrong one, then they refuse', async () => {
    const grant = await start();
    const path = `${SERVICE_PATH}/v3/conversations/${grant.conversationId}/activities`;
    const activity = { type: 'message', text: 'spoofed bot message' };
    expect((await call('POST', path, { body: activity })).status).toBe(401);
    const wrong = await call('POST', path, { body: activity, headers: { [BOT_KEY_HEADER]: 'guess' } });
    expect(wrong.status).toBe(403);
    expect(
      (await call('GET', `${SERVICE_PATH}/v3/conversations/${grant.conversationId}/members`)).status,
    ).toBe(401);
    expect(texts(await poll(grant))).not.toContain('spoofed bot message');
  });

  it('when an agent reply is sent proactively through a stored reference, then the customer sees it', async () => {
    const grant = await start();
    const welcome = await poll(grant);
    await dl.adapter.continueConversationAsync('', referenceTo(grant), async (context) => {
      await context.sendActivity({ type: ActivityTypes.Message, text: 'Hi, this is Maria from support.' });
    });
    expect(texts(await poll(grant, welcome.watermark))).toEqual(['Hi, this is Maria from support.']);
  });
});

describe('embedded Direct Line limits and credentials', () => {
  afterEach(async () => {
    await dl.close();
  });

  it('when one address starts conversations too fast, then it gets 429 with Retry-After', async () => {
    dl = await startDirectLineServer({ limits: { startsPerMinutePerAddress: 2 } });
    expect((await call('POST', '/v3/directline/tokens/generate')).status).toBe(200);
    expect((await call('POST', '/v3/directline/conversations')).status).toBe(201);
    const third = await call('POST', '/v3/directline/tokens/generate');
    expectError(third, 429, 'too_many_requests');
    expect(third.headers.get('retry-after')).toBe('10');
    dl.clock.advance(60_000);
    expect((await call('POST', '/v3/directline/tokens/generate')).status).toBe(200);
  });

  it('when a WebSocket upgrade asks for any other path, then it gets 404 and the connection is closed', async () => {
    dl = await startDirectLineServer();
    const { port } = new URL(dl.url);
    const socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write(
      'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
        'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    );
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 404 /);
  });

  it('when one address opens too many streams, then the next is refused until one closes', async () => {
    dl = await startDirectLineServer({ limits: { maxStreamsPerAddress: 2 } });
    const open = (grant: Grant) =>
      new Promise<{ status: number; ws: WebSocket }>((resolve) => {
        const ws = new WebSocket(grant.streamUrl ?? '');
        ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0, ws }));
        ws.on('open', () => resolve({ status: 101, ws }));
      });
    const first = await open(await start());
    const second = await open(await start());
    const third = await open(await start());
    expect([first.status, second.status, third.status]).toEqual([101, 101, 429]);
    const gone = new Promise((resolve) => first.ws.on('close', resolve));
    first.ws.close();
    await gone;
    // The server sees the close a moment later.
    let again = await open(await start());
    for (let i = 0; again.status !== 101 && i < 50; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      again = await open(await start());
    }
    expect(again.status).toBe(101);
    for (const ws of [second.ws, again.ws]) ws.close();
  });

  it('when stream handshakes from one address fail, then they do not count against its streams', async () => {
    dl = await startDirectLineServer({ limits: { maxStreamsPerAddress: 2 } });
    const { port } = new URL(dl.url);
    for (let i = 0; i < 3; i++) {
      const stream = new URL((await start()).streamUrl ?? '');
      const socket = connect(Number(port), '127.0.0.1');
      const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      socket.resume();
      // A valid stream token, but no Sec-WebSocket-Key: ws refuses the handshake without a WebSocket.
      socket.write(
        `GET ${stream.pathname}${stream.search} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n` +
          'Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n\r\n',
      );
      await closed;
    }
    const ws = new WebSocket((await start()).streamUrl ?? '');
    const status = await new Promise<number>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
    });
    expect(status).toBe(101);
    ws.close();
  });

  it('when a stream stops answering pings, then it is dropped', async () => {
    dl = await startDirectLineServer({ limits: { pingIntervalMs: 50 } });
    const grant = await start();
    const ws = new WebSocket(grant.streamUrl ?? '', { autoPong: false });
    const code = await new Promise<number>((resolve) =>
      ws.on('close', (closeCode: number) => resolve(closeCode)),
    );
    expect(code).toBe(1006); // terminated, no closing handshake
  });

  it('when the token of an idle stream expires, then the stream is closed at the next ping', async () => {
    dl = await startDirectLineServer({ limits: { pingIntervalMs: 50 } });
    const started = await call('POST', '/v3/directline/conversations');
    const grant = started.body as Grant;
    const ws = new WebSocket(grant.streamUrl ?? '');
    await new Promise((resolve) => ws.once('open', resolve));
    const closed = new Promise<[number, string]>((resolve) =>
      ws.on('close', (code: number, reason: Buffer) => resolve([code, reason.toString()])),
    );
    dl.clock.advance((grant.expires_in + 1) * 1000);
    expect(await closed).toEqual([1000, 'token expired']);
  });

  it('when one conversation sends too many requests, then it gets 429', async () => {
    dl = await startDirectLineServer({ limits: { requestsPerMinutePerConversation: 3 } });
    const grant = await start(); // the start itself is one request of the conversation
    expect((await say(grant, 'one')).status).toBe(200);
    expect((await say(grant, 'two')).status).toBe(200);
    expect((await say(grant, 'three')).status).toBe(429);
  });

  it('when one address posts too many activities over its conversations, then it gets 429 until the minute refills', async () => {
    dl = await startDirectLineServer({ limits: { activitiesPerMinutePerAddress: 2 } });
    const first = await start();
    const second = await start();
    expect((await say(first, 'one')).status).toBe(200);
    expect((await say(second, 'two')).status).toBe(200);
    const third = await say(second, 'three');
    expectError(third, 429, 'too_many_requests');
    expect(third.headers.get('retry-after')).toBe('10');
    dl.clock.advance(60_000);
    expect((await say(first, 'four')).status).toBe(200);
  });

  it('when the app body limit is exceeded, then restify refuses with 413 in the same error shape', async () => {
    dl = await startDirectLineServer({ maxBodyBytes: 2048 });
    const grant = await start();
    const result = await say(grant, 'y'.repeat(3000));
    expect(result.status).toBe(413);
    expect(result.body).toMatchObject({ message: 'The request body is too large.' });
  });

  it('when the bot has Microsoft credentials, then web chat turns and proactive sends still work without any token fetch', async () => {
    // No network in tests: any attempt to fetch an AAD token would fail these turns.
    dl = await startDirectLineServer({
      appId: '00000000-0000-0000-0000-000000000001',
      appPassword: 'not-a-secret',
    });
    const grant = await start('nb-NO');
    expect(texts(await poll(grant))[0]).toBe(t('nb', 'common.welcome', { botName: 'Test bot' }));
    await say(grant, 'with credentials');
    await dl.adapter.continueConversationAsync(dl.link.appId, referenceTo(grant), async (context) => {
      await context.sendActivity('proactive with credentials');
    });
    expect(texts(await poll(grant)).slice(-2)).toEqual([
      'echo: with credentials',
      'proactive with credentials',
    ]);
  });
});
