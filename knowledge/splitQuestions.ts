import { localeWords, phraseHits, phrasesIn, split } from '../language/words';
import { tokenize } from './normalize';
import { analyzerFor } from './stemming';

/** At most this many questions are read out of one message; a message with more is left whole. */
export const MAX_QUESTIONS = 3;

/**
 * A message with more places to split than this is a story, not two or three questions: it stays whole (and each
 * place costs a reading of the text before it, so a long one would cost time for nothing).
 */
const MAX_BOUNDARIES = 8;

/** Content words from which a part without a question word still reads as a question of its own. */
const CONTENT_WORDS = 3;

/** A sentence end with more text after it: the text of the sentence keeps its "?", "." or "!". */
const SENTENCE_END = /(?<=[.?!])\s+(?=\S)/gu;

/** A link ("https://speedtest.net/result/12345", "www.example.com/x"), which asks nothing however many words it has. */
const LINK = /\b(?:https?:\/\/|www\.)\S+/giu;

const jointPatterns = new WeakMap<readonly string[], RegExp>();

/**
 * Where one of the locale's `questionJoints` (words.json) stands between two words, with a comma before or after
 * it ("…, og hvor …"); longer joints are tried first ("and also" before "and").
 */
function jointPattern(locale: string): RegExp | undefined {
  const joints = localeWords(locale).questionJoints;
  if (joints.length === 0) return undefined;
  let pattern = jointPatterns.get(joints);
  if (!pattern) {
    const words = [...joints]
      .sort((a, b) => b.length - a.length)
      .map((joint) =>
        joint
          .trim()
          .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
          .replace(/\s+/g, '\\s+'),
      )
      .join('|');
    // Starts at the first space or comma of a run, and each run splits one way only: linear in the text.
    pattern = new RegExp(
      `(?<![\\s,])(?:\\s*,)?\\s+(?:${words})(?![\\p{L}\\p{N}])\\s*(?:,\\s*)?(?=\\S)`,
      'giu',
    );
    jointPatterns.set(joints, pattern);
  }
  return pattern;
}

/**
 * The questions of a message that asks several at once, in order: split at clear boundaries only, a sentence
 * end ("?", ".", "!" with more text after it) or a joint word between two clauses ("and", "dan", "terus", "i",
 * "oraz", "og", "samt"…), and only where the text on each side reads as a question of its own (see
 * {@link readsAsQuestion}). A side that does not is
 * kept with its neighbour ("Hi! How do I…", "my name and address"). One part (the whole message) when nothing
 * splits it, or when it would give more than {@link MAX_QUESTIONS} (or could split in more than
 * {@link MAX_BOUNDARIES} places). A part that asks nothing beside questions (a thanks, sign-off or greeting, or only
 * a link and a word or two: see {@link isAside}) is left out and not counted. Whether each part is answered is the
 * caller's decision.
 */
export function splitQuestions(text: string, locale: string): string[] {
  const whole = text.trim();
  const cuts = boundaries(whole, locale);
  if (cuts.length === 0 || cuts.length > MAX_BOUNDARIES) return [whole];
  const parts: string[] = [];
  let start = 0;
  for (const [i, cut] of cuts.entries()) {
    const current = whole.slice(start, cut.start);
    const next = whole.slice(cut.end, cuts[i + 1]?.start ?? whole.length);
    if (readsAsQuestion(current, locale) && readsAsQuestion(next, locale)) {
      parts.push(current.trim());
      start = cut.end;
    }
  }
  parts.push(whole.slice(start).trim());
  const questions = parts.length > 1 ? parts.filter((part) => !isAside(part, locale)) : parts;
  if (questions.length === 0) return [whole];
  return questions.length > MAX_QUESTIONS ? [whole] : questions;
}

/**
 * A part of a message that asks nothing: no "?" and no question word, and either a thanks, goodbye or greeting in
 * it ("thank you so much for your help guys", "z góry dziękuję za pomoc") or, its links left out, fewer than
 * {@link CONTENT_WORDS} content words ("check https://speedtest.net/result/12345 lol").
 */
function isAside(part: string, locale: string): boolean {
  if (part.includes('?') || hasQuestionWord(part, locale)) return false;
  const { closing, greeting } = localeWords(locale);
  if (phrasesIn(part, [...closing, ...greeting], locale).length > 0) return true;
  return contentWords(part.replace(LINK, ' '), locale) < CONTENT_WORDS;
}

/** The words of `text` that are not stopwords of the locale. */
function contentWords(text: string, locale: string): number {
  const analyzer = analyzerFor(locale);
  return tokenize(text).filter((word) => !analyzer.isStopword(word)).length;
}

/** The places where the message may split, in order, as the stretch of text between two parts. */
function boundaries(text: string, locale: string): Array<{ start: number; end: number }> {
  const found: Array<{ start: number; end: number }> = [];
  const joint = jointPattern(locale);
  for (const pattern of joint ? [SENTENCE_END, joint] : [SENTENCE_END]) {
    for (const m of text.matchAll(pattern)) found.push({ start: m.index, end: m.index + m[0].length });
  }
  found.sort((a, b) => a.start - b.start);
  // A sentence end followed by a joint ("…pin? terus tagihan…"): one boundary.
  const merged: Array<{ start: number; end: number }> = [];
  for (const cut of found) {
    const last = merged[merged.length - 1];
    if (last && cut.start <= last.end) last.end = Math.max(last.end, cut.end);
    else if (cut.start > 0) merged.push({ ...cut });
  }
  return merged;
}

/**
 * A stretch of a message that can stand as a question: a content word and a question word ("how", "berapa",
 * "gdzie", "hvor"; anywhere, as Indonesian puts it last), or {@link CONTENT_WORDS} content words. A question mark
 * alone is not enough: "…my email address and my phone number?" asks one thing.
 */
function readsAsQuestion(text: string, locale: string): boolean {
  const content = contentWords(text, locale);
  if (content === 0) return false;
  return content >= CONTENT_WORDS || hasQuestionWord(text, locale);
}

/** A question word of the locale ("how", "berapa", "gdzie", "hvor") anywhere in `text`. */
function hasQuestionWord(text: string, locale: string): boolean {
  const { questionStarts } = localeWords(locale);
  return split(text).some((clause) => phraseHits(clause, questionStarts).length > 0);
}
