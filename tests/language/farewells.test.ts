import { fromRoot } from '../../core/paths';
import { predict, readSet } from '../../language/evalCli';
import { testUnderstanding } from '../helpers/understanding';

/**
 * Farewells, from two held-out sets by two authors who had not seen the training data (tests/fixtures/
 * understanding/<lang>/`farewells.jsonl` and `goodbyes.jsonl`, fifteenth session): people leaving a chat with or
 * without thanks ("gotta run, bye", "sampai nanti kak", "dobranoc", "vi ses"), and hard cases that share their
 * words — greetings alone ("cześć", "selamat malam", "god kveld"), questions with farewell words, a farewell
 * followed by a new question — and complaints made while leaving. Before the farewell examples and phrases of this
 * session, 60–78% of the farewells were read as goodbyes.
 */
const CASES = ['en', 'id', 'pl', 'nb'].flatMap((locale) =>
  ['farewells', 'goodbyes'].map((set) => ({ locale, set })),
);
const read = ({ locale, set }: (typeof CASES)[number]) =>
  readSet(fromRoot('tests', 'fixtures', 'understanding', locale, `${set}.jsonl`)).map((line) => ({
    text: line.text,
    expected: String(line.expected),
    predicted: String(predict(testUnderstanding(), 'message', line.text, line.locale)),
  }));

describe.each(CASES)('$set in $locale', (set) => {
  const outcomes = read(set);
  const farewells = outcomes.filter((outcome) => outcome.expected === 'closing');

  it('reads at least 80% of the farewells as goodbyes', () => {
    const recognised = farewells.filter((outcome) => outcome.predicted === 'closing').length;
    expect(recognised / farewells.length).toBeGreaterThanOrEqual(0.8);
  });

  it('never closes on a greeting or a question that shares their words', () => {
    const closed = outcomes.filter(
      (outcome) => outcome.expected === 'other' && outcome.predicted === 'closing',
    );
    expect(closed.map((outcome) => outcome.text)).toEqual([]);
  });
});

/**
 * Known gap: a sarcastic thanks while leaving ("terima kasih untuk tidak membantu. selamat tinggal", "ha det, og takk
 * for at dere mistet pakken min") is still read as a goodbye: 8 of the sets' 60 complaints made while leaving (the
 * figure this keeps from growing).
 */
it('reads at most 8 of the 60 complaints made while leaving as goodbyes', () => {
  const complaints = CASES.flatMap(read).filter((outcome) => outcome.expected === 'complaint');
  expect(complaints).toHaveLength(60);
  expect(complaints.filter((outcome) => outcome.predicted === 'closing').length).toBeLessThanOrEqual(8);
});
