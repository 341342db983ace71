/**
 * One server under test for `npm run bench`, in its own process (so that the two servers compared do not share
 * a JIT or a heap): `server.ts echo|bot|bot-in-memory`, started with an IPC channel. It sends `{url}` once listening, answers
 * `'cpu'` with its CPU time so far (µs) and exits on `'stop'`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import restify from 'restify';
import { createApp } from '../../server/app';
import { EmbeddedDatabase } from '../../storage/embedded';
import { ensureIndexes } from '../../storage/schema';
import { testConfig } from '../helpers/config';

export interface ServerMessage {
  url?: string;
  cpuMicros?: number;
}

/** The bare botbuilder echo bot: restify, CloudAdapter.process, one reply. */
async function echoBot(): Promise<{ url: string; stop: () => Promise<void> }> {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const bot = new ActivityHandler().onMessage(async (context, next) => {
    await context.sendActivity(`Echo: ${context.activity.text ?? ''}`);
    await next();
  });
  const server = restify.createServer();
  server.use(restify.plugins.bodyParser());
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  };
}

/**
 * This bot as `npm start` builds it, with the demo knowledge base and the embedded store on disk in a temporary
 * folder (what `npm start` runs), or in memory (as the tests run it).
 */
async function customerServiceBot(onDisk: boolean): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = onDisk ? await mkdtemp(path.join(tmpdir(), 'bench-')) : undefined;
  const db = await EmbeddedDatabase.open({ location: dir ? { dir } : { inMemory: true } });
  await ensureIndexes(db);
  const app = await createApp(testConfig({ FAQ_SEED_DEMO: 'true', SURVEY_INACTIVITY_MINUTES: '0' }), { db });
  const { url } = await app.start(0);
  return {
    url,
    stop: async () => {
      await app.stop();
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

async function main(): Promise<void> {
  const which = process.argv[2];
  if ((which !== 'echo' && which !== 'bot' && which !== 'bot-in-memory') || !process.send) {
    process.stderr.write('usage: fork server.ts echo|bot|bot-in-memory (with an IPC channel)\n');
    process.exit(2);
  }
  const send = (message: ServerMessage): void => {
    process.send?.(message);
  };
  const server = which === 'echo' ? await echoBot() : await customerServiceBot(which === 'bot');
  process.on('message', (message: unknown) => {
    if (message === 'cpu') {
      const { user, system } = process.cpuUsage();
      send({ cpuMicros: user + system });
    } else if (message === 'stop') {
      void server.stop().finally(() => process.exit(0));
    }
  });
  send({ url: server.url });
}

void main();
