import { slotOf } from '../core/numberTable';
import { analyzerFor } from '../knowledge/stemming';
import { ANGRY_EMOJI, complaintLexicon, isShouting } from './cues';
import { localeWords, phraseHits, split } from './words';

/**
 * The features the understanding classifiers read from one message (written below as strings; each is hashed to
 * a key, see MessageFeatures, and the classifier interns the keys).
 * Text is folded first (case and diacritics never matter: "dziekuje" == "dziękuję"), apostrophes dropped:
 * - `w:` word tokens and `s:` their stems (nlp.js stemmers of knowledge/stemming.ts: "skuffet" ~ "skuffa");
 * - `b:` word bigrams, and `<` / `>` bigrams for the first and last word ("thanks, but how" ≠ "thanks");
 * - `c:` character 4–5-grams of each word with boundary markers ("_chol", "lery_"), so inflected forms, typos
 *   and chat spelling ("cholery", "mengecewakan", "tysm") share features with the training examples;
 * - negation: the {@link NEGATION_SPAN} words after a negation word of the locale ("not", "gak", "nie",
 *   "ikke") in the same clause get `!`-prefixed word, stem and character features ("not bad" → `w:!bad`), so
 *   "bad" and "not bad", "complaining" and "not complaining" can mean opposite things;
 * - `m:` shape: a question mark, "!!!", shouting, angry emoji, a digit, message length bucket;
 * - praise: one `m:praise` per word of the locale's `praise` list (`!`-prefixed when negated: "not great"), and
 *   `m:praise-only` when the message praises with no negated praise and no complaint word ("great service,
 *   thanks" but not "great, charged twice again", which the complaint lexicon marks), so praise in words no
 *   training example used still leans away from a complaint, while sarcasm keeps its failure words.
 */
export const NEGATION_SPAN = 3;

const TOKEN = /[\p{L}\p{N}]+|\p{Extended_Pictographic}/gu;
const MIN_GRAM = 4;
const MAX_GRAM = 5;

/** The clauses of a message as folded tokens (apostrophes dropped, emoji kept as tokens, no "/"). */
export function clausesOf(text: string): string[][] {
  return split(text, TOKEN);
}

/**
 * The features of one message: distinct keys in first-seen order, each a 53-bit hash of what the feature says
 * (the key of `w:!bad` hashes "w", "!", "bad"; no string is built), and which of them are word or stem features.
 * The arrays are reused: valid until the next call.
 */
export interface MessageFeatures {
  readonly length: number;
  readonly keys: Float64Array;
  /** 1 for a `w:` or `s:` feature. */
  readonly wordish: Uint8Array;
}

const WORD = 0x77; // w
const STEM = 0x73; // s
const GRAM = 0x63; // c
const BIGRAM = 0x62; // b
const SHAPE = 0x6d; // m
const NEGATED = 0x21; // !
const SPACE = 0x20;
const BOUNDARY = 0x5f; // _
const FIRST = 0x3c; // <
const LAST = 0x3e; // >

/**
 * Collects the distinct feature keys of one message: a feature is hashed as it is written (`begin`, then its
 * characters) and kept by `end` unless already there (a small open-addressing set of the keys, cleared per
 * message).
 */
class FeatureCollector implements MessageFeatures {
  length = 0;
  keys = new Float64Array(512);
  wordish = new Uint8Array(512);
  /** Twice as long as `keys`, so that it stays at most half full. */
  private seen = new Float64Array(1024);
  private laneA = 0;
  private laneB = 0;

  reset(): void {
    this.seen.fill(0);
    this.length = 0;
  }

  begin(kind: number, negated: boolean): this {
    this.laneA = 0x811c9dc5;
    this.laneB = 0x9747b28c;
    this.code(kind);
    if (negated) this.code(NEGATED);
    return this;
  }

  code(code: number): this {
    this.laneA = Math.imul(this.laneA ^ code, 0x01000193);
    this.laneB = Math.imul(this.laneB ^ code, 0x5bd1e995);
    this.laneB ^= this.laneB >>> 15;
    return this;
  }

  text(text: string): this {
    for (let i = 0; i < text.length; i += 1) this.code(text.charCodeAt(i));
    return this;
  }

  end(wordish = false): void {
    const key = (mixed(this.laneA) >>> 0) * 0x200000 + (mixed(this.laneB) >>> 11) || 1;
    if (this.length === this.keys.length) this.grow();
    const mask = this.seen.length - 1;
    let at = slotOf(key) & mask;
    for (; this.seen[at] !== 0; at = (at + 1) & mask) if (this.seen[at] === key) return;
    this.seen[at] = key;
    this.keys[this.length] = key;
    this.wordish[this.length] = wordish ? 1 : 0;
    this.length += 1;
  }

  private grow(): void {
    const keys = new Float64Array(2 * this.keys.length);
    keys.set(this.keys);
    const wordish = new Uint8Array(2 * this.wordish.length);
    wordish.set(this.wordish);
    this.keys = keys;
    this.wordish = wordish;
    // Re-adding every key to a larger set keeps the order of `keys`.
    this.seen = new Float64Array(2 * this.seen.length);
    const mask = this.seen.length - 1;
    for (let i = 0; i < this.length; i += 1) {
      const key = this.keys[i]!;
      let at = slotOf(key) & mask;
      while (this.seen[at] !== 0) at = (at + 1) & mask;
      this.seen[at] = key;
    }
  }
}

/** A 32-bit finaliser (murmur3's), so that close inputs land far apart. */
function mixed(value: number): number {
  let h = value;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const collector = new FeatureCollector();

/** The features of a message in a locale (see {@link MessageFeatures}; the result is reused by the next call). */
export function featuresOf(text: string, locale: string): MessageFeatures {
  const analyzer = analyzerFor(locale);
  const words = localeWords(locale);
  const { negation, praise } = words;
  const blame = complaintLexicon(words);
  let praised = false;
  let negatedPraise = false;
  let blamed = false;
  const features = collector;
  features.reset();
  const clauses = clausesOf(text);
  const all: string[] = [];
  for (const clause of clauses) {
    const negated = new Uint8Array(clause.length);
    for (const hit of phraseHits(clause, negation)) {
      for (let at = hit.end; at < Math.min(clause.length, hit.end + NEGATION_SPAN); at += 1) negated[at] = 1;
    }
    for (const hit of phraseHits(clause, praise)) {
      const not = negated[hit.start] === 1;
      features.begin(SHAPE, not).text('praise').end();
      if (not) negatedPraise = true;
      else praised = true;
    }
    if (phraseHits(clause, blame).length > 0) blamed = true;
    for (const [at, token] of clause.entries()) {
      const mark = negated[at] === 1;
      features.begin(WORD, mark).text(token).end(true);
      features.begin(STEM, mark).text(analyzer.stem(token)).end(true);
      if (mark) features.begin(SHAPE, false).text('negated').end();
      addCharGrams(features, token, mark);
      all.push(token);
    }
  }
  for (let at = 0; at + 1 < all.length; at += 1) {
    features
      .begin(BIGRAM, false)
      .text(all[at]!)
      .code(SPACE)
      .text(all[at + 1]!)
      .end();
  }
  if (all.length > 0) {
    features.begin(BIGRAM, false).code(FIRST).code(SPACE).text(all[0]!).end();
    features
      .begin(BIGRAM, false)
      .text(all[all.length - 1]!)
      .code(SPACE)
      .code(LAST)
      .end();
  }
  if (praised && !negatedPraise && !blamed) features.begin(SHAPE, false).text('praise-only').end();
  for (const shape of shapeOf(text, all.length)) features.begin(SHAPE, false).text(shape).end();
  return features;
}

/** Character n-grams of the token with `_` at both ends ("_chol", "lery_"). */
function addCharGrams(features: FeatureCollector, token: string, negated: boolean): void {
  if (/\p{Extended_Pictographic}/u.test(token)) return;
  const length = token.length + 2;
  for (let n = MIN_GRAM; n <= MAX_GRAM; n += 1) {
    for (let at = 0; at + n <= length; at += 1) {
      features.begin(GRAM, negated);
      // Positions of the padded token: 0 and length - 1 are the boundary marks.
      for (let i = at; i < at + n; i += 1) {
        features.code(i === 0 || i === length - 1 ? BOUNDARY : token.charCodeAt(i - 1));
      }
      features.end();
    }
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
