import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { featuresOf } from './features';
import { Understanding } from './understanding';
import { detectFrustration } from './cues';
import { isClosing, isHumanRequest, isHelp } from './words';
const u = Understanding.load();
const qs = readFileSync('/work/shared/data/banking77/test.csv', 'utf8')
  .trim()
  .split('\n')
  .slice(1, 1001)
  .map((l) => l.slice(0, l.lastIndexOf(',')));
for (const [name, f] of [
  ['features', (q: string) => featuresOf(q, 'en')],
  ['message', (q: string) => u.message(q, 'en')],
  ['frustration', (q: string) => detectFrustration(q, 'en')],
  ['lexicons', (q: string) => [isClosing(q, 'en'), isHumanRequest(q, 'en'), isHelp(q, 'en')]],
] as const) {
  for (const q of qs) f(q);
  const t: number[] = [];
  for (const q of qs) {
    const a = performance.now();
    f(q);
    t.push(performance.now() - a);
  }
  t.sort((a, b) => a - b);
  console.log(name, 'mean', (t.reduce((a, b) => a + b, 0) / t.length).toFixed(3), 'p99', t[990]!.toFixed(3));
}
const m = (
  u as unknown as {
    models: Map<string, { message: { classify(t: string): unknown; probabilities(t: string): unknown } }>;
  }
).models.get('en')!.message;
for (const [name, f] of [
  ['probabilities', (q: string) => m.probabilities(q)],
  ['classify', (q: string) => m.classify(q)],
  ['message2', (q: string) => u.message(q, 'en')],
] as const) {
  for (const q of qs) f(q);
  const t: number[] = [];
  for (const q of qs) {
    const a = performance.now();
    f(q);
    t.push(performance.now() - a);
  }
  t.sort((a, b) => a - b);
  console.log(name, 'mean', (t.reduce((a, b) => a + b, 0) / t.length).toFixed(3), 'p99', t[990]!.toFixed(3));
}
