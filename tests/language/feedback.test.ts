import { fromRoot } from '../../core/paths';
import { predict, readSet } from '../../language/evalCli';
import { testUnderstanding } from '../helpers/understanding';

/**
 * Praise, reviews and feelings, written apart from the training data and never trained on
 * (tests/fixtures/understanding/<lang>/):
 * - `praise.jsonl`: compliments and positive feedback ("legend 🙏", "puas banget sama pelayanannya kak", "kurde, ale
 *   szybko to poszło", "dere er rett og slett best, tusen takk"), praise with a negation ("no complaints here"),
 *   and praise with a usage question after it (expected `other`). Before the praise training data 25–36 of 80 per
 *   locale were read as complaints: the training data's sarcasm praises too.
 * - `reviews.jsonl`: positive reviews (`closing`), negative reviews of something bought or used (`complaint`),
 *   and personal feelings or neutral product descriptions that are no complaint about a company (`other`).
 *   Before the review training data 6–16 of 25 positive reviews per locale were read as complaints.
 * A customer who praises the service is thanked, never queued for an agent as an angry customer.
 */
const LOCALES = ['en', 'id', 'pl', 'nb'] as const;
const MISREAD = ['complaint', 'human'];

interface Outcome {
  expected: string;
  predicted: string;
}

function outcomes(set: string): Map<string, Outcome[]> {
  const understanding = testUnderstanding();
  return new Map(
    LOCALES.map((locale) => [
      locale,
      readSet(fromRoot('tests', 'fixtures', 'understanding', locale, `${set}.jsonl`)).map((line) => ({
        expected: String(line.expected),
        predicted: String(predict(understanding, 'message', line.text, line.locale)),
      })),
    ]),
  );
}

const count = (all: Outcome[], expected: string, predicted: (label: string) => boolean): number =>
  all.filter((outcome) => outcome.expected === expected && predicted(outcome.predicted)).length;
const misread = (label: string): boolean => MISREAD.includes(label);

describe('praise is not read as a complaint or a request for a person', () => {
  const praise = outcomes('praise');

  it('has 80 messages per locale', () => {
    for (const locale of LOCALES) expect(praise.get(locale)?.length).toBeGreaterThanOrEqual(80);
  });

  it('misreads at most 10% of them over the four locales', () => {
    const all = [...praise.values()].flat();
    expect(all.filter((outcome) => misread(outcome.predicted)).length / all.length).toBeLessThanOrEqual(0.1);
  });

  it.each(LOCALES)('misreads at most 12 of them in %s', (locale) => {
    expect(
      (praise.get(locale) ?? []).filter((outcome) => misread(outcome.predicted)).length,
    ).toBeLessThanOrEqual(12);
  });

  it.each(LOCALES)('answers praise followed by a question as a question in %s', (locale) => {
    const all = praise.get(locale) ?? [];
    expect(count(all, 'other', (label) => label === 'other')).toBeGreaterThanOrEqual(
      all.filter((outcome) => outcome.expected === 'other').length * 0.8,
    );
  });
});

describe('reviews and feelings: dissatisfaction is a complaint, praise and feelings are not', () => {
  const reviews = outcomes('reviews');
  const all = [...reviews.values()].flat();

  it('has 25 positive reviews, 25 negative reviews and 30 feelings per locale', () => {
    for (const locale of LOCALES) {
      const lines = reviews.get(locale) ?? [];
      for (const [label, size] of [
        ['closing', 25],
        ['complaint', 25],
        ['other', 30],
      ] as const) {
        expect(lines.filter((outcome) => outcome.expected === label).length).toBeGreaterThanOrEqual(size);
      }
    }
  });

  it('reads at most 10% of positive reviews as complaints or requests for a person, at most 4 per locale', () => {
    expect(count(all, 'closing', misread)).toBeLessThanOrEqual(10);
    for (const locale of LOCALES)
      expect(count(reviews.get(locale) ?? [], 'closing', misread)).toBeLessThanOrEqual(4);
  });

  it('reads at least 70% of negative reviews as complaints, at least 60% per locale', () => {
    expect(count(all, 'complaint', (label) => label === 'complaint')).toBeGreaterThanOrEqual(70);
    for (const locale of LOCALES) {
      expect(
        count(reviews.get(locale) ?? [], 'complaint', (label) => label === 'complaint'),
      ).toBeGreaterThanOrEqual(15);
    }
  });

  it('reads at most 15% of feelings as complaints or requests for a person, at most 8 of 30 per locale', () => {
    expect(count(all, 'other', misread)).toBeLessThanOrEqual(18);
    for (const locale of LOCALES)
      expect(count(reviews.get(locale) ?? [], 'other', misread)).toBeLessThanOrEqual(8);
  });
});
