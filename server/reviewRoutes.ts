import type { Server } from 'restify';
import { z } from 'zod';
import { AppError } from '../core/errors';
import type { Logger } from '../core/logger';
import { localeSchema } from '../knowledge/importExport';
import type { Understanding } from '../language/understanding';
import {
  isLabelOf,
  REVIEW_LABELS,
  teach,
  type ReviewItemDoc,
  type ReviewLog,
  type ReviewPageEnd,
} from '../review/log';
import type { StaffAuth } from './auth';
import { parseBody, route } from './http';

export interface ReviewRouteDeps {
  auth: StaffAuth;
  review: ReviewLog;
  understanding: Understanding;
  log: Logger;
}

const emptyIsAbsent = (value: unknown) => (value === '' ? undefined : value);
/** A page's end as the list's `next` names it: the last item's time and id ("2026-12-07T01:00:00.000Z_<id>"). */
const PAGE_END = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)_([0-9a-f]{32})$/;
const pageEnd = z
  .string()
  .regex(PAGE_END, 'Expected the "next" of the page before.')
  .transform((value): ReviewPageEnd => {
    const [, time = '', id = ''] = PAGE_END.exec(value) ?? [];
    return { createdAt: new Date(time), id };
  })
  .refine((end) => !Number.isNaN(end.createdAt.getTime()), 'Expected the "next" of the page before.');
const listQuery = z.object({
  locale: z.preprocess(emptyIsAbsent, localeSchema.optional()),
  status: z.preprocess(emptyIsAbsent, z.enum(['open', 'done']).default('open')),
  after: z.preprocess(emptyIsAbsent, pageEnd.optional()),
});
const itemParam = z.object({ id: z.string().regex(/^[0-9a-f]{32}$/) });
const labelBody = z.strictObject({ label: z.string().min(1).max(20) });
function itemView(item: ReviewItemDoc) {
  return {
    id: item._id,
    text: item.text,
    locale: item.locale,
    task: item.task,
    why: item.why,
    ...(item.detail === undefined ? {} : { detail: item.detail }),
    read: item.read,
    /** The labels an admin may give it (those of its task). */
    labels: REVIEW_LABELS[item.task],
    status: item.status,
    ...(item.label === undefined ? {} : { label: item.label }),
    createdAt: item.createdAt,
  };
}

/**
 * "Messages to review" on the admin page (review/log.ts):
 *   GET  /api/admin/review?locale=&status=open&after=   a page of the items, newest first, and `next` (the
 *                                                        `after` of the next page) while more follow (admin)
 *   POST /api/admin/review/:id/label {label}      labels an open item: kept, taught at once, item done (admin)
 *   DELETE /api/admin/review/:id/label            takes the label back (undo): item open, words no longer taught (admin)
 * Other instances hear of labels given or taken back through the labels' change feed (server/app.ts).
 */
export function registerReviewRoutes(server: Server, deps: ReviewRouteDeps): void {
  const { auth, review, understanding, log } = deps;

  server.get(
    '/api/admin/review',
    route(log, async (req, res) => {
      await auth.require(req, 'admin');
      const query = parseBody(listQuery, req.query ?? {});
      const { items, more } = await review.list(query);
      const last = items.at(-1);
      res.send(200, {
        items: items.map(itemView),
        // Where the next page starts (`?after=`), while more items follow.
        ...(more && last ? { next: `${last.createdAt.toISOString()}_${last._id}` } : {}),
      });
    }),
  );

  server.post(
    '/api/admin/review/:id/label',
    route(log, async (req, res) => {
      const principal = await auth.require(req, 'admin');
      const { id } = parseBody(itemParam, req.params);
      const { label } = parseBody(labelBody, req.body);
      const item = await review.get(id);
      if (!item) throw AppError.notFound('That message');
      if (!isLabelOf(item.task, label)) {
        throw AppError.badRequest(`"${label}" is not a label of a ${item.task} message.`, [
          { path: 'label', message: `Expected a label of task ${item.task}.` },
        ]);
      }
      if (item.status !== 'open') throw AppError.conflict('That message is labelled already.');
      const kept = await review.label(item, label, principal.name);
      if (!kept) throw AppError.conflict('That message is labelled already.');
      teach(understanding, kept);
      log.info({ itemId: id, task: item.task, label, by: principal.id }, 'message labelled');
      res.send(200, itemView({ ...item, status: 'done', label }));
    }),
  );

  server.del(
    '/api/admin/review/:id/label',
    route(log, async (req, res) => {
      const principal = await auth.require(req, 'admin');
      const { id } = parseBody(itemParam, req.params);
      const item = await review.get(id);
      if (!item) throw AppError.notFound('That message');
      const kept = await review.unlabel(item, principal.name);
      if (!kept) throw AppError.conflict('That message is not labelled.');
      teach(understanding, kept);
      log.info(
        { itemId: id, task: item.task, label: item.label, by: principal.id },
        'message label taken back',
      );
      const { label: _label, ...open } = item;
      res.send(200, itemView({ ...open, status: 'open' }));
    }),
  );
}
