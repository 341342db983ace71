import { analyzerFor } from '../knowledge/stemming';
import { isShouting } from './cues';
import { localeWords, phraseHits, split } from './words';

/**
 * The features the understanding classifiers read from one message (strings; the classifier interns them).
 * Text is folded first (case and diacritics never matter: "dziekuje" == "dziękuję"), apostrophes dropped:
 * - `w:` word tokens and `s:` their stems (nlp.js stemmers of knowledge/stemming.ts: "skuffet" ~ "skuffa");
 * - `b:` word bigrams, and `<` / `>` bigrams for the first and last word ("thanks, but how" ≠ "thanks");
 * - `c:` character 4–5-grams of each word with boundary markers ("_chol", "lery_"), so inflected forms, typos
 *   and chat spelling ("cholery", "mengecewakan", "tysm") share features with the training examples;
 * - negation: the {@link NEGATION_SPAN} words after a negation word of the locale ("not", "gak", "nie",
 *   "ikke") in the same clause get `!`-prefixed word, stem and character features ("not bad" → `w:!bad`), so
 *   "bad" and "not bad", "complaining" and "not complaining" can mean opposite things;
 * - `m:` shape: a question mark, "!!!", shouting, angry emoji, a digit, message length bucket.
 */
export const NEGATION_SPAN = 3;

const TOKEN = /[\p{L}\p{N}]+|\p{Extended_Pictographic}/gu;
const ANGRY_EMOJI = /[😡😠🤬👿💢😤🖕]/u;
const MIN_GRAM = 4;
const MAX_GRAM = 5;

/** The clauses of a message as folded tokens (apostrophes dropped, emoji kept as tokens, no "/"). */
export function clausesOf(text: string): string[][] {
  return split(text, TOKEN);
}

/** The feature strings of a message in a locale (duplicates removed, in first-seen order). */
export function featuresOf(text: string, locale: string): string[] {
  const analyzer = analyzerFor(locale);
  const { negation } = localeWords(locale);
  const features = new Set<string>();
  const clauses = clausesOf(text);
  const all: string[] = [];
  for (const clause of clauses) {
    const negated = new Uint8Array(clause.length);
    for (const hit of phraseHits(clause, negation)) {
      for (let at = hit.end; at < Math.min(clause.length, hit.end + NEGATION_SPAN); at += 1) negated[at] = 1;
    }
    for (const [at, token] of clause.entries()) {
      const stem = analyzer.stem(token);
      const mark = negated[at] === 1 ? '!' : '';
      features.add(`w:${mark}${token}`);
      features.add(`s:${mark}${stem}`);
      if (mark) features.add('m:negated');
      addCharGrams(features, token, mark);
      all.push(token);
    }
  }
  for (let at = 0; at + 1 < all.length; at += 1) features.add(`b:${all[at]} ${all[at + 1]}`);
  if (all.length > 0) {
    features.add(`b:< ${all[0]}`);
    features.add(`b:${all[all.length - 1]} >`);
  }
  for (const shape of shapeOf(text, all.length)) features.add(`m:${shape}`);
  return [...features];
}

function addCharGrams(features: Set<string>, token: string, mark: string): void {
  if (/\p{Extended_Pictographic}/u.test(token)) return;
  const padded = `_${token}_`;
  for (let n = MIN_GRAM; n <= MAX_GRAM; n += 1) {
    for (let at = 0; at + n <= padded.length; at += 1) features.add(`c:${mark}${padded.slice(at, at + n)}`);
  }
}

function shapeOf(text: string, tokens: number): string[] {
  const shape: string[] = [];
  if (text.includes('?')) shape.push('question');
  if (/!{2,}/.test(text)) shape.push('exclamations');
  if (ANGRY_EMOJI.test(text)) shape.push('angry-emoji');
  if (isShouting(text)) shape.push('shouting');
  if (/\d/.test(text)) shape.push('digit');
  shape.push(
    tokens <= 2 ? 'len:short' : tokens <= 6 ? 'len:medium' : tokens <= 15 ? 'len:long' : 'len:very-long',
  );
  return shape;
}
