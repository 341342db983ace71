import type { Request, Server } from 'restify';
import { z } from 'zod';
import type { Logger } from '../core/logger';
import { csvFile, csvSeparatorSchema } from '../feedback/csv';
import { BREAKDOWN_DIMENSIONS, BREAKDOWN_ORDERS, MIN_RATINGS, REPORT_YEARS } from '../feedback/reports';
import type { FeedbackService } from '../feedback/service';
import { isTimeZone, nextDay, startOfLocalDay } from '../feedback/localDays';
import { localeSchema } from '../knowledge/importExport';
import { RATING_SCORES, type RatingFilter } from '../feedback/types';
import type { StaffAuth } from './auth';
import { parseBody, route } from './http';

export interface RatingRoutesDeps {
  auth: StaffAuth;
  feedback: FeedbackService;
  log: Logger;
}

const isoDay = z.iso.date();
/** A day or an instant of the years reports cover (REPORT_YEARS), as written: its first four digits. */
const isoDate = z.union([isoDay, z.iso.datetime({ offset: true })]).refine((value) => {
  const year = Date.UTC(Number(value.slice(0, 4)), 0, 1);
  return year >= REPORT_YEARS.from && year < REPORT_YEARS.until;
}, 'must be in the years 2000 to 2099');

/**
 * The report filters of the query string. `from` is inclusive and `to` exclusive; a date without a time means
 * that whole day in the time zone `tz` (an IANA name such as Europe/Oslo; UTC when absent), so
 * `from=2025-03-01&to=2025-03-31&tz=Europe/Oslo` covers all of March in Oslo. The trend counts by the days of
 * `tz` too. `locale` is one the bot serves (else 400 naming them). An empty parameter (`?locale=`, as a form
 * sends "all") is no filter.
 */
const filterSchema = z
  .object({
    from: isoDate.optional(),
    to: isoDate.optional(),
    tz: z.string().max(64).refine(isTimeZone, 'must be an IANA time zone such as Europe/Oslo').optional(),
    locale: localeSchema.optional(),
    channel: z.string().min(1).max(100).optional(),
    resolution: z.enum(['self-service', 'agent']).optional(),
    agentId: z.string().min(1).max(200).optional(),
  })
  .transform(({ from, to, tz, ...rest }, ctx): RatingFilter => {
    const timeZone = tz ?? 'UTC';
    const instant = (value: string, day: (d: string) => string) =>
      isoDay.safeParse(value).success ? startOfLocalDay(day(value), timeZone) : new Date(value);
    const start = from === undefined ? undefined : instant(from, (d) => d);
    const end = to === undefined ? undefined : instant(to, nextDay);
    if (start && end && start >= end)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    return {
      ...rest,
      ...(start ? { from: start } : {}),
      ...(end ? { to: end } : {}),
      ...(tz ? { timeZone: tz } : {}),
    };
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

const trendSchema = z.object({ bucket: z.enum(['day', 'week']).default('day') });
const breakdownSchema = z.object({
  by: z.enum(BREAKDOWN_DIMENSIONS),
  order: z.enum(BREAKDOWN_ORDERS).default('count'),
});

/**
 * The query string as an object (the last value of a repeated parameter wins), without empty parameters: an
 * empty one (`?locale=`, `?score=`, as a form sends "all") is no filter.
 */
function queryOf(req: Request): Record<string, string> {
  const params = [...new URL(req.url ?? '/', 'http://localhost').searchParams];
  return Object.fromEntries(params.filter(([, value]) => value !== ''));
}

/**
 * CSAT reports for admins: summary, trend, breakdowns (`?by=&order=count|lowest`; see lowestFirst), the latest
 * comments
 * (`/api/admin/ratings/comments?score=&limit=&offset=`, newest first) and the CSV export, with the same
 * filters (period, time zone, locale, channel, resolution, agent).
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
      const { by, order } = parseBody(breakdownSchema, query);
      const rows = await reports.breakdown(parseBody(filterSchema, query), by, order);
      res.send(200, { by, order, minRatings: MIN_RATINGS, rows });
    }),
  );

  server.get(
    '/api/admin/ratings/comments',
    route(log, async (req, res) => {
      await auth.require(req, 'admin');
      const query = queryOf(req);
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
      const query = queryOf(req);
      const { separator } = parseBody(z.object({ separator: csvSeparatorSchema }), query);
      const table = await reports.csvTable(parseBody(filterSchema, query));
      res.sendRaw(200, csvFile(table, separator), {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': 'attachment; filename="ratings.csv"',
      });
    }),
  );
}
