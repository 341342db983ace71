import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fromRoot } from '../core/paths';
import { predict, readSet, score, TASKS } from './evalCli';
import { Understanding } from './understanding';
const t0 = performance.now();
const u = Understanding.load();
console.log('train ms', u.trainingMillis.toFixed(0), 'load ms', (performance.now() - t0).toFixed(0));
const show = process.argv.includes('--errors');
for (const locale of ['en', 'id', 'pl', 'nb'])
  for (const task of TASKS) {
    const file = fromRoot('tests', 'fixtures', 'understanding', locale, `${task}.jsonl`);
    if (!existsSync(file)) continue;
    const lines = readSet(file);
    const res = lines.map((l) => ({
      ...l,
      expected: l.expected === 'other' && task === 'confirm' ? null : l.expected,
      predicted: predict(u, task, l.text, l.locale),
    }));
    const wrongWay = res.filter(
      (x) => task !== 'message' && x.predicted !== null && String(x.predicted) !== String(x.expected),
    ).length;
    const fp = res.filter(
      (x) =>
        task === 'message' &&
        x.expected === 'other' &&
        ['complaint', 'human', 'closing'].includes(String(x.predicted)),
    ).length;
    console.log(locale, task, 'wrong-way/score', wrongWay, 'other→c/h/cl', fp);
    const r = score(res);
    console.log(
      locale,
      task,
      'acc',
      r.accuracy.toFixed(3),
      Object.entries(r.labels)
        .map(([k, v]) => `${k}: R${v.recall?.toFixed(2)} P${v.precision?.toFixed(2)} n${v.n}`)
        .join(' | '),
    );
    if (show)
      for (const x of res)
        if (String(x.expected) !== String(x.predicted))
          console.log(
            '   ',
            x.expected,
            '→',
            x.predicted,
            JSON.stringify(x.text),
            task === 'message'
              ? u.message(x.text, locale).reasons.join(',')
              : task === 'confirm'
                ? u.confirm(x.text, locale).reasons.join(',')
                : '',
          );
  }

import { readFileSync } from 'node:fs';
const csv = readFileSync('/work/shared/data/banking77/test.csv', 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) =>
    l.startsWith('"') ? l.slice(1, l.lastIndexOf('"')).replace(/""/g, '"') : l.slice(0, l.lastIndexOf(',')),
  );
const counts: Record<string, number> = {};
const times: number[] = [];
for (const q of csv) {
  const a = performance.now();
  const l = u.message(q, 'en').label;
  times.push(performance.now() - a);
  counts[l] = (counts[l] ?? 0) + 1;
  if (show && l !== 'other') console.log('  b77', l, q);
}
times.sort((a, b) => a - b);
console.log(
  'banking77',
  csv.length,
  counts,
  'FP',
  (((counts.complaint ?? 0) + (counts.human ?? 0) + (counts.closing ?? 0)) / csv.length).toFixed(4),
  'p99 ms',
  times[Math.floor(times.length * 0.99)]?.toFixed(3),
);
