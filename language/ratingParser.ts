import { RATING_FACES, RATING_SCORES, isScore, type Score } from '../feedback/types';
import {
  type LocaleWords,
  type PhraseHit,
  SINGLE_WORD_MESSAGE_TOKENS,
  clauseEnd,
  localeWords,
  opensQuestion,
  phraseHits,
  split,
  tokenize,
} from './words';

/**
 * Reads a typed 1–5 rating in any supported locale:
 * - digits anywhere ("4", "4️⃣", "I'd say 4"), with an optional scale of 5: "4/5", "4 out of 5", "4 z 5",
 *   "4 dari 5", "4 av 5"; another scale ("8/10", "6 of 10") is not guessed at;
 * - number words of the locale ("four", "empat", "czwórka", "fire", "four out of five"); because some are also
 *   ordinary words (nb "en", en "one"), a number word counts when it carries a scale or unit ("en stjerne",
 *   "fire av fem"), ends its clause ("I'd give it a four", "jedynka, nic nie działa") or the message is very short
 *   ("cztery", "piątkę daję"); a one that also is an article or a pronoun (words.json `ratingForms.articles`:
 *   "en", "one", "satu", "jedno") counts only marked ("bintang satu"), alone in its clause, or before another number
 *   in a short message ("one or two"), so "en god opplevelse", "the old one" and "jeszcze jedno" give none;
 * - runs of filled stars ("⭐⭐⭐⭐", "★★★★☆", "🌟🌟🌟"): the count of filled stars, while one star beside a
 *   number is its unit ("5⭐"); a negative or decimal number ("-1", "3.5 stars", "4,5/5") gives null; faces typed
 *   back (the rating card's "🙂" → 4, "😍" → 5, "😡" → 1) and signs ("👍" → 4, "❤️" → 5), when no number is given;
 * - rating words of the locale and the button labels ("excellent", "not bad", "dwója", "b aja", "ganske bra")
 *   in a message of up to {@link RATING_WORDS_MAX_TOKENS} tokens that asks nothing ("great, and what about
 *   roaming?" gives none), when they all give the same score;
 * - negation: a score right after a negation word of the locale ("not 5", "bukan 5", "nie piątka") is no score,
 *   and when the message names no other it gives none ("not a 5 but a solid 4", "not 5 maybe 4" are a 4: a word of
 *   `ratingForms.instead` after a number ends the negation's reach); a negated rating word
 *   ("ikke fornøyd") gives none (a phrase may carry its own negation: "not bad" is a 4);
 * - grade modifiers say how good a score is without changing it ("a solid 4", "słaba trójka", "trzy z plusem",
 *   "en sterk firer"); a number next to a count word is a quantity or a reference, no score ("took 20 minutes, 2"
 *   is a 2; "mam 2 pytania", "nummer 4 på lista" none; such a message gives a score only alone in its clause or
 *   opening the message: "i ordered 3 items, 2 shirts" none), and so is a number in a clause that asks a question
 *   ("what does 5 mean?"); the scale named as a range is none either ("from 1 to 5, I'd say 4" is a 4);
 * - in short replies, rating words misspelt by one letter after the first ("excelent", "terible", "mantab") or
 *   inflected at their end ("fatalna", "perfectly"), when the word is long enough ({@link TYPO_MIN_LENGTH}) and
 *   the misspelling reads as one score only; a number word misspelt by one letter when it is all the reply says
 *   ("ampat", "czteyry", "fiive"; see withNumberMisspelt), unless `numberTypos` is false (where the message may be
 *   something else: "sabtu", Saturday, is one letter from "satu").
 * A 5 after a number and "/" or "out of" is the scale and never a score on its own ("seks av fem" → null); with no
 * number before it the connector is a preposition ("na 5", "oceniam na 5" → 5).
 * Numbers marked by a scale or unit win over unmarked ones out of 1–5 ("order 12345, 4 stars" → 4), not over
 * another score ("5 stars for the agent, 1 for the bot" → null). Anything out of 1–5,
 * decimals, or two different candidates ("3 or 4") give null. The recognizers-text number model is not used: it
 * resolves "4/5" to 0.8 and knows none of id/pl/nb, and the locale lists cover the English words it would add.
 */
export function parseRating(text: string, locale: string, numberTypos = true): Score | null {
  if (NEGATIVE_NUMBER.test(text) || DECIMAL.test(text)) return null;
  const words = localeWords(locale);
  const all = numberTypos ? withNumberMisspelt(tokenize(text), words) : tokenize(text);
  const length = all.reduce((sum, clause) => sum + clause.length, 0);
  const asks = text.includes('?');
  const clauses = all.filter((clause) => !(asks && opensQuestion(clause, words)));
  const mentions = numberMentions(
    clauses.map((clause) => withoutModifiers(clause, words)),
    words,
    length,
  );
  if (mentions === null) return null;
  const given = mentions.filter((m) => !m.negated);
  if (given.length === 0 && mentions.length > 0) return null;
  const stars = text.match(FILLED_STAR)?.length ?? 0;
  // A marked score leaves out numbers that cannot be one ("order 12345, 4 stars"), not another score ("5 stars
  // for the agent, 1 for the bot" gives none).
  const marked = given.some((m) => m.marked);
  const values = new Set(given.filter((m) => !marked || m.marked || isScore(m.value)).map((m) => m.value));
  // One star beside a number is its unit ("5⭐", "⭐ 4"); a row of them is the score.
  if (stars > 1 || (stars === 1 && given.length === 0)) values.add(stars);
  // Rating words in a question ("great, and what about roaming?") are no answer to the survey.
  if (values.size === 0) return faceScore(text) ?? (asks ? null : ratingWords(clauses, words, length));
  if (values.size > 1) return null;
  const [value] = values;
  return RATING_SCORES.find((score) => score === value) ?? null;
}

const FILLED_STAR = /[⭐🌟★✭✮✯✰]/gu;
/** A minus sign written on a number ("-1", "-5 stars"); "4-5" and "5-" are no such sign. */
const NEGATIVE_NUMBER = /(?:^|\s)[-−]\d/u;
/** A decimal number ("3.5 stars", "4,5/5"): the comma or point would split it into two scores, one of them marked. */
const DECIMAL = /\d[.,]\d/u;

/**
 * Faces customers type for a score, by score: the rating card's own face first, then faces that read the same on
 * a five-point scale of faces (angry or crying: 1; sad: 2; neutral: 3; smiling: 4; beaming, in love: 5), and the
 * signs that say as much: a thumb down 2 ("bad"), a thumb up or OK hand 4 ("good", the card's 4), a heart or a
 * hundred 5.
 */
const FACES_BY_SCORE: readonly (readonly string[])[] = RATING_FACES.map((face, at) => [
  face,
  ...[
    ['😡', '😠', '🤬', '😭', '😫', '😩'],
    ['☹', '😕', '😟', '😒', '😔', '👎'],
    ['😑', '😶'],
    ['😊', '☺', '👍', '👌'],
    ['😀', '😃', '😁', '😆', '🤩', '😍', '🥰', '🥳', '❤', '💯'],
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

/**
 * Whether a negation word ends within {@link SCORE_NEGATION_WINDOW} tokens before `start` in the clause, or a no
 * word right before it ("no 5 from me", "nope 5"; "no, 5" is two clauses); not when a number and a word of
 * `instead` come between the negation and the score ("not 5 maybe 4": the 4 is given, the 5 negated).
 */
function negatedAt(
  clause: readonly string[],
  start: number,
  words: LocaleWords,
  instead: { numbers: readonly PhraseHit[]; words: readonly PhraseHit[] } = { numbers: [], words: [] },
): boolean {
  return (
    phraseHits(clause, words.negation).some(
      (n) =>
        n.end <= start &&
        n.end >= start - SCORE_NEGATION_WINDOW &&
        !instead.numbers.some(
          (other) =>
            other.start >= n.end &&
            instead.words.some((word) => word.start >= other.end && word.end <= start),
        ),
    ) || phraseHits(clause, words.no).some((n) => n.end === start)
  );
}

interface Located extends PhraseHit {
  value: number;
  word: boolean;
}

/** The counted numbers of the message, or null when it rates on another scale than 5. */
function numberMentions(
  clauses: readonly (readonly string[])[],
  words: LocaleWords,
  length: number,
): Mention[] | null {
  const parts = clauses.map((clause) => marks(clause, words));
  // A message that counts things gives a score only marked, standing alone in its clause ("took 20 minutes, 2")
  // or opening the message ("4 bo musiałem pytać dwa razy"); "i ordered 3 items, 2 shirts" gives none.
  const quantities = parts.some(({ found, counts }) =>
    found.some((mention) => counts.some((count) => isCounted(mention, count))),
  );
  const mentions: Mention[] = [];
  for (const [index, clause] of clauses.entries()) {
    const { found, connectors, units, counts, articles, instead } = parts[index]!;
    const startingAt = (at: number) => found.find((m) => m.start === at);
    const scale = scaleRange(found, connectors);
    for (const mention of found) {
      if (scale.includes(mention)) continue;
      if (counts.some((count) => isCounted(mention, count))) continue;
      const precededBy = connectors.find((c) => c.end === mention.start);
      // "4 of 5": the 5 is the scale, not a score; "8/10" is another scale, which is not guessed at. Without a
      // number before it the connector is a preposition ("na 5", "kurang dari 5").
      if (precededBy && found.some((m) => m.end === precededBy.start)) {
        if (mention.value === 5) continue;
        return null;
      }
      const connector = connectors.find((c) => c.start === mention.end);
      const marked =
        (connector !== undefined && startingAt(connector.end) !== undefined) ||
        units.some((u) => u.start === mention.end || u.end === mention.start);
      const isFinal = mention.end === clauseEnd(clause, words.filler);
      const alone = isFinal && mention.start === clauseStart(clause, words.filler);
      const beforeAnother = found.some((m) => m.start >= mention.end);
      const short = length <= SINGLE_WORD_MESSAGE_TOKENS;
      // A number word that also is an article or a pronoun ("en god opplevelse", "the old one", "one sec") counts
      // alone, marked, or before another number in a short message ("one or two": two scores); other number words
      // also at the end of their clause ("I'd give it a four") or anywhere in a short message ("cztery bo szybko").
      const article = articles.some((a) => a.start === mention.start && a.end === mention.end);
      const counted = article ? alone || (short && beforeAnother) : !mention.word || isFinal || short;
      const opening = index === 0 && mention.start === clauseStart(clause, words.filler);
      if (marked || (counted && (!quantities || alone || opening)))
        mentions.push({
          value: mention.value,
          marked,
          negated: negatedAt(clause, mention.start, words, { numbers: found, words: instead }),
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
  /** Units, after or before the number: "stars", "gwiazdki", "bintang", "poeng", "terningkast". */
  units: PhraseHit[];
  /** Count words: "minutes", "pytania", "menit", "spørsmål". */
  counts: PhraseHit[];
  /** Number words that also are articles or pronouns: "one", "en", "satu", "jedno". */
  articles: PhraseHit[];
  /** Words that give another score after a negated one: "but", "maybe", "tapi", "raczej", "kanskje". */
  instead: PhraseHit[];
}

/** The parts of one clause that can make up a rating. */
function marks(clause: readonly string[], words: LocaleWords): Marks {
  const instead = phraseHits(clause, words.ratingForms.instead);
  return {
    found: locate(clause, words),
    connectors: [
      ...phraseHits(clause, words.ratingForms.outOf),
      ...clause.flatMap((token, at) => (token === '/' ? [{ phrase: '/', start: at, end: at + 1 }] : [])),
    ],
    units: phraseHits(clause, words.ratingForms.stars),
    // A count word that opens a word of `instead` is that word ("not 5 more like 3", not "5 more questions").
    counts: phraseHits(clause, words.ratingForms.counts).filter(
      (count) => !instead.some((word) => word.start === count.start),
    ),
    articles: phraseHits(clause, words.ratingForms.articles),
    instead,
  };
}

/**
 * The scale named as a range, "1 to 5" ("on a scale of 1 to 5, 4", "od 1 do 5", "dari 1 sampai 5", "fra 1 til 5",
 * "1-5"): a 1 and a 5 next to each other or one word apart, unless that word makes "1 out of 5" ("1/5", "1 z 5").
 */
function scaleRange(found: readonly Located[], connectors: readonly PhraseHit[]): Located[] {
  return found.flatMap((one, at) => {
    const five = found[at + 1];
    if (one.value !== 1 || five?.value !== 5 || five.start > one.end + 1) return [];
    return connectors.some((c) => c.start === one.end) ? [] : [one, five];
  });
}

/** Words a count word may stand apart from its number ("2 more questions"). */
const COUNT_GAP = 1;

/**
 * Whether a count word makes a number a quantity or a reference, no score: right before it ("number 4") or just
 * after it ("20 minutes", "2 more questions").
 */
function isCounted(mention: PhraseHit, count: PhraseHit): boolean {
  return (
    count.end === mention.start || (count.start >= mention.end && count.start <= mention.end + COUNT_GAP)
  );
}

/** The clause without grade modifiers ("a solid 4" → "a 4", "trzy z plusem" → "trzy"). */
function withoutModifiers(clause: readonly string[], words: LocaleWords): readonly string[] {
  const hits = phraseHits(clause, words.ratingForms.modifiers);
  if (hits.length === 0) return clause;
  return clause.filter((_token, at) => !hits.some((hit) => at >= hit.start && at < hit.end));
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
  const quiet = [...ratingVocabulary(words).list, ...words.filler, ...words.ratingForms.modifiers];
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

/** Where a clause starts, ignoring leading filler words ("hi, 4", "kak 5" start at the number). */
export function clauseStart(clause: readonly string[], filler: readonly string[]): number {
  let start = 0;
  for (const hit of phraseHits(clause, filler)) if (hit.start === start) start = hit.end;
  return start;
}

/**
 * The score of the rating words and button labels in a short message, when they all agree and none is negated
 * ("not excellent" gives none; "not bad" is its own phrase, found leftmost-longest before "bad").
 */
function ratingWords(
  clauses: readonly (readonly string[])[],
  words: LocaleWords,
  length: number,
): Score | null {
  if (length > RATING_WORDS_MAX_TOKENS) return null;
  // Misspellings are read in short replies only ("excelent"; in "prezenty na święta", holidays, are no "świetna").
  const typos = length <= SINGLE_WORD_MESSAGE_TOKENS;
  const vocabulary = ratingVocabulary(words);
  const { list, scoreOf } = vocabulary;
  const scores = new Set<Score | undefined>();
  for (const written of clauses) {
    const clause = typos ? written.map((token) => spelled(token, vocabulary)) : written;
    for (const hit of phraseHits(clause, list)) {
      if (negatedAt(clause, hit.start, words)) return null;
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
  /** One-word phrases of at least {@link TYPO_MIN_LENGTH} letters, folded, by score: what a misspelling is read as. */
  long: Map<string, Score | undefined>;
}

/** Shortest rating word read through a misspelling: shorter words are too close to other words ("bad", "bagus"). */
export const TYPO_MIN_LENGTH = 6;

/**
 * A token as the one long rating word it misspells by one letter (one letter left out, added, changed, or two
 * swapped: "excelent", "terible", "mantab", "swietine") or inflects in its last two letters (the adjective for the
 * adverb, "fatalna" for "fatalnie", "perfectly", "fornøyde"), else the token itself; a token close to words of two
 * different scores stays as written.
 */
function spelled(token: string, vocabulary: RatingVocabulary): string {
  if (token.length < TYPO_MIN_LENGTH || vocabulary.long.has(token)) return token;
  const near = [...vocabulary.long.keys()].filter(
    (word) => oneEditApart(token, word) || sameStem(token, word),
  );
  const scores = new Set(near.map((word) => vocabulary.long.get(word)));
  const [word] = near;
  return word !== undefined && scores.size === 1 && !scores.has(undefined) ? word : token;
}

/** Shortest typed word read as a misspelt number word: shorter ones are too often other words ("lama", "your"). */
const NUMBER_TYPO_MIN_LENGTH = 5;
/** Longest number word never read through a misspelling: one letter makes another number ("dua", "dwa", "to"). */
const SHORT_NUMBER_WORD = 3;

/**
 * The message's clauses with a misspelt number word read as the number, when it is all the reply says besides
 * filler ("ampat kak", "czteyry", "fiive"): a word of at least {@link NUMBER_TYPO_MIN_LENGTH} letters, one letter
 * left out, added, changed (also the first: "ampat"; a letter put before a word is no typo: "tempat" is a place) or
 * swapped from one number word of more than {@link SHORT_NUMBER_WORD} letters, that keeps its consonants
 * ({@link sameConsonants}) and is no word of the locale's lists ("jednak" is "after all", not "jedna"). Beside
 * other words a misspelt number is too often another word.
 */
function withNumberMisspelt(
  clauses: readonly (readonly string[])[],
  words: LocaleWords,
): readonly (readonly string[])[] {
  const said = clauses.flatMap((clause, at) => {
    const filler = phraseHits(clause, words.filler);
    return clause.flatMap((token, index) =>
      filler.some((hit) => index >= hit.start && index < hit.end) ? [] : [{ at, index, token }],
    );
  });
  const [only] = said;
  if (said.length !== 1 || only === undefined || only.token.length < NUMBER_TYPO_MIN_LENGTH) return clauses;
  const { spellings, known } = numberSpellings(words);
  if (known.has(only.token)) return clauses;
  const near = [...spellings.keys()].filter(
    (word) =>
      (oneEditApart(only.token, word, true) || oneEditApart(word, only.token, true)) &&
      sameConsonants(only.token, word),
  );
  const values = new Set(near.map((word) => spellings.get(word)));
  const [word] = near;
  if (word === undefined || values.size > 1) return clauses;
  return clauses.map((clause, at) =>
    at === only.at ? clause.map((token, index) => (index === only.index ? word : token)) : clause,
  );
}

/** Vowels of the four locales' folded words ("y" is one in Polish: "czteru" for "cztery"). */
const VOWELS = 'aeiouy';
const isVowel = (letter: string | undefined) => letter !== undefined && VOWELS.includes(letter);

/**
 * Whether a word one letter from a number word is its misspelling rather than another word: the misspelling keeps
 * the number's consonants in their order (a letter doubled or undoubled counts once) and its last letter (or
 * changes that vowel for another). A vowel changed, left out, put in or doubled is a slip ("ampat", "czteru",
 * "czteyry", "fiive", "femer", "empatt"); a consonant changed or put in ("sabtu", Saturday, for "satu"; "flour";
 * "treet", the tree) or a new last letter ("empati", empathy; "limau", lime; "fiver"; "piątek", Friday, for
 * "piątke") makes another word more often.
 */
function sameConsonants(typed: string, number: string): boolean {
  const consonants = (word: string) =>
    [...word]
      .filter((letter) => !isVowel(letter))
      .join('')
      .replace(/(.)\1+/g, '$1');
  const [last, numberLast] = [typed.at(-1), number.at(-1)];
  const lastKept =
    last === numberLast || (typed.length === number.length && isVowel(last) && isVowel(numberLast));
  return lastKept && consonants(typed) === consonants(number);
}

interface NumberSpellings {
  /** One-word number words of more than {@link SHORT_NUMBER_WORD} letters, folded, with their score. */
  spellings: Map<string, Score>;
  /** Every word of the locale's lists: none of them is a misspelt number. */
  known: Set<string>;
}

const numberSpellingsOf = new WeakMap<LocaleWords, NumberSpellings>();
/** The locale's number words a misspelling is read as, and the words it knows otherwise (cached per locale). */
function numberSpellings(words: LocaleWords): NumberSpellings {
  let found = numberSpellingsOf.get(words);
  if (!found) {
    const spellings = new Map<string, Score>();
    for (const score of RATING_SCORES) {
      for (const phrase of words.numbers[score]) {
        const [word, ...more] = split(phrase).flat();
        if (word !== undefined && more.length === 0 && word.length > SHORT_NUMBER_WORD)
          spellings.set(word, score);
      }
    }
    const known = new Set(phrasesOf(words).flatMap((phrase) => split(phrase).flat()));
    found = { spellings, known };
    numberSpellingsOf.set(words, found);
  }
  return found;
}

/** Every phrase of a word list, however deep it is nested (lists, lists by score, forms). */
function phrasesOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(phrasesOf);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(phrasesOf);
  return [];
}

/** Letters at the end of a word in which its inflections may differ ("fatalnie", "fatalna"; "perfect", "perfectly"). */
const INFLECTION_LETTERS = 2;

/**
 * Whether two words differ only in their last {@link INFLECTION_LETTERS} letters, the longer one's counted, and
 * the shorter one in its last letter at most ("fatalna", "fatalnie"; not "terbang", "terbaik").
 */
function sameStem(a: string, b: string): boolean {
  let common = 0;
  while (common < a.length && a[common] === b[common]) common += 1;
  return (
    common >= Math.max(a.length, b.length) - INFLECTION_LETTERS && common >= Math.min(a.length, b.length) - 1
  );
}

/**
 * Whether a token is a word with one letter left out, changed, or swapped with its neighbour, after the same first
 * letter: a letter put before a word is a prefix more often than a typo ("ufornøyd" is not satisfied), and one
 * put inside it often makes another word ("terbalik", upside down, is not "terbaik"). `firstChanged`: a first
 * letter changed counts as well ("ampat"; for the few number words, no prefix makes one).
 */
function oneEditApart(a: string, b: string, firstChanged = false): boolean {
  if (firstChanged && a.length === b.length && a.slice(1) === b.slice(1)) return a !== b;
  if (a === b || a[0] !== b[0] || a.length > b.length || b.length - a.length > 1) return false;
  let start = 0;
  while (start < a.length && a[start] === b[start]) start += 1;
  const rest = (x: string, skip: number) => x.slice(start + skip);
  if (a.length === b.length) {
    const swapped = a[start] === b[start + 1] && a[start + 1] === b[start];
    return rest(a, 1) === rest(b, 1) || (swapped && rest(a, 2) === rest(b, 2));
  }
  return rest(a, 0) === rest(b, 1);
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
    const long = new Map<string, Score | undefined>();
    for (const [phrase, score] of scoreOf) {
      const [word, ...more] = split(phrase).flat();
      if (word === undefined || more.length > 0 || word.length < TYPO_MIN_LENGTH) continue;
      long.set(word, long.has(word) && long.get(word) !== score ? undefined : score);
    }
    vocabulary = { list: [...scoreOf.keys()], scoreOf, long };
    vocabularies.set(words, vocabulary);
  }
  return vocabulary;
}
