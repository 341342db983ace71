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
const QW: Record<string, RegExp> = {
  en: /^(how|what|where|when|which|who|can|could|is|are|do|does|will|would|should|may|am|did|have|has)\b/i,
  id: /^(bagaimana|gimana|gmn|apa|apakah|kapan|dimana|di mana|berapa|bisa|bisakah|boleh|kenapa|mengapa)\b/i,
  pl: /^(jak|co|gdzie|kiedy|czy|ile|dlaczego|kto|który|ktora|jaki|jaka)\b/i,
  nb: /^(hvordan|hva|hvor|når|kan|er|har|hvilken|hvem|skal|må|vil|hvorfor)\b/i,
};
const isQ = (t: string, l: string) => t.trim().endsWith('?') || QW[l]!.test(t.trim());
type Row = { p: number; cue: boolean; q: boolean };
const row = (t: string, l: string): Row => ({
  p: m.get(l)!.message.classify(t).probabilities.complaint!,
  cue: detectFrustration(t, l).reasons.length > 0,
  q: isQ(t, l),
});
const b = b77.map((t) => row(t, 'en'));
const sets: Record<string, Row[]> = {};
for (const l of ['en', 'id', 'pl', 'nb'])
  sets[l] = readFileSync(`locales/${l}/understanding/message.jsonl`, 'utf8')
    .trim()
    .split('\n')
    .map((x) => JSON.parse(x) as { text: string; label: string })
    .filter((x) => x.label === 'complaint')
    .map((x) => row(x.text, l));
for (const [th, qth] of [
  [0.55, 0.9],
  [0.6, 0.9],
  [0.6, 0.95],
  [0.7, 0.9],
  [0.7, 0.97],
]) {
  const rule = (r: Row) => r.p >= th! && (!r.q || r.cue || r.p >= qth!);
  console.log(
    th,
    qth,
    'b77',
    (b.filter(rule).length / b.length).toFixed(3),
    'qshare',
    (b.filter((r) => r.q).length / b.length).toFixed(2),
    Object.entries(sets)
      .map(
        ([l, s]) =>
          `${l} ${(s.filter(rule).length / s.length).toFixed(2)} q ${(s.filter((r) => r.q).length / s.length).toFixed(2)}`,
      )
      .join(' '),
  );
}
