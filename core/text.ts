/**
 * Folds text for comparison: lower case (locale-independent), diacritics removed (ą→a, ø→o, æ→ae, ł→l),
 * whitespace collapsed. Used wherever the bot compares what a customer typed with words from the locale files.
 */
const SPECIAL: Record<string, string> = { ł: 'l', ø: 'o', æ: 'ae', å: 'a', ß: 'ss', đ: 'd', ı: 'i' };

export function fold(text: string): string {
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
