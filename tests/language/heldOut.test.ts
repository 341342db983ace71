import { existsSync } from 'node:fs';
import { fromRoot } from '../../core/paths';
import { predict, readSet, type EvalLine, type Task } from '../../language/evalCli';
import { testUnderstanding } from '../helpers/understanding';

/**
 * The targets on each locale's held-out messages (tests/fixtures/understanding/<lang>/, never trained
 * on), through the same `predict` the eval:understanding command uses.
 */
const LOCALES = ['en', 'id', 'pl', 'nb'] as const;

interface Outcome {
  text: string;
  expected: string;
  predicted: string;
}

function outcomes(locale: string, task: Task): Outcome[] {
  const file = fromRoot('tests', 'fixtures', 'understanding', locale, `${task}.jsonl`);
  const understanding = testUnderstanding();
  return readSet(file).map((line: EvalLine) => ({
    text: line.text,
    expected: String(line.expected),
    predicted: String(predict(understanding, task, line.text, line.locale)),
  }));
}

const recall = (all: Outcome[], label: string): number => {
  const expected = all.filter((o) => o.expected === label);
  return expected.filter((o) => o.predicted === label).length / expected.length;
};
const share = (all: Outcome[], test: (o: Outcome) => boolean): number => all.filter(test).length / all.length;

describe.each(LOCALES)('held-out understanding targets in %s', (locale) => {
  const present = (task: Task) =>
    existsSync(fromRoot('tests', 'fixtures', 'understanding', locale, `${task}.jsonl`));

  it('message: complaints ≥ 70% with ≤ 5% of calm questions flagged; person ≥ 90%; goodbyes ≥ 90%', () => {
    expect(present('message')).toBe(true);
    const all = outcomes(locale, 'message');
    const other = all.filter((o) => o.expected === 'other');
    expect(recall(all, 'complaint')).toBeGreaterThanOrEqual(0.7);
    expect(share(other, (o) => o.predicted === 'complaint')).toBeLessThanOrEqual(0.05);
    expect(recall(all, 'human')).toBeGreaterThanOrEqual(0.9);
    expect(recall(all, 'closing')).toBeGreaterThanOrEqual(0.9);
  });

  it('message: at most 1% of ordinary questions taken as a complaint, a request for a person or a goodbye', () => {
    const other = outcomes(locale, 'message').filter((o) => o.expected === 'other');
    expect(share(other, (o) => ['complaint', 'human', 'closing'].includes(o.predicted))).toBeLessThanOrEqual(
      0.01,
    );
  });

  it('message: no "thanks, but …?" question is taken as a goodbye', () => {
    const thanksButAsks = outcomes(locale, 'message').filter(
      (o) => o.expected === 'other' && /thank|thx|makasih|terima kasih|dzi[eę]k|takk/i.test(o.text),
    );
    expect(thanksButAsks.filter((o) => o.predicted === 'closing')).toEqual([]);
  });

  it('rating: ≥ 90% right and no score the customer did not give', () => {
    expect(present('rating')).toBe(true);
    const all = outcomes(locale, 'rating');
    expect(share(all, (o) => o.predicted === o.expected)).toBeGreaterThanOrEqual(0.9);
    expect(all.filter((o) => o.predicted !== 'null' && o.predicted !== o.expected)).toEqual([]);
  });

  it('confirm: ≥ 90% right and no yes read as no or no as yes', () => {
    expect(present('confirm')).toBe(true);
    const all = outcomes(locale, 'confirm');
    expect(share(all, (o) => o.predicted === o.expected)).toBeGreaterThanOrEqual(0.9);
    const wrongWay = all.filter(
      (o) => (o.expected === 'yes' && o.predicted === 'no') || (o.expected === 'no' && o.predicted === 'yes'),
    );
    expect(wrongWay).toEqual([]);
  });
});
