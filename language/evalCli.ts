/**
 * Understanding evaluation (contract):
 *   npm run eval:understanding -- --task message|rating|confirm --set <file.jsonl> [--out <predictions.jsonl>]
 *
 * Input: one {"text","locale","expected"} per line (locale en, id, pl or nb). `message` predicts complaint,
 * human, closing, help, cancel or other: what the router acts on for the text as the first message of a new
 * conversation (Understanding.message, the function MainDialog calls). `rating` predicts 1–5 or null as a reply
 * to the survey, `confirm` yes, no or null as a reply to "Did this answer your question?".
 * `--out` writes {"text","locale","expected","predicted"} per input line, in order. The last line printed is
 *   {"n","accuracy","labels":{"<label>":{"precision","recall","n"}}}
 * with n = expected lines of the label; precision is null when the label was never predicted, recall null when
 * it never was expected (ratings use the labels "1".."5" and "null"). Bad arguments or unreadable files: usage
 * on stderr, exit code 2.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { Understanding } from './understanding';

export const TASKS = ['message', 'rating', 'confirm'] as const;
export type Task = (typeof TASKS)[number];
type Prediction = string | number | null;

const lineSchema = z.object({
  text: z.string(),
  locale: z.string().min(1),
  expected: z.union([z.string(), z.number(), z.null()]),
});
export type EvalLine = z.infer<typeof lineSchema>;

export interface LabelFigures {
  precision: number | null;
  recall: number | null;
  n: number;
}
export interface EvalReport {
  n: number;
  accuracy: number;
  labels: Record<string, LabelFigures>;
}

/** What the bot makes of one line's text for the task. */
export function predict(understanding: Understanding, task: Task, text: string, locale: string): Prediction {
  switch (task) {
    case 'message':
      return understanding.message(text, locale).label;
    case 'confirm':
      return understanding.confirm(text, locale).answer;
    case 'rating':
      return understanding.rating(text, locale);
  }
}

const key = (value: Prediction): string => (value === null ? 'null' : String(value));

/** Accuracy and per-label precision/recall of predictions against expectations (definitions in the header). */
export function score(pairs: readonly { expected: Prediction; predicted: Prediction }[]): EvalReport {
  const expectedCount = new Map<string, number>();
  const predictedCount = new Map<string, number>();
  const hits = new Map<string, number>();
  let correct = 0;
  for (const { expected, predicted } of pairs) {
    const e = key(expected);
    const p = key(predicted);
    expectedCount.set(e, (expectedCount.get(e) ?? 0) + 1);
    predictedCount.set(p, (predictedCount.get(p) ?? 0) + 1);
    if (e === p) {
      correct += 1;
      hits.set(e, (hits.get(e) ?? 0) + 1);
    }
  }
  const labels: Record<string, LabelFigures> = {};
  for (const label of [...new Set([...expectedCount.keys(), ...predictedCount.keys()])].sort()) {
    const n = expectedCount.get(label) ?? 0;
    const predicted = predictedCount.get(label) ?? 0;
    const hit = hits.get(label) ?? 0;
    labels[label] = {
      precision: predicted === 0 ? null : hit / predicted,
      recall: n === 0 ? null : hit / n,
      n,
    };
  }
  return { n: pairs.length, accuracy: pairs.length === 0 ? 0 : correct / pairs.length, labels };
}

export function readSet(file: string): EvalLine[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => lineSchema.parse(JSON.parse(line)));
}

const USAGE =
  'usage: npm run eval:understanding -- --task message|rating|confirm --set <file.jsonl> [--out <predictions.jsonl>]\n' +
  '  file.jsonl: one {"text","locale","expected"} per line (locale en, id, pl or nb)\n' +
  '  --out: writes {"text","locale","expected","predicted"} per input line, in order';

class UsageError extends Error {}

function parseCommandLine(argv: string[]): { task: Task; set: string; out?: string } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { task: { type: 'string' }, set: { type: 'string' }, out: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const task = TASKS.find((t) => t === values.task);
  if (task === undefined) throw new UsageError(`--task must be one of ${TASKS.join(', ')}`);
  if (values.set === undefined) throw new UsageError('--set is required');
  return { task, set: values.set, ...(values.out === undefined ? {} : { out: values.out }) };
}

function main(): void {
  let args: ReturnType<typeof parseCommandLine>;
  let lines: EvalLine[];
  try {
    args = parseCommandLine(process.argv.slice(2));
    try {
      lines = readSet(args.set);
    } catch (error) {
      throw new UsageError(
        `cannot read the input: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`eval:understanding: ${error.message}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  // Only the models the set needs are trained (a rating set needs none).
  const understanding = Understanding.load({ lazy: true });
  const results = lines.map((line) => ({
    ...line,
    predicted: predict(understanding, args.task, line.text, line.locale),
  }));
  if (args.out !== undefined) {
    writeFileSync(
      args.out,
      results
        .map(
          ({ text, locale, expected, predicted }) =>
            `${JSON.stringify({ text, locale, expected, predicted })}\n`,
        )
        .join(''),
    );
  }
  process.stdout.write(`${JSON.stringify(score(results))}\n`);
}

if (require.main === module) main();
