import { fromRoot } from '../../core/paths';
import { predict, readSet } from '../../language/evalCli';
import { testUnderstanding } from '../helpers/understanding';

/**
 * Messages that are neither complaints, nor requests for a person, nor goodbyes, written separately from the
 * training data and never trained on (tests/fixtures/understanding/<lang>/):
 * - `usage.jsonl`: calm usage questions and problem reports of customers ("my card hasn't arrived yet", "why was I
 *   charged a fee", "the payment failed, what now?"); the target: at most 1% flagged;
 * - `offtopic.jsonl`: everyday messages from outside customer service (assistant commands, small talk, calling a
 *   relative: "call my mom"), where a model trained on customer service alone flagged about one in five; at most
 *   one in ten;
 * - `statements.jsonl`: calm statements that give context ("we are a small company with 12 employees", "mam u was
 *   dwa konta", "sy udh bayar tagihan bln ini"), which the model read as complaints 6–12 times in 60 per locale
 *   while its calm examples were mostly questions; at most one in ten;
 * - `assistant.jsonl`: requests people make of a virtual assistant (calls to a relative or a business, timers,
 *   recipes, routes, "recommend a podcast"), where the bot read "ring Ola" as a request for a person and "best route
 *   to the stadium" as praise (23 of 800 flagged); at most 1%, and 5 of 200 per locale.
 */
const LOCALES = ['en', 'id', 'pl', 'nb'] as const;
const FLAGGED = ['complaint', 'human', 'closing'];

function outcomes(set: string, locale: string): { text: string; predicted: string }[] {
  const understanding = testUnderstanding();
  return readSet(fromRoot('tests', 'fixtures', 'understanding', locale, `${set}.jsonl`)).map((line) => ({
    text: line.text,
    predicted: String(predict(understanding, 'message', line.text, line.locale)),
  }));
}

describe.each([
  { set: 'usage', size: 95, share: 0.01, perLocale: 1 },
  { set: 'offtopic', size: 80, share: 0.1, perLocale: 10 },
  { set: 'statements', size: 60, share: 0.1, perLocale: 6 },
  { set: 'assistant', size: 200, share: 0.01, perLocale: 5 },
])(
  '$set messages are not complaints, requests for a person or goodbyes',
  ({ set, size, share, perLocale }) => {
    const byLocale = new Map(LOCALES.map((locale) => [locale, outcomes(set, locale)]));
    const flagged = (locale: (typeof LOCALES)[number]) =>
      (byLocale.get(locale) ?? []).filter((outcome) => FLAGGED.includes(outcome.predicted));

    it(`has at least ${size} per locale`, () => {
      for (const locale of LOCALES) expect(byLocale.get(locale)?.length).toBeGreaterThanOrEqual(size);
    });

    it(`flags at most ${share * 100}% of them over the four locales`, () => {
      const total = [...byLocale.values()].reduce((sum, all) => sum + all.length, 0);
      const wrong = LOCALES.flatMap(flagged);
      expect(wrong.length / total).toBeLessThanOrEqual(share);
    });

    it.each(LOCALES)(`flags at most ${perLocale} of them in %s`, (locale) => {
      expect(flagged(locale).length).toBeLessThanOrEqual(perLocale);
    });
  },
);
