import { shortened } from '../core/text';
import { contactWith } from '../language/contact';
import {
  besidesPersonRequest,
  clauseSpans,
  localeWords,
  phrasesIn,
  saysEnough,
  wordsBesides,
} from '../language/words';

/** Longest summary of a case (characters): what staff read first in the console and on the Teams card. */
export const MAX_SUMMARY_CHARS = 1000;

/** Words (besides filler) a clause of its own needs to name the problem next to a request for a person. */
const MIN_PROBLEM_CLAUSE_WORDS = 3;

/**
 * What a customer message gives a case as its summary: the message whole, in the customer's own words, cut at a
 * word to MAX_SUMMARY_CHARS; never one clause of it, since which clause says what is wrong is not for the bot to
 * guess ("faen ta dere, gi meg en ekte person" is not "faen ta dere"). Empty when the message says nothing besides
 * asking for a person ("I want to talk to a human": `besidesPersonRequest`, unless it `namesProblem`) or is only
 * an e-mail address or phone number.
 */
export function summaryOf(text: string, locale: string): string {
  const trimmed = text.trim();
  if (isOnlyContact(trimmed)) return '';
  if (besidesPersonRequest(trimmed, locale) === '' && !namesProblem(trimmed, locale)) return '';
  return shortened(trimmed, MAX_SUMMARY_CHARS);
}

/**
 * The message says what is wrong, so the bot need not ask: besides asking for a person it says enough
 * (`saysEnough`: "my card was charged twice this month, I want a human"), or a clause of its own names the problem
 * in a few words beside a request for a person ("ruteren virker ikke. menneske takk", "faktura er feil, jeg vil
 * snakke med et menneske"): at least MIN_PROBLEM_CLAUSE_WORDS besides filler, one of them more than "did not help" /
 * "doesn't work" (`notHelpful`: "it doesn't work" names nothing), and neither a request for a person nor a greeting,
 * thanks, praise or anger ("hi there, I want a human" and "faen ta dere, gi meg en ekte person" are asked what it is
 * about).
 */
export function namesProblem(text: string, locale: string): boolean {
  if (saysEnough(besidesPersonRequest(text, locale), locale)) return true;
  const words = localeWords(locale);
  // The short clause counts beside a request for a person only: a complaint alone ("ten bot jest do niczego",
  // "percuma ngomong sama bot") says how the customer feels, not what the problem is.
  if (phrasesIn(text, words.human, locale).length === 0) return false;
  const { strong, mild, swearing, verdicts } = words.complaint;
  const notProblem = [
    ...words.human,
    ...words.greeting,
    ...words.closing,
    ...words.praise,
    ...words.acknowledgements,
    ...strong,
    ...mild,
    ...swearing,
    ...verdicts,
  ];
  const filler = [...words.human, ...words.filler];
  return clauseSpans(text).some(({ start, end }) => {
    const clause = text.slice(start, end);
    return (
      wordsBesides(clause, filler) >= MIN_PROBLEM_CLAUSE_WORDS &&
      wordsBesides(clause, [...filler, ...words.notHelpful]) > 0 &&
      phrasesIn(clause, notProblem, locale).length === 0
    );
  });
}

/**
 * A summary with more the customer added before it was sent ("i also tried restarting the router"), on a line of its
 * own: the earlier part is cut to make room, never what was just added.
 */
export function summaryWith(summary: string, more: string, locale: string): string {
  const added = summaryOf(more, locale);
  if (!summary || !added) return summary || added;
  const room = MAX_SUMMARY_CHARS - added.length - 1;
  return room <= 0 ? added : `${shortened(summary, room)}\n${added}`;
}

/** The message is an e-mail address or phone number and nothing more ("jan@example.pl"). */
export function isOnlyContact(text: string): boolean {
  return contactWith(text, 0) !== null;
}
