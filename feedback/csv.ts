/**
 * CSV as RFC 4180 describes it (CRLF line ends; a cell with a comma, quote or line break is quoted, quotes
 * doubled), safe to open in a spreadsheet: a cell starting with = + - @ (or a tab or carriage return) gets a
 * leading apostrophe, so it is shown as text and never run as a formula. A cell with a semicolon or a tab is
 * quoted too: spreadsheets set up for Polish, Norwegian or Indonesian split such files on ";" (or tabs), and the
 * part after it ("ok;=2+5") would start a cell of its own.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",;\t\r\n]/;

export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** A CSV file to download: the byte-order mark makes spreadsheet programs read it as UTF-8 (ą, ø, emoji). */
export function csvFile(rows: readonly (readonly string[])[]): string {
  return `\uFEFF${toCsv(rows)}`;
}
