import { BoundedMap } from '../core/boundedMap';
import { findEmails, isValidPhone } from '../language/contact';
import { t, type MessageKey } from '../locales';
import { isCardNumber, isIban, isNik, isNorwegianId, isPesel, ibanLength } from './detectors';
import { allPasswordWords } from './words';

/**
 * Redaction: sensitive numbers and passwords are replaced by a neutral token (`[[redacted:card]]`) before
 * anything is stored, logged or shown. The token is language-neutral on purpose: it is rendered in the viewer's
 * language where staff see it (`renderRedactions`, the staff console, the Teams case card), so one stored text
 * serves staff of every language. Redacting is idempotent (a token holds no digits). E-mail addresses and phone
 * numbers are kept in conversations (the customer gives them to be called back) but not in texts kept apart
 * from them (`redactContacts`).
 */
export const redactionKinds = ['card', 'iban', 'national-id', 'password', 'email', 'phone'] as const;
export type RedactionKind = (typeof redactionKinds)[number];

export const redactionToken = (kind: RedactionKind): string => `[[redacted:${kind}]]`;
const TOKEN = new RegExp(`\\[\\[redacted:(${redactionKinds.join('|')})\\]\\]`, 'g');

interface Span {
  start: number;
  end: number;
  kind: RedactionKind;
}

const DIGIT = /\d/;
/**
 * What may separate the groups of a number: a space (also the no-break and thin spaces Polish and Norwegian
 * typing puts there), a dash or hyphen, a dot.
 */
const GROUP_SEPARATOR = '[ .\\-\\u00A0\\u2009\\u202F\\u2010-\\u2013]';
/**
 * A run of digits in groups separated by one or two separators ("4111 1111 1111 1111", "010190-12345",
 * "4111.1111.1111.1111", "4111  1111 …").
 */
const DIGIT_RUN = new RegExp(`\\d+(?:${GROUP_SEPARATOR}{1,2}\\d+)*`, 'g');
const SEPARATOR_CHAR = new RegExp(`^${GROUP_SEPARATOR}$`);
/** A country code and check digits: where an IBAN may start. */
const IBAN_START = /[A-Za-z]{2}\d{2}/g;
const WORD_CHAR = /[\p{L}\p{N}_]/u;

/** True when the character at `index` continues a word or a number (so a match there is not on a boundary). */
function joins(text: string, index: number, direction: -1 | 1): boolean {
  const char = text[index];
  if (char === undefined) return false;
  if (WORD_CHAR.test(char) || char === '+' || char === '/' || char === '@') return true;
  // "1,234" or "12.5": a decimal or thousands separator between digits.
  return /[.,-]/.test(char) && /\d/.test(text[index + direction] ?? '');
}

/** Card groupings: one block, blocks of four (the last 1–4), or Amex/Diners 4-6-5 and 4-6-4. */
function cardGrouping(lengths: number[]): boolean {
  if (lengths.length === 1) return true;
  const last = lengths.length - 1;
  if (lengths.every((len, i) => (i < last ? len === 4 : len >= 1 && len <= 4))) return true;
  const shape = lengths.join('-');
  return shape === '4-6-5' || shape === '4-6-4';
}

/** What a block of digits (with its grouping) is, if it is sensitive. */
function classifyDigits(digits: string, lengths: number[]): RedactionKind | null {
  const shape = lengths.join('-');
  if (digits.length === 11 && (lengths.length === 1 || shape === '6-5')) {
    if (isPesel(digits) || isNorwegianId(digits)) return 'national-id';
  }
  if (digits.length === 16 && (lengths.length === 1 || shape === '4-4-4-4' || shape === '6-6-4')) {
    if (isNik(digits)) return 'national-id';
  }
  if (digits.length >= 13 && digits.length <= 19 && cardGrouping(lengths) && isCardNumber(digits))
    return 'card';
  // A Polish account number (NRB) is a PL IBAN without the country code: "61 1090 1014 0000 0712 1981 2874".
  if (digits.length === 26 && (lengths.length === 1 || shape === '2-4-4-4-4-4-4') && isIban(`PL${digits}`))
    return 'iban';
  return null;
}

/**
 * A run of digits that is not part of a longer word, number, identifier ("ORD-65094974") or time ("07-01-1960
 * 13:22").
 */
function standsAlone(text: string, start: number, end: number): boolean {
  if (joins(text, start - 1, -1) || joins(text, end, 1)) return false;
  return !/[\p{L}\p{N}]-$/u.test(text.slice(0, start)) && !/^:\d/.test(text.slice(end));
}

/** Card numbers and national ids among the digit runs (also inside a longer run of groups). */
function numberSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const run of text.matchAll(DIGIT_RUN)) {
    const start = run.index;
    const end = start + run[0].length;
    if (!standsAlone(text, start, end)) continue;
    const groups = [...run[0].matchAll(/\d+/g)].map((g) => ({ start: start + g.index, text: g[0] }));
    for (let i = 0; i < groups.length;) {
      let found: Span | null = null;
      for (let j = Math.min(groups.length - 1, i + 7); j >= i && !found; j -= 1) {
        const window = groups.slice(i, j + 1);
        const kind = classifyDigits(
          window.map((g) => g.text).join(''),
          window.map((g) => g.text.length),
        );
        const last = window[window.length - 1];
        if (kind && last)
          found = { start: window[0]?.start ?? start, end: last.start + last.text.length, kind };
        if (found) i = j + 1;
      }
      if (found) spans.push(found);
      else i += 1;
    }
  }
  return spans;
}

/** IBANs written compact or in groups ("PL61 1090 1014 0000 0712 1981 2874"). */
function ibanSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(IBAN_START)) {
    const start = match.index;
    if (joins(text, start - 1, -1)) continue;
    const length = ibanLength(match[0].slice(0, 2));
    if (length === undefined) continue;
    let compact = '';
    let at = start;
    while (at < text.length && compact.length < length) {
      const char = text[at] ?? '';
      if (/[A-Za-z0-9]/.test(char)) compact += char;
      else if (!(SEPARATOR_CHAR.test(char) && /[A-Za-z0-9]/.test(text[at + 1] ?? ''))) break;
      at += 1;
    }
    if (compact.length === length && !joins(text, at, 1) && isIban(compact))
      spans.push({ start, end: at, kind: 'iban' });
  }
  return spans;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A word without the brackets, quotes and punctuation around it. */
const wordCore = (word: string): string => word.replace(/^[("'“‘]+/, '').replace(/[)"'”’.,!?;:]+$/, '');

/**
 * Whether a word looks like a secret rather than an ordinary word: letters with digits, a symbol, or a capital
 * inside the word ("Summer2024!", "hunter2", "pAsswOrd"); `digitsToo`: a PIN of 4–12 digits counts as well.
 * E-mail addresses and redaction tokens never do.
 */
export function looksLikeSecret(word: string, digitsToo: boolean): boolean {
  const core = wordCore(word);
  if (core.length < 4 || core.length > 128 || EMAIL.test(core) || core.includes('[[redacted:')) return false;
  const letter = /\p{L}/u.test(core);
  const digit = /\d/.test(core);
  const symbol = /[^\p{L}\p{N}'’-]/u.test(core);
  const innerCapital = /\p{Ll}/u.test(core) && /.\p{Lu}/u.test(core);
  return (
    (letter && digit) ||
    (symbol && (letter || digit)) ||
    innerCapital ||
    (digitsToo && /^\d{4,12}$/.test(core))
  );
}

interface PasswordRules {
  /** A password word of any locale, with the Indonesian and Norwegian suffixes (sandinya, passordet). */
  word: RegExp;
  /** The same word, not global: a test keeps no position between calls. */
  mention: RegExp;
  connectors: ReadonlySet<string>;
  /** A number with a unit after it ("5GHz", "200rb", "3rd"): a quantity, no password. */
  quantity: RegExp;
}
let passwordRules: PasswordRules | undefined;
function rules(): PasswordRules {
  if (passwordRules) return passwordRules;
  const { words, connectors, units } = allPasswordWords();
  const escape = (w: string): string => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+');
  const alternatives = words.map(escape).sort((a, b) => b.length - a.length);
  const source = `(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?:nya|ku|et)?(?![\\p{L}\\p{N}])`;
  passwordRules = {
    word: new RegExp(source, 'giu'),
    mention: new RegExp(source, 'iu'),
    connectors: new Set(connectors),
    quantity: new RegExp(`^\\d+(?:${units.map(escape).join('|')})$`, 'iu'),
  };
  return passwordRules;
}

/**
 * The space (and `:` or `=`) after a word, and the word after that, from `lastIndex` on; within the line, so a
 * heading such as "To reset your password:" does not take the "1." of the list below for the password.
 */
const GAP = /[^\S\n]*([:=])?[^\S\n]*/y;
const NEXT_WORD = /\S+/y;
/**
 * A short word that may stand between the password word and the password ("wifi", "på wifi", "do wifi", "for
 * my account"): letters only, at most {@link MAX_BETWEEN} of them (connectors not counted).
 */
const BETWEEN_WORD = /^\p{L}{1,10}$/u;
const MAX_BETWEEN = 2;
/** Words looked at after the password word: connectors and words between, then the value. */
const MAX_STEPS = 6;
/** A password given without a connector ("password wifi kucing123") has letters and digits and 6+ characters. */
const DIRECT_VALUE = /^(?=.*\p{L})(?=.*\d).{6,}$/u;

/**
 * Whether `value` is the password: after a colon right behind the password word anything is; after words between
 * only a secret with a digit ("Kot2024", a PIN after a connector), so "password for the TP-Link router" or "for
 * iPhone" stay; without a connector or colon, letters and digits ("password wifi kucing123").
 */
function isPasswordValue(value: string, explicit: boolean, connected: boolean, skipped: number): boolean {
  if (!value || value.includes('[[redacted:')) return false;
  if (skipped === 0 && explicit) return true;
  if (skipped === 0 && connected) return looksLikeSecret(value, true);
  if (explicit || connected) return looksLikeSecret(value, true) && DIGIT.test(value);
  return looksLikeSecret(value, false) && DIRECT_VALUE.test(value.replace(/^[("'“‘]+/, ''));
}

/**
 * "my password is X", "hasło: X", "kata sandi saya adalah X", "passordet mitt er X", and with up to two short words
 * before the connector or the value ("passordet på wifi er X", "hasło do wifi to X", "password wifi saya X",
 * "sandi wifi: X", "the password for my account is X"): the X.
 */
function inlinePasswordSpans(text: string): Span[] {
  const spans: Span[] = [];
  const { word, connectors } = rules();
  // exec rather than matchAll, which copies the (large) pattern on every call: this runs on every text stored.
  word.lastIndex = 0;
  for (let match = word.exec(text); match; match = word.exec(text)) {
    let at = match.index + match[0].length;
    let explicit = false;
    let connected = false;
    let skipped = 0;
    for (let step = 0; step < MAX_STEPS; step += 1) {
      GAP.lastIndex = at;
      const gap = GAP.exec(text)?.[0] ?? '';
      if (gap.includes(':') || gap.includes('=')) explicit = true;
      if (gap.length === 0) break;
      at += gap.length;
      NEXT_WORD.lastIndex = at;
      const next = NEXT_WORD.exec(text)?.[0] ?? '';
      const bare = next.toLowerCase().replace(/[:=,]$/, '');
      const last = step === MAX_STEPS - 1;
      if (!last && connectors.has(bare)) {
        connected = true;
        at += bare.length;
        continue;
      }
      if (!last && !explicit && skipped < MAX_BETWEEN && BETWEEN_WORD.test(bare)) {
        skipped += 1;
        connected = false;
        at += bare.length;
        continue;
      }
      const value = next.replace(/[.,!?;]+$/, '');
      if (isPasswordValue(value, explicit, connected, skipped))
        spans.push({ start: at, end: at + value.length, kind: 'password' });
      break;
    }
  }
  return spans;
}

function applySpans(text: string, spans: Span[]): string {
  let out = '';
  let at = 0;
  for (const span of spans.sort((a, b) => a.start - b.start)) {
    if (span.start < at) continue;
    out += text.slice(at, span.start) + redactionToken(span.kind);
    at = span.end;
  }
  return out + text.slice(at);
}

/**
 * The text with card numbers, IBANs, national ids and inline passwords ("my password is X") replaced by
 * tokens. Needs no context: used at every point where text is stored or logged.
 */
export function redactText(text: string): string {
  // Every number and IBAN has a digit, and an inline password follows a password word: each kind is looked for
  // only where it can be, and a message with neither (most of them) comes back as it is.
  if (!text) return text;
  const first = DIGIT.test(text) ? applySpans(text, [...ibanSpans(text), ...numberSpans(text)]) : text;
  const passwords = inlinePasswordSpans(first);
  return passwords.length > 0 ? applySpans(first, passwords) : first;
}

/**
 * A phone number as written: an optional `+` or bracketed area code, digit groups with one or two separators
 * ("+47 912 34 567", "(021) 155-3436", "0062 812 5114 6327", "601-234-567").
 */
const PHONE_RUN = new RegExp(
  `(?:\\+|\\(\\+?)?\\d+(?:(?:\\)${GROUP_SEPARATOR}?|${GROUP_SEPARATOR}{1,2}\\(?)\\d+)*`,
  'g',
);
/** Dates, which have as many digits as a phone number: 07-01-1960, 2024.05.01, 19570515, 15052024. */
const DATE_SHAPE =
  /^(?:\d{1,2}\D\d{1,2}\D\d{4}|\d{4}\D\d{1,2}\D\d{1,2}|(?:19|20)\d{2}[01]\d[0-3]\d|[0-3]\d[01]\d(?:19|20)\d{2})$/;

/** Phone numbers: 7–15 digits (E.164, see language/contact.ts) standing alone, not a date or an amount. */
function phoneSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const run of text.matchAll(PHONE_RUN)) {
    const start = run.index;
    const end = start + run[0].length;
    if (!standsAlone(text, start, end)) continue;
    if (isValidPhone(run[0]) && !DATE_SHAPE.test(run[0])) spans.push({ start, end, kind: 'phone' });
  }
  return spans;
}

/**
 * {@link redactText}, and e-mail addresses and phone numbers too: for texts kept without their conversation, which
 * an erasure cannot find (the unanswered-question list). A phone number cannot be told from another number of
 * as many digits (an order or invoice number): those go as well. Names and street addresses are not recognised.
 */
export function redactContacts(text: string): string {
  const redacted = redactText(text);
  if (!redacted) return redacted;
  const emails: Span[] = findEmails(redacted).map((r) => ({ start: r.start, end: r.end + 1, kind: 'email' }));
  const withoutEmails = emails.length > 0 ? applySpans(redacted, emails) : redacted;
  return DIGIT.test(withoutEmails) ? applySpans(withoutEmails, phoneSpans(withoutEmails)) : withoutEmails;
}

/** Bot lines in which redaction found nothing (the last 500), with whether they mention a password. */
const cleanBotLines = new BoundedMap<string, boolean>(500);

/**
 * {@link redactText} for the bot's own lines, which recur word for word (knowledge-base answers, its questions):
 * a line in which nothing was found is remembered, so the next time it costs one lookup (and so does
 * {@link mentionsPassword}). Lines with something redacted are never kept.
 */
export function redactBotLine(text: string): string {
  if (cleanBotLines.has(text)) return text;
  const redacted = redactText(text);
  if (redacted === text) cleanBotLines.set(text, rules().mention.test(text));
  return redacted;
}

/** Whether a (bot or agent) message talks about a password, so the customer's next reply may hold one. */
export function mentionsPassword(text: string): boolean {
  return cleanBotLines.get(text) ?? rules().mention.test(text);
}

/**
 * Words in a reply of which a word of letters (and hyphens or apostrophes) counts as a password for its capitals
 * alone ("pAsswOrd", "it's BlueHorse"); in a longer reply such a word is a name ("my iPhone won't connect to the
 * WiFi", "PC-en min").
 */
const SHORT_REPLY_WORDS = 3;

/**
 * A customer's reply right after a message about a password: secret-looking words are redacted too, but not a
 * quantity ("5GHz", "200rb", "3rd": a number with a unit of privacyWords.json) nor, in a sentence, a name written
 * with capitals inside ("iPhone", "WiFi", "eSIM").
 */
export function redactPasswordReply(text: string): string {
  const short = text.trim().split(/\s+/).length <= SHORT_REPLY_WORDS;
  const { quantity } = rules();
  const secret = (word: string): boolean => {
    const core = wordCore(word);
    if (quantity.test(core)) return false;
    return looksLikeSecret(core, false) && (short || !/^[\p{L}'’-]+$/u.test(core));
  };
  return redactText(text).replace(/(\S+?)([.,!?;:]*)(?=\s|$)/g, (whole, word: string, end: string) =>
    secret(word) ? redactionToken('password') + end : whole,
  );
}

const RENDERED: Record<RedactionKind, MessageKey> = {
  card: 'staff.redactedCard',
  iban: 'staff.redactedIban',
  'national-id': 'staff.redactedNationalId',
  password: 'staff.redactedPassword',
  email: 'staff.redactedEmail',
  phone: 'staff.redactedPhone',
};

/**
 * The text with its redaction tokens written out in `locale` ("[card number removed]"), for staff and for the web
 * chat's copy of the customer's own message.
 */
export function renderRedactions(text: string, locale: string): string {
  return text.replace(TOKEN, (_whole, kind: RedactionKind) => t(locale, RENDERED[kind]));
}
