import { parseCsv } from '../../knowledge/importExport';
import { seedDemo } from '../../knowledge/seed';
import type { FaqEntry } from '../../knowledge/types';
import { startTestBot, type TestBot } from '../helpers/harness';

interface Report {
  dryRun: boolean;
  created: number;
  updated: number;
  unchanged: number;
  skipped: { row: number; reason: string }[];
}

describe('knowledge-base import and export', () => {
  let bot: TestBot;
  let demoCount: number;

  beforeAll(async () => {
    bot = await startTestBot();
    demoCount = await seedDemo(bot.app.kb);
  });
  afterAll(() => bot.close());

  const importText = async (format: string, text: string, params = '') => {
    const type = format === 'csv' ? 'text/csv' : 'text/tab-separated-values';
    const response = await bot.api(`/api/admin/faq/import?format=${format}${params}`, {
      method: 'POST',
      headers: { 'content-type': type },
      body: text,
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Report;
  };
  const importJson = async (body: unknown, params = '') => {
    const response = await bot.api(`/api/admin/faq/import?format=json${params}`, {
      method: 'POST',
      body: JSON.stringify(body),
    });
    return { status: response.status, report: (await response.json()) as Report };
  };
  const exported = async (format: string, locale = 'pl') => {
    const response = await bot.api(`/api/admin/faq/export?format=${format}&locale=${locale}`);
    expect(response.status).toBe(200);
    return { response, text: await response.text() };
  };

  it('when a JSON file is imported as a dry run, then the report says what would happen and nothing changes', async () => {
    const file = {
      entries: [
        { id: 'en-pay-bill', locale: 'en', questions: ['How do I pay?'], answer: 'Pay in the app.' },
        { locale: 'en', questions: ['Do you have a loyalty programme?'], answer: 'Yes: **Nordwind Plus**.' },
        { id: 'en-restart-router', ...pick(bot.app.kb.get('en-restart-router')) },
        { locale: 'en', questions: 'not a list', answer: 'x' },
        { locale: 'en', questions: ['What does the purple light mean?'], answer: { $gt: '' } },
      ],
    };
    const before = bot.app.kb.list();
    const { status, report } = await importJson(file, '&dryRun=true');
    expect(status).toBe(200);
    expect(report).toMatchObject({ dryRun: true, created: 1, updated: 1, unchanged: 1 });
    expect(report.skipped.map((s) => s.row)).toEqual([4, 5]);
    expect(report.skipped[0]?.reason).toMatch(/questions/);
    expect(bot.app.kb.list()).toEqual(before);

    bot.clock.advance(1000);
    const real = await importJson(file);
    expect(real.report).toMatchObject({ dryRun: false, created: 1, updated: 1, unchanged: 1 });
    expect(bot.app.kb.get('en-pay-bill')).toMatchObject({
      answer: 'Pay in the app.',
      questions: ['How do I pay?'],
    });
    expect(bot.app.kb.list()).toHaveLength(before.length + 1);
    const history = await bot.app.kb.historyOf('en-pay-bill');
    expect(history[0]).toMatchObject({ action: 'import', by: 'admin' });
  });

  it('when an imported entry has no id but one of its questions, then that entry gets the new questions added', async () => {
    const before = bot.app.kb.get('en-wifi-password');
    const { report } = await importJson({
      entries: [
        {
          locale: 'en',
          questions: ['how do i change my WI-FI password', 'new wifi password please'],
          answer: before?.answer,
        },
      ],
    });
    expect(report).toMatchObject({ created: 0, updated: 1 });
    const after = bot.app.kb.get('en-wifi-password');
    expect(after?.questions).toEqual([...(before?.questions ?? []), 'new wifi password please']);
  });

  it('when a file holds only a few entries, then the others stay (an import never replaces the base)', async () => {
    const count = bot.app.kb.list().length;
    const { report } = await importJson({
      entries: [{ locale: 'nb', questions: ['Har dere fiber på hytta?'], answer: 'Ja.' }],
    });
    expect(report.created).toBe(1);
    expect(bot.app.kb.list()).toHaveLength(count + 1);
    expect(count).toBeGreaterThanOrEqual(demoCount);
  });

  it('when two rows are the same entry or match several entries, then they are skipped with a reason', async () => {
    const wifi = bot.app.kb.get('en-wifi-password')?.questions[0] ?? '';
    const restart = bot.app.kb.get('en-restart-router')?.questions[0] ?? '';
    const { report } = await importJson(
      {
        entries: [
          { id: 'en-dup', questions: ['duplicate one?'], answer: 'a' },
          { id: 'en-dup', questions: ['duplicate two?'], answer: 'b' },
          { questions: [wifi, restart], answer: 'c' },
          { id: 'pl-pay-bill', questions: ['zapłata'], answer: 'locale differs' },
        ],
      },
      '&locale=en&dryRun=true',
    );
    expect(report.created).toBe(1);
    expect(report.skipped.map((s) => [s.row, s.reason])).toEqual([
      [2, expect.stringContaining('same entry as row 1')],
      [3, expect.stringContaining('several entries')],
      [4, expect.stringContaining('"pl"')],
    ]);
  });

  it('when the JSON import body is not {entries: [...]}, then 400', async () => {
    expect((await importJson([{ id: 'x' }])).status).toBe(400);
    expect((await importJson({ entries: 'all' })).status).toBe(400);
    expect((await importJson({ entries: [] }, '&format=xml')).status).toBe(400);
  });

  it('when the base is exported as CSV and imported again, then nothing changes; an edited cell updates one entry', async () => {
    const tricky = {
      id: 'pl-tricky',
      locale: 'pl',
      questions: ['=HYPERLINK("http://evil")', 'przecinek, "cudzysłów"'],
      answer: '- punkt pierwszy\n- punkt "drugi", z przecinkiem\n\n=1+1 @SUM(A1)',
      category: 'Test',
    };
    expect((await bot.api('/api/admin/faq', { method: 'POST', body: JSON.stringify(tricky) })).status).toBe(
      201,
    );

    const { response, text } = await exported('csv');
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="faq-pl-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const records = parseCsv(text);
    expect(records[0]).toEqual(['id', 'locale', 'topic', 'category', 'questions', 'answer', 'enabled']);
    const trickyRow = records.find((r) => r[0] === 'pl-tricky') ?? [];
    expect(trickyRow[4]).toBe(`'=HYPERLINK("http://evil") | przecinek, "cudzysłów"`);
    expect(trickyRow[5]?.startsWith("'- punkt")).toBe(true);
    const plCount = bot.app.kb.list({ locale: 'pl' }).length;
    expect(records).toHaveLength(plCount + 1);

    const again = await importText('csv', text);
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: plCount, skipped: [] });

    const edited = text.replace('przecinek, ""cudzysłów""', 'przecinek, ""cudzysłów"" | nowe pytanie');
    expect(await importText('csv', edited)).toMatchObject({ updated: 1, unchanged: plCount - 1 });
    expect(bot.app.kb.get('pl-tricky')?.questions).toEqual([...tricky.questions, 'nowe pytanie']);
    expect(bot.app.kb.get('pl-tricky')?.answer).toBe(tricky.answer);
  });

  it('when an imported entry names a follow-up in another language, then customers are offered only those in its own', async () => {
    const { report } = await importJson({
      entries: [
        {
          id: 'en-student-discount',
          locale: 'en',
          questions: ['Do you offer student discounts?', 'student discount'],
          answer: 'Yes: 20% off with a valid student card.',
          followUps: ['pl-pay-bill', 'en-pay-bill'],
        },
      ],
    });
    expect(report).toMatchObject({ created: 1, skipped: [] });
    const replies = await bot.say('Do you offer student discounts?', { conversationId: 'import-followups' });
    const buttons = replies.flatMap((r) => r.suggestedActions?.actions.map((a) => String(a.title)) ?? []);
    expect(buttons).toContain(bot.app.kb.get('en-pay-bill')?.questions[0]);
    expect(buttons).not.toContain(bot.app.kb.get('pl-pay-bill')?.questions[0]);
  });

  it('when the FAQ is exported as CSV, then the file starts with a byte-order mark, so a spreadsheet reads ą and ø', async () => {
    const response = await bot.api('/api/admin/faq/export?format=csv&locale=pl');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes)).toMatch(/^id,locale,topic,/);
  });

  it('when the FAQ is exported as CSV with semicolons (Polish, Norwegian, Indonesian Excel), then its cells split on them and it imports back unchanged', async () => {
    const response = await bot.api('/api/admin/faq/export?format=csv&locale=pl&separator=semicolon');
    expect(response.status).toBe(200);
    const file = await response.text();
    expect(file).toMatch(/^id;locale;topic;category;questions;answer;enabled\r\n/);
    const entries = bot.app.kb.list({ locale: 'pl' });
    expect(entries.some((e) => e.answer.includes(','))).toBe(true);
    const report = await importText('csv', file, '&locale=pl&dryRun=true');
    expect(report).toMatchObject({ created: 0, updated: 0, skipped: [], unchanged: entries.length });
  });

  it.each(['tab', ';', 'Semicolon', 'pipe'])(
    'when the separator asked for is %p, then 400 naming separator',
    async (separator) => {
      const response = await bot.api(
        `/api/admin/faq/export?format=csv&separator=${encodeURIComponent(separator)}`,
      );
      expect(response.status).toBe(400);
      expect(JSON.stringify(await response.json())).toContain('separator');
    },
  );

  it('when a CSV has only some columns and a bad row, then the good rows import and the bad one is reported', async () => {
    const csv =
      'questions,answer,enabled\r\n"Czy macie telewizję?","Tak, mamy.",true\r\n"Pytanie bez odpowiedzi",,\r\nx,y,maybe\r\n';
    const report = await importText('csv', csv, '&locale=pl');
    expect(report.created).toBe(1);
    expect(report.skipped.map((s) => s.row)).toEqual([3, 4]);
    expect(report.skipped[1]?.reason).toMatch(/enabled/);
  });

  it('when a CSV is malformed or has no header, then 400', async () => {
    const response = await bot.api('/api/admin/faq/import?format=csv&locale=pl', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: 'id,questions,answer\r\nx,"unterminated,answer',
    });
    expect(response.status).toBe(400);
    const noHeader = await bot.api('/api/admin/faq/import?format=csv&locale=pl', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: 'a,b\r\n1,2\r\n',
    });
    expect(noHeader.status).toBe(400);
  });

  it('when a spreadsheet saved the CSV with semicolons, a BOM and CRLF (pl, nb, id locales), then it is read', async () => {
    const csv =
      '\uFEFFid;locale;questions;answer;enabled\r\n' +
      'pl-excel;pl;Czy działa Excel?;"Tak; z średnikami, przecinkami i ""cudzysłowem"".";PRAWDA\r\n' +
      'nb-excel;nb;Virker Excel?;Ja.;USANN\r\n';
    expect(await importText('csv', csv)).toMatchObject({ created: 2, skipped: [] });
    expect(bot.app.kb.get('pl-excel')).toMatchObject({
      questions: ['Czy działa Excel?'],
      answer: 'Tak; z średnikami, przecinkami i "cudzysłowem".',
      enabled: true,
    });
    expect(bot.app.kb.get('nb-excel')?.enabled).toBe(false);
  });

  it('when a CSV cannot be read, then the error code names the likely cause (no header row, an open quote)', async () => {
    const post = async (body: string) => {
      const response = await bot.api('/api/admin/faq/import?format=csv&locale=pl', {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body,
      });
      return { status: response.status, body: (await response.json()) as { error: string } };
    };
    expect(await post('pytania|odpowiedź\r\nx|y\r\n')).toMatchObject({
      status: 400,
      body: { error: 'csv_no_header' },
    });
    expect(await post('questions;answer\r\nx;"y\r\n')).toMatchObject({
      status: 400,
      body: { error: 'csv_open_quote' },
    });
  });

  it('when a file was saved by a spreadsheet in a legacy code page (not UTF-8), then it is refused and nothing is stored', async () => {
    // "CSV (rozdzielany przecinkami)" of Polish Excel is Windows-1250 (ć E6, ł B3, ś 9C); Norwegian Windows-1252 (ø F8).
    const files = [
      [
        'csv',
        'pl',
        'id;locale;questions;answer\r\npl-cp1250;pl;Jak zmieni\u00e6 w\u00b3a\u009cciciela?;Wniosek\r\n',
      ],
      [
        'qna',
        'nb',
        'Question\tAnswer\tSource\tMetadata\r\nKan jeg f\u00e5 faktura p\u00e5 papir?\tJa, mot gebyr.\tEditorial\t\r\n',
      ],
    ];
    for (const [format, locale, text] of files) {
      const response = await bot.api(`/api/admin/faq/import?format=${format}&locale=${locale}`, {
        method: 'POST',
        headers: { 'content-type': format === 'csv' ? 'text/csv' : 'text/tab-separated-values' },
        body: Buffer.from(text ?? '', 'latin1'),
      });
      expect([response.status, ((await response.json()) as { error: string }).error]).toEqual([
        400,
        'file_not_utf8',
      ]);
    }
    expect(bot.app.kb.get('pl-cp1250')).toBeUndefined();
    expect(bot.app.kb.list().some((e) => e.questions.some((q) => q.includes('\uFFFD')))).toBe(false);
  });

  it('when a question holds "|" or a backslash, then CSV export and import keep it whole; older exports are still read', async () => {
    const entry = {
      id: 'pl-pipes',
      locale: 'pl',
      questions: ['Co znaczy A | B?', 'Ścieżka C:\\dane\\|x', 'Zwykłe pytanie'],
      answer: 'Odpowiedź.',
    };
    expect((await bot.api('/api/admin/faq', { method: 'POST', body: JSON.stringify(entry) })).status).toBe(
      201,
    );
    const { text } = await exported('csv');
    const row = parseCsv(text).find((r) => r[0] === 'pl-pipes') ?? [];
    expect(row[4]).toBe('Co znaczy A \\| B? | Ścieżka C:\\\\dane\\\\\\|x | Zwykłe pytanie');
    expect(await importText('csv', text)).toMatchObject({ updated: 0, skipped: [] });
    expect(bot.app.kb.get('pl-pipes')?.questions).toEqual(entry.questions);

    // An export from before the escaping: " | " between questions, backslashes as they are.
    const old = 'id,locale,questions,answer\r\npl-pipes,pl,"Pierwsze | Drugie C:\\dane",Odpowiedź.\r\n';
    expect(await importText('csv', old)).toMatchObject({ updated: 1 });
    expect(bot.app.kb.get('pl-pipes')?.questions).toEqual(['Pierwsze', 'Drugie C:\\dane']);
  });

  it('when the base is exported as QnA Maker TSV and imported again, then nothing changes', async () => {
    const { response, text } = await exported('qna', 'nb');
    expect(response.headers.get('content-type')).toBe('text/tab-separated-values; charset=utf-8');
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('Question\tAnswer\tSource\tMetadata');
    const nb = bot.app.kb.list({ locale: 'nb' });
    expect(lines).toHaveLength(1 + nb.reduce((n, e) => n + e.questions.length, 0));
    expect(await importText('qna', text, '&locale=nb')).toMatchObject({
      created: 0,
      updated: 0,
      unchanged: nb.length,
    });
  });

  it('when cells of a QnA Maker TSV export start like a formula, then they get the apostrophe a CSV export gives them', async () => {
    const entry = {
      id: 'nb-formulas',
      locale: 'nb',
      questions: ['=HYPERLINK("http://evil";"klikk")', '+47 tlf?', '@SUM(A1)'],
      answer: '- punkt én\n- punkt to\n\n=1+1',
    };
    expect((await bot.api('/api/admin/faq', { method: 'POST', body: JSON.stringify(entry) })).status).toBe(
      201,
    );
    const { text } = await exported('qna', 'nb');
    const rows = text.split('\r\n').filter((line) => line.includes('id:nb-formulas'));
    expect(rows.map((line) => line.split('\t')[0])).toEqual([
      `'=HYPERLINK("http://evil";"klikk")`,
      "'+47 tlf?",
      "'@SUM(A1)",
    ]);
    for (const line of rows) expect(line.split('\t')[1]).toBe("'- punkt én\\n- punkt to\\n\\n=1+1");
  });

  it.each(['csv', 'qna'])(
    'when entries whose cells start like a formula (or with an apostrophe before one) are exported as %s and imported again, then they are the same',
    async (format) => {
      const entry = {
        id: `nb-roundtrip-${format}`,
        locale: 'nb',
        questions: [`'=allerede sitert ${format}`, `=2+2 ${format}?`, `-minus ${format}`, `''@to ${format}`],
        answer: `'+47 er nummeret ${format}\n- punkt`,
      };
      expect((await bot.api('/api/admin/faq', { method: 'POST', body: JSON.stringify(entry) })).status).toBe(
        201,
      );
      const { text } = await exported(format, 'nb');
      await bot.api(`/api/admin/faq/${entry.id}`, { method: 'DELETE' });
      expect(await importText(format, text, '&locale=nb')).toMatchObject({ created: 1, skipped: [] });
      expect(bot.app.kb.get(entry.id)).toMatchObject({ questions: entry.questions, answer: entry.answer });
    },
  );

  it('when a QnA Maker file without metadata is imported, then rows with the same answer and source become one entry', async () => {
    const tsv = [
      'Question\tAnswer\tSource\tMetadata',
      'Kan jeg ta med ruteren på ferie?\tJa, ruteren virker overalt i Norge.\\n\\nHusk strømadapter.\tEditorial\t',
      'Ruter på hytta?\tJa, ruteren virker overalt i Norge.\\n\\nHusk strømadapter.\tEditorial\t',
      'Kan jeg ta med ruteren på ferie?\tJa, ruteren virker overalt i Norge.\\n\\nHusk strømadapter.\tfaq.pdf\t',
      '\tTomt spørsmål\tEditorial\t',
    ].join('\n');
    const report = await importText('qna', tsv, '&locale=nb&dryRun=true');
    expect(report).toMatchObject({ created: 1, updated: 0 });
    expect(report.skipped.map((s) => s.row)).toEqual([4, 5]);

    await importText('qna', tsv, '&locale=nb');
    const created = bot.app.kb.list({ locale: 'nb', q: 'virker overalt' });
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      questions: ['Kan jeg ta med ruteren på ferie?', 'Ruter på hytta?'],
      answer: 'Ja, ruteren virker overalt i Norge.\n\nHusk strømadapter.',
    });
  });

  it('when a QnA Maker import has no locale, then 400', async () => {
    const response = await bot.api('/api/admin/faq/import?format=qna', {
      method: 'POST',
      headers: { 'content-type': 'text/tab-separated-values' },
      body: 'Question\tAnswer\tSource\tMetadata\nq\ta\tEditorial\t\n',
    });
    expect(response.status).toBe(400);
  });

  it('when JSON is exported, then it is the kb.json shape and imports back unchanged', async () => {
    const { response, text } = await exported('json', 'id');
    expect(response.headers.get('content-disposition')).toMatch(/filename="faq-id-.*\.json"/);
    const file = JSON.parse(text) as { entries: Partial<FaqEntry>[] };
    expect(Object.keys(file.entries[0] ?? {})).toEqual(
      expect.arrayContaining(['id', 'topic', 'locale', 'questions', 'answer', 'enabled']),
    );
    expect(file.entries[0]).not.toHaveProperty('version');
    const { report } = await importJson(file);
    expect(report).toMatchObject({ created: 0, updated: 0, unchanged: file.entries.length });
  });
});

describe('the CSV reader', () => {
  it('when cells are quoted, hold doubled quotes, commas, line breaks and a BOM, then they are read as RFC 4180 says', () => {
    expect(parseCsv('\uFEFFa,b\r\n"x, ""y""","multi\nline"\n\nlast,\r\n')).toEqual([
      ['a', 'b'],
      ['x, "y"', 'multi\nline'],
      ['last', ''],
    ]);
  });
});

/** The fields of an entry that an import file carries. */
function pick(entry: FaqEntry | undefined) {
  return { locale: entry?.locale, questions: entry?.questions, answer: entry?.answer, topic: entry?.topic };
}
