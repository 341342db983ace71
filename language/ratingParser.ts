import { RATING_FACES, RATING_SCORES, isScore, type Score } from '../feedback/types';
import {
  type LocaleWords,
  type PhraseHit,
  SINGLE_WORD_MESSAGE_TOKENS,
  localeWords,
  phraseHits,
  tokenize,
} from './words';

/**
 * Reads a typed 1–5 rating in any supported locale:
 * - digits anywhere ("4", "4️⃣", "I'd say 4"), with an optional scale of 5: "4/5", "4 out of 5", "4 z 5",
 *   "4 dari 5", "4 av 5"; another scale ("8/10", "6 of 10") is not guessed at;
 * - number words of the locale ("four", "empat", "czwórka", "fire", "four out of five"); because some are also
 *   ordinary words (nb "en", en "one"), a number word counts when it carries a scale or unit ("en stjerne",
 *   "fire av fem"), ends the message ("I'd give it a four") or the message is very short ("cztery");
 * - runs of filled stars ("⭐⭐⭐⭐", "★★★★☆", "🌟🌟🌟"): the count of filled stars; faces typed
 *   back (the rating card's "🙂" → 4, "😍" → 5, "😡" → 1), when no number is given;
 * - rating words of the locale and the button labels ("excellent", "not bad", "dwója", "b aja", "ganske bra")
 *   in a message of up to {@link RATING_WORDS_MAX_TOKENS} tokens, when they all give the same score;
 * - negation: a score or rating word right after a negation word of the locale ("not 5", "bukan 5", "nie
 *   piątka", "ikke fornøyd") makes the message give no score at all (a phrase may carry its own negation:
 *   "not bad" is a 4).
 * A 5 after "/" or "out of" is the scale and never a score on its own ("seks av fem" → null).
 * Numbers marked by a scale or unit win over unmarked ones ("2 days late, 3 stars" → 3). Anything out of 1–5,
 * decimals, or two different candidates ("3 or 4") give null. The recognizers-text number model is not used: it
 * resolves "4/5" to 0.8 and knows none of id/pl/nb, and the locale lists cover the English words it would add.
 */
export function parseRating(text: string, locale: string): Score | null {
  const words = localeWords(locale);
  const clauses = tokenize(text);
  const mentions = numberMentions(clauses, words);
  if (mentions === null) return null;
  if (mentions.some((m) => m.negated)) return null;
  const stars = text.match(FILLED_STAR)?.length ?? 0;
  const marked = mentions.filter((m) => m.marked);
  const values = new Set((marked.length > 0 ? marked : mentions).map((m) => m.value));
  if (stars > 0) values.add(stars);
  if (values.size === 0) return faceScore(text) ?? ratingWords(clauses, words);
  if (values.size > 1) return null;
  const [value] = values;
  return RATING_SCORES.find((score) => score === value) ?? null;
}

const FILLED_STAR = /[⭐🌟★✭✮✯✰]/gu;

/**
 * Faces customers type for a score, by score: the rating card's own face first, then faces that read the same on
 * a five-point scale of faces (angry or crying: 1; sad: 2; neutral: 3; smiling: 4; beaming, in love: 5).
 */
const FACES_BY_SCORE: readonly (readonly string[])[] = RATING_FACES.map((face, at) => [
  face,
  ...[
    ['😡', '😠', '🤬', '😭', '😫', '😩'],
    ['☹', '😕', '😟', '😒', '😔'],
    ['😑', '😶'],
    ['😊', '☺'],
    ['😀', '😃', '😁', '😆', '🤩', '😍', '🥰', '🥳'],
  ][at]!,
]);

/**
 * The score of a face typed back ("🙂" → 4, "😍" → 5; see FACES_BY_SCORE), when the message's faces all give the
 * same score.
 */
function faceScore(text: string): Score | null {
  const faces = new Set<number>();
  for (const char of text) {
    const at = FACES_BY_SCORE.findIndex((list) => list.includes(char));
    if (at >= 0) faces.add(at + 1);
  }
  const [score] = faces;
  return faces.size === 1 && score !== undefined && isScore(score) ? score : null;
}

const DIGITS = /^\d+$/;

interface Mention {
  value: number;
  /** Followed by a scale ("out of 5") or a unit ("stars"). */
  marked: boolean;
  /** Just after a negation word ("not 5", "nie piątka"). */
  negated: boolean;
}

/** Longest message (tokens) in which rating words are looked for ("the chat was not bad at all"). */
export const RATING_WORDS_MAX_TOKENS = 8;
/** How many tokens before a score a negation word cancels it ("not a 5", "gak sampe 4"). */
const SCORE_NEGATION_WINDOW = 3;

/** Whether a negation word ends within {@link SCORE_NEGATION_WINDOW} tokens before `start` in the clause. */
function negatedAt(clause: readonly string[], start: number, negation: readonly string[]): boolean {
  return phraseHits(clause, negation).some((n) => n.end <= start && n.end >= start - SCORE_NEGATION_WINDOW);
}

interface Located extends PhraseHit {
  value: number;
  word: boolean;
}

/** The counted numbers of the message, or null when it rates on another scale than 5. */
function numberMentions(clauses: readonly (readonly string[])[], words: LocaleWords): Mention[] | null {
  const length = clauses.reduce((sum, clause) => sum + clause.length, 0);
  const last = finalToken(clauses, words.filler);
  const mentions: Mention[] = [];
  for (const [index, clause] of clauses.entries()) {
    const { found, connectors, units } = marks(clause, words);
    const startingAt = (at: number) => found.find((m) => m.start === at);
    for (const mention of found) {
      const precededBy = connectors.find((c) => c.end === mention.start);
      // "… of 5" is the scale, not a score; "8/10" is another scale, which is not guessed at.
      if (precededBy && mention.value === 5) continue;
      if (precededBy && found.some((m) => m.end === precededBy.start)) return null;
      const connector = connectors.find((c) => c.start === mention.end);
      const marked =
        (connector !== undefined && startingAt(connector.end) !== undefined) ||
        units.some((u) => u.start === mention.end);
      const isFinal = last !== undefined && index === last.clause && mention.end === last.end;
      if (!mention.word || marked || isFinal || length <= SINGLE_WORD_MESSAGE_TOKENS)
        mentions.push({
          value: mention.value,
          marked,
          negated: negatedAt(clause, mention.start, words.negation),
        });
    }
  }
  return mentions;
}

interface Marks {
  /** Digits and number words. */
  found: Located[];
  /** Scale connectors: "out of", "z", "dari", "av", "/". */
  connectors: PhraseHit[];
  /** Units: "stars", "gwiazdki", "bintang", "poeng". */
  units: PhraseHit[];
}

/** The parts of one clause that can make up a rating. */
function marks(clause: readonly string[], words: LocaleWords): Marks {
  return {
    found: locate(clause, words),
    connectors: [
      ...phraseHits(clause, words.ratingForms.outOf),
      ...clause.flatMap((token, at) => (token === '/' ? [{ phrase: '/', start: at, end: at + 1 }] : [])),
    ],
    units: phraseHits(clause, words.ratingForms.stars),
  };
}

/** Words besides the score from which a typed rating counts as also carrying a comment. */
export const REMARK_MIN_WORDS = 2;
const LETTERS = /\p{L}/u;

/**
 * Whether a typed rating says more than the score, as a comment would: at least {@link REMARK_MIN_WORDS} words
 * after the score in its clause ("5 but the wait was long", "2 fordi det tok lang tid") or in a clause of their
 * own ("the agent was nice, 4"), not counting scales, units, filler, rating words and emoji. Words leading up to
 * the score ("I'd give it a 4") say nothing more, nor do "4 stars", "4 out of 5, thanks" or "4, very good".
 */
export function ratingRemark(text: string, locale: string): boolean {
  const { after, apart } = remarkWords(text, locale);
  return after + apart >= REMARK_MIN_WORDS;
}

/**
 * Whether a message says something after a score ("eh, my bill is 4 times higher"): then it is no correction of a
 * rating, however it starts.
 */
export function saysMoreAfterScore(text: string, locale: string): boolean {
  return remarkWords(text, locale).after >= REMARK_MIN_WORDS;
}

/**
 * Words of a typed rating besides the score (not scales, units, filler, rating words or emoji): `after` the score
 * in its clause, and `apart` in clauses without one.
 */
function remarkWords(text: string, locale: string): { after: number; apart: number } {
  const words = localeWords(locale);
  const quiet = [...ratingVocabulary(words).list, ...words.filler];
  const counts = { after: 0, apart: 0 };
  for (const clause of tokenize(text)) {
    const { found, connectors, units } = marks(clause, words);
    const from = Math.max(0, ...found.map((m) => m.end));
    const said = [...found, ...connectors, ...units, ...phraseHits(clause, quiet)];
    const remark = clause.filter(
      (token, at) => at >= from && LETTERS.test(token) && !said.some((s) => at >= s.start && at < s.end),
    ).length;
    counts[found.length > 0 ? 'after' : 'apart'] += remark;
  }
  return counts;
}

/**
 * Digits and number words of one clause, leftmost-longest across the five lists and the out-of-scale words
 * ("en firer" is one 4, "en sekser" one 6).
 */
function locate(clause: readonly string[], words: LocaleWords): Located[] {
  const all: Located[] = [
    ...clause.flatMap((token, at) =>
      DIGITS.test(token)
        ? [{ phrase: token, start: at, end: at + 1, value: Number(token), word: false }]
        : [],
    ),
    ...RATING_SCORES.flatMap((score) =>
      phraseHits(clause, words.numbers[score]).map((hit) => ({ ...hit, value: score, word: true })),
    ),
    // An out-of-scale number word always counts (as 0, which is no score): "en sekser" is a 6, not a 1.
    ...phraseHits(clause, words.outOfScale).map((hit) => ({ ...hit, value: 0, word: false })),
  ].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Located[] = [];
  for (const mention of all) {
    const previous = kept[kept.length - 1];
    if (!previous || mention.start >= previous.end) kept.push(mention);
  }
  return kept;
}

/** Where the message ends, ignoring trailing emoji and filler words ("fire, takk 🙂" ends after "fire"). */
function finalToken(
  clauses: readonly (readonly string[])[],
  filler: readonly string[],
): { clause: number; end: number } | undefined {
  for (let clause = clauses.length - 1; clause >= 0; clause -= 1) {
    const tokens = clauses[clause] ?? [];
    let end = tokens.length;
    for (;;) {
      const trailingFiller = phraseHits(tokens.slice(0, end), filler).find((hit) => hit.end === end);
      if (trailingFiller) end = trailingFiller.start;
      else if (end > 0 && /\p{Extended_Pictographic}/u.test(tokens[end - 1] ?? '')) end -= 1;
      else break;
    }
    if (end > 0) return { clause, end };
  }
  return undefined;
}

/**
 * The score of the rating words and button labels in a short message, when they all agree and none is negated
 * ("not excellent" gives none; "not bad" is its own phrase, found leftmost-longest before "bad").
 */
function ratingWords(clauses: readonly (readonly string[])[], words: LocaleWords): Score | null {
  if (clauses.reduce((sum, clause) => sum + clause.length, 0) > RATING_WORDS_MAX_TOKENS) return null;
  const { list, scoreOf } = ratingVocabulary(words);
  const scores = new Set<Score | undefined>();
  for (const clause of clauses) {
    for (const hit of phraseHits(clause, list)) {
      if (negatedAt(clause, hit.start, words.negation)) return null;
      scores.add(scoreOf.get(hit.phrase));
    }
  }
  const [score] = scores;
  return scores.size === 1 && score !== undefined ? score : null;
}

interface RatingVocabulary {
  list: string[];
  /** Score of each phrase as written; undefined for a phrase listed under two scores. */
  scoreOf: Map<string, Score | undefined>;
}
const vocabularies = new WeakMap<LocaleWords, RatingVocabulary>();
/** The rating words and button labels of all five scores in one list (cached per locale). */
function ratingVocabulary(words: LocaleWords): RatingVocabulary {
  let vocabulary = vocabularies.get(words);
  if (!vocabulary) {
    const scoreOf = new Map<string, Score | undefined>();
    for (const score of RATING_SCORES) {
      for (const phrase of [...(words.ratingPhrases[score] ?? []), words.ratingScale[score]]) {
        scoreOf.set(phrase, scoreOf.has(phrase) && scoreOf.get(phrase) !== score ? undefined : score);
      }
    }
    vocabulary = { list: [...scoreOf.keys()], scoreOf };
    vocabularies.set(words, vocabulary);
  }
  return vocabulary;
}
