import { shortened } from '../core/text';
import { contactWith } from '../language/contact';
import { besidesPersonRequest } from '../language/words';

/** Longest summary of a case (characters): what staff read first in the console and on the Teams card. */
export const MAX_SUMMARY_CHARS = 1000;

/**
 * What a customer message gives a case as its summary: the message whole, in the customer's own words, cut at a
 * word to MAX_SUMMARY_CHARS; never one clause of it, since which clause says what is wrong is not for the bot to
 * guess ("faen ta dere, gi meg en ekte person" is not "faen ta dere"). Empty when the message says nothing besides
 * asking for a person ("I want to talk to a human": `besidesPersonRequest`) or is only an e-mail address or phone
 * number.
 */
export function summaryOf(text: string, locale: string): string {
  const trimmed = text.trim();
  if (besidesPersonRequest(trimmed, locale) === '' || isOnlyContact(trimmed)) return '';
  return shortened(trimmed, MAX_SUMMARY_CHARS);
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
