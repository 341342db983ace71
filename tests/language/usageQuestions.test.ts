import { fromRoot } from '../../core/paths';
import { predict, readSet } from '../../language/evalCli';
import { testUnderstanding } from '../helpers/understanding';

/**
 * Calm usage questions and problem reports of customers ("my card hasn't arrived yet", "why was I charged a
 * fee", "the payment failed, what now?") in tests/fixtures/understanding/<lang>/usage.jsonl: written separately
 * from the training data, never trained on. The target: at most 1% taken as a complaint, a request for a
 * person or a goodbye.
 */
const LOCALES = ['en', 'id', 'pl', 'nb'] as const;
const FLAGGED = ['complaint', 'human', 'closing'];

function flagged(locale: string): { text: string; predicted: string }[] {
  const understanding = testUnderstanding();
  return readSet(fromRoot('tests', 'fixtures', 'understanding', locale, 'usage.jsonl'))
    .map((line) => ({
      text: line.text,
      predicted: String(predict(understanding, 'message', line.text, line.locale)),
    }))
    .filter((outcome) => FLAGGED.includes(outcome.predicted));
}

describe('calm usage questions are questions, not complaints, requests for a person or goodbyes', () => {
  const byLocale = new Map(LOCALES.map((locale) => [locale, flagged(locale)]));
  const sizes = new Map(
    LOCALES.map((locale) => [
      locale,
      readSet(fromRoot('tests', 'fixtures', 'understanding', locale, 'usage.jsonl')).length,
    ]),
  );

  it('has about a hundred calm usage questions per locale', () => {
    for (const locale of LOCALES) expect(sizes.get(locale)).toBeGreaterThanOrEqual(95);
  });

  it('flags at most 1% of them over the four locales', () => {
    const total = [...sizes.values()].reduce((sum, n) => sum + n, 0);
    const wrong = [...byLocale.values()].flat();
    expect(wrong.length / total).toBeLessThanOrEqual(0.01);
  });

  it.each(LOCALES)('flags at most one of them in %s', (locale) => {
    expect((byLocale.get(locale) ?? []).length).toBeLessThanOrEqual(1);
  });
});
