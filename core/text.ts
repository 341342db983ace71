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
