import type { Request, Server } from 'restify';
import { z } from 'zod';
import type { Logger } from '../core/logger';
import { toCsv } from '../feedback/csv';
import { BREAKDOWN_DIMENSIONS } from '../feedback/reports';
import type { FeedbackService } from '../feedback/service';
import { RATING_SCORES, type RatingFilter } from '../feedback/types';
import type { StaffAuth } from './auth';
import { parseBody, route } from './http';

export interface RatingRoutesDeps {
  auth: StaffAuth;
  feedback: FeedbackService;
  log: Logger;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const isoDay = z.iso.date();
const isoDate = z.union([isoDay, z.iso.datetime({ offset: true })]);

/**
 * The report filters of the query string. `from` is inclusive and `to` exclusive; a date without a time
 * means that whole UTC day, so `from=2025-03-01&to=2025-03-31` covers all of March.
 */
const filterSchema = z
  .object({
    from: isoDate.optional(),
    to: isoDate.optional(),
    locale: z.string().min(1).max(35).optional(),
    channel: z.string().min(1).max(100).optional(),
    resolution: z.enum(['self-service', 'agent']).optional(),
    agentId: z.string().min(1).max(200).optional(),
  })
  .transform(({ from, to, ...rest }, ctx): RatingFilter => {
    const start =
      from === undefined ? undefined : new Date(isoDay.safeParse(from).success ? `${from}T00:00:00Z` : from);
    const end =
      to === undefined
        ? undefined
        : isoDay.safeParse(to).success
          ? new Date(Date.parse(`${to}T00:00:00Z`) + DAY_MS)
          : new Date(to);
    if (start && end && start >= end)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    return { ...rest, ...(start ? { from: start } : {}), ...(end ? { to: end } : {}) };
  });

/** The comments list: a score, and a page (at most MAX_COMMENTS) of the newest first. */
const MAX_COMMENTS = 100;
const MAX_COMMENT_OFFSET = 10_000;
const commentsSchema = z.object({
  score: z
    .enum(['1', '2', '3', '4', '5'])
    .transform((score) => RATING_SCORES[Number(score) - 1])
    .optional(),
  limit: z.coerce.number().int().min(1).max(MAX_COMMENTS).default(20),
  offset: z.coerce.number().int().min(0).max(MAX_COMMENT_OFFSET).default(0),
});
/** An empty parameter (`?score=`, as a form sends "all") is no filter. */
const withoutEmpty = (query: Record<string, string>) =>
  Object.fromEntries(Object.entries(query).filter(([, value]) => value !== ''));

const trendSchema = z.object({ bucket: z.enum(['day', 'week']).default('day') });
const breakdownSchema = z.object({ by: z.enum(BREAKDOWN_DIMENSIONS) });

/** The query string as an object (the last value of a repeated parameter wins). */
function queryOf(req: Request): Record<string, string> {
  return Object.fromEntries(new URL(req.url ?? '/', 'http://localhost').searchParams);
}

/**
 * CSAT reports for admins: summary, trend, breakdowns, the latest comments
 * (`/api/admin/ratings/comments?score=&locale=&limit=&offset=`, newest first) and the CSV export, with the same
 * filters.
 */
export function registerRatingRoutes(server: Server, { auth, feedback, log }: RatingRoutesDeps): void {
  const reports = feedback.reports;

  server.get(
    '/api/admin/ratings/summary',
    route(log, async (req, res) => {
      await auth.require(req, 'admin');
      res.send(200, await reports.summary(parseBody(filterSchema, queryOf(req))));
    }),
  );

  server.get(
    '/api/admin/ratings/trend',
    route(log, async (req, res) => {
      await auth.require(req, 'admin');
      const query = queryOf(req);
      const { bucket } = parseBody(trendSchema, query);
      res.send(200, { bucket, points: await reports.trend(parseBody(filterSchema, query), bucket) });
    }),
  );

  server.get(
    '/api/admin/ratings/breakdown',
    route(log, async (req, res) => {
      await auth.require(req, 'admin');
      const query = queryOf(req);
      const { by } = parseBody(breakdownSchema, query);
      res.send(200, { by, rows: await reports.breakdown(parseBody(filterSchema, query), by) });
    }),
  );

  server.get(
    '/api/admin/ratings/comments',
    route(log, async (req, res) => {
      await auth.require(req, 'admin');
      const query = withoutEmpty(queryOf(req));
      const { score, limit, offset } = parseBody(commentsSchema, query);
      const filter = parseBody(filterSchema, query);
      const page = await reports.latestComments({ filter, limit, offset, ...(score ? { score } : {}) });
      res.send(200, { ...page, offset, limit });
    }),
  );

  server.get(
    '/api/admin/ratings.csv',
    route(log, async (req, res) => {
      await auth.require(req, 'admin');
      const table = await reports.csvTable(parseBody(filterSchema, queryOf(req)));
      // The byte-order mark makes spreadsheet programs read the file as UTF-8 (ą, ø, emoji in comments).
      res.sendRaw(200, `\uFEFF${toCsv(table)}`, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': 'attachment; filename="ratings.csv"',
      });
    }),
  );
}
