import { fold } from '../core/text';

/**
 * Text normalisation of the FAQ matcher, shared by indexing and search so both sides see the same tokens:
 * emoji and symbols dropped, apostrophes inside words joined ("don't" → "dont"), digit groups joined
 * ("1,000.50" → "1000 50" → tokens "1000", "50"), then fold() (case, diacritics), punctuation to spaces.
 */

const EMOJI = /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\u200d|\ufe0f|\u20e3/gu;
const APOSTROPHE_IN_WORD = /(?<=\p{L})['’`](?=\p{L})/gu;
const DIGIT_GROUP = /(?<=\d)[,. ](?=\d{3}(?!\d))/g;
const NOT_WORD = /[^\p{L}\p{N}]+/gu;

/** Plain ASCII text has no emoji or diacritics: lower-casing is all fold() would do before NOT_WORD. */
const ASCII = /^\p{ASCII}*$/u;

export function normalize(text: string): string {
  if (ASCII.test(text)) {
    const cleaned = text.replace(APOSTROPHE_IN_WORD, '').replace(DIGIT_GROUP, '').toLowerCase();
    return cleaned.replace(NOT_WORD, ' ').trim();
  }
  const cleaned = text.replace(EMOJI, ' ').replace(APOSTROPHE_IN_WORD, '').replace(DIGIT_GROUP, '');
  return fold(cleaned).replace(NOT_WORD, ' ').trim();
}

/** Words of the normalised text (letters and digits only). */
export function tokenize(text: string): string[] {
  const normal = normalize(text);
  return normal === '' ? [] : normal.split(' ');
}
