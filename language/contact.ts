import { Culture, recognizePhoneNumber } from '@microsoft/recognizers-text-suite';

export interface Contact {
  email?: string;
  phone?: string;
}

const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)*\.[\p{L}]{2,}$/u;
const PHONE_CHARACTERS = /^\+?[\d\s().-]+$/;

/** A plausible e-mail address (one @, a dotted domain, at most 254 characters). */
export function isValidEmail(text: string): boolean {
  const value = text.trim();
  return value.length <= 254 && EMAIL.test(value);
}

/** A plausible phone number: digits with spaces, dots, dashes or brackets, optional leading +, 7–15 digits (E.164). */
export function isValidPhone(text: string): boolean {
  const value = text.trim();
  const digits = value.replace(/\D/g, '').length;
  return PHONE_CHARACTERS.test(value) && digits >= 7 && digits <= 15;
}

/**
 * An e-mail address as written in a sentence: the whole local part (letters of every script, digits, `._%+-`), one
 * @, and dotted labels, without the full stop that ends the sentence ("… is ola@nordmann.no."). The recognizers-text
 * e-mail model is not used: it cut top-level domains after six letters ("jan@firma.consulting" became
 * "jan@firma.consul"), began after the last non-ASCII letter ("józef@…" became "zef@…") and lost an address
 * followed by a full stop.
 */
const EMAIL_IN_TEXT =
  /(?<![\p{L}\p{M}\p{N}._%+-])[\p{L}\p{M}\p{N}._%+-]+@[\p{L}\p{M}\p{N}-]+(?:\.[\p{L}\p{M}\p{N}-]+)+/gu;

/** The valid e-mail addresses in a text, where they stand (`end` is the index of their last character). */
export function findEmails(text: string): { text: string; start: number; end: number }[] {
  return [...text.matchAll(EMAIL_IN_TEXT)]
    .filter((match) => isValidEmail(match[0]))
    .map((match) => ({ text: match[0], start: match.index, end: match.index + match[0].length - 1 }));
}

/** The contact holds an e-mail address or a phone number (a Teams account alone is neither). */
export function hasEmailOrPhone({ email, phone }: Pick<Contact, 'email' | 'phone'>): boolean {
  return Boolean(email) || Boolean(phone);
}

/**
 * The first valid e-mail address and phone number in a message, as written ("+48 601-234-567"). Phone numbers come
 * from the recognizers-text sequence model with the English culture: digits are language-neutral, so this works for
 * every locale. Digits inside an e-mail address are never taken for a phone number.
 */
export function extractContact(text: string): Contact {
  const emails = findEmails(text);
  const insideEmail = (start: number) => emails.some((e) => start >= e.start && start <= e.end);
  const phone = recognizePhoneNumber(text, Culture.English).find(
    (r) => !insideEmail(r.start) && isValidPhone(r.text),
  );
  const contact: Contact = {};
  if (emails[0]) contact.email = emails[0].text;
  if (phone) contact.phone = phone.text;
  return contact;
}

/**
 * The e-mail address and/or phone number a message gives with at most `otherWords` words beside them ("ok, my email
 * is jan@example.pl": 4), else null; 0: the message is the contact and nothing more.
 */
export function contactWith(text: string, otherWords: number): Contact | null {
  const contact = extractContact(text);
  if (!hasEmailOrPhone(contact)) return null;
  const rest = [contact.email, contact.phone].reduce<string>(
    (left, part) => (part === undefined ? left : left.replace(part, ' ')),
    text,
  );
  return (rest.match(/[\p{L}\p{N}]+/gu) ?? []).length <= otherWords ? contact : null;
}
