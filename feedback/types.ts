import type { Doc } from '../storage/port';

/** How an episode was resolved: by the FAQ alone, or by a person. */
export type Resolution = 'self-service' | 'agent';

export const RATING_SCORES = [1, 2, 3, 4, 5] as const;
export type Score = (typeof RATING_SCORES)[number];
export const isScore = (value: number): value is Score => RATING_SCORES.some((score) => score === value);
/** One face per score (index 0 = score 1), the same in every locale: on the rating card, and read when typed. */
export const RATING_FACES = ['😞', '🙁', '😐', '🙂', '😄'] as const;

/** A survey sent at the close of an episode (`_id` is the episode id: one survey per episode, ever). */
export interface SurveyDoc extends Doc {
  episodeId: string;
  conversationId: string;
  customerId: string;
  locale: string;
  channel: string;
  resolution: Resolution;
  faqEntryId?: string;
  /** The agent who owned the case when the survey was sent (never looked up at answer time). */
  agentId?: string;
  /**
   * That agent's name when they took the case (the Teams display name, the console token's name): how the CSAT
   * reports name an agent no staff token names.
   */
  agentName?: string;
  caseId?: string;
  sentAt: Date;
  status: 'sent' | 'answered' | 'no-response';
  answeredAt?: Date;
  /** When the survey went unanswered (`no-response`): a rating typed soon after still counts (LATE_RATING_MINUTES). */
  unansweredAt?: Date;
}

/** A rating (`_id` is the episode id). Kept indefinitely. */
export interface RatingDoc extends Doc {
  conversationId: string;
  episodeId: string;
  score: Score;
  locale: string;
  channel: string;
  resolution: Resolution;
  faqEntryId?: string;
  agentId?: string;
  createdAt: Date;
  updatedAt: Date;
}

/** What a rating says about the service: its score and its episode's facts, without ids or dates. */
export type RatingFacts = Pick<
  RatingDoc,
  'score' | 'locale' | 'channel' | 'resolution' | 'faqEntryId' | 'agentId'
>;

/** The facts of a rating, copied (a report row, an anonymised rating). */
export function ratingFacts(rating: RatingFacts): RatingFacts {
  return {
    score: rating.score,
    locale: rating.locale,
    channel: rating.channel,
    resolution: rating.resolution,
    ...(rating.faqEntryId === undefined ? {} : { faqEntryId: rating.faqEntryId }),
    ...(rating.agentId === undefined ? {} : { agentId: rating.agentId }),
  };
}

/** The optional comment of a rating (`_id` is the episode id); deleted by TTL at `expiresAt`. */
export interface RatingCommentDoc extends Doc {
  episodeId: string;
  conversationId: string;
  text: string;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
}

/** Which ratings a report covers. `from` is inclusive, `to` exclusive. */
export interface RatingFilter {
  from?: Date;
  to?: Date;
  locale?: string;
  channel?: string;
  resolution?: Resolution;
  agentId?: string;
  /**
   * The IANA time zone whose days the trend counts by (`from` and `to` are instants already); UTC when
   * absent.
   */
  timeZone?: string;
}

export type Distribution = Record<`${Score}`, number>;

/**
 * The CSAT figures of a set of ratings. With no ratings, `average` and `csat` are null (not 0); with no
 * surveys sent, `responseRate` is null.
 */
export interface Summary {
  count: number;
  average: number | null;
  /** Share of ratings that are 4 or 5, 0–1. */
  csat: number | null;
  /**
   * Where the true share plausibly lies, given so few or so many ratings: the 95% Wilson score interval of
   * `csat` (null with no ratings).
   */
  csatInterval: { low: number; high: number } | null;
  /** Whether there are at least MIN_RATINGS ratings; below that the figures are too few to judge. */
  enoughRatings: boolean;
  distribution: Distribution;
  /** Share of the surveys sent in the range that were answered, 0–1. */
  responseRate: number | null;
}
