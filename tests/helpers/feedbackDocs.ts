import type { RatingCommentDoc, RatingDoc, SurveyDoc } from '../../feedback/types';
import type { TestBot } from './harness';

/** The scores stored for a conversation's ratings. */
export const ratingsOf = async (bot: TestBot, conversationId: string) =>
  (await bot.app.db.collection<RatingDoc>('ratings').find({ conversationId })).map((r) => r.score);

/** The comments stored for a conversation's surveys. */
export const commentsOf = async (bot: TestBot, conversationId: string) =>
  (await bot.app.db.collection<RatingCommentDoc>('ratingComments').find({ conversationId })).map(
    (c) => c.text,
  );

/** The statuses of a conversation's surveys. */
export const surveysOf = async (bot: TestBot, conversationId: string) =>
  (await bot.app.db.collection<SurveyDoc>('surveys').find({ conversationId })).map((s) => s.status);
