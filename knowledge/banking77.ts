/**
 * BANKING77 benchmark of the FAQ matcher (each intent = one FAQ entry).
 *   npx tsx knowledge/banking77.ts [--data ../shared/data/banking77] [--out <dir>] [--tune]
 *
 * Default: for 5 seeds, samples 10 example questions per intent from train.csv into kb.json, writes
 * test.csv as queries.jsonl, and evaluates with the production clarify threshold (knowledge/evalCli.ts's
 * evaluate). The OOS variant leaves 15 intents (drawn with the seed) out of the KB; their test queries
 * expect null. Prints per-seed and mean figures. Files go to --out (default: <tmp>/faq-banking77).
 *
 * --tune: never reads test.csv. The KB is sampled from train.csv and the queries are held-out train rows
 * (20 per intent). Prints the matcher option grid (ranking accuracy), the logistic calibration fitted on
 * the held-out rows (slope, marginSlope and intercept of DEFAULT_MATCHER_OPTIONS), the log loss of the
 * confidence per leftOutHandicap on KBs of 3, 5 and 10 questions per intent, and the threshold sweep used to
 * choose knowledge/thresholds.ts, then small knowledge bases of the held-out sets' shape (see smallKbs()) with
 * the reliability of their confidences.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fromRoot } from '../core/paths';
import { seededRandom } from '../core/random';
import { baselineReport, evaluate, readKb, readQueries } from './evalCli';
import { fitLogistic } from './calibration';
import { parseCsv } from './importExport';
import type { EvalKb, EvalQuery, EvalReport } from './evalCli';
import { DEFAULT_MATCHER_OPTIONS, FaqMatcher } from './matcher';
import type { MatcherOptions } from './matcher';
import { DEFAULT_ANSWER_THRESHOLD, DEFAULT_CLARIFY_THRESHOLD } from './thresholds';

const SEEDS = [1, 2, 3, 4, 5];
const QUESTIONS_PER_ENTRY = 10;
const OOS_INTENTS = 15;
const HELD_OUT_PER_INTENT = 20;

interface Row {
  text: string;
  category: string;
}

/** Reads the two-column `text,category` CSV of BANKING77 (header skipped). */
function readCsv(file: string): Row[] {
  return parseCsv(readFileSync(file, 'utf8'))
    .slice(1)
    .flatMap(([text, category]) =>
      text !== undefined && category !== undefined ? [{ text, category }] : [],
    );
}

function shuffled<T>(items: T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

function byCategory(rows: Row[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const row of rows) groups.set(row.category, [...(groups.get(row.category) ?? []), row.text]);
  return groups;
}

interface Split {
  kb: EvalKb;
  /** Train rows not in the KB, per intent. */
  heldOut: Map<string, string[]>;
  /** Intents left out of the KB in the OOS variant. */
  oosIntents: Set<string>;
}

/** Samples the KB for one seed (`perEntry` questions per intent); the OOS intents are drawn with the same seed. */
function split(train: Map<string, string[]>, seed: number, perEntry = QUESTIONS_PER_ENTRY): Split {
  const random = seededRandom(seed);
  const heldOut = new Map<string, string[]>();
  const entries = [...train].map(([category, texts]) => {
    const order = shuffled(texts, random);
    heldOut.set(category, order.slice(perEntry));
    const questions = order.slice(0, perEntry);
    // No answer: BANKING77 has none, and one naming the intent would hand the matcher its label.
    return { id: category, locale: 'en', questions };
  });
  const oosIntents = new Set(shuffled([...train.keys()], random).slice(0, OOS_INTENTS));
  return { kb: { entries }, heldOut, oosIntents };
}

function withoutOos(kb: EvalKb, oosIntents: Set<string>): EvalKb {
  return { entries: kb.entries.filter((entry) => !oosIntents.has(entry.id)) };
}

function queriesOf(rows: Row[], oosIntents: Set<string> = new Set()): EvalQuery[] {
  return rows.map((row) => ({
    text: row.text,
    locale: 'en',
    expected: oosIntents.has(row.category) ? null : row.category,
  }));
}

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
const round = (value: number | null): number | null =>
  value === null ? null : Math.round(value * 1e4) / 1e4;

function printReport(label: string, report: EvalReport): void {
  const figures = Object.entries(report).map(([key, value]) => `${key}=${round(value as number | null)}`);
  console.log(`${label.padEnd(16)} ${figures.join(' ')}`);
}

function meanReport(reports: EvalReport[]): EvalReport {
  const field = (key: keyof EvalReport): number | null => {
    const values = reports.map((report) => report[key]);
    return values.some((value) => value === null) ? null : mean(values as number[]);
  };
  return {
    n: reports[0]?.n ?? 0,
    top1: field('top1') ?? 0,
    inScopeAccuracy: field('inScopeAccuracy'),
    oosPrecision: field('oosPrecision'),
    oosRecall: field('oosRecall'),
    msPerQuery: field('msPerQuery') ?? 0,
  };
}

/** Writes the files of one seed and evaluates them through the files, as `npm run eval:faq` would. */
function runTest(dataDir: string, outDir: string): void {
  const train = byCategory(readCsv(path.join(dataDir, 'train.csv')));
  const test = readCsv(path.join(dataDir, 'test.csv'));
  mkdirSync(outDir, { recursive: true });
  const full: EvalReport[] = [];
  const oos: EvalReport[] = [];
  console.log(
    `BANKING77 test.csv, ${QUESTIONS_PER_ENTRY} questions per intent, threshold ${DEFAULT_CLARIFY_THRESHOLD}`,
  );
  for (const seed of SEEDS) {
    const { kb, oosIntents } = split(train, seed);
    const variants: [string, EvalKb, EvalQuery[], EvalReport[]][] = [
      ['full', kb, queriesOf(test), full],
      ['oos', withoutOos(kb, oosIntents), queriesOf(test, oosIntents), oos],
    ];
    for (const [name, variantKb, queries, reports] of variants) {
      const kbFile = path.join(outDir, `kb-${name}-seed${seed}.json`);
      const queriesFile = path.join(outDir, `queries-${name}-seed${seed}.jsonl`);
      writeFileSync(kbFile, JSON.stringify(variantKb));
      writeFileSync(queriesFile, queries.map((query) => JSON.stringify(query)).join('\n') + '\n');
      const report = evaluate(readKb(kbFile), readQueries(queriesFile));
      reports.push(report);
      printReport(`${name} seed ${seed}`, report);
    }
  }
  printReport('full mean', meanReport(full));
  printReport('oos mean', meanReport(oos));
  console.log(`files in ${outDir}`);
}

/** The top entry's confidence for each query (0 without one), and whether that entry is the expected one. */
function confidences(kb: EvalKb, queries: EvalQuery[], options: MatcherOptions): Confidence[] {
  const index = new FaqMatcher(options);
  index.rebuild(kb.entries);
  return queries.map((query) => {
    const [top] = index.search(query.text, query.locale, 1);
    return { score: top?.score ?? 0, right: top !== undefined && top.id === query.expected };
  });
}

interface Confidence {
  score: number;
  right: boolean;
}

/** Mean log loss of the confidences as the chance that the top entry is right. */
function logLoss(points: Confidence[]): number {
  const clamped = (score: number): number => Math.min(1 - 1e-6, Math.max(1e-6, score));
  return mean(points.map(({ score, right }) => -Math.log(right ? clamped(score) : 1 - clamped(score))));
}

/** Confidence bins: count, mean confidence and share of right top entries, and the calibration error. */
function reliability(points: Confidence[]): string {
  const edges = [0, 0.1, 0.2, 0.26, 0.32, 0.4, 0.5, 0.6, 0.8, 1.01];
  let error = 0;
  const bins = edges.slice(1).flatMap((upper, b) => {
    const inBin = points.filter(({ score }) => score >= edges[b]! && score < upper);
    if (inBin.length === 0) return [];
    const confidence = mean(inBin.map(({ score }) => score));
    const right = inBin.filter((point) => point.right).length / inBin.length;
    error += (inBin.length / points.length) * Math.abs(confidence - right);
    return [
      `[${edges[b]}, ${Math.min(1, upper)}) n=${inBin.length} ${confidence.toFixed(2)}/${right.toFixed(2)}`,
    ];
  });
  return `${bins.join('; ')}; expected calibration error ${round(error)}`;
}

/** Held-out train rows of a split, up to HELD_OUT_PER_INTENT per intent. */
function heldOutRows({ heldOut }: Split): Row[] {
  return [...heldOut].flatMap(([category, texts]) =>
    texts.slice(0, HELD_OUT_PER_INTENT).map((text) => ({ text, category })),
  );
}

/** Tuning on train.csv only: option grid, calibration, threshold sweep. */
function runTune(dataDir: string): void {
  const train = byCategory(readCsv(path.join(dataDir, 'train.csv')));
  const splits = SEEDS.map((seed) => {
    const drawn = split(train, seed);
    return { kb: drawn.kb, oosIntents: drawn.oosIntents, rows: heldOutRows(drawn) };
  });

  console.log('option grid (held-out train rows, full KB, ranking accuracy at threshold 0)');
  const grid: Partial<MatcherOptions>[] = [
    {},
    { charMin: 2, charMax: 3 },
    { idfPower: 1 },
    { idfPower: 0.75 },
    { wordWeight: 0.2 },
    { wordWeight: 0.4 },
    { maxWeight: 0.3 },
    { maxWeight: 0.5 },
    { rerankDepth: 0 },
    { rerankDepth: 10 },
    { rerankEpochs: 10 },
    { rerankRate: 0.06 },
    { rerankMargin: 0.02 },
    { rerankMargin: 0.1 },
  ];
  for (const change of grid) {
    const options: MatcherOptions = { ...DEFAULT_MATCHER_OPTIONS, ...change };
    const top1 = mean(
      splits.map(({ kb, rows }) => evaluate(kb, queriesOf(rows), 0, new FaqMatcher(options)).top1),
    );
    console.log(`  ${JSON.stringify(change)} top1=${round(top1)}`);
  }

  // Calibration: P(top entry is the right one | raw similarity, margin over the second entry), on the
  // OOS variant (about 20% OOS rows). With an identity calibration a score is σ(raw), so raw = logit(score).
  const identity = new FaqMatcher({
    ...DEFAULT_MATCHER_OPTIONS,
    slope: 1,
    marginSlope: 0,
    intercept: 0,
    priorWeight: Number.POSITIVE_INFINITY,
  });
  const logit = (score: number | undefined): number =>
    score === undefined ? 0 : Math.log(score / (1 - score));
  const points = splits.flatMap(({ kb, oosIntents, rows }) => {
    identity.rebuild(withoutOos(kb, oosIntents).entries);
    return queriesOf(rows, oosIntents).map((query) => {
      const [top, second] = identity.search(query.text, query.locale, 2);
      const raw = logit(top?.score);
      const x = [raw, raw - logit(second?.score)];
      return { x, y: top?.id === query.expected ? 1 : 0, weight: 1 };
    });
  });
  const [slope, marginSlope, intercept] = fitLogistic(points, [0, 0, 0], 0);
  console.log(
    `prior calibration: slope=${round(slope ?? 0)} marginSlope=${round(marginSlope ?? 0)} intercept=${round(intercept ?? 0)}`,
  );

  console.log('per-index calibration (held-out train rows, current thresholds; full KB, then OOS variant)');
  const calibrationGrid: Partial<MatcherOptions>[] = [
    { priorWeight: Number.POSITIVE_INFINITY },
    {},
    { rerankDepth: 0 },
    { outOfScopeShare: 0.1 },
    { outOfScopeShare: 0.15 },
    { outOfScopeShare: 0.2 },
    { outOfScopeShare: 0.25 },
    { outOfScopeShare: 0.3 },
    { priorWeight: 5 },
    { priorWeight: 100 },
    { referenceSimilarity: 0 },
    { retrievalLift: 0 },
  ];
  for (const change of calibrationGrid) {
    const options: MatcherOptions = { ...DEFAULT_MATCHER_OPTIONS, ...change };
    const full = splits.map(({ kb, rows }) =>
      evaluate(kb, queriesOf(rows), DEFAULT_CLARIFY_THRESHOLD, new FaqMatcher(options)),
    );
    const oos = meanReport(
      splits.map(({ kb, oosIntents, rows }) =>
        evaluate(
          withoutOos(kb, oosIntents),
          queriesOf(rows, oosIntents),
          DEFAULT_CLARIFY_THRESHOLD,
          new FaqMatcher(options),
        ),
      ),
    );
    console.log(
      `  ${JSON.stringify(change)} full top1=${round(meanReport(full).top1)}  oos top1=${round(oos.top1)} ` +
        `oosRecall=${round(oos.oosRecall)}`,
    );
  }

  // What a leave-one-out probe lacks (MatcherOptions.leftOutHandicap), chosen by the log loss summed over KBs
  // of 3, 5 and 10 questions per intent (OOS variant).
  console.log('left-out handicap (held-out train rows, OOS variant): log loss per questions per intent');
  const sized = [3, 5, 10].flatMap((perEntry) =>
    SEEDS.map((seed) => {
      const drawn = split(train, seed, perEntry);
      return {
        perEntry,
        kb: withoutOos(drawn.kb, drawn.oosIntents),
        queries: queriesOf(heldOutRows(drawn), drawn.oosIntents),
      };
    }),
  );
  for (const leftOutHandicap of [0, 2, 3, 4, 5, 6, 8]) {
    const options: MatcherOptions = { ...DEFAULT_MATCHER_OPTIONS, leftOutHandicap };
    const losses = [3, 5, 10].map((perEntry) =>
      logLoss(
        sized
          .filter((kb) => kb.perEntry === perEntry)
          .flatMap(({ kb, queries }) => confidences(kb, queries, options)),
      ),
    );
    console.log(
      `  leftOutHandicap=${leftOutHandicap} logLoss 3: ${round(losses[0]!)} 5: ${round(losses[1]!)} ` +
        `10: ${round(losses[2]!)} sum ${round(losses[0]! + losses[1]! + losses[2]!)}`,
    );
  }

  // MatcherOptions.referenceSimilarity: BANKING77 knowledge bases of any number of questions per intent are read
  // at a scale of about 1.
  console.log('score scale (MatcherOptions.referenceSimilarity) per questions per intent, OOS variant');
  for (const perEntry of [3, 5, 10]) {
    const scales = sized
      .filter((kb) => kb.perEntry === perEntry)
      .map(({ kb }) => {
        const index = new FaqMatcher();
        index.rebuild(kb.entries);
        return index.scoreScale('en');
      });
    console.log(`  ${perEntry}: ${scales.map((scale) => round(scale)).join(' ')}`);
  }

  // MatcherOptions.referenceRetrieval: how often a leave-one-out probe's own entry wins, by entries and questions
  // per entry (a logistic fit over the probes of RETRIEVAL_DRAWS knowledge bases of each shape).
  const retrievalSamples = RETRIEVAL_ENTRIES.flatMap((entries) =>
    RETRIEVAL_QUESTIONS.flatMap((questions) =>
      Array.from({ length: RETRIEVAL_DRAWS }, (_, draw) => {
        const random = seededRandom(1000 + draw);
        const index = new FaqMatcher();
        index.rebuild(
          shuffled([...train.keys()], random)
            .slice(0, entries)
            .map((id) => ({
              id,
              locale: 'en',
              questions: shuffled(train.get(id) ?? [], random).slice(0, questions),
            })),
        );
        index.search('card', 'en', 1);
        const own = index.probeRetrieval('en')?.own ?? 0;
        const x = [Math.log(questions - 1), Math.log(entries)];
        return [
          { x, y: 1, weight: own * entries * questions },
          { x, y: 0, weight: (1 - own) * entries * questions },
        ];
      }),
    ),
  ).flat();
  const [perQuestion, perEntry, base] = fitLogistic(retrievalSamples, [0, 0, 0], 0);
  console.log(
    `reference retrieval (${RETRIEVAL_DRAWS} draws of ${RETRIEVAL_ENTRIES.join('/')} intents × ` +
      `${RETRIEVAL_QUESTIONS.join('/')} questions): [${round(base ?? 0)}, ${round(perQuestion ?? 0)}, ${round(perEntry ?? 0)}]`,
  );

  console.log('threshold sweep (held-out train rows, current calibration; full KB, then OOS variant)');
  for (let threshold = 0.2; threshold < 0.71; threshold += 0.02) {
    const full = splits.map(({ kb, rows }) => evaluate(kb, queriesOf(rows), threshold));
    const oos = splits.map(({ kb, oosIntents, rows }) =>
      evaluate(withoutOos(kb, oosIntents), queriesOf(rows, oosIntents), threshold),
    );
    const figures = meanReport(oos);
    console.log(
      `  t=${threshold.toFixed(2)} full top1=${round(meanReport(full).top1)}  oos top1=${round(figures.top1)} ` +
        `inScopeAccuracy=${round(figures.inScopeAccuracy)} oosRecall=${round(figures.oosRecall)}`,
    );
  }
  console.log(`current thresholds: answer ${DEFAULT_ANSWER_THRESHOLD}, clarify ${DEFAULT_CLARIFY_THRESHOLD}`);

  const small = smallKbs(train);
  const smallTop1 = (threshold: number): number =>
    mean(small.map(({ kb, queries }) => evaluate(kb, queries, threshold).top1));
  console.log(
    `small knowledge bases (${SMALL_DRAWS} draws of ${SMALL_ENTRIES} intents × ${SMALL_QUESTIONS} questions): ` +
      `baseline at its best threshold top1=${round(mean(small.map(({ kb, queries }) => baselineReport(kb, queries).top1)))}`,
  );
  for (const threshold of [0, 0.2, 0.24, 0.28, 0.32, 0.36, 0.4]) {
    console.log(`  t=${threshold.toFixed(2)} top1=${round(smallTop1(threshold))}`);
  }
  const smallOosRecall = mean(
    small.map(({ kb, queries }) => evaluate(kb, queries, DEFAULT_CLARIFY_THRESHOLD).oosRecall ?? 0),
  );
  const smallPoints = small.flatMap(({ kb, queries }) => confidences(kb, queries, DEFAULT_MATCHER_OPTIONS));
  console.log(
    `  oosRecall at ${DEFAULT_CLARIFY_THRESHOLD}: ${round(smallOosRecall)}; log loss ${round(logLoss(smallPoints))}`,
  );
  console.log(`  confidence bins (n mean confidence/right share): ${reliability(smallPoints)}`);
}

const RETRIEVAL_ENTRIES = [10, 20, 30, 40, 62, 77];
const RETRIEVAL_QUESTIONS = [3, 4, 5, 7, 10];
const RETRIEVAL_DRAWS = 24;
const SMALL_DRAWS = 30;
const SMALL_ENTRIES = 20;
const SMALL_QUESTIONS = 3;

/**
 * Knowledge bases of the shape of tests/fixtures/faq (from train.csv only): 20 intents × 3 example questions,
 * 3 other train questions per intent as queries, and one question of each of 15 other intents out of scope.
 */
function smallKbs(train: Map<string, string[]>): { kb: EvalKb; queries: EvalQuery[] }[] {
  return Array.from({ length: SMALL_DRAWS }, (_, draw) => {
    const random = seededRandom(100 + draw);
    const intents = shuffled([...train.keys()], random);
    const queries: EvalQuery[] = [];
    const entries = intents.slice(0, SMALL_ENTRIES).map((category) => {
      const order = shuffled(train.get(category) ?? [], random);
      for (const text of order.slice(SMALL_QUESTIONS, 2 * SMALL_QUESTIONS)) {
        queries.push({ text, locale: 'en', expected: category });
      }
      return { id: category, locale: 'en', questions: order.slice(0, SMALL_QUESTIONS) };
    });
    for (const category of intents.slice(SMALL_ENTRIES, SMALL_ENTRIES + OOS_INTENTS)) {
      const [text] = shuffled(train.get(category) ?? [], random);
      if (text !== undefined) queries.push({ text, locale: 'en', expected: null });
    }
    return { kb: { entries }, queries };
  });
}

function main(): void {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: fromRoot('..', 'shared', 'data', 'banking77') },
      out: { type: 'string', default: path.join(os.tmpdir(), 'faq-banking77') },
      tune: { type: 'boolean', default: false },
    },
  });
  if (values.tune) runTune(values.data);
  else runTest(values.data, values.out);
}

main();
