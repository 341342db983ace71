import { daysAfter, type Clock } from '../core/clock';
import { sanitizeMarkdown } from '../core/markdown';
import { redactText } from '../privacy/redact';
import { DuplicateKeyError, type Collection, type Database } from '../storage/port';
import { RatingReports } from './reports';
import { isScore, type RatingCommentDoc, type RatingDoc, type Score, type SurveyDoc } from './types';

export interface FeedbackServiceOptions {
  db: Database;
  clock: Clock;
  /** RATING_CHANGE_WINDOW_MINUTES: how long after the first rating a different score is still accepted. */
  changeWindowMinutes: number;
  /** COMMENT_RETENTION_DAYS: how long comments are kept. */
  commentRetentionDays: number;
}

/** What the bot knows when it sends the survey (the agent snapshot included). */
export type OpenSurveyInput = Omit<SurveyDoc, '_id' | 'sentAt' | 'status' | 'answeredAt'>;

export type SubmitOutcome = 'stored' | 'unchanged' | 'changed' | 'refused' | 'too-late';

/** Longest comment kept (characters); longer ones are cut. */
export const MAX_COMMENT_LENGTH = 1000;

/**
 * A comment cut to MAX_COMMENT_LENGTH characters (whole characters: an emoji is never split), as it is kept: with
 * the survey, and with the call-back a low rating asks for (the case, the follow-up and its Teams card, which Teams
 * refuses over 28 KB).
 */
export function clippedComment(text: string): string {
  return [...text].slice(0, MAX_COMMENT_LENGTH).join('').trim();
}
/**
 * How long after a survey went unanswered (a goodbye at the rating step, a question instead of a score) a message
 * that is only a rating is still taken as its answer: customers often rate just after saying goodbye.
 */
export const LATE_RATING_MINUTES = 10;
/**
 * How long after a survey a conversation gets no other survey of the bot's own (self-service): a customer who was
 * just asked is not asked again for the next question, a miss or a "no" ("one survey per conversation"). A survey
 * of a hand-over to a person (`agent`) is always sent: that help deserves its own rating.
 */
export const SURVEY_REPEAT_HOURS = 24;
const MINUTE_MS = 60_000;
/** A concurrent first submission turns an insert into an update; more retries than this mean a bug. */
const MAX_SUBMIT_ATTEMPTS = 3;

/**
 * Surveys, ratings and comments. The rules: one survey per episode, ever; only the customer of the surveyed
 * conversation rates; the same score again changes nothing; a different score only within the change window;
 * comments expire after the retention, scores never do. Reports live in `reports`.
 */
export class FeedbackService {
  readonly reports: RatingReports;
  private readonly surveys: Collection<SurveyDoc>;
  private readonly ratings: Collection<RatingDoc>;
  private readonly comments: Collection<RatingCommentDoc>;
  private readonly clock: Clock;
  private readonly changeWindowMs: number;
  private readonly commentRetentionDays: number;

  constructor(options: FeedbackServiceOptions) {
    this.surveys = options.db.collection<SurveyDoc>('surveys');
    this.ratings = options.db.collection<RatingDoc>('ratings');
    this.comments = options.db.collection<RatingCommentDoc>('ratingComments');
    this.clock = options.clock;
    this.changeWindowMs = options.changeWindowMinutes * MINUTE_MS;
    this.commentRetentionDays = options.commentRetentionDays;
    this.reports = new RatingReports(options.db);
  }

  /** Records that the survey of an episode is sent; `opened: false` when it was sent before. */
  async openSurvey(input: OpenSurveyInput): Promise<{ opened: boolean }> {
    try {
      await this.surveys.insertOne({
        _id: input.episodeId,
        episodeId: input.episodeId,
        conversationId: input.conversationId,
        customerId: input.customerId,
        locale: input.locale,
        channel: input.channel,
        resolution: input.resolution,
        ...(input.faqEntryId === undefined ? {} : { faqEntryId: input.faqEntryId }),
        ...(input.agentId === undefined ? {} : { agentId: input.agentId }),
        ...(input.agentName === undefined ? {} : { agentName: input.agentName }),
        ...(input.caseId === undefined ? {} : { caseId: input.caseId }),
        sentAt: this.clock.now(),
        status: 'sent',
      });
      return { opened: true };
    } catch (error) {
      if (error instanceof DuplicateKeyError) return { opened: false };
      throw error;
    }
  }

  /** The survey of an episode, if one was sent. */
  survey(episodeId: string): Promise<SurveyDoc | null> {
    return this.surveys.findOne({ _id: episodeId });
  }

  /** Stores the customer's score for an episode (see the class comment for the rules). */
  async submit(input: { episodeId: string; customerId: string; score: number }): Promise<SubmitOutcome> {
    const { score } = input;
    if (!isScore(score)) return 'refused';
    const survey = await this.ownSurvey(input.episodeId, input.customerId);
    if (!survey) return 'refused';
    for (let attempt = 0; attempt < MAX_SUBMIT_ATTEMPTS; attempt += 1) {
      const now = this.clock.now();
      const existing = await this.ratings.findOne({ _id: survey._id });
      if (!existing) {
        try {
          await this.ratings.insertOne(ratingOf(survey, score, now));
        } catch (error) {
          if (error instanceof DuplicateKeyError) continue;
          throw error;
        }
        await this.surveys.updateOne({ _id: survey._id }, { $set: { status: 'answered', answeredAt: now } });
        return 'stored';
      }
      if (existing.score === score) return 'unchanged';
      if (now.getTime() - existing.createdAt.getTime() >= this.changeWindowMs) return 'too-late';
      const changed = await this.ratings.updateOne(
        { _id: survey._id, score: existing.score },
        { $set: { score, updatedAt: now } },
      );
      if (changed.matchedCount === 1) return 'changed';
    }
    throw new Error(`The rating of episode ${survey._id} kept changing while it was being stored.`);
  }

  /**
   * Keeps the customer's comment on their survey (HTML removed, at most MAX_COMMENT_LENGTH characters) until the
   * retention ends; a second comment replaces the first. A comment may come before the score, or without one (the
   * customer skipped it): it is kept all the same, and counts as no score (reports count ratings). Refused for
   * another customer's survey or without text.
   */
  async comment(input: {
    episodeId: string;
    customerId: string;
    text: string;
  }): Promise<'stored' | 'refused'> {
    const survey = await this.ownSurvey(input.episodeId, input.customerId);
    const text = clippedComment(redactText(sanitizeMarkdown(input.text)));
    if (!survey || text === '') return 'refused';
    const now = this.clock.now();
    await this.comments.updateOne(
      { _id: survey._id },
      {
        $set: {
          episodeId: survey._id,
          conversationId: survey.conversationId,
          text,
          updatedAt: now,
          expiresAt: daysAfter(now, this.commentRetentionDays),
        },
        $setOnInsert: { createdAt: now },
      },
      { upsert: true },
    );
    return 'stored';
  }

  /**
   * The episode of the customer's latest survey in the conversation answered within the change window, if any (a
   * rating that may still be corrected).
   */
  async lastRatedEpisode(conversationId: string, customerId: string): Promise<string | undefined> {
    const since = new Date(this.clock.now().getTime() - this.changeWindowMs);
    const [latest] = await this.surveys.find(
      { conversationId, customerId, status: 'answered', answeredAt: { $gte: since } },
      { sort: { answeredAt: -1 }, limit: 1 },
    );
    return latest?._id;
  }

  /**
   * The episode of the conversation's latest survey when it went unanswered less than LATE_RATING_MINUTES ago (a
   * rating typed now is its late answer), if that is the customer's.
   */
  async lateRatingEpisode(conversationId: string, customerId: string): Promise<string | undefined> {
    const [latest] = await this.surveys.find({ conversationId }, { sort: { sentAt: -1 }, limit: 1 });
    if (latest?.status !== 'no-response' || latest.customerId !== customerId || !latest.unansweredAt)
      return undefined;
    const since = this.clock.now().getTime() - LATE_RATING_MINUTES * MINUTE_MS;
    return latest.unansweredAt.getTime() >= since ? latest._id : undefined;
  }

  /**
   * Whether the conversation's customers were sent a survey less than SURVEY_REPEAT_HOURS ago (answered or not), so
   * that a self-service survey now would be a second one.
   */
  async surveyedRecently(conversationId: string): Promise<boolean> {
    const since = new Date(this.clock.now().getTime() - SURVEY_REPEAT_HOURS * 60 * MINUTE_MS);
    const recent = await this.surveys.find({ conversationId, sentAt: { $gt: since } }, { limit: 1 });
    return recent.length > 0;
  }

  /** The customer was asked twice and gave no usable rating (kept so the response rate is true). */
  async markNoResponse(episodeId: string): Promise<void> {
    await this.surveys.updateOne(
      { _id: episodeId, status: 'sent' },
      { $set: { status: 'no-response', unansweredAt: this.clock.now() } },
    );
  }

  private async ownSurvey(episodeId: string, customerId: string): Promise<SurveyDoc | null> {
    const survey = await this.survey(episodeId);
    return survey && survey.customerId === customerId ? survey : null;
  }
}

/** The rating of a survey's episode: the facts of the survey (agent snapshot included) with the score. */
export function ratingOf(survey: SurveyDoc, score: Score, now: Date): RatingDoc {
  return {
    _id: survey._id,
    conversationId: survey.conversationId,
    episodeId: survey._id,
    score,
    locale: survey.locale,
    channel: survey.channel,
    resolution: survey.resolution,
    ...(survey.faqEntryId === undefined ? {} : { faqEntryId: survey.faqEntryId }),
    ...(survey.agentId === undefined ? {} : { agentId: survey.agentId }),
    createdAt: now,
    updatedAt: now,
  };
}
