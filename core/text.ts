/** Printable ASCII and line breaks: text that folding leaves as it is apart from case and spaces. */
const ASCII = /^[\t\n\r\u0020-\u007e]*$/;
const SPECIAL: Record<string, string> = { ł: 'l', ø: 'o', æ: 'ae', å: 'a', ß: 'ss', đ: 'd', ı: 'i' };

/**
 * Folds text for comparison: lower case (locale-independent), diacritics removed (ą→a, ø→o, æ→ae, ł→l),
 * whitespace collapsed. Used wherever the bot compares what a customer typed with words from the locale files.
 */
export function fold(text: string): string {
  // ASCII has no diacritics and no special letters: lower case and whitespace are all there is to fold.
  if (ASCII.test(text)) return text.toLowerCase().replace(/\s+/g, ' ').trim();
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[łøæåßđı]/g, (c) => SPECIAL[c] ?? c)
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * `value` when it is a string, cut to at most `max` UTF-16 units (never between the halves of a surrogate
 * pair); undefined when it is not a string. For names and labels from clients, which the bot keeps bounded.
 */
export function boundedString(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (value.length <= max) return value;
  const last = value.charCodeAt(max - 1);
  return value.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

/**
 * `text` cut to at most `max` characters at a word boundary, with an ellipsis when anything was cut (a single
 * word longer than half of `max` is cut inside; never between the halves of a surrogate pair): the one way the
 * bot shortens what it shows (a case's summary, a question as a button label).
 */
export function shortened(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = boundedString(text, max - 1) ?? '';
  const atWord = /\s/.test(text.charAt(cut.length)) ? cut : cut.replace(/\S*$/u, '');
  const kept = (atWord.trim().length >= cut.length / 2 ? atWord : cut).replace(/[\s,;:.–-]+$/u, '');
  return `${kept}…`;
}

/** A numeric character reference (`&#x1F600;`, `&#128512;`; HTML allows the `;` to be left out). */
const NUMERIC_REFERENCE = /&#(?:[xX]([0-9a-fA-F]+)|(\d+));?/g;
/** A UTF-16 surrogate without its partner: not a character, and not encodable as UTF-8. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const REPLACEMENT = '\uFFFD';

/** The character a numeric reference stands for, or U+FFFD as HTML decodes it (0, surrogates, beyond U+10FFFF). */
export function referencedCharacter(hex: string | undefined, decimal: string | undefined): string {
  const digits = hex ?? decimal ?? '';
  const code = digits.length > 8 ? Infinity : parseInt(digits, hex === undefined ? 10 : 16);
  const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
  return valid ? String.fromCodePoint(code) : REPLACEMENT;
}

/** Decodes every numeric character reference of `text` (invalid ones as U+FFFD). */
export function decodeNumericReferences(text: string): string {
  return text.replace(NUMERIC_REFERENCE, (_whole, hex?: string, decimal?: string) =>
    referencedCharacter(hex, decimal),
  );
}

/**
 * Why `text` cannot be kept and shown as written, or undefined when it can: a lone surrogate, or a numeric
 * character reference to no character (`&#x110000;`, `&#xD800;`, `&#0;`). Fields an editor fixes (FAQ
 * entries, imports) are refused with this reason; what must not be lost goes through `neutralizeText`.
 */
export function textProblem(text: string): string | undefined {
  if (new RegExp(LONE_SURROGATE.source).test(text))
    return 'contains a lone surrogate, which is not a character';
  for (const [whole, hex, decimal] of text.matchAll(NUMERIC_REFERENCE)) {
    if (referencedCharacter(hex, decimal) === REPLACEMENT)
      return `contains ${whole}, which is not a character`;
  }
  return undefined;
}

/** `text` with lone surrogates and references to no character replaced by U+FFFD; everything else kept. */
export function neutralizeText(text: string): string {
  return text
    .replace(LONE_SURROGATE, REPLACEMENT)
    .replace(NUMERIC_REFERENCE, (whole, hex?: string, decimal?: string) =>
      referencedCharacter(hex, decimal) === REPLACEMENT ? REPLACEMENT : whole,
    );
}
