import { type LocaleWords, localeWords, phrasesIn } from './words';

/** Anger at or above which a message counts as a complaint even without a strong word. */
export const COMPLAINT_ANGER_THRESHOLD = 0.5;

/**
 * What each cue adds to the anger score (capped at 1). A strong lexicon word ("scam", "skandal", "tidak becus")
 * makes a complaint on its own; mild words ("annoyed", "kecewa", "skuffet"), "!!!", shouting and angry emoji
 * add up, so two mild cues, or one mild word while shouting, reach {@link COMPLAINT_ANGER_THRESHOLD}, while a
 * lone "!!!" or an ALL CAPS typist does not.
 */
export const CUE_WEIGHTS = {
  strong: 0.6,
  mild: 0.25,
  exclamations: 0.25,
  shouting: 0.3,
  angryEmoji: 0.35,
  cryingAlone: 0.35,
} as const;

export interface Frustration {
  complaint: boolean;
  /** 0..1 */
  anger: number;
  /**
   * "strong:<phrase>", "swearing:<phrase>", "mild:<phrase>", "exclamations", "shouting", "angry-emoji", "crying-alone"
   * (a message of nothing but upset emoji with a crying or despairing one: "😭😭😭").
   */
  reasons: string[];
  /** Swearing among the strong words: it makes a complaint of a question too. */
  swearing: boolean;
  /** Nothing but angry, crying or despairing emoji (and punctuation): "😡😡😡", "😭😭", "🤬". */
  onlyUpset: boolean;
}

const EXCLAMATIONS = /!{3,}/;
const ASCII = /^\p{ASCII}*$/u;
const FOUR_CAPITALS = /[A-Z]{4}/;
const ANGRY = '😡😠🤬👿💢😤🖕';
/**
 * Crying and despairing emoji: distress, but only as a whole message ("😭😭😭"); beside words they often mean laughter
 * or being moved ("bikin nangis 😭❤️"), so they are no cue there.
 */
const CRYING = '😭😢😩😫😖😣😞😔☹🙁💔';
export const ANGRY_EMOJI = new RegExp(`[${ANGRY}]`, 'u');
const CRYING_EMOJI = new RegExp(`[${CRYING}]`, 'u');
/** Upset emoji with what may come between them: spaces, punctuation, variation selectors, skin tones, joiners. */
const ONLY_UPSET = new RegExp(
  `^(?:[${ANGRY}${CRYING}]|[\\s\\p{P}]|\\p{Emoji_Modifier}|\\uFE0F|\\u200D)+$`,
  'u',
);

/** Complaint and anger cues of a message in the locale's lexicon, plus language-neutral signs. */
export function detectFrustration(text: string, locale: string): Frustration {
  const words = localeWords(locale);
  const reasons: string[] = [];
  let anger = 0;
  let strong = false;
  let swearing = false;
  for (const phrase of phrasesIn(text, complaintLexicon(words), locale)) {
    const isSwearing = words.complaint.swearing.includes(phrase);
    const isStrong =
      isSwearing || words.complaint.strong.includes(phrase) || words.complaint.verdicts.includes(phrase);
    strong ||= isStrong;
    swearing ||= isSwearing;
    anger += isStrong ? CUE_WEIGHTS.strong : CUE_WEIGHTS.mild;
    reasons.push(`${isSwearing ? 'swearing' : isStrong ? 'strong' : 'mild'}:${phrase}`);
  }
  const onlyUpset = ONLY_UPSET.test(text) && /\p{Extended_Pictographic}/u.test(text);
  for (const [reason, present, weight] of [
    ['exclamations', EXCLAMATIONS.test(text), CUE_WEIGHTS.exclamations],
    ['shouting', isShouting(text), CUE_WEIGHTS.shouting],
    ['angry-emoji', ANGRY_EMOJI.test(text), CUE_WEIGHTS.angryEmoji],
    ['crying-alone', onlyUpset && CRYING_EMOJI.test(text), CUE_WEIGHTS.cryingAlone],
  ] as const) {
    if (!present) continue;
    anger += weight;
    reasons.push(reason);
  }
  anger = Math.min(1, Math.round(anger * 100) / 100);
  return {
    complaint: strong || onlyUpset || anger >= COMPLAINT_ANGER_THRESHOLD,
    anger,
    reasons,
    swearing,
    onlyUpset,
  };
}

const lexicons = new WeakMap<LocaleWords, string[]>();
/**
 * Strong words, verdicts, swearing and mild words in one list, so "elendig service" is found once rather than also as
 * "elendig".
 */
export function complaintLexicon(words: LocaleWords): string[] {
  let list = lexicons.get(words);
  if (!list) {
    list = [
      ...words.complaint.strong,
      ...words.complaint.verdicts,
      ...words.complaint.swearing,
      ...words.complaint.mild,
    ];
    lexicons.set(words, list);
  }
  return list;
}

/**
 * Shouting: at least three ALL CAPS words of which two have four or more letters ("WHY IS MY ORDER LATE"; short
 * acronyms such as "SMS PIN OTP" do not count), or a whole message of two or more words in capitals with at
 * least eight letters and one word of four or more ("NOTHING WORKS").
 */
export function isShouting(text: string): boolean {
  // Both ways need a capitals word of four letters or more: in ASCII text (most messages), four capitals in a row.
  if (ASCII.test(text) && !FOUR_CAPITALS.test(text)) return false;
  const cased = (text.match(/\p{L}+/gu) ?? []).filter((word) => word.toUpperCase() !== word.toLowerCase());
  const caps = cased.filter((word) => word.length >= 2 && word === word.toUpperCase());
  const longCaps = caps.filter((word) => word.length >= 4);
  if (caps.length >= 3 && longCaps.length >= 2) return true;
  const letters = cased.join('').length;
  return cased.length >= 2 && caps.length === cased.length && longCaps.length >= 1 && letters >= 8;
}
