import { z } from 'zod';

/**
 * A cell a spreadsheet would run as a formula: one starting with = + - @ (or a tab or carriage return), also after
 * apostrophes of its own ("'=1+1" as text), which a spreadsheet would take as its text mark.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;

/**
 * A cell of a file for spreadsheets (CSV, QnA Maker TSV) safe to open: one that starts like a formula gets a
 * leading apostrophe, so it is shown as text and never run. `unguardFormula` takes it off again on import.
 */
export function formulaSafe(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** A cell as it was before `formulaSafe`: without the apostrophe put before a cell that starts like a formula. */
export function unguardFormula(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}

/**
 * CSV as RFC 4180 describes it (CRLF line ends; a cell with a comma, quote or line break is quoted, quotes
 * doubled), safe to open in a spreadsheet (`formulaSafe`). A cell with a semicolon or a tab is quoted too:
 * spreadsheets set up for Polish, Norwegian or Indonesian split such files on ";" (or tabs), and the part after it
 * ("ok;=2+5") would start a cell of its own.
 */
const NEEDS_QUOTES = /[",;\t\r\n]/;

export function csvCell(value: string): string {
  const safe = formulaSafe(value);
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The separators a CSV download may use, by the name a query gives (`?separator=semicolon`). Excel splits a CSV on
 * the list separator of the computer's regional settings: a comma where numbers are written 1.5 (English), a
 * semicolon where they are written 1,5 (Polish, Norwegian, Indonesian); a file with the other one opens as one
 * column. (A `sep=` first line would choose for Excel, but then it reads the file without its byte-order mark,
 * so not as UTF-8.)
 */
export const CSV_SEPARATORS = { comma: ',', semicolon: ';' } as const;
export type CsvSeparator = keyof typeof CSV_SEPARATORS;
/** A download's `separator` query parameter: comma unless given. */
export const csvSeparatorSchema = z
  .enum(Object.keys(CSV_SEPARATORS) as [CsvSeparator, ...CsvSeparator[]])
  .default('comma');

export function toCsv(rows: readonly (readonly string[])[], separator: CsvSeparator = 'comma'): string {
  return rows.map((row) => row.map(csvCell).join(CSV_SEPARATORS[separator])).join('\r\n') + '\r\n';
}

/** A CSV file to download: the byte-order mark makes spreadsheet programs read it as UTF-8 (ą, ø, emoji). */
export function csvFile(rows: readonly (readonly string[])[], separator: CsvSeparator = 'comma'): string {
  return `\uFEFF${toCsv(rows, separator)}`;
}
