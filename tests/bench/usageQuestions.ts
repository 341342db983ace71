/**
 * Precision of understanding on ordinary usage questions: how many calm customer questions the router would take
 * as a complaint, a request for a person or a goodbye (target ≤ 1%), plus the held-out figures per locale.
 *
 *   npx tsx tests/bench/usageQuestions.ts [--split train|test] [--show complaint|human|closing] [--limit n]
 *
 * Sets measured (each line: rate taken as complaint / human / closing / any of them):
 * - BANKING77 train.csv and test.csv (English bank usage questions, CC BY 4.0), read at run time from
 *   `../shared/data/banking77/` beside the repository (or BANKING77_DIR); skipped when absent. A 1-in-20 sample of
 *   train is part of the English training data (locales/en/understanding/message.banking77.jsonl); train is
 *   measured without the lines the model was trained on. Tune on train only; test is reported, never tuned on.
 * - the committed calm usage questions of every locale (tests/fixtures/understanding/<lang>/usage.jsonl);
 * - the held-out message sets: recall and precision per label and locale.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fromRoot } from '../../core/paths';
import { predict, readSet, score } from '../../language/evalCli';
import { Understanding } from '../../language/understanding';
import { z } from 'zod';

const LOCALES = ['en', 'id', 'pl', 'nb'];
const FLAGGED = ['complaint', 'human', 'closing'] as const;

/** The question column of a BANKING77 `text,category` CSV (quoted fields may hold commas, newlines and "" escapes). */
function banking77(file: string): string[] {
  const csv = readFileSync(file, 'utf8');
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let at = 0; at < csv.length; at += 1) {
    const char = csv[at];
    if (quoted) {
      if (char === '"' && csv[at + 1] === '"') {
        field += '"';
        at += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n') {
      rows.push([...row, field]);
      row = [];
      field = '';
    } else if (char !== '\r') field += char;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows.slice(1).flatMap(([text]) => (text && text.trim() !== '' ? [text] : []));
}

/** The texts of the English message training files (a training line is not a fair test of the model). */
function englishTraining(): Set<string> {
  const folder = fromRoot('locales', 'en', 'understanding');
  return new Set(
    readdirSync(folder)
      .filter((name) => name.startsWith('message'))
      .flatMap((name) => readFileSync(path.join(folder, name), 'utf8').split('\n'))
      .filter((line) => line.trim() !== '')
      .map((line) => z.object({ text: z.string() }).parse(JSON.parse(line)).text),
  );
}

function falsePositives(
  understanding: Understanding,
  name: string,
  texts: readonly { text: string; locale: string }[],
  show: string | undefined,
  limit: number,
): void {
  const counts = new Map<string, number>();
  const shown: string[] = [];
  for (const { text, locale } of texts) {
    const label = understanding.message(text, locale).label;
    counts.set(label, (counts.get(label) ?? 0) + 1);
    if (label === show && shown.length < limit) shown.push(`  ${text}`);
  }
  const rate = (n: number) => ((100 * n) / texts.length).toFixed(2);
  const byLabel = FLAGGED.map((label) => `${label} ${rate(counts.get(label) ?? 0)}%`).join(', ');
  const any = FLAGGED.reduce((sum, label) => sum + (counts.get(label) ?? 0), 0);
  console.log(`${name} (n=${texts.length}): flagged ${rate(any)}% — ${byLabel}`);
  if (shown.length > 0) console.log(shown.join('\n'));
}

function main(): void {
  const { values } = parseArgs({
    options: { split: { type: 'string' }, show: { type: 'string' }, limit: { type: 'string' } },
  });
  const limit = Number(values.limit ?? 40);
  const understanding = Understanding.load();
  const dir = process.env.BANKING77_DIR ?? path.join(fromRoot(), '..', 'shared', 'data', 'banking77');
  // While tuning, measure `--split train` only; test is for the final report.
  for (const split of values.split === undefined ? ['train', 'test'] : [values.split]) {
    const file = path.join(dir, `${split}.csv`);
    if (!existsSync(file)) {
      console.log(`BANKING77 ${split}: skipped (${file} not found)`);
      continue;
    }
    const trained = englishTraining();
    const texts = banking77(file)
      .filter((text) => !trained.has(text.trim()))
      .map((text) => ({ text, locale: 'en' }));
    falsePositives(understanding, `BANKING77 ${split}`, texts, values.show, limit);
  }
  for (const locale of LOCALES) {
    const usage = fromRoot('tests', 'fixtures', 'understanding', locale, 'usage.jsonl');
    if (existsSync(usage))
      falsePositives(understanding, `usage ${locale}`, readSet(usage), values.show, limit);
    const lines = readSet(fromRoot('tests', 'fixtures', 'understanding', locale, 'message.jsonl'));
    const report = score(
      lines.map((line) => ({
        expected: line.expected,
        predicted: predict(understanding, 'message', line.text, line.locale),
      })),
    );
    const figures = Object.entries(report.labels)
      .map(([label, f]) => `${label} R ${f.recall?.toFixed(2)} P ${f.precision?.toFixed(2) ?? '-'}`)
      .join(' | ');
    console.log(`held-out ${locale}: ${figures}`);
  }
}

main();
