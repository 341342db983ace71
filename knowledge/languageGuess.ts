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
 */
export function guessLanguage(
  text: string,
  current: string,
  candidates: readonly string[],
  minScore = MIN_SCORE,
  known?: (locale: string) => number,
): string | undefined {
  const words = tokenize(text).filter((word) => word.length >= 2);
  if (words.length === 0) return undefined;
  const own = scoreIn(current, words, text);
  const bar = Math.max(minScore, 2 * own, own + 1);
  // Words the current language knows as function words are known to it: at most the others can count.
  const open = words.length - functionWords(current, words);
  let knownHere: number | undefined;
  let best: { locale: string; score: number } | undefined;
  for (const locale of candidates) {
    if (locale === current) continue;
    let s = scoreIn(locale, words, text);
    // The customers' words are read (a classification per language) only where they can decide.
    if (known && s < bar && s + open >= bar) {
      knownHere ??= known(current);
      s += Math.max(0, known(locale) - knownHere);
    }
    if (s >= bar && (!best || s > best.score)) best = { locale, score: s };
  }
  return best?.locale;
}

/** Function words of the locale among `words` (one point each) and letters only it uses (two points each). */
function scoreIn(locale: string, words: readonly string[], text: string): number {
  const letters = LETTERS[locale] ? (text.match(LETTERS[locale]) ?? []).length : 0;
  return functionWords(locale, words) + 2 * letters;
}

function functionWords(locale: string, words: readonly string[]): number {
  const analyzer = analyzerFor(locale);
  let count = 0;
  for (const word of words) if (analyzer.isStopword(word)) count += 1;
  return count;
}
