import { z } from 'zod';
import { AppError } from '../core/errors';
import { fold, textProblem } from '../core/text';
import { csvFile, formulaSafe, unguardFormula, type CsvSeparator } from '../feedback/csv';
import { supportedLocales } from '../language/words';
import type { FaqInput, KnowledgeBase } from './store';
import type { FaqEntry } from './types';

/*
 * Import and export of the knowledge base as JSON (the kb.json shape), CSV and QnA Maker TSV.
 *
 * Merge rules of an import: an incoming entry updates the entry with its id; without a known id, the entry of
 * the same locale that has one of its questions (compared folded, without punctuation); otherwise it is created. Entries that are not
 * in the file stay as they are: an import never deletes. A field the file does not carry (CSV has no follow-ups,
 * QnA Maker no category unless in its metadata; an empty cell) keeps the entry's value. Matched by id, the file's
 * questions replace the entry's; matched by question, they are added to the entry's. Every write goes through
 * the KnowledgeBase, so history (action `import`), sanitising and the live index work as for any edit.
 */

export const faqFormats = ['json', 'csv', 'qna'] as const;
export type FaqFormat = (typeof faqFormats)[number];

export const FAQ_LIMITS = {
  questions: 50,
  questionLength: 300,
  answerLength: 5000,
  categoryLength: 100,
  followUps: 10,
  /** Entries in one import file. */
  importEntries: 10_000,
} as const;

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** An entry id or topic key: letters, digits, `.`, `_`, `-`; at most 100 characters. */
export const entryIdSchema = z
  .string()
  .trim()
  .regex(ID_PATTERN, 'Use letters, digits, ".", "_" or "-" (at most 100).');
/** A supported locale (the locales with a words.json: en, id, pl, nb); refused naming the served ones. */
export const localeSchema = z.string().refine((locale) => supportedLocales().includes(locale), {
  error: () => `Not a supported locale: use one of ${supportedLocales().join(', ')}.`,
});
/** Text an editor wrote: refused (400, or a skipped import row) with the reason when it holds no-characters. */
const editorText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .superRefine((text, ctx) => {
      const problem = textProblem(text);
      if (problem) ctx.addIssue({ code: 'custom', message: `The text ${problem}.` });
    });
export const questionsSchema = z
  .array(editorText(FAQ_LIMITS.questionLength))
  .min(1)
  .max(FAQ_LIMITS.questions);
export const answerSchema = editorText(FAQ_LIMITS.answerLength);
export const categorySchema = z.string().trim().max(FAQ_LIMITS.categoryLength);
export const followUpsSchema = z.array(entryIdSchema).max(FAQ_LIMITS.followUps);

/** An entry of an import file: unknown keys (version, updatedAt of an older export) are ignored. */
const fileEntrySchema = z.object({
  id: entryIdSchema.optional(),
  locale: localeSchema.optional(),
  topic: entryIdSchema.optional(),
  category: categorySchema.optional(),
  questions: questionsSchema,
  answer: answerSchema,
  followUps: followUpsSchema.optional(),
  enabled: z.boolean().optional(),
});

/** The demo file and other complete kb.json files: every entry names its locale. */
export const kbFileSchema = z.object({
  entries: z.array(fileEntrySchema.extend({ locale: localeSchema })).max(FAQ_LIMITS.importEntries),
});

/** One entry read from an import file; fields left undefined keep the existing entry's value. */
export interface ImportItem {
  /** Where it came from: entry number (JSON), record number with the header as 1 (CSV), line (TSV). */
  row: number;
  id?: string;
  locale: string;
  questions: string[];
  answer: string;
  topic?: string;
  category?: string;
  followUps?: string[];
  enabled?: boolean;
}

/**
 * A row left out of an import: `reason` in English for API users, `code` (and its facts) for the admin page,
 * which words it in the admin's language.
 */
export type Skip = { row: number; reason: string } & (
  | { code: 'invalid'; fields: string[] }
  | { code: 'no-locale' }
  | { code: 'ambiguous'; entries: string[] }
  | { code: 'duplicate'; sameAs: number }
  | { code: 'other-locale'; entry: string; entryLocale: string; rowLocale: string }
  | { code: 'refused' }
);

export interface ParsedImport {
  items: ImportItem[];
  skipped: Skip[];
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  skipped: Skip[];
}

/** Reads an import body: a parsed JSON object for `json`, the raw text for `csv` and `qna`. */
export function parseImport(format: FaqFormat, body: unknown, locale?: string): ParsedImport {
  if (format === 'json') return parseJson(body, locale);
  if (typeof body !== 'string') throw AppError.badRequest(`Send the ${format.toUpperCase()} file as text.`);
  // Bytes that are no UTF-8 were read as U+FFFD: a spreadsheet's legacy code page ("CSV (Comma delimited)" in
  // Windows-1250 or -1252), whose ą, ł, ø and å would be stored as "�" and shown so to customers.
  if (body.includes('\uFFFD')) {
    throw new AppError(
      400,
      'file_not_utf8',
      'The file is not UTF-8 text (its letters would be lost): save it as "CSV UTF-8" and import it again.',
    );
  }
  return format === 'csv' ? parseCsvImport(body, locale) : parseQnaImport(body, locale);
}

function parseJson(body: unknown, locale?: string): ParsedImport {
  const file = z.object({ entries: z.array(z.unknown()).max(FAQ_LIMITS.importEntries) }).safeParse(body);
  if (!file.success)
    throw AppError.badRequest('A JSON import is {"entries": [...]} with at most 10000 entries.');
  const rows = file.data.entries.map((raw, i) => ({ row: i + 1, raw }));
  return collect(rows, (raw) => fileEntrySchema.safeParse(raw), locale);
}

/** Validates raw rows one by one: a bad row is reported and skipped, the others are imported. */
function collect<T extends z.infer<typeof fileEntrySchema>>(
  rows: { row: number; raw: unknown }[],
  parse: (raw: unknown) => z.ZodSafeParseResult<T>,
  fallbackLocale?: string,
): ParsedImport {
  const result: ParsedImport = { items: [], skipped: [] };
  for (const { row, raw } of rows) {
    const parsed = parse(raw);
    if (!parsed.success) {
      const reason = parsed.error.issues
        .map((i) => `${i.path.join('.') || 'entry'}: ${i.message}`)
        .join('; ');
      const fields = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? 'entry')))];
      result.skipped.push({ row, reason, code: 'invalid', fields });
      continue;
    }
    const { locale = fallbackLocale, category, ...fields } = parsed.data;
    if (!locale) {
      result.skipped.push({
        row,
        reason: 'locale: missing (in the file or as the locale parameter).',
        code: 'no-locale',
      });
      continue;
    }
    result.items.push({ row, ...fields, locale, ...(category ? { category } : {}) });
  }
  return result;
}

// ---- CSV -------------------------------------------------------------------------------------------------

export const CSV_COLUMNS = ['id', 'locale', 'topic', 'category', 'questions', 'answer', 'enabled'] as const;
const QUESTION_SEPARATOR = ' | ';
/** Separators of CSV cells: the comma, and the semicolon that spreadsheets write where the comma is the decimal mark (pl, nb, id). */
const CSV_DELIMITERS = [',', ';', '\t'] as const;

/**
 * The questions of an entry in one CSV cell: separated by " | ", a "|" or "\\" inside a question escaped with a
 * backslash, so that a question with "|" comes back whole. splitQuestions reads it back, and older exports
 * (nothing escaped) alike.
 */
export const joinQuestions = (questions: readonly string[]): string =>
  questions.map((q) => q.replace(/[\\|]/g, '\\$&')).join(QUESTION_SEPARATOR);

export function splitQuestions(cell: string): string[] {
  return (cell.match(/(?:\\[\\|]|[^|])+/g) ?? [])
    .map((q) => q.replace(/\\([\\|])/g, '$1').trim())
    .filter(Boolean);
}

/** RFC 4180 records (quoted cells, doubled quotes, CRLF or LF line ends, a leading BOM ignored). */
export function parseCsv(text: string, delimiter = ','): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endCell = () => {
    record.push(cell);
    cell = '';
  };
  const endRecord = () => {
    endCell();
    if (record.length > 1 || record[0] !== '') records.push(record);
    record = [];
  };
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') cell += c;
      else if (text[i + 1] === '"') {
        cell += '"';
        i++;
      } else quoted = false;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === delimiter) endCell();
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
    } else cell += c;
  }
  if (quoted) {
    throw new AppError(
      400,
      'csv_open_quote',
      'The CSV file ends inside a quoted cell: a quotation mark is not closed.',
    );
  }
  if (cell !== '' || record.length > 0) endRecord();
  return records;
}

/** The column names of a header row read with `delimiter`, when they include questions and answer. */
function headerColumns(text: string, delimiter: string): string[] | undefined {
  const firstLine = /^\uFEFF?([^\r\n]*)/.exec(text)?.[1] ?? '';
  let header: string[] | undefined;
  try {
    header = parseCsv(firstLine, delimiter)[0];
  } catch {
    return undefined;
  }
  const columns = (header ?? []).map((name) => name.trim().toLowerCase());
  return columns.includes('questions') && columns.includes('answer') ? columns : undefined;
}

/**
 * A CSV file as our export writes it, or as a spreadsheet saves it again: the separator (comma, semicolon or
 * tab) is the one that makes the first row a header naming at least "questions" and "answer".
 */
function parseCsvImport(text: string, locale?: string): ParsedImport {
  const delimiter = CSV_DELIMITERS.find((d) => headerColumns(text, d));
  if (!delimiter) {
    throw new AppError(
      400,
      'csv_no_header',
      `A CSV import needs a header row with at least "questions" and "answer" (${CSV_COLUMNS.join(',')}), ` +
        'separated by commas or semicolons.',
    );
  }
  const [header, ...records] = parseCsv(text, delimiter);
  const columns = (header ?? []).map((name) => name.trim().toLowerCase());
  const rows = records.map((cells, i) => {
    const raw: Record<string, unknown> = {};
    columns.forEach((name, c) => {
      const value = unguardFormula(cells[c] ?? '').trim();
      if (value === '' || !(CSV_COLUMNS as readonly string[]).includes(name)) return;
      raw[name] =
        name === 'questions' ? splitQuestions(value) : name === 'enabled' ? parseFlag(value) : value;
    });
    return { row: i + 2, raw };
  });
  return collect(rows, (raw) => fileEntrySchema.safeParse(raw), locale);
}

/**
 * true/false (also yes/no, 1/0, and TRUE/FALSE as spreadsheets write them in Polish, Norwegian and Indonesian);
 * anything else stays a string and fails validation with a clear message.
 */
function parseFlag(value: string): boolean | string {
  const folded = value.toLowerCase();
  if (['true', 'yes', '1', 'prawda', 'sann', 'benar'].includes(folded)) return true;
  if (['false', 'no', '0', 'fałsz', 'usann', 'salah'].includes(folded)) return false;
  return value;
}

// ---- QnA Maker TSV ---------------------------------------------------------------------------------------

export const QNA_COLUMNS = ['Question', 'Answer', 'Source', 'Metadata'] as const;
const QNA_SOURCE = 'Editorial';

/**
 * QnA Maker keeps a cell on one line: line breaks, tabs and backslashes are written as \n, \t, \r, \\. A cell
 * that starts like a formula is guarded as in CSV (`formulaSafe`): the file opens in spreadsheets too; unescapeTsv
 * undoes both.
 */
const escapeTsv = (cell: string): string =>
  formulaSafe(cell).replace(
    /[\\\n\r\t]/g,
    (c) => ({ '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] ?? c,
  );
const unescapeTsv = (cell: string): string =>
  unguardFormula(
    cell.replace(/\\([\\nrt])/g, (_m, c: string) => ({ '\\': '\\', n: '\n', r: '\r', t: '\t' })[c] ?? c),
  );

/** QnA Maker metadata `key:value|key:value`; values may not contain `:` or `|`. */
const metadataValue = (value: string): string => value.replace(/[:|\t\r\n]+/g, ' ').trim();

function parseMetadata(cell: string): Map<string, string> {
  const pairs = cell.split('|').map((pair) => {
    const at = pair.indexOf(':');
    return at < 0 ? null : ([pair.slice(0, at).trim().toLowerCase(), pair.slice(at + 1).trim()] as const);
  });
  return new Map(pairs.filter((pair) => pair !== null));
}

/**
 * One row per question; rows with the same answer and source (and, in our own exports, the same `id` in the
 * metadata) are one entry. The locale comes from the parameter: QnA Maker files do not carry one.
 */
function parseQnaImport(text: string, locale?: string): ParsedImport {
  if (!locale) throw AppError.badRequest('A QnA Maker import needs the locale parameter.');
  const [header, ...lines] = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const columns = (header ?? '').split('\t').map((name) => name.trim().toLowerCase());
  const at = (name: string) => columns.indexOf(name);
  const [question, answer, source, metadata] = ['question', 'answer', 'source', 'metadata'].map(at);
  if (question === undefined || answer === undefined || question < 0 || answer < 0) {
    throw AppError.badRequest(`A QnA Maker import needs a header row: ${QNA_COLUMNS.join('\\t')}.`);
  }
  const groups = new Map<string, { row: number; raw: Record<string, unknown>; questions: string[] }>();
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const cells = line.split('\t').map(unescapeTsv);
    const cell = (index: number | undefined) =>
      index === undefined || index < 0 ? '' : (cells[index] ?? '');
    const meta = parseMetadata(cell(metadata));
    const key = JSON.stringify([cell(answer).trim(), cell(source).trim(), meta.get('id') ?? '']);
    let group = groups.get(key);
    if (!group) {
      const enabled = meta.get('enabled');
      group = {
        row: i + 2,
        questions: [],
        raw: {
          answer: cell(answer),
          ...(meta.get('id') ? { id: meta.get('id') } : {}),
          ...(meta.get('topic') ? { topic: meta.get('topic') } : {}),
          ...(meta.get('category') ? { category: meta.get('category') } : {}),
          ...(enabled ? { enabled: parseFlag(enabled) } : {}),
        },
      };
      groups.set(key, group);
    }
    if (cell(question).trim()) group.questions.push(cell(question).trim());
  });
  const rows = [...groups.values()].map(({ row, raw, questions }) => ({ row, raw: { ...raw, questions } }));
  return collect(rows, (raw) => fileEntrySchema.safeParse(raw), locale);
}

// ---- Merge -----------------------------------------------------------------------------------------------

/** Questions are the same when they differ only in case, diacritics, punctuation and spacing. */
const questionKey = (locale: string, question: string): string =>
  `${locale}\n${fold(question)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()}`;

/** The content of an entry that an import compares (not version, author or time). */
const contentOf = (e: FaqEntry): string =>
  JSON.stringify([e.topic, e.locale, e.questions, e.answer, e.category ?? '', e.followUps ?? [], e.enabled]);

interface PlannedWrite {
  row: number;
  kind: 'created' | 'updated';
  write: () => Promise<unknown>;
}

/**
 * Merges parsed entries into the knowledge base (see the rules at the top of this file). With `dryRun` the
 * report says what would happen and nothing is written. Rows that fail validation are skipped with a reason;
 * the other rows are still imported.
 */
export async function importEntries(
  kb: KnowledgeBase,
  parsed: ParsedImport,
  options: { by: string; dryRun: boolean },
): Promise<ImportReport> {
  const report: ImportReport = { created: 0, updated: 0, unchanged: 0, skipped: [...parsed.skipped] };
  const owners = new Map<string, Set<string>>();
  const own = (locale: string, questions: string[], target: string) => {
    for (const q of questions) {
      const key = questionKey(locale, q);
      owners.set(key, (owners.get(key) ?? new Set()).add(target));
    }
  };
  for (const entry of kb.list()) own(entry.locale, entry.questions, entry.id);

  const claimedBy = new Map<string, number>();
  const writes: PlannedWrite[] = [];
  for (const item of parsed.items) {
    const skip = (reason: string, why: DistributiveOmit<Skip, 'row' | 'reason'>) =>
      report.skipped.push({ row: item.row, reason, ...why });
    const byId = item.id === undefined ? undefined : kb.get(item.id);
    const byQuestion = new Set(
      item.questions.flatMap((q) => [...(owners.get(questionKey(item.locale, q)) ?? [])]),
    );
    if (!byId && byQuestion.size > 1) {
      skip(`Its questions belong to several entries (${[...byQuestion].join(', ')}); give it an id.`, {
        code: 'ambiguous',
        entries: [...byQuestion],
      });
      continue;
    }
    const target = byId?.id ?? [...byQuestion][0] ?? item.id ?? `row ${item.row}`;
    const earlier = claimedBy.get(target);
    if (earlier !== undefined) {
      skip(`It is the same entry as row ${earlier}.`, { code: 'duplicate', sameAs: earlier });
      continue;
    }
    claimedBy.set(target, item.row);
    const existing = byId ?? (byQuestion.size === 1 ? kb.get(target) : undefined);
    try {
      if (existing) {
        if (existing.locale !== item.locale) {
          skip(`The entry ${existing.id} is in "${existing.locale}", this row is in "${item.locale}".`, {
            code: 'other-locale',
            entry: existing.id,
            entryLocale: existing.locale,
            rowLocale: item.locale,
          });
          continue;
        }
        const input = mergeInto(existing, item, byId !== undefined);
        if (contentOf(kb.preview(existing.id, input)) === contentOf(existing)) {
          report.unchanged++;
          continue;
        }
        writes.push({
          row: item.row,
          kind: 'updated',
          write: () => kb.update(existing.id, input, options.by, existing.version, 'import'),
        });
      } else {
        const input = inputOf(item);
        kb.preview(item.id ?? target, input);
        own(item.locale, item.questions, target);
        writes.push({ row: item.row, kind: 'created', write: () => kb.create(input, options.by, 'import') });
      }
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      skip(err.message, { code: 'refused' });
    }
  }

  for (const planned of writes) {
    if (options.dryRun) {
      report[planned.kind]++;
      continue;
    }
    try {
      await planned.write();
      report[planned.kind]++;
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      report.skipped.push({ row: planned.row, reason: err.message, code: 'refused' });
    }
  }
  report.skipped.sort((a, b) => a.row - b.row);
  return report;
}

function inputOf({
  id,
  locale,
  questions,
  answer,
  topic,
  category,
  followUps,
  enabled,
}: ImportItem): FaqInput {
  return { id, locale, questions, answer, topic, category, followUps, enabled };
}

/** Matched by id, the file's questions replace the entry's; matched by question, they are added. */
function mergeInto(existing: FaqEntry, item: ImportItem, matchedById: boolean): FaqInput {
  return {
    id: existing.id,
    topic: item.topic ?? existing.topic,
    locale: existing.locale,
    questions: matchedById
      ? item.questions
      : [...existing.questions, ...newQuestions(existing, item.questions)],
    answer: item.answer,
    category: item.category ?? existing.category,
    followUps: item.followUps ?? existing.followUps,
    enabled: item.enabled ?? existing.enabled,
  };
}

/** The questions that the entry does not have yet (in any spelling that {@link questionKey} ignores). */
function newQuestions(existing: FaqEntry, questions: string[]): string[] {
  const known = new Set(existing.questions.map((q) => questionKey(existing.locale, q)));
  return questions.filter((q) => !known.has(questionKey(existing.locale, q)));
}

// ---- Export ----------------------------------------------------------------------------------------------

export interface ExportFile {
  body: string;
  contentType: string;
  extension: string;
}

/** The kb.json shape (plus `enabled`): what a JSON import reads back. */
function fileEntryOf(e: FaqEntry) {
  return {
    id: e.id,
    topic: e.topic,
    locale: e.locale,
    ...(e.category ? { category: e.category } : {}),
    questions: e.questions,
    answer: e.answer,
    ...(e.followUps?.length ? { followUps: e.followUps } : {}),
    enabled: e.enabled,
  };
}

/** The entries as a file of `format`; a CSV file's cells are separated by `separator` (see CSV_SEPARATORS). */
export function exportEntries(
  entries: readonly FaqEntry[],
  format: FaqFormat,
  separator: CsvSeparator = 'comma',
): ExportFile {
  if (format === 'json') {
    return {
      body: `${JSON.stringify({ entries: entries.map(fileEntryOf) }, null, 2)}\n`,
      contentType: 'application/json; charset=utf-8',
      extension: 'json',
    };
  }
  if (format === 'csv') {
    const rows = entries.map((e) => [
      e.id,
      e.locale,
      e.topic,
      e.category ?? '',
      joinQuestions(e.questions),
      e.answer,
      String(e.enabled),
    ]);
    return {
      body: csvFile([[...CSV_COLUMNS], ...rows], separator),
      contentType: 'text/csv; charset=utf-8',
      extension: 'csv',
    };
  }
  const lines = entries.flatMap((e) => {
    const metadata = [
      `id:${e.id}`,
      `topic:${metadataValue(e.topic)}`,
      ...(e.category ? [`category:${metadataValue(e.category)}`] : []),
      ...(e.enabled ? [] : ['enabled:false']),
    ].join('|');
    return e.questions.map((q) => [q, e.answer, QNA_SOURCE, metadata].map(escapeTsv).join('\t'));
  });
  return {
    body: [QNA_COLUMNS.join('\t'), ...lines].join('\r\n') + '\r\n',
    contentType: 'text/tab-separated-values; charset=utf-8',
    extension: 'tsv',
  };
}
