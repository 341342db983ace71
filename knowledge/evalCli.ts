/**
 * FAQ matcher evaluation (contract):
 *   npm run eval:faq -- --kb <kb.json> --queries <queries.jsonl> [--threshold x] [--baseline]
 *
 * kb.json: {"entries":[{"id":"…","locale":"en","questions":["…"],"answer":"…"}]} (an entry may carry
 * "enabled": false; its answer, when given, is matched too, as in production). queries.jsonl: one {"text":"…","locale":"en","expected":"<entry id>"|null} per line;
 * null means out of scope (OOS). The last line printed is one JSON object:
 *   {"n":…,"top1":…,"inScopeAccuracy":…,"oosPrecision":…,"oosRecall":…,"msPerQuery":…}
 *
 * Definitions (fractions 0–1):
 * - prediction = the top entry of `search(text, locale)` if its score ≥ threshold, else null;
 * - top1 = share of all queries whose prediction equals expected (null == null counts as correct);
 * - inScopeAccuracy = share of in-scope queries (expected ≠ null) predicted correctly (null if none);
 * - oosPrecision = of the queries predicted null, the share that are truly OOS (null when no query has
 *   an OOS expectation, or when nothing was predicted null);
 * - oosRecall = of the OOS queries, the share predicted null (null when there are no OOS queries);
 * - msPerQuery = mean wall time of one search, after the index is built.
 * The default threshold is the production clarify threshold (below it the bot offers no entry at all).
 * --baseline: first prints `baseline {…}`, the same figures for a plain TF-IDF nearest-centroid matcher (word
 * unigrams, no stemming) at its best threshold on these very queries (a comparison only, favourable to it).
 * Bad arguments or unreadable files: a usage message on stderr and exit code 2.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { FaqMatcher } from './matcher';
import { DEFAULT_CLARIFY_THRESHOLD } from './thresholds';
import { tokenize } from './normalize';
import type { FaqIndex, Match } from './types';

const kbSchema = z.object({
  entries: z.array(
    z.object({
      id: z.string().min(1),
      locale: z.string().min(1),
      questions: z.array(z.string()),
      answer: z.string().optional(),
      enabled: z.boolean().optional(),
    }),
  ),
});
const querySchema = z.object({
  text: z.string(),
  locale: z.string().min(1),
  expected: z.string().nullable(),
});

export type EvalKb = z.infer<typeof kbSchema>;
export type EvalQuery = z.infer<typeof querySchema>;

export interface EvalReport {
  n: number;
  top1: number;
  inScopeAccuracy: number | null;
  oosPrecision: number | null;
  oosRecall: number | null;
  msPerQuery: number;
}

/** Builds an index from the KB and scores the queries against it (definitions in the file header). */
export function evaluate(
  kb: EvalKb,
  queries: EvalQuery[],
  threshold: number = DEFAULT_CLARIFY_THRESHOLD,
  index: FaqIndex = new FaqMatcher(),
): EvalReport {
  index.rebuild(kb.entries);
  let elapsed = 0;
  const tops = queries.map((query) => {
    const started = performance.now();
    const [top] = index.search(query.text, query.locale, 1);
    elapsed += performance.now() - started;
    return top;
  });
  return reportOf(queries, tops, threshold, queries.length === 0 ? 0 : elapsed / queries.length);
}

/** The figures of the top matches of the queries at a threshold (definitions in the file header). */
function reportOf(
  queries: EvalQuery[],
  tops: (Match | undefined)[],
  threshold: number,
  msPerQuery: number,
): EvalReport {
  let correct = 0;
  let inScope = 0;
  let inScopeCorrect = 0;
  let oos = 0;
  let predictedNull = 0;
  let predictedNullAndOos = 0;
  queries.forEach((query, i) => {
    const top = tops[i];
    const predicted = top && top.score >= threshold ? top.id : null;
    const hit = predicted === query.expected;
    if (hit) correct += 1;
    if (query.expected === null) oos += 1;
    else {
      inScope += 1;
      if (hit) inScopeCorrect += 1;
    }
    if (predicted === null) {
      predictedNull += 1;
      if (query.expected === null) predictedNullAndOos += 1;
    }
  });
  const share = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);
  return {
    n: queries.length,
    top1: share(correct, queries.length) ?? 0,
    inScopeAccuracy: share(inScopeCorrect, inScope),
    oosPrecision: oos === 0 ? null : share(predictedNullAndOos, predictedNull),
    oosRecall: share(predictedNullAndOos, oos),
    msPerQuery,
  };
}

/**
 * The comparison of --baseline: plain TF-IDF (word unigrams of the normalised text, smoothed IDF over
 * questions, unit vectors) with each entry's centroid, cosine to the query; the figures at the threshold (steps of
 * 0.01) with the best top1 on these queries. Not used by the bot.
 */
export function baselineReport(kb: EvalKb, queries: EvalQuery[]): EvalReport & { threshold: number } {
  const entries = kb.entries.filter((entry) => entry.enabled !== false);
  const documents = entries.flatMap((entry) => entry.questions.map((text) => tokenize(text)));
  const df = new Map<string, number>();
  for (const words of documents) for (const word of new Set(words)) df.set(word, (df.get(word) ?? 0) + 1);
  const idf = (word: string): number => Math.log((1 + documents.length) / (1 + (df.get(word) ?? 0))) + 1;
  const unit = (words: string[]): Map<string, number> => {
    const vector = new Map<string, number>();
    for (const word of words) vector.set(word, (vector.get(word) ?? 0) + idf(word));
    const norm = Math.hypot(...vector.values());
    for (const [word, value] of vector) vector.set(word, value / norm);
    return vector;
  };
  const centroids = entries.map((entry) => {
    const sum = new Map<string, number>();
    for (const text of entry.questions) {
      for (const [word, value] of unit(tokenize(text))) sum.set(word, (sum.get(word) ?? 0) + value);
    }
    return { id: entry.id, locale: entry.locale, sum, norm: Math.hypot(...sum.values()) };
  });
  const tops = queries.map((query): Match | undefined => {
    const vector = unit(tokenize(query.text));
    let best: Match | undefined;
    for (const centroid of centroids) {
      if (centroid.locale !== query.locale || centroid.norm === 0) continue;
      let dot = 0;
      for (const [word, value] of vector) dot += value * (centroid.sum.get(word) ?? 0);
      const score = dot / centroid.norm;
      if (score > 0 && (!best || score > best.score)) best = { id: centroid.id, score };
    }
    return best;
  });
  let chosen = { ...reportOf(queries, tops, 0, 0), threshold: 0 };
  for (let step = 1; step <= 100; step++) {
    const report = reportOf(queries, tops, step / 100, 0);
    if (report.top1 > chosen.top1) chosen = { ...report, threshold: step / 100 };
  }
  return chosen;
}

export function readKb(file: string): EvalKb {
  return kbSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

export function readQueries(file: string): EvalQuery[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => querySchema.parse(JSON.parse(line)));
}

const USAGE =
  'usage: npm run eval:faq -- --kb <kb.json> --queries <queries.jsonl> [--threshold x]\n' +
  '  kb.json: {"entries":[{"id","locale","questions":[…],"answer"}]}\n' +
  '  queries.jsonl: one {"text","locale","expected":"<entry id>"|null} per line\n' +
  `  --threshold: minimum score of a prediction, 0–1 (default ${DEFAULT_CLARIFY_THRESHOLD})\n` +
  '  --baseline: first print the figures of a plain TF-IDF nearest-centroid matcher at its best threshold';

class UsageError extends Error {}

function parseCommandLine(argv: string[]): {
  kb: string;
  queries: string;
  threshold: number;
  baseline: boolean;
} {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        kb: { type: 'string' },
        queries: { type: 'string' },
        threshold: { type: 'string' },
        baseline: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.kb === undefined || values.queries === undefined) {
    throw new UsageError('--kb and --queries are required');
  }
  const threshold = values.threshold === undefined ? DEFAULT_CLARIFY_THRESHOLD : Number(values.threshold);
  if (values.threshold?.trim() === '' || !Number.isFinite(threshold) || threshold < 0 || threshold > 1) {
    throw new UsageError(`--threshold must be a number from 0 to 1, got "${values.threshold}"`);
  }
  return { kb: values.kb, queries: values.queries, threshold, baseline: values.baseline };
}

function main(): void {
  let report: EvalReport;
  try {
    const args = parseCommandLine(process.argv.slice(2));
    let kb: EvalKb;
    let queries: EvalQuery[];
    try {
      kb = readKb(args.kb);
      queries = readQueries(args.queries);
    } catch (error) {
      throw new UsageError(
        `cannot read the input: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (args.baseline) process.stdout.write(`baseline ${JSON.stringify(baselineReport(kb, queries))}\n`);
    report = evaluate(kb, queries, args.threshold);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`eval:faq: ${error.message}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

if (require.main === module) main();
