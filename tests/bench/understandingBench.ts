/**
 * Understanding benchmark: training time of all locales' models at start (wall and CPU), and the latency of
 * reading one message (Understanding.message, what the router calls on every first message) and one yes/no
 * reply, over the held-out messages of every locale, after a warm-up pass. Run alone with
 * `npx tsx tests/bench/understandingBench.ts`; the project bench (`npm run bench`) calls benchUnderstanding().
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fromRoot } from '../../core/paths';
import { Understanding } from '../../language/understanding';

const LOCALES = ['en', 'id', 'pl', 'nb'];
const ROUNDS = Number(process.env.UNDERSTANDING_ROUNDS ?? 5);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

function messages(task: 'message' | 'confirm'): { text: string; locale: string }[] {
  return LOCALES.flatMap((locale) =>
    readFileSync(fromRoot('tests', 'fixtures', 'understanding', locale, `${task}.jsonl`), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => ({ text: (JSON.parse(line) as { text: string }).text, locale })),
  );
}

function latencies(
  read: (text: string, locale: string) => unknown,
  inputs: { text: string; locale: string }[],
) {
  for (const { text, locale } of inputs) read(text, locale);
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const { text, locale } of inputs) {
      const started = performance.now();
      read(text, locale);
      times.push(performance.now() - started);
    }
  }
  times.sort((a, b) => a - b);
  return { p50Ms: percentile(times, 0.5), p99Ms: percentile(times, 0.99) };
}

export function benchUnderstanding(): {
  trainingMs: number;
  trainingCpuMs: number;
  messages: number;
  messageP50Ms: number;
  messageP99Ms: number;
  confirmP50Ms: number;
  confirmP99Ms: number;
} {
  const cpu = process.cpuUsage();
  const understanding = Understanding.load();
  const used = process.cpuUsage(cpu);
  const inputs = messages('message');
  const message = latencies((text, locale) => understanding.message(text, locale), inputs);
  const confirm = latencies((text, locale) => understanding.confirm(text, locale), messages('confirm'));
  return {
    trainingMs: understanding.trainingMillis,
    trainingCpuMs: (used.user + used.system) / 1000,
    messages: inputs.length * ROUNDS,
    messageP50Ms: message.p50Ms,
    messageP99Ms: message.p99Ms,
    confirmP50Ms: confirm.p50Ms,
    confirmP99Ms: confirm.p99Ms,
  };
}

if (require.main === module) console.log(JSON.stringify({ bench: 'understanding', ...benchUnderstanding() }));
