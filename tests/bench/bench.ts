/**
 * `npm run bench`: the bot's throughput and latency against a bare botbuilder echo bot on the same machine, then
 * FAQ matching at 10,000 entries and the CSAT summary over 100,000 ratings. Prints one JSON line per figure.
 */
import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import restify from 'restify';
import { fromRoot } from '../../core/paths';
import { createApp } from '../../server/app';
import { EmbeddedDatabase } from '../../storage/embedded';
import { ensureIndexes } from '../../storage/schema';
import { testConfig } from '../helpers/config';
import { benchFaq } from './faqBench';
import { benchRatings } from './ratingsBench';

const run = promisify(execFile);
const CONNECTIONS = 50;
const TURNS = Number(process.env.BENCH_TURNS ?? 6000);

async function echoBot(): Promise<{ url: string; close: () => void }> {
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
    close: () => {
      server.close();
    },
  };
}

interface LoadResult {
  turnsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

/** Drives `url` from a separate process (tests/bench/loadClient.ts) and prints the figures. */
async function load(url: string, label: string): Promise<LoadResult> {
  const { stdout } = await run(
    process.execPath,
    [
      '--import',
      'tsx',
      fromRoot('tests/bench/loadClient.ts'),
      url,
      label,
      String(TURNS),
      String(CONNECTIONS),
    ],
    { maxBuffer: 1 << 20 },
  );
  const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as LoadResult;
  console.log(JSON.stringify({ bench: label, turns: TURNS, connections: CONNECTIONS, ...result }));
  if (result.errors > 0) process.exitCode = 1;
  return result;
}

async function main(): Promise<void> {
  const echo = await echoBot();
  const echoResult = await load(echo.url, 'echo-bot');
  echo.close();

  const db = await EmbeddedDatabase.open({ location: { inMemory: true } });
  await ensureIndexes(db);
  const app = await createApp(testConfig({ FAQ_SEED_DEMO: 'true', SURVEY_INACTIVITY_MINUTES: '0' }), { db });
  const { url } = await app.start(0);
  const botResult = await load(url, 'customer-service-bot');
  await app.stop();
  console.log(
    JSON.stringify({
      bench: 'ratio',
      botVsEcho: Number((botResult.turnsPerSecond / echoResult.turnsPerSecond).toFixed(2)),
    }),
  );
  console.log(JSON.stringify({ bench: 'faq', ...(await benchFaq()) }));
  console.log(JSON.stringify({ bench: 'ratings', ...(await benchRatings()) }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
