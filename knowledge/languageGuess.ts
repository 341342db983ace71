import { tokenize } from './normalize';
import { analyzerFor } from './stemming';

/** Letters that belong to one supported language only (a strong signal even in a short message). */
const LETTERS: Record<string, RegExp> = {
  pl: /[ąćęłńśźż]/giu,
  nb: /[æøå]/giu,
};

/** Score a language needs before it may override the locale the client sent. */
export const MIN_SCORE = 2;
/**
 * Score at which one message proves its language even in a conversation already going on in another (three
 * function words, or a letter of its own and a function word); below it, a short phrase in another language
 * ("sorry, is it free?" in Polish chat) proves nothing alone.
 */
export const SURE_SCORE = 3;
/**
 * Words a message needs before it may change the language: a greeting or a command of
 * one or two words ("halo", "hjelp", "human") is no evidence of a language.
 */
export const MIN_WORDS = 3;

/** Whether the message is long enough (MIN_WORDS) to suggest a language: "hi", "halo kak", "hjelp" are not. */
export const canTellLanguage = (text: string): boolean => tokenize(text).length >= MIN_WORDS;

/**
 * The supported language a message is clearly written in, if any: function words (the matcher's stop-word
 * lists, words of two letters or more) count one point, letters only that language uses two. A language wins
 * when it scores at least MIN_SCORE and at least twice as much as the current locale, so "How do I pay?" in a
 * Polish Teams client stays English and "Jak zmienić hasło?" in an English one becomes Polish; short or
 * neutral messages ("ok", "router 5G") change nothing. `minScore`: see SURE_SCORE.
 *
 * `known` (optional): how many of the message's words a language's own customer messages (the understanding
 * training data) hold; each word a language knows beyond the current one counts a point, so that a message
 * written without diacritics and with few function words still tells its language ("jak zaplacic rachunek":
 * one function word, three words only Polish knows).
 *
 * A message of fewer than MIN_WORDS words changes nothing, and a language wins only where it knows at least half
 * the message's words (its function words, words with its letters, or, with `known`, its customers' words): a
 * message in an unsupported language ("wie kann ich meine Rechnung bezahlen?": two words that are Polish function
 * words) is no evidence of any supported one.
 */
export function guessLanguage(
  text: string,
  current: string,
  candidates: readonly string[],
  minScore = MIN_SCORE,
  known?: (locale: string) => number,
): string | undefined {
  if (!canTellLanguage(text)) return undefined;
  const tokens = tokenize(text);
  const words = tokens.filter((word) => word.length >= 2);
  const counted = new Map<string, number>();
  const knownIn = known && ((locale: string): number => memo(counted, locale, known));
  const own = scoreIn(current, words, text);
  const bar = Math.max(minScore, 2 * own, own + 1);
  // Words the current language knows as function words are known to it: at most the others can count.
  const open = words.length - functionWords(current, words);
  let best: { locale: string; score: number } | undefined;
  for (const locale of candidates) {
    if (locale === current) continue;
    let s = scoreIn(locale, words, text);
    // The customers' words are read (a classification per language) only where they can decide.
    if (knownIn && s < bar && s + open >= bar) s += Math.max(0, knownIn(locale) - knownIn(current));
    if (s >= bar && (!best || s > best.score) && knowsHalf(locale, words, text, knownIn))
      best = { locale, score: s };
  }
  return best?.locale;
}

/**
 * The locale knows at least half of `words`: as function words or words with its letters, else (read only then)
 * as words its customers use.
 */
function knowsHalf(
  locale: string,
  words: readonly string[],
  text: string,
  known: ((locale: string) => number) | undefined,
): boolean {
  if (2 * (functionWords(locale, words) + lettered(locale, text)) >= words.length) return true;
  return known !== undefined && 2 * known(locale) >= words.length;
}

/** Function words of the locale among `words` (one point each) and letters only it uses (two points each). */
function scoreIn(locale: string, words: readonly string[], text: string): number {
  const letters = LETTERS[locale] ? (text.match(LETTERS[locale]) ?? []).length : 0;
  return functionWords(locale, words) + 2 * letters;
}

/** Words of `text` with a letter only the locale uses. */
function lettered(locale: string, text: string): number {
  const letters = LETTERS[locale];
  if (!letters) return 0;
  return text.split(/[^\p{L}]+/u).filter((word) => word.match(letters) !== null).length;
}

function functionWords(locale: string, words: readonly string[]): number {
  const analyzer = analyzerFor(locale);
  let count = 0;
  for (const word of words) if (analyzer.isStopword(word)) count += 1;
  return count;
}

function memo(counted: Map<string, number>, locale: string, read: (locale: string) => number): number {
  let count = counted.get(locale);
  if (count === undefined) {
    count = read(locale);
    counted.set(locale, count);
  }
  return count;
}
