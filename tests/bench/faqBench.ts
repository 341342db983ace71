/**
 * FAQ matcher benchmark: 10,000 synthetic entries of 5 questions and an answer each (deterministic, no network), full
 * rebuild time (with the calibration on the knowledge base's own questions; also as CPU time, steadier on a
 * busy machine) and search latency percentiles. Run alone with `npx tsx tests/bench/faqBench.ts`; the
 * project bench (`npm run bench`) calls benchFaq().
 */
import { performance } from 'node:perf_hooks';
import { seededRandom } from '../../core/random';
import { FaqMatcher } from '../../knowledge/matcher';
import type { IndexableEntry } from '../../knowledge/types';

const ENTRIES = 10_000;
const QUESTIONS = 5;
/** An answer of about 50 words: sentences of the entry's topic (the matcher indexes its first 300 characters). */
const ANSWER_SENTENCES = 6;
const SEARCHES = 2_000;

const SYLLABLES = [...'bcdfghklmnprstvwz'].flatMap((consonant) =>
  [...'aeiou'].map((vowel) => consonant + vowel),
);
const FUNCTION_WORDS = ['how', 'do', 'i', 'can', 'my', 'the', 'what', 'is', 'to', 'why', 'a', 'for'];

/** A Zipf-like vocabulary: a few frequent words and a long tail, like real questions. */
function vocabulary(random: () => number, size: number): string[] {
  const words = new Set<string>();
  while (words.size < size) {
    const length = 2 + Math.floor(random() * 3);
    words.add(Array.from({ length }, () => SYLLABLES[Math.floor(random() * SYLLABLES.length)]).join(''));
  }
  return [...words];
}

function pick<T>(items: T[], random: () => number, skew = 1): T {
  return items[Math.floor(random() ** (1 + skew) * items.length)]!;
}

function sentence(random: () => number, topic: string[], words: string[]): string {
  const parts = [pick(FUNCTION_WORDS, random, 0), pick(FUNCTION_WORDS, random, 0)];
  for (const word of topic) if (random() < 0.7) parts.push(word);
  const extra = 2 + Math.floor(random() * 4);
  for (let i = 0; i < extra; i++) parts.push(pick(words, random, 2));
  return parts.join(' ') + '?';
}

export function syntheticEntries(count: number, seed = 77): IndexableEntry[] {
  const random = seededRandom(seed);
  const words = vocabulary(random, 8000);
  return Array.from({ length: count }, (_, i) => {
    const topic = [pick(words, random, 0), pick(words, random, 0), pick(words, random, 1)];
    const questions = Array.from({ length: QUESTIONS }, () => sentence(random, topic, words));
    const answer = Array.from({ length: ANSWER_SENTENCES }, () => sentence(random, topic, words)).join(' ');
    return { id: `entry-${i}`, locale: 'en', questions, answer };
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

export async function benchFaq(): Promise<{
  entries: number;
  rebuildMs: number;
  rebuildCpuMs: number;
  p50Ms: number;
  p99Ms: number;
}> {
  const entries = syntheticEntries(ENTRIES);
  const index = new FaqMatcher();
  index.rebuild(entries.slice(0, 500)); // warm-up (JIT)
  const started = performance.now();
  const cpu = process.cpuUsage();
  index.rebuild(entries);
  const rebuildMs = performance.now() - started;
  const { user, system } = process.cpuUsage(cpu);

  const random = seededRandom(5);
  const queries = Array.from({ length: SEARCHES }, () => {
    const entry = pick(entries, random, 0);
    return pick(entry.questions, random, 0).split(' ').reverse().slice(1).join(' ');
  });
  for (const query of queries.slice(0, 200)) index.search(query, 'en');
  const times: number[] = [];
  for (const query of queries) {
    const t0 = performance.now();
    index.search(query, 'en');
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  await Promise.resolve();
  return {
    entries: index.size,
    rebuildMs,
    rebuildCpuMs: (user + system) / 1000,
    p50Ms: percentile(times, 0.5),
    p99Ms: percentile(times, 0.99),
  };
}

if (require.main === module) {
  benchFaq().then(
    (result) => console.log(JSON.stringify(result)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
