import type { Document } from 'mongodb';
import type { Collection, Database } from '../storage/port';
import { offsetSegments } from './localDays';
import {
  ratingFacts,
  RATING_SCORES,
  type Distribution,
  type RatingCommentDoc,
  type RatingDoc,
  type RatingFilter,
  type Score,
  type Summary,
  type SurveyDoc,
} from './types';

/*
 * CSAT reports. Every figure comes from one pipeline written once as MongoDB aggregation stages (MongoDB runs it
 * natively, the embedded store with mingo): documents counted per (key, value), for ratings the value being the
 * score, for surveys their status (sent, answered, no response). A summary is the case of one key for
 * everything; a trend keys by day or week; a breakdown keys by a field. The few counts that come back are turned
 * into averages and shares here.
 */

export const BREAKDOWN_DIMENSIONS = ['resolution', 'agentId', 'faqEntryId', 'locale', 'channel'] as const;
export type BreakdownDimension = (typeof BREAKDOWN_DIMENSIONS)[number];
/**
 * How breakdown rows are listed: `count`, most ratings first; `lowest`, the lowest CSAT first as the ratings can
 * tell it (see lowestFirst).
 */
export const BREAKDOWN_ORDERS = ['count', 'lowest'] as const;
export type BreakdownOrder = (typeof BREAKDOWN_ORDERS)[number];

/**
 * The fewest ratings whose figures are judged (`enoughRatings`): below five, one rating moves CSAT by more than
 * 20 points, and one unlucky rating says little about an answer or an agent.
 */
export const MIN_RATINGS = 5;
/** The normal quantile of a two-sided 95% interval. */
const Z95 = 1.959964;
export type TrendBucket = 'day' | 'week';

export interface TrendPoint extends Summary {
  /** First day of the bucket, YYYY-MM-DD (in the filter's time zone, else UTC; weeks start on Monday). */
  bucket: string;
}

export interface BreakdownRow extends Summary {
  /** The value of the dimension; null for ratings without one (e.g. no agent in self-service). */
  key: string | null;
  /** By agent: the agent's name when they last took a surveyed case (a Teams agent's display name). */
  name?: string;
}

/** Which comments a list shows: the rating filter, a score, and a page of the newest first. */
export interface CommentQuery {
  filter: RatingFilter;
  score?: Score;
  offset: number;
  limit: number;
}

/**
 * A retained comment with the facts of its rating, or of its survey when the customer gave no score (`score`
 * absent: a comment typed instead of the score, which counts as no score). `text` is customer text: show it as
 * text, never as HTML.
 */
export interface CommentRow {
  episodeId: string;
  conversationId: string;
  score?: Score;
  locale: string;
  channel: string;
  resolution: RatingDoc['resolution'];
  faqEntryId?: string;
  agentId?: string;
  text: string;
  /** When the comment was last written. */
  at: Date;
}

export interface CommentPage {
  comments: CommentRow[];
  /** Whether older matching comments follow this page. */
  more: boolean;
}

/** Comments read per round while a page is collected (comments and ratings are joined by episode id). */
const COMMENT_BATCH = 200;

/** One rating as exported, with its comment while the comment is retained. */
export interface RatingRow extends RatingDoc {
  comment?: string;
}

export const CSV_HEADER = [
  'createdAt',
  'updatedAt',
  'episodeId',
  'conversationId',
  'score',
  'locale',
  'channel',
  'resolution',
  'faqEntryId',
  'agentId',
  'comment',
] as const;

type GroupKey = string | null;

interface CountGroup {
  _id: { key?: unknown; value?: unknown };
  n: number;
}

type DateField = 'createdAt' | 'sentAt';

/** The query of a filter; ratings are dated by `createdAt`, surveys by `sentAt`. */
function matchOf(filter: RatingFilter, dateField: DateField): Document {
  const match: Document = {};
  if (filter.from || filter.to) {
    match[dateField] = {
      ...(filter.from ? { $gte: filter.from } : {}),
      ...(filter.to ? { $lt: filter.to } : {}),
    };
  }
  for (const field of ['locale', 'channel', 'resolution', 'agentId'] as const) {
    const value = filter[field];
    if (value !== undefined) match[field] = value;
  }
  return match;
}

/** A group key expression: one key for all, a field (missing → null), or a day/week of the filter's zone. */
type Key =
  { kind: 'all' } | { kind: 'field'; field: BreakdownDimension } | { kind: 'date'; unit: TrendBucket };

/**
 * The years a report's period may name (the API refuses others): a zone's offsets are looked up week by week over
 * the period, so one from year 1 to 9999 kept the process busy for seconds, every chat waiting. Also where the
 * lookup starts when the period has no start (older documents take its first offset).
 */
export const REPORT_YEARS = { from: Date.UTC(2000, 0, 1), until: Date.UTC(2100, 0, 1) } as const;
const YEAR_MS = 366 * 24 * 60 * 60 * 1000;

/**
 * The date as the wall clock of the filter's zone shows it (as if that were UTC): the date plus the zone's
 * offset at that moment, one `$switch` branch per offset change in the range.
 */
function localDate(filter: RatingFilter, dateField: DateField): unknown {
  const date = `$${dateField}`;
  if (filter.timeZone === undefined) return date;
  const start = filter.from?.getTime() ?? REPORT_YEARS.from;
  const end = Math.max(filter.to?.getTime() ?? 0, Date.now()) + YEAR_MS;
  const segments = offsetSegments(filter.timeZone, start, end);
  const last = segments[segments.length - 1]?.offset ?? 0;
  const offset =
    segments.length === 1
      ? last
      : {
          $switch: {
            branches: segments.flatMap(({ until, offset }) =>
              until === null ? [] : [{ case: { $lt: [date, until] }, then: offset }],
            ),
            default: last,
          },
        };
  return { $add: [date, offset] };
}

function keyExpression(key: Key, dateField: DateField, filter: RatingFilter): unknown {
  switch (key.kind) {
    case 'all':
      return null;
    case 'field':
      return { $ifNull: [`$${key.field}`, null] };
    case 'date':
      return {
        $dateTrunc: { date: localDate(filter, dateField), unit: key.unit, startOfWeek: 'monday' },
      };
  }
}

/**
 * Counts the matching documents per (key, `valueField`). The `$facet` returns the groups in one document; it
 * also lets the embedded store hand its documents to the stage without copying each one first.
 */
export function countPipeline(
  filter: RatingFilter,
  dateField: DateField,
  key: Key,
  valueField: string,
): Document[] {
  return [
    { $match: matchOf(filter, dateField) },
    {
      $facet: {
        groups: [
          {
            $group: {
              _id: { key: keyExpression(key, dateField, filter), value: `$${valueField}` },
              n: { $sum: 1 },
            },
          },
        ],
      },
    },
  ];
}

function groupKey(value: unknown): GroupKey {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return typeof value === 'string' ? value : null;
}

function commentRow(rating: RatingDoc, comment: RatingCommentDoc): CommentRow {
  return {
    episodeId: rating.episodeId,
    conversationId: rating.conversationId,
    ...ratingFacts(rating),
    text: comment.text,
    at: comment.updatedAt,
  };
}

/** The row of a comment whose survey has no score: the survey's facts, and no score. */
function unratedCommentRow(survey: SurveyDoc, comment: RatingCommentDoc): CommentRow {
  return {
    episodeId: survey.episodeId,
    conversationId: survey.conversationId,
    locale: survey.locale,
    channel: survey.channel,
    resolution: survey.resolution,
    ...(survey.faqEntryId === undefined ? {} : { faqEntryId: survey.faqEntryId }),
    ...(survey.agentId === undefined ? {} : { agentId: survey.agentId }),
    text: comment.text,
    at: comment.updatedAt,
  };
}

const emptyDistribution = (): Distribution => ({ '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 });

/**
 * The 95% Wilson score interval of a share of `positive` in `count` (count > 0): unlike share ± 1.96·SE it stays
 * within 0–1 and is wide for a few ratings even when all agree (1 of 1 → 21%–100%).
 */
export function wilsonInterval(positive: number, count: number): { low: number; high: number } {
  const share = positive / count;
  const z2 = Z95 * Z95;
  const centre = share + z2 / (2 * count);
  const spread = Z95 * Math.sqrt((share * (1 - share) + z2 / (4 * count)) / count);
  const scale = 1 + z2 / count;
  return { low: Math.max(0, (centre - spread) / scale), high: Math.min(1, (centre + spread) / scale) };
}

/** The figures of one key from its score counts and its survey counts. */
export function summarise(distribution: Distribution, surveys: { sent: number; answered: number }): Summary {
  const count = RATING_SCORES.reduce((sum, score) => sum + distribution[`${score}`], 0);
  const total = RATING_SCORES.reduce((sum, score) => sum + score * distribution[`${score}`], 0);
  const positive = distribution['4'] + distribution['5'];
  return {
    count,
    average: count === 0 ? null : total / count,
    csat: count === 0 ? null : positive / count,
    csatInterval: count === 0 ? null : wilsonInterval(positive, count),
    enoughRatings: count >= MIN_RATINGS,
    distribution,
    responseRate: surveys.sent === 0 ? null : surveys.answered / surveys.sent,
  };
}

/** Rows with enough ratings first, then those with too few, then those with none. */
const judgedRank = (row: Summary) => (row.enoughRatings ? 0 : row.count > 0 ? 1 : 2);

/**
 * The `lowest` order: rows with enough ratings before those with too few (and those with none last), each group
 * by the top of its CSAT interval, lowest first: how good the CSAT could plausibly be, so one unlucky rating
 * (1 of 1 low: up to 79%) ranks below an answer that many found wanting (3 of 10: up to 60%). Ties: more ratings
 * first.
 */
function lowestFirst(a: BreakdownRow, b: BreakdownRow): number {
  return (
    judgedRank(a) - judgedRank(b) ||
    (a.csatInterval?.high ?? 1) - (b.csatInterval?.high ?? 1) ||
    b.count - a.count ||
    String(a.key).localeCompare(String(b.key))
  );
}

const mostRatedFirst = (a: BreakdownRow, b: BreakdownRow) =>
  b.count - a.count || String(a.key).localeCompare(String(b.key));

export class RatingReports {
  private readonly ratings: Collection<RatingDoc>;
  private readonly surveys: Collection<SurveyDoc>;
  private readonly comments: Collection<RatingCommentDoc>;

  constructor(db: Database) {
    this.ratings = db.collection<RatingDoc>('ratings');
    this.surveys = db.collection<SurveyDoc>('surveys');
    this.comments = db.collection<RatingCommentDoc>('ratingComments');
  }

  async summary(filter: RatingFilter): Promise<Summary> {
    const groups = await this.grouped(filter, { kind: 'all' });
    return groups.get(null) ?? summarise(emptyDistribution(), { sent: 0, answered: 0 });
  }

  /** One point per day or week that has ratings or surveys, oldest first. */
  async trend(filter: RatingFilter, bucket: TrendBucket): Promise<TrendPoint[]> {
    const groups = await this.grouped(filter, { kind: 'date', unit: bucket });
    return [...groups]
      .map(([key, summary]) => ({ bucket: key ?? '', ...summary }))
      .sort((a, b) => a.bucket.localeCompare(b.bucket));
  }

  /** One row per value of the dimension in the order asked for (most ratings first); agents with their names. */
  async breakdown(
    filter: RatingFilter,
    by: BreakdownDimension,
    order: BreakdownOrder = 'count',
  ): Promise<BreakdownRow[]> {
    const groups = await this.grouped(filter, { kind: 'field', field: by });
    const names = by === 'agentId' ? await this.agentNames([...groups.keys()]) : new Map<string, string>();
    return [...groups]
      .map(([key, summary]) => {
        const name = key === null ? undefined : names.get(key);
        return { key, ...(name === undefined ? {} : { name }), ...summary };
      })
      .sort(order === 'lowest' ? lowestFirst : mostRatedFirst);
  }

  /** Each agent's name in their latest survey that has one (see SurveyDoc.agentName). */
  private async agentNames(keys: GroupKey[]): Promise<Map<string, string>> {
    const ids = keys.filter((key): key is string => key !== null);
    if (ids.length === 0) return new Map();
    const latest = await this.surveys.aggregate<{ _id: string; name: unknown }>([
      { $match: { agentId: { $in: ids }, agentName: { $type: 'string' } } },
      { $sort: { sentAt: 1 } },
      { $group: { _id: '$agentId', name: { $last: '$agentName' } } },
    ]);
    return new Map(latest.flatMap(({ _id, name }) => (typeof name === 'string' ? [[_id, name]] : [])));
  }

  /** Every rating of the filter, oldest first, with its comment while it is retained. */
  async rows(filter: RatingFilter): Promise<RatingRow[]> {
    const ratings = await this.ratings.find(matchOf(filter, 'createdAt'), { sort: { createdAt: 1, _id: 1 } });
    const comments = await this.comments.find({ _id: { $in: ratings.map((r) => r._id) } });
    const byEpisode = new Map(comments.map((c) => [c._id, c.text]));
    return ratings.map((rating) => {
      const comment = byEpisode.get(rating._id);
      return comment === undefined ? rating : { ...rating, comment };
    });
  }

  /**
   * The newest comments whose rating matches the query (`offset` matching comments skipped), with each one's
   * score, locale and answer; without a score asked for, also the comments whose survey got no score (matched by
   * the survey, dated when it was sent), which show no score. Comments are read newest first in batches and joined
   * with their ratings (and surveys), so a page costs a few reads however many ratings there are.
   */
  async latestComments(query: CommentQuery): Promise<CommentPage> {
    const match: Document = {
      ...matchOf(query.filter, 'createdAt'),
      ...(query.score === undefined ? {} : { score: query.score }),
    };
    const wanted = query.offset + query.limit;
    const found: CommentRow[] = [];
    for (let skip = 0; found.length <= wanted; skip += COMMENT_BATCH) {
      const batch = await this.comments.find(
        {},
        { sort: { updatedAt: -1, _id: 1 }, skip, limit: COMMENT_BATCH },
      );
      if (batch.length === 0) break;
      const episodes = batch.map((c) => c._id);
      const [ratings, unrated] = await Promise.all([
        this.ratings.find({ ...match, _id: { $in: episodes } }),
        query.score === undefined
          ? this.surveys.find({
              ...matchOf(query.filter, 'sentAt'),
              _id: { $in: episodes },
              status: { $in: ['sent', 'no-response'] },
            })
          : [],
      ]);
      const byEpisode = new Map(ratings.map((r) => [r._id, r]));
      const unratedByEpisode = new Map(unrated.map((survey) => [survey._id, survey]));
      for (const comment of batch) {
        const rating = byEpisode.get(comment._id);
        const survey = unratedByEpisode.get(comment._id);
        if (rating) found.push(commentRow(rating, comment));
        else if (survey) found.push(unratedCommentRow(survey, comment));
      }
      if (batch.length < COMMENT_BATCH) break;
    }
    return { comments: found.slice(query.offset, wanted), more: found.length > wanted };
  }

  /** The rows of `rows()` as CSV cells, header first (see CSV_HEADER). */
  async csvTable(filter: RatingFilter): Promise<string[][]> {
    const rows = await this.rows(filter);
    return [
      [...CSV_HEADER],
      ...rows.map((r) => [
        r.createdAt.toISOString(),
        r.updatedAt.toISOString(),
        r.episodeId,
        r.conversationId,
        String(r.score),
        r.locale,
        r.channel,
        r.resolution,
        r.faqEntryId ?? '',
        r.agentId ?? '',
        r.comment ?? '',
      ]),
    ];
  }

  private async grouped(filter: RatingFilter, key: Key): Promise<Map<GroupKey, Summary>> {
    const [scores, surveys] = await Promise.all([
      this.counts(this.ratings, countPipeline(filter, 'createdAt', key, 'score')),
      this.counts(this.surveys, countPipeline(filter, 'sentAt', key, 'status')),
    ]);
    const distributions = new Map<GroupKey, Distribution>();
    for (const group of scores) {
      const id = groupKey(group._id.key);
      const distribution = distributions.get(id) ?? emptyDistribution();
      const score = RATING_SCORES.find((s) => s === group._id.value);
      if (score !== undefined) distribution[`${score}`] += group.n;
      distributions.set(id, distribution);
    }
    const sent = new Map<GroupKey, { sent: number; answered: number }>();
    for (const group of surveys) {
      const id = groupKey(group._id.key);
      const counts = sent.get(id) ?? { sent: 0, answered: 0 };
      counts.sent += group.n;
      if (group._id.value === 'answered') counts.answered += group.n;
      sent.set(id, counts);
    }
    const keys = new Set([...distributions.keys(), ...sent.keys()]);
    return new Map(
      [...keys].map((id) => [
        id,
        summarise(distributions.get(id) ?? emptyDistribution(), sent.get(id) ?? { sent: 0, answered: 0 }),
      ]),
    );
  }

  private async counts(collection: Collection<RatingDoc> | Collection<SurveyDoc>, pipeline: Document[]) {
    const [result] = await collection.aggregate<{ groups: CountGroup[] }>(pipeline);
    return result?.groups ?? [];
  }
}
