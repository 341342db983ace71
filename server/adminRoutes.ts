import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import type { Clock } from '../core/clock';
import { AppError } from '../core/errors';
import { cleanMarkdown, hasImages } from '../core/markdown';
import type { Logger } from '../core/logger';
import { fromRoot } from '../core/paths';
import { csvSeparatorSchema } from '../feedback/csv';
import {
  answerSchema,
  categorySchema,
  entryIdSchema,
  exportEntries,
  FAQ_LIMITS,
  faqFormats,
  followUpsSchema,
  importEntries,
  localeSchema,
  parseImport,
  questionsSchema,
} from '../knowledge/importExport';
import type { Decision, FaqInput, KnowledgeBase } from '../knowledge/store';
import type { MessageReading, Understanding } from '../language/understanding';
import { supportedLocales } from '../language/words';
import type { FaqEntry } from '../knowledge/types';
import type { Principal, StaffAuth } from './auth';
import { PAGE_ISOLATION_HEADERS, parseBody, route } from './http';

export interface AdminRouteDeps {
  auth: StaffAuth;
  kb: KnowledgeBase;
  /** The bot's reading of customer messages, which the test of a question reports next to the FAQ ranking. */
  understanding: Understanding;
  log: Logger;
  clock: Clock;
}

const IMPORT_PATH = '/api/admin/faq/import';
/** Text bodies an import accepts besides JSON. */
const TEXT_IMPORT_TYPES = ['text/csv', 'text/tsv', 'text/tab-separated-values', 'text/plain'];

/** The admin page: scripts and styles from this origin only, nothing inline, no framing. */
export const ADMIN_PAGE_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-cache',
  ...PAGE_ISOLATION_HEADERS,
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};
/** A file name of the page's folder: no path separators, no dot files. */
const assetParam = z.object({ file: z.string().regex(/^[a-z0-9][a-z0-9.-]*\.(html|js|css|svg)$/i) });

// ---- Request schemas: strict objects, strings where strings belong ---------------------------------------

const entryBody = z.strictObject({
  id: entryIdSchema.optional(),
  topic: entryIdSchema.optional(),
  locale: localeSchema,
  questions: questionsSchema,
  answer: answerSchema,
  category: categorySchema.optional(),
  followUps: followUpsSchema.optional(),
  enabled: z.boolean().optional(),
});
const updateBody = entryBody.omit({ id: true }).extend({ version: z.number().int().positive().optional() });
/** A query parameter that may be absent or empty (`?locale=` means no filter). */
const optionalParam = <S extends z.ZodType>(schema: S) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
const listQuery = z.object({
  locale: optionalParam(localeSchema),
  category: optionalParam(z.string().max(100)),
  q: optionalParam(z.string().max(300)),
});
const formatQuery = z.object({
  format: z.enum(faqFormats).default('json'),
  locale: optionalParam(localeSchema),
  dryRun: optionalParam(z.enum(['true', 'false'])),
  /** A CSV export's separator (an import finds its own). */
  separator: csvSeparatorSchema,
});
/** An answer being written: whatever text the editor accepts, also empty. */
const previewBody = z.strictObject({ answer: z.string().max(FAQ_LIMITS.answerLength) });
const testBody = z.strictObject({ text: z.string().trim().min(1).max(1000), locale: localeSchema });
const localeQuery = z.object({ locale: optionalParam(localeSchema) });
const healthQuery = z.object({ locale: localeSchema });
const resolveBody = z.strictObject({ entryId: entryIdSchema });
const tokenBody = z.strictObject({
  // Customers see the name ("Ana from our support team has joined"): no control or invisible formatting
  // characters (zero-width, direction overrides) that could disguise it.
  name: z
    .string()
    .normalize('NFC')
    .trim()
    .min(1)
    .max(100)
    .refine(
      (name) => !/[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u.test(name),
      'must not contain control or invisible characters',
    ),
  role: z.enum(['admin', 'agent']),
  /** Days the token is valid (absent: until revoked). */
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
const idParam = z.object({ id: z.string().min(1).max(200) });
/** Days the renewed token is valid (null: until revoked; absent: as long as it was valid before). */
const renewBody = z.strictObject({ expiresInDays: z.number().int().min(1).max(3650).nullable().optional() });

/** An import body is JSON (parsed by restify) or the raw text of a CSV / TSV file. */
const importBody = z.union([z.string(), z.record(z.string(), z.unknown())]);

// ---- Responses -------------------------------------------------------------------------------------------

/**
 * A note on a saved answer: saved, but not quite as written. `message` in English for API users; `code` and its
 * facts (`tags`, `count`) for the admin page, which words it in the admin's language.
 */
type SaveWarning = { row?: number; path: 'answer'; message: string } & (
  | { code: 'images-as-links' }
  | { code: 'html-removed'; tags: string[] }
  | { code: 'unsafe-links-removed'; count: number }
  | { code: 'shown-as-text' }
);

/**
 * What saving did to an answer besides keeping it (core/markdown.ts cleanMarkdown), so that the editor is never
 * surprised: HTML removed (script and style with their content), links that lost an unsafe address, a text
 * saved as plain text, and pictures saved as links named by their alt text (no customer page loads pictures
 * from other sites; a pasted help-centre article keeps its text and the link to the picture). The save goes on.
 */
function answerWarnings(answer: string | undefined, row?: number): SaveWarning[] {
  if (answer === undefined) return [];
  const { removed } = cleanMarkdown(answer);
  const at = { ...(row === undefined ? {} : { row }), path: 'answer' as const };
  // Named without angle brackets: a response never carries anything that looks like a tag.
  const tags = removed.tags.map((tag) => (tag === '!--' ? 'comments' : tag));
  return [
    ...(removed.tags.length
      ? [
          {
            ...at,
            code: 'html-removed' as const,
            tags: removed.tags,
            message: `HTML is not kept: ${tags.join(', ')} removed (script and style elements with their content).`,
          },
        ]
      : []),
    ...(removed.unsafeLinks
      ? [
          {
            ...at,
            code: 'unsafe-links-removed' as const,
            count: removed.unsafeLinks,
            message: 'Links to addresses other than web, mail or phone keep only their text.',
          },
        ]
      : []),
    ...(removed.shownAsText
      ? [
          {
            ...at,
            code: 'shown-as-text' as const,
            message: 'The answer has markup that cannot be shown safely: it was saved as plain text.',
          },
        ]
      : []),
    ...(hasImages(answer)
      ? [
          {
            ...at,
            code: 'images-as-links' as const,
            message: 'Images are not shown to customers: each was saved as a link named by its alt text.',
          },
        ]
      : []),
  ];
}

/** The saved entry, with `warnings` only when there are some. */
const withWarnings = <T extends object>(body: T, warnings: SaveWarning[]) =>
  warnings.length ? { ...body, warnings } : body;

function decisionView(decision: Decision) {
  switch (decision.kind) {
    case 'answer':
      return {
        kind: decision.kind,
        entryId: decision.best.entry.id,
        fallbackLocale: decision.fallbackLocale,
      };
    case 'clarify':
      return {
        kind: decision.kind,
        entryIds: decision.choices.map((c) => c.entry.id),
        fallbackLocale: decision.fallbackLocale,
      };
    case 'none':
      return { kind: decision.kind, bestScore: decision.bestScore };
  }
}

/** Small talk the bot's reading names by a phrase list (Understanding.message: "phrase:greeting"). */
const SMALL_TALK = ['greeting', 'about-bot'] as const;

/**
 * What the bot makes of a message before it asks the knowledge base (Understanding.message, as the router reads a
 * first message): a complaint, a request for a person, a goodbye, help or cancel (`label`, with the reading's
 * `confidence`), or, among ordinary messages, small talk the router answers itself (`smallTalk`). The admin page
 * tells from it whether a customer would reach the FAQ answer at all.
 */
function readingView(reading: MessageReading) {
  const smallTalk = SMALL_TALK.find((kind) => reading.reasons.includes(`phrase:${kind}`));
  return {
    label: reading.label,
    confidence: reading.confidence,
    ...(smallTalk === undefined ? {} : { smallTalk }),
  };
}

/** Who the history names: the token's name. */
const authorOf = (principal: Principal): string => principal.name;

/**
 * The admin API (`/api/admin/…`, admin tokens only) and the admin page (`/admin`). Needs restify's queryParser
 * and bodyParser (mapParams false) on the server; CSV and TSV import bodies are read raw (see below).
 */
export function registerAdminRoutes(server: Server, deps: AdminRouteDeps): void {
  const { auth, kb, understanding, log, clock } = deps;
  const admin = (req: Request) => auth.require(req, 'admin');
  const entryOf = (id: string): FaqEntry => {
    const entry = kb.get(id);
    if (!entry) throw AppError.notFound('That entry');
    return entry;
  };
  /** Follow-ups are other entries of the entry's own language (customers get them as buttons). */
  const checkFollowUps = (id: string | undefined, locale: string, followUps: string[] | undefined) => {
    const refused = (followUps ?? []).filter((f) => f === id || kb.get(f)?.locale !== locale);
    if (refused.length) {
      const message = `Follow-ups must be other entries in "${locale}": not ${refused.join(', ')}.`;
      throw AppError.badRequest(message, [{ path: 'followUps', message }]);
    }
  };

  /*
   * restify's bodyParser turns text/csv and TSV bodies into row objects with its own CSV dialect (backslash
   * escapes, so RFC 4180's doubled quotes fail; a comma delimiter for text/tab-separated-values). For imports
   * the parser is skipped (its documented "already parsed" flag), so the body stays the raw text that
   * bodyReader read, within the same size limit; knowledge/importExport.ts parses it.
   */
  server.pre((req: Request, _res: Response, next: () => void) => {
    if (
      req.method === 'POST' &&
      req.getPath() === IMPORT_PATH &&
      TEXT_IMPORT_TYPES.includes(req.contentType())
    ) {
      Object.assign(req, { _parsedBody: true });
    }
    next();
  });

  // ---- Entries ----
  server.get(
    '/api/admin/locales',
    route(log, async (req, res) => {
      await admin(req);
      res.send(200, { locales: supportedLocales() });
    }),
  );

  server.get(
    '/api/admin/faq',
    route(log, async (req, res) => {
      await admin(req);
      const { locale, category, q } = parseBody(listQuery, req.query ?? {});
      res.send(200, { entries: kb.list({ locale, category, q }) });
    }),
  );

  server.post(
    '/api/admin/faq',
    route(log, async (req, res) => {
      const principal = await admin(req);
      const input: FaqInput = parseBody(entryBody, req.body);
      checkFollowUps(input.id, input.locale, input.followUps);
      const entry = await kb.create(input, authorOf(principal));
      log.info({ entryId: entry.id, by: principal.id }, 'faq entry created');
      res.send(201, withWarnings(entry, answerWarnings(input.answer)));
    }),
  );

  server.get(
    '/api/admin/faq/export',
    route(log, async (req, res) => {
      await admin(req);
      const { format, locale, separator } = parseBody(formatQuery, req.query ?? {});
      const file = exportEntries(kb.list({ locale }), format, separator);
      const date = clock.now().toISOString().slice(0, 10);
      res.sendRaw(200, file.body, {
        'Content-Type': file.contentType,
        'Content-Disposition': `attachment; filename="faq-${locale ?? 'all'}-${date}.${file.extension}"`,
      });
    }),
  );

  server.post(
    IMPORT_PATH,
    route(log, async (req, res) => {
      const principal = await admin(req);
      const { format, locale, dryRun } = parseBody(formatQuery, req.query ?? {});
      const body = parseBody(importBody, req.body ?? '');
      const parsed = parseImport(format, body, locale);
      const report = await importEntries(kb, parsed, {
        by: authorOf(principal),
        dryRun: dryRun === 'true',
      });
      if (dryRun !== 'true')
        log.info({ by: principal.id, format, ...report, skipped: report.skipped.length }, 'faq import');
      const skipped = new Set(report.skipped.map((s) => s.row));
      const warnings = parsed.items
        .filter((item) => !skipped.has(item.row))
        .flatMap((item) => answerWarnings(item.answer, item.row));
      res.send(200, withWarnings({ dryRun: dryRun === 'true', ...report }, warnings));
    }),
  );

  /** The answer as a save would store it, and what the save would tell (the editor's preview). */
  server.post(
    '/api/admin/faq/preview',
    route(log, async (req, res) => {
      await admin(req);
      const { answer } = parseBody(previewBody, req.body);
      const saved = answer.trim() ? cleanMarkdown(answer).text : '';
      res.send(200, withWarnings({ answer: saved }, answer.trim() ? answerWarnings(answer) : []));
    }),
  );

  server.post(
    '/api/admin/faq/test',
    route(log, async (req, res) => {
      await admin(req);
      const { text, locale } = parseBody(testBody, req.body);
      const matches = kb.rank(text, locale, 10).map(({ entry, score }) => ({
        id: entry.id,
        score,
        locale: entry.locale,
        question: entry.questions[0] ?? '',
        category: entry.category,
      }));
      res.send(200, {
        reading: readingView(understanding.message(text, locale)),
        decision: decisionView(kb.decide(text, locale)),
        matches,
      });
    }),
  );

  server.get(
    '/api/admin/faq/:id',
    route(log, async (req, res) => {
      await admin(req);
      res.send(200, entryOf(parseBody(idParam, req.params).id));
    }),
  );

  server.put(
    '/api/admin/faq/:id',
    route(log, async (req, res) => {
      const principal = await admin(req);
      const { id } = parseBody(idParam, req.params);
      const { version, ...fields } = parseBody(updateBody, req.body);
      checkFollowUps(id, fields.locale, fields.followUps);
      // The database says whether the entry exists and has that version (404, 409), not this index.
      const entry = await kb.update(id, { ...fields, id }, authorOf(principal), version);
      log.info({ entryId: entry.id, by: principal.id }, 'faq entry updated');
      res.send(200, withWarnings(entry, answerWarnings(fields.answer)));
    }),
  );

  server.del(
    '/api/admin/faq/:id',
    route(log, async (req, res) => {
      const principal = await admin(req);
      const { id } = parseBody(idParam, req.params);
      await kb.remove(id, authorOf(principal));
      log.info({ entryId: id, by: principal.id }, 'faq entry deleted');
      res.send(204);
    }),
  );

  server.get(
    '/api/admin/faq/:id/history',
    route(log, async (req, res) => {
      await admin(req);
      const { id } = parseBody(idParam, req.params);
      const history = await kb.historyOf(id);
      if (history.length === 0 && !kb.get(id)) throw AppError.notFound('That entry');
      res.send(200, {
        history: history.map(({ action, by, at, before, after }) => ({ action, by, at, before, after })),
      });
    }),
  );

  // ---- Unanswered questions and votes ----
  server.get(
    '/api/admin/unanswered',
    route(log, async (req, res) => {
      await admin(req);
      const { locale } = parseBody(localeQuery, req.query ?? {});
      const items = await kb.unansweredList(locale);
      res.send(200, {
        unanswered: items.map(({ _id, text, locale: itemLocale, count, bestScore, firstAt, lastAt }) => ({
          id: _id,
          text,
          locale: itemLocale,
          count,
          bestScore,
          firstAt,
          lastAt,
          /** The best-ranked entry, preselected for "add to entry". */
          suggestion: kb.rank(text, itemLocale, 1)[0]?.entry.id,
        })),
      });
    }),
  );

  server.post(
    '/api/admin/unanswered/:id/resolve',
    route(log, async (req, res) => {
      const principal = await admin(req);
      const { id } = parseBody(idParam, req.params);
      const { entryId } = parseBody(resolveBody, req.body);
      const entry = await kb.resolveUnanswered(id, entryId, authorOf(principal));
      res.send(200, entry);
    }),
  );

  server.get(
    '/api/admin/votes',
    route(log, async (req, res) => {
      await admin(req);
      const votes = (await kb.votesList()).map(({ _id, helpful, notHelpful }) => {
        const entry = kb.get(_id);
        const total = helpful + notHelpful;
        return {
          entryId: _id,
          locale: entry?.locale,
          question: entry?.questions[0],
          helpful,
          notHelpful,
          helpfulShare: total === 0 ? null : helpful / total,
        };
      });
      votes.sort((a, b) => b.helpful + b.notHelpful - (a.helpful + a.notHelpful));
      res.send(200, { votes });
    }),
  );

  // ---- Knowledge-base health: entries whose example questions collide (knowledge/store.ts health()) ----
  server.get(
    '/api/admin/faq/health',
    route(log, async (req, res) => {
      await admin(req);
      const { locale } = parseBody(healthQuery, req.query ?? {});
      res.send(200, { locale, collisions: kb.health(locale) });
    }),
  );

  // ---- Staff tokens ----
  server.get(
    '/api/admin/tokens',
    route(log, async (req, res) => {
      const principal = await admin(req);
      const tokens = await auth.list();
      // `current`: the caller's own token (the admin page keeps signed in when it renews it).
      res.send(200, {
        tokens: tokens.map(({ _id, ...rest }) => ({
          id: _id,
          ...rest,
          ...(_id === principal.id ? { current: true } : {}),
        })),
      });
    }),
  );

  server.post(
    '/api/admin/tokens',
    route(log, async (req, res) => {
      const principal = await admin(req);
      const { name, role, expiresInDays } = parseBody(tokenBody, req.body);
      const issued = await auth.issue(name, role, authorOf(principal), expiresInDays);
      log.info(
        { tokenId: issued.id, role, expiresAt: issued.expiresAt, by: principal.id },
        'staff token issued',
      );
      res.send(201, issued);
    }),
  );

  server.post(
    '/api/admin/tokens/:id/renew',
    route(log, async (req, res) => {
      const principal = await admin(req);
      const { id } = parseBody(idParam, req.params);
      const { expiresInDays } = parseBody(renewBody, req.body ?? {});
      const renewed = await auth.renew(id, authorOf(principal), expiresInDays);
      log.info({ tokenId: id, expiresAt: renewed.expiresAt, by: principal.id }, 'staff token renewed');
      res.send(200, { id, ...renewed });
    }),
  );

  server.del(
    '/api/admin/tokens/:id',
    route(log, async (req, res) => {
      const principal = await admin(req);
      const { id } = parseBody(idParam, req.params);
      await auth.revoke(id);
      log.info({ tokenId: id, by: principal.id }, 'staff token revoked');
      res.send(204);
    }),
  );

  // ---- The admin page ----
  const sendFile = async (res: Response, file: string) => {
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      throw AppError.notFound('That file');
    }
    res.sendRaw(200, body, {
      ...ADMIN_PAGE_HEADERS,
      'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    });
  };
  const assetIn = (dir: string) =>
    route(log, async (req, res) => {
      const asset = assetParam.safeParse(req.params);
      if (!asset.success) throw AppError.notFound('That file');
      await sendFile(res, fromRoot(dir, asset.data.file));
    });
  const page = route(log, (_req, res) => sendFile(res, fromRoot('web/admin/index.html')));
  server.get('/admin', page);
  server.get('/admin/', page);
  server.get('/admin/:file', assetIn('web/admin'));
}
