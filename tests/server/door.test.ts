import { readdirSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { projectRoot } from '../../core/paths';
import { createHttpServer, MAX_JSON_DEPTH, nestedDeeperThan } from '../../server/http';
import { ADMIN_TOKEN, startTestBot, type TestBot } from '../helpers/harness';

/** `{"a":{"a":…1…}}` nested `depth` deep, as raw JSON (JSON.stringify itself overflows on such values). */
const nested = (depth: number): string => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

describe('the door of every route', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(() => bot.close());

  const activity = (value: string): string =>
    `{"type":"message","id":"deep-1","channelId":"webchat","serviceUrl":"${bot.connector.url}",` +
    `"from":{"id":"u"},"recipient":{"id":"b"},"conversation":{"id":"deep"},"text":"hi",` +
    `"deliveryMode":"expectReplies","value":${value},"channelData":${value}}`;

  it('when a value is nested 5,000 deep, then /api/messages answers 400 JSON and the bot stays well', async () => {
    const response = await bot.post(activity(nested(5000)));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; message: string };
    expect(body.error).toBe('bad_request');
    expect(body.message).toMatch(/deeper than 64/);
    expect(await bot.say('hello', { conversationId: 'deep' })).not.toHaveLength(0);
  });

  it('when a body nests exactly as deep as allowed, then it is accepted', async () => {
    // The activity itself is one level, `value` the rest.
    expect((await bot.post(activity(nested(MAX_JSON_DEPTH - 2)))).status).toBe(200);
    expect((await bot.post(activity(nested(MAX_JSON_DEPTH)))).status).toBe(400);
  });

  it('when a Direct Line client posts an activity nested 5,000 deep, then it answers 400, not 500', async () => {
    const start = await fetch(`${bot.url}/v3/directline/conversations`, { method: 'POST' });
    const { token, conversationId } = (await start.json()) as { token: string; conversationId: string };
    const response = await fetch(`${bot.url}/v3/directline/conversations/${conversationId}/activities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: `{"type":"message","text":"hi","value":${nested(5000)}}`,
    });
    expect(response.status).toBe(400);
  });

  it('when an admin body is nested deep, then it answers 400 JSON', async () => {
    const response = await bot.api('/api/admin/faq', { method: 'POST', body: nested(5000) });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('bad_request');
  });

  it('when an admin body is XML, then it answers 400 saying the body must be JSON, naming nothing of the server', async () => {
    const response = await fetch(`${bot.url}/api/admin/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/xml' },
      body: '<token><name>x</name></token>',
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; message: string };
    expect(body).toMatchObject({ error: 'bad_request', message: 'The request body must be JSON.' });
    expect(JSON.stringify(body)).not.toMatch(/readBig|Buffer|UInt/);
  });

  it.each(['/v3/directline/tokens/generate', '/api/messages', '/api/admin/faq'])(
    'when a file is uploaded to %s, then it answers 415 and writes nothing to the temp folder',
    async (route) => {
      const before = new Set(readdirSync(tmpdir()));
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(2 * 1024 * 1024)]), 'big.bin');
      const response = await fetch(`${bot.url}${route}`, { method: 'POST', body: form });
      expect(response.status).toBe(415);
      expect(await response.json()).toEqual({
        error: 'unsupported_media_type',
        message: 'Unsupported content type; send application/json.',
      });
      expect(readdirSync(tmpdir()).filter((name) => !before.has(name) && name.startsWith('upload_'))).toEqual(
        [],
      );
    },
  );

  it.each([
    ['/healthz', 'GET'],
    ['/readyz', 'GET'],
    ['/nope', 'GET'],
    ['/api/messages', 'POST'],
    ['/api/admin/faq', 'GET'],
    ['/api/agent/cases', 'GET'],
    ['/webchat/config.json', 'GET'],
    ['/', 'GET'],
    ['/admin', 'GET'],
    ['/agent', 'GET'],
  ])('when %s is requested (%s), then the answer says nosniff', async (route, method) => {
    const response = await bot.api(route, { method, ...(method === 'POST' ? { body: '{}' } : {}) });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('when a token comes without "Bearer ", then it is refused', async () => {
    const bare = await fetch(`${bot.url}/api/admin/faq`, { headers: { authorization: ADMIN_TOKEN } });
    expect(bare.status).toBe(401);
    const basic = await fetch(`${bot.url}/api/admin/faq`, {
      headers: { authorization: `Basic ${ADMIN_TOKEN}` },
    });
    expect(basic.status).toBe(401);
    expect((await bot.api('/api/admin/faq')).status).toBe(200);
  });
});

describe('nestedDeeperThan', () => {
  it.each([
    [1, 0, false],
    [{}, 0, true],
    [{ a: 1 }, 1, false],
    [[[1]], 1, true],
    [[[1]], 2, false],
    [{ a: [{ b: {} }] }, 3, true],
    [{ a: [{ b: {} }] }, 4, false],
  ])('%j deeper than %i: %s', (value, limit, expected) => {
    expect(nestedDeeperThan(value, limit)).toBe(expected);
  });
});

describe("restify's own log lines", () => {
  it('when a response cannot be formatted, then the log line names the route but no header, query or body', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const server = createHttpServer({
      name: 'log-test',
      maxBodyBytes: 10_000,
      log: pino({ level: 'info' }, sink),
    });
    server.post('/broken', (_req, res, next) => {
      // JSON cannot hold a BigInt: restify's formatter fails and logs.
      res.send(200, { n: BigInt(1) });
      next();
    });
    await new Promise<void>((resolve) => {
      server.listen(0, '127.0.0.1', resolve);
    });
    try {
      const { port } = server.server.address() as AddressInfo;
      await fetch(`http://127.0.0.1:${port}/broken?token=query-secret`, {
        method: 'POST',
        headers: { authorization: 'Bearer header-secret', 'content-type': 'application/json' },
        body: '{"password":"body-secret"}',
      }).catch(() => undefined);
      await new Promise((resolve) => setImmediate(resolve));
      expect(lines.join('')).toMatch(/\/broken/);
      expect(lines.join('')).not.toMatch(/secret|authorization/i);
    } finally {
      server.close();
    }
  });
});

describe('starting on a port already in use', () => {
  let holder: Server;
  let dataDir: string;
  beforeAll(async () => {
    holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    dataDir = await mkdtemp(path.join(tmpdir(), 'port-in-use-'));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => holder.close(() => resolve()));
    await rm(dataDir, { recursive: true, force: true });
  });

  it('when the port is taken, then the bot says so in one line and exits 1', async () => {
    const { port } = holder.address() as AddressInfo;
    const child = spawn(process.execPath, ['--import', 'tsx', 'index.ts'], {
      cwd: projectRoot,
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
        FAQ_SEED_DEMO: 'false',
        ADMIN_TOKEN: ADMIN_TOKEN,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      `The bot could not start: port ${port} on 127.0.0.1 is already in use (set PORT, or stop the other process)`,
    ]);
  }, 120_000); // starting the real entry point takes a while on a busy machine
});
