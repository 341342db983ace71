/**
 * `npm run bench`: the bot's throughput and latency against a bare botbuilder echo bot on the same machine, then
 * FAQ matching at 10,000 entries and the CSAT summary over 100,000 ratings. Prints one JSON line per figure.
 */
import type { AddressInfo } from 'node:net';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import restify from 'restify';
import { createApp } from '../../server/app';
import { EmbeddedDatabase } from '../../storage/embedded';
import { ensureIndexes } from '../../storage/schema';
import { testConfig } from '../helpers/config';
import { benchFaq } from './faqBench';
import { benchRatings } from './ratingsBench';

const CONNECTIONS = 50;
const TURNS = Number(process.env.BENCH_TURNS ?? 3000);
const QUESTIONS = [
  'How do I change my wifi password?',
  'my internet is slow',
  'how can I pay my bill',
  'router lights',
];

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

async function load(
  url: string,
  label: string,
): Promise<{ turnsPerSecond: number; p50: number; p99: number }> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < TURNS) {
        const i = next++;
        const t0 = performance.now();
        const response = await fetch(`${url}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            type: 'message',
            id: `m${i}`,
            channelId: 'webchat',
            serviceUrl: 'http://127.0.0.1:9',
            deliveryMode: 'expectReplies',
            from: { id: `user-${i}` },
            recipient: { id: 'bot' },
            conversation: { id: `bench-${label}-${i}` },
            locale: 'en-US',
            text: QUESTIONS[i % QUESTIONS.length],
          }),
        });
        await response.text();
        if (response.status !== 200) errors++;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number): number =>
    Number((latencies[Math.floor(q * (latencies.length - 1))] ?? 0).toFixed(2));
  const result = { turnsPerSecond: Math.round(TURNS / seconds), p50: at(0.5), p99: at(0.99) };
  console.log(JSON.stringify({ bench: label, turns: TURNS, connections: CONNECTIONS, errors, ...result }));
  if (errors > 0) process.exitCode = 1;
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
