/**
 * `npm run bench`: the bot's throughput and latency against a bare botbuilder echo bot on the same machine, then
 * FAQ matching at 10,000 entries and the CSAT summary over 100,000 ratings. Prints one JSON line per figure.
 * Throughput is measured warm (after a warm-up run, as a long-running server is), median of alternating rounds.
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
const WARM_UP_TURNS = 2000;
const ROUNDS = 3;

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

/** One run against `url` from a separate process (tests/bench/loadClient.ts), plus this process's CPU per turn. */
async function load(url: string, label: string, turns: number): Promise<LoadResult & { cpuMicros: number }> {
  const cpu = process.cpuUsage();
  const { stdout } = await run(
    process.execPath,
    [
      '--import',
      'tsx',
      fromRoot('tests/bench/loadClient.ts'),
      url,
      label,
      String(turns),
      String(CONNECTIONS),
    ],
    { maxBuffer: 1 << 20 },
  );
  const used = process.cpuUsage(cpu);
  const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as LoadResult;
  return { ...result, cpuMicros: Math.round((used.user + used.system) / turns) };
}

/**
 * Both servers live in this process; each is warmed up (JIT, caches) and then measured in alternating rounds, so
 * a slow moment of the machine hits both. Prints the median round of each and the ratio of the medians.
 */
async function compare(targets: { label: string; url: string }[]): Promise<number[]> {
  for (const { label, url } of targets) await load(url, `${label}-warm-up`, WARM_UP_TURNS);
  const rounds = targets.map(() => [] as Awaited<ReturnType<typeof load>>[]);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, { label, url }] of targets.entries())
      rounds[i]?.push(await load(url, `${label}-${round}`, TURNS));
  }
  return targets.map(({ label }, i) => {
    const results = [...(rounds[i] ?? [])].sort((a, b) => a.turnsPerSecond - b.turnsPerSecond);
    const median = results[Math.floor(results.length / 2)];
    if (!median) throw new Error('no rounds');
    const errors = results.reduce((sum, r) => sum + r.errors, 0);
    if (errors > 0) process.exitCode = 1;
    console.log(
      JSON.stringify({
        bench: label,
        turns: TURNS,
        connections: CONNECTIONS,
        rounds: results.map((r) => r.turnsPerSecond),
        turnsPerSecond: median.turnsPerSecond,
        p50: median.p50,
        p99: median.p99,
        cpuMicrosPerTurn: median.cpuMicros,
        errors,
      }),
    );
    return median.turnsPerSecond;
  });
}

async function main(): Promise<void> {
  const echo = await echoBot();
  const db = await EmbeddedDatabase.open({ location: { inMemory: true } });
  await ensureIndexes(db);
  const app = await createApp(testConfig({ FAQ_SEED_DEMO: 'true', SURVEY_INACTIVITY_MINUTES: '0' }), { db });
  const { url } = await app.start(0);
  const [echoTps = 0, botTps = 0] = await compare([
    { label: 'echo-bot', url: echo.url },
    { label: 'customer-service-bot', url },
  ]);
  echo.close();
  await app.stop();
  console.log(JSON.stringify({ bench: 'ratio', botVsEcho: Number((botTps / echoTps).toFixed(2)) }));
  console.log(JSON.stringify({ bench: 'faq', ...(await benchFaq()) }));
  console.log(JSON.stringify({ bench: 'ratings', ...(await benchRatings()) }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
