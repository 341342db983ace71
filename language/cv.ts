import { readFileSync } from 'node:fs';
import { Classifier } from './classifier';
import { MESSAGE_LABELS, type MessageLabel } from './understanding';
const locale = process.argv[2] ?? 'en';
import { DEFAULT_TRAINING } from './classifier';
const OPTS = {
  ...DEFAULT_TRAINING,
  epochs: Number(process.argv[4] ?? 20),
  labelWeights: { other: Number(process.argv[3] ?? 1) },
};
const ex = readFileSync(`locales/${locale}/understanding/message.jsonl`, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { text: string; label: MessageLabel });
const K = 5;
const oof: { label: string; p: Record<string, number> }[] = [];
for (let f = 0; f < K; f++) {
  const tr = ex.filter((_, i) => i % K !== f),
    te = ex.filter((_, i) => i % K === f);
  const c = Classifier.train(tr, MESSAGE_LABELS, locale, OPTS);
  for (const e of te) oof.push({ label: e.label, p: c.classify(e.text).probabilities });
}
const full = Classifier.train(ex, MESSAGE_LABELS, locale, OPTS);
const b77 =
  locale === 'en'
    ? readFileSync('/work/shared/data/banking77/train.csv', 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.slice(0, l.lastIndexOf(',')))
        .filter((_, i) => i % 3 === 0)
        .map((q) => full.classify(q).probabilities)
    : [];
for (const lab of ['complaint'] as const) {
  for (const th of [0.4, 0.5, 0.6, 0.7, 0.8, 0.9]) {
    const pos = oof.filter((o) => o.label === lab);
    const rec = pos.filter((o) => o.p[lab]! >= th).length / pos.length;
    const others = oof.filter((o) => o.label === 'other');
    const fpo = others.filter((o) => o.p[lab]! >= th).length / others.length;
    const fpb = b77.length ? b77.filter((p) => p[lab]! >= th).length / b77.length : NaN;
    console.log(
      locale,
      lab,
      th,
      'cvRecall',
      rec.toFixed(2),
      'cvOtherFP',
      fpo.toFixed(3),
      'b77trainFP',
      fpb.toFixed(3),
    );
  }
}
