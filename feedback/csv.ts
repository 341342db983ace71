/**
 * CSV as RFC 4180 describes it (CRLF line ends; a cell with a comma, quote or line break is quoted, quotes
 * doubled), safe to open in a spreadsheet: a cell starting with = + - @ (or a tab or carriage return) gets a
 * leading apostrophe, so it is shown as text and never run as a formula.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
