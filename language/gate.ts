import { readFileSync } from 'node:fs';
import { Understanding } from './understanding';
import { detectFrustration } from './cues';
const u = Understanding.load();
const m = (
  u as unknown as {
    models: Map<string, { message: { classify(t: string): { probabilities: Record<string, number> } } }>;
  }
).models;
const b77 = readFileSync('/work/shared/data/banking77/train.csv', 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.slice(0, l.lastIndexOf(',')))
  .filter((_, i) => i % 3 === 0);
type Row = { p: number; cue: boolean; q: boolean };
const row = (t: string, l: string): Row => ({
  p: m.get(l)!.message.classify(t).probabilities.complaint!,
  cue: detectFrustration(t, l).reasons.length > 0,
  q: t.includes('?'),
});
const b = b77.map((t) => row(t, 'en'));
const sets: Record<string, Row[]> = {};
for (const l of ['en', 'id', 'pl', 'nb']) {
  // training complaint lines (in-sample, optimistic)
  sets[l] = readFileSync(`locales/${l}/understanding/message.jsonl`, 'utf8')
    .trim()
    .split('\n')
    .map((x) => JSON.parse(x) as { text: string; label: string })
    .filter((x) => x.label === 'complaint')
    .map((x) => row(x.text, l));
}
for (const [hi, lo] of [
  [0.55, 0.55],
  [0.9, 0.55],
  [0.8, 0.5],
  [0.85, 0.45],
  [0.95, 0.5],
]) {
  const rule = (r: Row) => r.p >= hi! || (r.p >= lo! && r.cue);
  console.log(
    hi,
    lo,
    'b77',
    (b.filter(rule).length / b.length).toFixed(3),
    Object.entries(sets)
      .map(
        ([l, s]) =>
          `${l} ${(s.filter(rule).length / s.length).toFixed(2)} cue ${(s.filter((r) => r.cue).length / s.length).toFixed(2)}`,
      )
      .join(' '),
  );
}
