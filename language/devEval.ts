import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fromRoot } from '../core/paths';
import { predict, readSet, score, TASKS } from './evalCli';
import { Understanding } from './understanding';
const t0 = performance.now();
const u = Understanding.load();
console.log('train ms', u.trainingMillis.toFixed(0), 'load ms', (performance.now() - t0).toFixed(0));
const show = process.argv.includes('--errors');
for (const locale of ['en', 'id', 'pl', 'nb']) for (const task of TASKS) {
  const file = fromRoot('tests', 'fixtures', 'understanding', locale, `${task}.jsonl`);
  if (!existsSync(file)) continue;
  const lines = readSet(file);
  const res = lines.map((l) => ({ ...l, predicted: predict(u, task, l.text, l.locale) }));
  const r = score(res);
  console.log(locale, task, 'acc', r.accuracy.toFixed(3), Object.entries(r.labels).map(([k, v]) => `${k}: R${v.recall?.toFixed(2)} P${v.precision?.toFixed(2)} n${v.n}`).join(' | '));
  if (show) for (const x of res) if (String(x.expected) !== String(x.predicted)) console.log('   ', x.expected, '→', x.predicted, JSON.stringify(x.text), task === 'message' ? u.message(x.text, locale).reasons.join(',') : task === 'confirm' ? u.confirm(x.text, locale).reasons.join(',') : '');
}
