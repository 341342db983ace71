import { createHash } from 'node:crypto';
import { daysAfter, type Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import {
  CONFIRM_LABELS,
  MESSAGE_LABELS,
  lessonKey,
  type Lesson,
  type Understanding,
} from '../language/understanding';
import { baseLocale } from '../language/words';
import {
  DuplicateKeyError,
  type ChangeFeed,
  type Collection,
  type Database,
  type Doc,
} from '../storage/port';

/**
 * "Messages to review" (issue 10, learning from use): customer messages the bot may have read wrong, listed on
 * the admin page, where one click labels each. A label is kept (collection `reviewLabels`), taught to the
 * understanding models at once — on every instance, which follow the collection ({@link ReviewLog.follow}) — and
 * passed to them again at every start. An admin may take a label back (undo): the item is listed again and the
 * words are no longer taught.
 *
 * What is listed, recorded by the dialogs through {@link ReviewRecorder}:
 * - `low-rating`: the messages of an episode rated 1 or 2 that the router read as a question (`other`);
 * - `handover`: the same, for an episode handed to a person for another reason than a detected complaint;
 * - `unread`: a reply the bot could not read at a yes/no step (task `confirm`) or at the rating (task `rating`).
 */
export type ReviewTask = 'message' | 'confirm' | 'rating';
export type ReviewWhy = 'low-rating' | 'handover' | 'unread';

/** The labels an admin may give a message, per task (`rating:none`: the message gives no score). */
export const REVIEW_LABELS = {
  message: MESSAGE_LABELS,
  confirm: CONFIRM_LABELS,
  rating: ['rating:1', 'rating:2', 'rating:3', 'rating:4', 'rating:5', 'rating:none'],
} as const satisfies Record<ReviewTask, readonly string[]>;
export type ReviewLabel = (typeof REVIEW_LABELS)[ReviewTask][number];

/** A message the router read as a question (`other`), remembered for the review list. */
export interface RouterReading {
  text: string;
  confidence: number;
}

/** One message to list, as the dialogs record it. */
export interface ReviewEntry {
  conversationId: string;
  locale: string;
  task: ReviewTask;
  text: string;
  why: ReviewWhy;
  /** For `handover`: the escalation reason; for `low-rating`: the score. */
  detail?: string;
  /** What the bot read: a label of the task (`other`, `rating:none` …) and its confidence, when it has one. */
  read: { label: ReviewLabel; confidence: number | null };
}

/** What the dialogs are given: records messages to review (never fails a customer's turn). */
export interface ReviewRecorder {
  record(entries: readonly ReviewEntry[]): Promise<void>;
}

/** Records nothing (dialogs built without a review list, e.g. in unit tests). */
export const noReview: ReviewRecorder = { record: () => Promise.resolve() };

export interface ReviewItemDoc extends Doc, ReviewEntry {
  status: 'open' | 'done';
  createdAt: Date;
  label?: ReviewLabel;
  labelledBy?: string;
  labelledAt?: Date;
  /** TTL: the item (customer text) expires with the transcripts (TRANSCRIPT_RETENTION_DAYS). */
  expiresAt: Date;
}

/** A label given by an admin: kept, and taught to the models at every start. `_id`: task, locale and text. */
export interface ReviewLabelDoc extends Doc {
  task: ReviewTask;
  locale: string;
  text: string;
  label: ReviewLabel;
  /** Who gave the label, or took it back. */
  by: string;
  at: Date;
  /** Taken back by an admin (undo): no longer taught. Absent on labels kept before undo existed. */
  revoked?: boolean;
}

/** Most items listed at once (a page; the next one starts after its last item). */
export const REVIEW_LIST_LIMIT = 200;

/** Where a page of the list ended: its last item (the list is newest first, then by id). */
export interface ReviewPageEnd {
  createdAt: Date;
  id: string;
}
/** Longest text kept for review (the router reads at most 2000 characters). */
const MAX_TEXT = 2000;

export class ReviewLog implements ReviewRecorder {
  private readonly items: Collection<ReviewItemDoc>;
  private readonly labels: Collection<ReviewLabelDoc>;

  constructor(
    db: Database,
    private readonly clock: Clock,
    private readonly retentionDays: number,
    private readonly log: Logger,
  ) {
    this.items = db.collection<ReviewItemDoc>('reviewItems');
    this.labels = db.collection<ReviewLabelDoc>('reviewLabels');
  }

  /** Lists the entries; the same text of the same conversation and task is listed once. */
  async record(entries: readonly ReviewEntry[]): Promise<void> {
    const now = this.clock.now();
    for (const entry of entries) {
      const text = entry.text.trim().slice(0, MAX_TEXT);
      if (text === '') continue;
      const locale = baseLocale(entry.locale);
      try {
        await this.items.insertOne({
          ...entry,
          _id: hash(entry.conversationId, entry.task, text),
          text,
          locale,
          status: 'open',
          createdAt: now,
          expiresAt: daysAfter(now, this.retentionDays),
        });
      } catch (err) {
        if (err instanceof DuplicateKeyError) continue;
        this.log.warn({ err, task: entry.task }, 'could not record a message to review');
      }
    }
  }

  /**
   * A page of the items of a status (and locale), newest first (items of the same time by id), at most
   * REVIEW_LIST_LIMIT, from after `after` (the end of the page before); `more` when others follow it. Items labelled
   * meanwhile leave no gap and repeat nothing: a page starts after an item, not at a count.
   */
  async list(filter: {
    status: ReviewItemDoc['status'];
    locale?: string;
    after?: ReviewPageEnd;
  }): Promise<{ items: ReviewItemDoc[]; more: boolean }> {
    const { after } = filter;
    const docs = await this.items.find(
      {
        status: filter.status,
        ...(filter.locale ? { locale: filter.locale } : {}),
        ...(after
          ? {
              $or: [
                { createdAt: { $lt: after.createdAt } },
                { createdAt: after.createdAt, _id: { $lt: after.id } },
              ],
            }
          : {}),
      },
      { sort: { createdAt: -1, _id: -1 }, limit: REVIEW_LIST_LIMIT + 1 },
    );
    return { items: docs.slice(0, REVIEW_LIST_LIMIT), more: docs.length > REVIEW_LIST_LIMIT };
  }

  get(id: string): Promise<ReviewItemDoc | null> {
    return this.items.findOne({ _id: id });
  }

  /**
   * Keeps the label of an open item and marks it done; returns the label as now kept for its words (to teach), or
   * null when the item was labelled meanwhile. The label must be one of the item's task (checked by the caller
   * with {@link isLabelOf}).
   */
  async label(item: ReviewItemDoc, label: ReviewLabel, by: string): Promise<ReviewLabelDoc | null> {
    const at = this.clock.now();
    const done = await this.items.findOneAndUpdate(
      { _id: item._id, status: 'open' },
      { $set: { status: 'done', label, labelledBy: by, labelledAt: at } },
    );
    if (!done) return null;
    return this.labels.findOneAndUpdate(
      { _id: labelId(item) },
      { $set: { task: item.task, locale: item.locale, text: item.text, label, by, at, revoked: false } },
      { upsert: true, returnDocument: 'after' },
    );
  }

  /**
   * Takes an admin's label back (undo): the item is listed again, and its words are no longer taught, unless
   * they have been labelled otherwise since (through another item with the same words), which stays. Returns the
   * label as now kept for the words (to teach or unteach), or null when the item is not labelled (any more).
   */
  async unlabel(item: ReviewItemDoc, by: string): Promise<ReviewLabelDoc | null> {
    if (item.status !== 'done' || item.label === undefined) return null;
    const reopened = await this.items.findOneAndUpdate(
      { _id: item._id, status: 'done', label: item.label },
      { $set: { status: 'open' }, $unset: { label: '', labelledBy: '', labelledAt: '' } },
    );
    if (!reopened) return null;
    await this.labels.updateOne(
      { _id: labelId(item), label: item.label, revoked: { $ne: true } },
      { $set: { revoked: true, by, at: this.clock.now() } },
    );
    return this.labels.findOne({ _id: labelId(item) });
  }

  /** Every kept label as a lesson, oldest first (for `Understanding.load` at start). */
  async lessons(): Promise<Lesson[]> {
    const labels = await this.labels.find({ revoked: { $ne: true } }, { sort: { at: 1 } });
    return labels.map(lessonOfLabel);
  }

  /**
   * Follows the kept labels: `listener` hears each label given or taken back on any instance (this one
   * included), as the label is now kept. Call before {@link lessons} at start, so that nothing given meanwhile
   * is missed (hearing a label again is harmless: {@link teach} is idempotent).
   */
  follow(listener: (label: ReviewLabelDoc) => void, onError: (error: unknown) => void): Promise<ChangeFeed> {
    return this.labels.watch((change) => {
      if (change.fullDocument) listener(change.fullDocument);
    }, onError);
  }
}

/** Teaches the understanding a label as it is now kept: taken back (revoked) or given. */
export function teach(understanding: Understanding, label: ReviewLabelDoc): void {
  if (label.revoked === true) understanding.unlearn(label);
  else understanding.learn(lessonOfLabel(label));
}

function lessonOfLabel(doc: ReviewLabelDoc): Lesson {
  return lessonOf(doc.task, doc.locale, doc.text, doc.label);
}

/** The `reviewLabels` id of an item's words. */
function labelId(item: Pick<ReviewItemDoc, 'task' | 'locale' | 'text'>): string {
  return hash(item.task, item.locale, lessonKey(item.text));
}

/** Whether `label` is a label of `task`. */
export function isLabelOf(task: ReviewTask, label: string): label is ReviewLabel {
  return (REVIEW_LABELS[task] as readonly string[]).includes(label);
}

/** The lesson an admin's label teaches. */
export function lessonOf(task: ReviewTask, locale: string, text: string, label: ReviewLabel): Lesson {
  switch (task) {
    case 'message':
      return { task, locale, text, label: MESSAGE_LABELS.find((l) => l === label) ?? 'other' };
    case 'confirm':
      return { task, locale, text, label: CONFIRM_LABELS.find((l) => l === label) ?? 'other' };
    case 'rating': {
      const score = Number(label.slice('rating:'.length));
      return {
        task,
        locale,
        text,
        label: score === 1 || score === 2 || score === 3 || score === 4 || score === 5 ? score : null,
      };
    }
  }
}

function hash(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}
