/**
 * `npm run bench`: the bot's throughput and latency against a bare botbuilder echo bot on the same machine, then
 * FAQ matching at 10,000 entries and the CSAT summary over 100,000 ratings. Prints one JSON line per figure.
 *
 * The bot runs as `npm start` runs it (embedded store on disk), and a second time with the store in memory, as
 * the tests run it. Each server runs in its own process (tests/bench/server.ts) and the load comes from another
 * (tests/bench/loadClient.ts). Throughput is measured warm, as a long-running server is: after a warm-up run,
 * rounds alternate between the servers, so a slow moment of the machine hits all of them, and the median round
 * of each is reported with the server's CPU time per turn.
 */
import { execFile, fork } from 'node:child_process';
import { promisify } from 'node:util';
import { fromRoot } from '../../core/paths';
import { benchFaq } from './faqBench';
import { benchRatings } from './ratingsBench';
import { benchUnderstanding } from './understandingBench';
import type { ServerMessage } from './server';

const run = promisify(execFile);
const CONNECTIONS = 50;
const TURNS = Number(process.env.BENCH_TURNS ?? 6000);
const WARM_UP_TURNS = TURNS;
const ROUNDS = 3;

/** A server under test, in its own process. */
interface Target {
  label: string;
  url: string;
  /** Its CPU time so far, in µs. */
  cpu: () => Promise<number>;
  stop: () => void;
}

async function startServer(which: 'echo' | 'bot' | 'bot-in-memory', label: string): Promise<Target> {
  const child = fork(fromRoot('tests/bench/server.ts'), [which], { execArgv: ['--import', 'tsx'] });
  const next = (): Promise<ServerMessage> =>
    new Promise((resolve, reject) => {
      const exited = (code: number | null): void => reject(new Error(`the ${label} server exited (${code})`));
      child.once('exit', exited);
      child.once('message', (message: ServerMessage) => {
        child.off('exit', exited);
        resolve(message);
      });
    });
  const { url } = await next();
  if (!url) throw new Error(`the ${label} server did not start`);
  return {
    label,
    url,
    cpu: async () => {
      const answer = next();
      child.send('cpu');
      return (await answer).cpuMicros ?? 0;
    },
    stop: () => child.send('stop'),
  };
}

interface LoadResult {
  turnsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

/** One run of `turns` question turns against a target, and the target's CPU time per turn (µs). */
async function load(
  target: Target,
  label: string,
  turns: number,
): Promise<LoadResult & { cpuMicros: number }> {
  const cpuBefore = await target.cpu();
  const { stdout } = await run(
    process.execPath,
    [
      '--import',
      'tsx',
      fromRoot('tests/bench/loadClient.ts'),
      target.url,
      label,
      String(turns),
      String(CONNECTIONS),
    ],
    { maxBuffer: 1 << 20 },
  );
  const cpuMicros = Math.round(((await target.cpu()) - cpuBefore) / turns);
  const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as LoadResult;
  return { ...result, cpuMicros };
}

/** Warms every target up, runs alternating rounds, prints each target's median round; returns their turns/s. */
async function compare(targets: Target[]): Promise<number[]> {
  for (const target of targets) await load(target, `${target.label}-warm-up`, WARM_UP_TURNS);
  const rounds = targets.map(() => [] as Awaited<ReturnType<typeof load>>[]);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, target] of targets.entries()) {
      rounds[i]?.push(await load(target, `${target.label}-${round}`, TURNS));
    }
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
  const targets = [
    await startServer('echo', 'echo-bot'),
    await startServer('bot', 'customer-service-bot'),
    await startServer('bot-in-memory', 'customer-service-bot-store-in-memory'),
  ];
  try {
    const [echoTps = 0, botTps = 0, inMemoryTps = 0] = await compare(targets);
    const ratio = (tps: number): number => Number((tps / echoTps).toFixed(2));
    console.log(
      JSON.stringify({ bench: 'ratio', botVsEcho: ratio(botTps), storeInMemoryVsEcho: ratio(inMemoryTps) }),
    );
  } finally {
    for (const target of targets) target.stop();
  }
  console.log(JSON.stringify({ bench: 'faq', ...(await benchFaq()) }));
  console.log(JSON.stringify({ bench: 'ratings', ...(await benchRatings()) }));
  console.log(JSON.stringify({ bench: 'understanding', ...benchUnderstanding() }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
