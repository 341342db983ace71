import { localeWords, phraseHits, split } from '../language/words';
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
 * {@link MAX_BOUNDARIES} places). Whether each part is answered is the
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
  return parts.length > MAX_QUESTIONS ? [whole] : parts;
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
  const analyzer = analyzerFor(locale);
  const content = tokenize(text).filter((word) => !analyzer.isStopword(word)).length;
  if (content === 0) return false;
  if (content >= CONTENT_WORDS) return true;
  const { questionStarts } = localeWords(locale);
  return split(text).some((clause) => phraseHits(clause, questionStarts).length > 0);
}
