import { MessageFactory, type TurnContext } from 'botbuilder';
import { Dialog, type DialogContext, type DialogInstance, type DialogTurnResult } from 'botbuilder-dialogs';
import { z } from 'zod';
import {
  cardChannel,
  ratingCard,
  ratingCardContent,
  ratingThanksContent,
  RATING_SUBMIT_VERB,
} from '../cards/ratingCard';
import { clippedComment, type FeedbackService, type SubmitOutcome } from '../feedback/service';
import type { HandoffService } from '../handoff/service';
import type { Contact } from '../handoff/types';
import { contactWith } from '../language/contact';
import { isScore, RATING_SCORES } from '../feedback/types';
import { t } from '../locales';
import { clauseStart, ratingRemark, saysMoreAfterScore } from '../language/ratingParser';
import {
  isClosing,
  isCoveredBy,
  isCallBackRequest,
  isGreeting,
  isNotHelpful,
  isYes,
  localeWords,
  phraseHits,
  phrasesIn,
  tokenize,
  type LocaleWords,
} from '../language/words';
import { isQuestion, type Understanding } from '../language/understanding';
import { noReview, type ReviewEntry, type ReviewRecorder } from '../review/log';
import {
  asksForPerson,
  cardAction,
  COMPLAINT_REROUTE,
  FEEDBACK_DIALOG,
  isComplaintReply,
  readMessage,
  setInvokeResponse,
  turnFacts,
  type CardAction,
  type ExplainsStep,
  type FeedbackResult,
  type RerouteResult,
  type Score,
  type SurveyRequest,
} from './contracts';
import { DialogState } from './dialogState';
import { declined, questionPart, withButtons } from './replies';

/** Scores up to this one get an apology and the call-back offer. */
export const LOW_SCORE = 2;

const stateSchema = z.object({
  episodeId: z.string(),
  /** What the dialog waits for: the rating, an optional comment, or yes/no to a call-back. */
  step: z.enum(['rating', 'comment', 'callback']),
  /** Unusable answers at this step (the second one lets the survey go). */
  misses: z.number().int(),
  score: z.literal(RATING_SCORES).optional(),
  comment: z.string().optional(),
  /** The episode's messages the router read as questions (listed for review after a low rating). */
  readings: z.array(z.object({ text: z.string(), confidence: z.number() })).optional(),
});
type FeedbackState = z.infer<typeof stateSchema>;

/** A press names its episode and a whole score from 1 to 5, as a number or its digits (never `true` or `null`). */
const pressSchema = z.object({
  episodeId: z.string().min(1),
  score: z
    .union([
      z.number(),
      z
        .string()
        .regex(/^\s*\d\s*$/)
        .transform(Number),
    ])
    .pipe(z.number().int().min(1).max(5)),
});
type Press = z.infer<typeof pressSchema> & { via: CardAction['via'] };

/** The rating button press of a card action, if it is one (invalid data counts as none). */
function ratingPress(action: CardAction | undefined): Press | undefined {
  if (action?.verb !== RATING_SUBMIT_VERB) return undefined;
  const data = pressSchema.safeParse(action.data);
  return data.success ? { ...data.data, via: action.via } : undefined;
}

const cardResponse = (value: Record<string, unknown>) =>
  ({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value }) as const;

/**
 * The satisfaction survey at the close of an episode: the rating card (buttons, or a typed "4", "4/5",
 * "cztery", "⭐⭐⭐⭐"), then an optional comment, and for a low score the offer of a call-back from a manager.
 * Card presses arrive as `Action.Submit` messages or Teams `Action.Execute` invokes (answered with the updated
 * card). An unusable answer is asked once more; the second lets the survey go (no response) and hands the
 * message back to the main dialog (`reroute`). An accepted call-back ends the survey with `callback`: the
 * escalation dialog then asks how to reach the customer and saves it, like a message left out of hours.
 */
export class FeedbackDialog extends Dialog<SurveyRequest> implements ExplainsStep {
  private readonly state = new DialogState<FeedbackState>(FEEDBACK_DIALOG, stateSchema);

  constructor(
    private readonly feedback: FeedbackService,
    private readonly understanding: Understanding,
    private readonly review: ReviewRecorder = noReview,
    /** Takes a way back typed at the rating step for the conversation's case that expired without one. */
    private readonly handoff?: Pick<HandoffService, 'leaveContactForLast' | 'replyExpectation'>,
  ) {
    super(FEEDBACK_DIALOG);
  }

  /**
   * Sends the survey, unless this episode's survey was sent before (then ends silently) or, for a self-service
   * episode, the conversation had a survey within SURVEY_REPEAT_HOURS: then a customer's message gets the goodbye
   * instead (a proactive turn, after a silence, nothing). A hand-over's survey (`agent`) is always sent.
   */
  override async beginDialog(dc: DialogContext, options?: SurveyRequest): Promise<DialogTurnResult> {
    if (!options) throw new Error(`${FEEDBACK_DIALOG} needs SurveyRequest`);
    const facts = turnFacts(dc.context);
    if (
      options.resolution === 'self-service' &&
      (await this.feedback.surveyedRecently(facts.conversationId))
    ) {
      if (dc.context.activity.type === 'message')
        await dc.context.sendActivity(t(facts.locale, 'common.goodbye'));
      return dc.endDialog({ kind: 'rated' } satisfies FeedbackResult);
    }
    const { opened } = await this.feedback.openSurvey({ ...facts, ...options });
    if (!opened) return dc.endDialog({ kind: 'rated' } satisfies FeedbackResult);
    this.save(dc, {
      episodeId: options.episodeId,
      step: 'rating',
      misses: 0,
      ...(options.readings ? { readings: options.readings } : {}),
    });
    const card = ratingCard({
      episodeId: options.episodeId,
      locale: facts.locale,
      channel: cardChannel(facts.channel),
    });
    await dc.context.sendActivity(MessageFactory.attachment(card, t(facts.locale, 'feedback.prompt')));
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = this.load(dc);
    const action = cardAction(dc.context);
    if (action) {
      const press = ratingPress(action);
      // A rating press without a usable score (crafted: 0, 6, 4.5, null) is asked again like an unread answer.
      if (!press && action.verb === RATING_SUBMIT_VERB && state.step === 'rating')
        return this.miss(dc, state, t(turnFacts(dc.context).locale, 'feedback.askAgain'));
      if (!press) return this.letGo(dc, state, { kind: 'reroute', unread: false });
      if (press.episodeId === state.episodeId) return this.onPress(dc, state, press);
      await this.onStrayAction(dc.context, action);
      return Dialog.EndOfTurn;
    }
    const { activity } = dc.context;
    const text = activity.type === 'message' ? (activity.text ?? '').trim() : '';
    if (text === '') return Dialog.EndOfTurn;
    switch (state.step) {
      case 'rating':
        return this.onRatingText(dc, state, text);
      case 'comment':
        return this.onComment(dc, state, text);
      case 'callback':
        return this.onCallback(dc, state, text);
    }
  }

  /** "Help" at the comment step: what is asked, and that it can be skipped (the step still waits). */
  async explainStep(context: TurnContext, instance: DialogInstance): Promise<boolean> {
    if (this.state.load(instance).step !== 'comment') return false;
    const skip = t(turnFacts(context).locale, 'common.skip');
    await context.sendActivity(
      withButtons(t(turnFacts(context).locale, 'feedback.commentHelp', { skip }), [skip]),
    );
    return true;
  }

  /** Asks the current question again (after "help"). */
  override async repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    const state = this.state.load(instance);
    await context.sendActivity(this.question(turnFacts(context).locale, state));
  }

  /**
   * Whether the survey of `instance` takes `text` before a request for a person interrupts it. For the main
   * dialog. At the rating step a score ("1 star, get me a human": the request is acted on after the score is
   * stored); after a low score, a call-back phrase at the comment step (the request "yes pls call me", or the
   * comment "you said you would call me and never did") or a reply accepting the call-back with a contact
   * ("prosze dzwonic 601 234 567"): the call-back or the comment, not a person now.
   */
  takesBeforeRequest(instance: DialogInstance, text: string, locale: string): boolean {
    const state = this.state.load(instance);
    switch (state.step) {
      case 'rating':
        return this.typedScore(text, locale) !== null;
      case 'comment':
        return (state.score ?? 0) <= LOW_SCORE && isCallBackRequest(text, locale);
      case 'callback':
        return acceptsCallback(text, locale);
    }
  }

  /**
   * Whether the conversation's last survey went unanswered moments ago (LATE_RATING_MINUTES: a question or a
   * goodbye instead of a score), so that a score typed now still answers it. For the main dialog: no second
   * survey is sent meanwhile.
   */
  async awaitsLateRating(context: TurnContext): Promise<boolean> {
    const { conversationId, customerId } = turnFacts(context);
    return (await this.feedback.lateRatingEpisode(conversationId, customerId)) !== undefined;
  }

  /**
   * Answers a rating card pressed while no survey of it is running (an older card, or a change of mind after
   * the survey ended). Other card actions are not ours and are left alone. For the main dialog.
   */
  async onStrayAction(context: TurnContext, action: CardAction): Promise<void> {
    const press = ratingPress(action);
    if (!press) return;
    const outcome = await this.submit(context, press);
    if (outcome) await this.acknowledge(context, outcome, press.score, press.via);
  }

  /**
   * A rating typed while no survey waits for it, in a message that says nothing but the score ("eh, my bill is 4
   * times higher" is a question): stored and acknowledged. Says whether the message was one. For the main dialog,
   * before it reads the message otherwise.
   * - A correction after the survey ended ("oops i meant 4", "eh salah, harusnya 4", "mente 4"): the customer's
   *   latest rating in the conversation changes, while it may.
   * - Otherwise, a rating (or correction) typed just after the survey went unanswered ("bye" at the rating step,
   *   then "5", "piątka", "jednak 4"): within LATE_RATING_MINUTES it is the survey's answer.
   * A bare yes is neither, also when it reads as a score ("👍", "okay", "dobrze").
   */
  async onStrayRating(context: TurnContext, text: string): Promise<boolean> {
    const { locale, conversationId, customerId } = turnFacts(context);
    const correction = this.understanding.ratingCorrection(text, locale);
    // A misspelt number word is no stray rating: "sabtu?" (Saturday) or "piątek" is one letter from a number.
    const score = correction ?? this.understanding.rating(text, locale, false);
    if (score === null || saysMoreAfterScore(text, locale) || isYes(text, locale)) return false;
    const episodeId =
      (correction === null ? undefined : await this.feedback.lastRatedEpisode(conversationId, customerId)) ??
      (await this.feedback.lateRatingEpisode(conversationId, customerId));
    if (episodeId === undefined) return false;
    const outcome = await this.submit(context, { episodeId, score, via: 'typed' });
    if (outcome) await this.acknowledge(context, outcome, score, 'typed');
    return true;
  }

  // ---- steps ----

  /**
   * A button of this survey's card: the rating, or at a later step a change of it (the latest press is what the
   * customer means) or the same score again (a short thanks).
   */
  private async onPress(dc: DialogContext, state: FeedbackState, press: Press): Promise<DialogTurnResult> {
    const outcome = await this.submit(dc.context, press);
    if (!outcome || !isScore(press.score)) return Dialog.EndOfTurn;
    if (state.step === 'rating') return this.rated(dc, state, press.score, press.via === 'execute');
    if (outcome === 'changed') return this.changed(dc, state, press.score);
    await this.acknowledge(dc.context, outcome, press.score, press.via);
    return Dialog.EndOfTurn;
  }

  /**
   * The score changed while the survey goes on (another button of its card, "jednak 4"): thanked with the new
   * score, and the step asked again as that score asks it (the apology after a low one). At the call-back offer a
   * score above LOW_SCORE ends the survey: the offer is for a low one. A comment given stays with the survey.
   */
  private async changed(dc: DialogContext, state: FeedbackState, score: Score): Promise<DialogTurnResult> {
    const { locale } = turnFacts(dc.context);
    const thanks = t(locale, 'feedback.changed', { score });
    const next: FeedbackState = { ...state, score, misses: 0 };
    if (next.step === 'callback' && score > LOW_SCORE) {
      await dc.context.sendActivity(thanks);
      return dc.endDialog(rated(next));
    }
    this.save(dc, next);
    await dc.context.sendActivity(this.question(locale, next, thanks));
    return Dialog.EndOfTurn;
  }

  /** A typed rating, or an unusable answer. */
  private async onRatingText(
    dc: DialogContext,
    state: FeedbackState,
    text: string,
  ): Promise<DialogTurnResult> {
    const { locale } = turnFacts(dc.context);
    const saved = await this.leftContact(dc.context, text);
    if (saved !== null) {
      // The rating is asked again once: a second unusable answer lets the survey go.
      this.save(dc, { ...state, misses: 1 });
      await dc.context.sendActivity(this.question(locale, { ...state, misses: 0 }, saved));
      return Dialog.EndOfTurn;
    }
    const score = this.typedScore(text, locale);
    // A question or a complaint instead of a rating ("how do I get a refund?", "you never fixed my internet"):
    // the survey goes unanswered and the router takes the message, at once rather than after asking again.
    if (score === null && isQuestion(text, locale))
      return this.letGo(dc, state, { kind: 'reroute', unread: false });
    // A new problem, angry ("my bill is wrong and I want to complain") or calm ("regningen min er feil, den er på
    // 900 kr", "tagihan saya salah kak"): the complaint path, as at every other step a complaint reply takes.
    if (
      score === null &&
      (isComplaintReply(dc.context, this.understanding, text, locale) || reportsProblem(text, locale))
    )
      return this.letGo(dc, state, COMPLAINT_REROUTE);
    // "bye", "that's enough, thanks": the customer leaves without rating.
    if (score === null && isClosing(text, locale)) {
      await this.feedback.markNoResponse(state.episodeId);
      await dc.context.sendActivity(t(locale, 'common.goodbye'));
      return dc.endDialog(rated(state));
    }
    // The rating is declined ("skip", "no", "pomiń", "hopp over"): the survey goes unanswered (a score typed soon
    // after still answers it); a comment typed instead of the score stays, without a score.
    if (score === null && declined(text, locale)) {
      await this.feedback.markNoResponse(state.episodeId);
      const said = state.comment === undefined ? 'feedback.ratingDeclined' : 'feedback.noComment';
      await dc.context.sendActivity(t(locale, said));
      return dc.endDialog(rated(state));
    }
    // A negated score is still an answer about the rating: asked again, however often ("no nie 5").
    if (score === null && this.isNegatedScore(text, locale)) {
      await this.recordUnread(dc.context, 'rating', text, { label: 'rating:none', confidence: null });
      await dc.context.sendActivity(
        this.question(locale, { ...state, misses: 1 }, t(locale, 'feedback.askAgain')),
      );
      return Dialog.EndOfTurn;
    }
    // Words instead of the score, in reply to the rating card itself (not to "could you give me a number?").
    if (score === null && state.misses === 0 && this.isComment(dc.context, text, locale))
      return this.keepComment(dc, state, text);
    if (score === null) {
      await this.recordUnread(dc.context, 'rating', text, { label: 'rating:none', confidence: null });
      return this.miss(dc, state, t(locale, 'feedback.askAgain'));
    }
    const outcome = await this.submit(dc.context, { episodeId: state.episodeId, score, via: 'typed' });
    if (!outcome) return Dialog.EndOfTurn;
    const remark = ratingRemark(text, locale) ? text : undefined;
    if (asksForPerson(dc.context, this.understanding, text, locale, true))
      return this.handOver(dc, state, score, remark);
    return this.rated(dc, state, score, false, remark);
  }

  /**
   * An e-mail address or phone number with little else ("ok, epost: ola@example.no"), typed at the rating step
   * after the conversation's case expired without a way back (the expiry notice offered to take one): the case
   * keeps the request as a message with it, as when it is typed without a survey. Returns what the customer is
   * told (saved, and when to expect a reply), or null when the message is no such contact.
   */
  private async leftContact(context: TurnContext, text: string): Promise<string | null> {
    const contact = contactAlone(text);
    const { conversationId, locale } = turnFacts(context);
    if (!contact || !this.handoff || !(await this.handoff.leaveContactForLast(conversationId, contact)))
      return null;
    return `${t(locale, 'handoff.ticketSaved')} ${this.handoff.replyExpectation(locale)}`;
  }

  /**
   * A comment typed where the score is asked ("the agent was very kind but it took too long"): kept as the survey's
   * comment, and the score is asked for once (it may be skipped: the comment stays).
   */
  private async keepComment(
    dc: DialogContext,
    state: FeedbackState,
    text: string,
  ): Promise<DialogTurnResult> {
    const { locale, customerId } = turnFacts(dc.context);
    await this.feedback.comment({ episodeId: state.episodeId, customerId, text });
    this.save(dc, { ...state, comment: text, misses: 1 });
    const skip = t(locale, 'common.skip');
    await dc.context.sendActivity(
      withButtons(
        `${t(locale, 'feedback.commentThanks')} ${t(locale, 'feedback.scoreForComment', { skip })}`,
        [skip],
      ),
    );
    return Dialog.EndOfTurn;
  }

  /**
   * A reply at the rating step that gives no score but judges the service: at least COMMENT_MIN_WORDS words, more
   * than a greeting, with a word of praise (also negated: "not helpful") or read as thanks or a complaint by the
   * model ("the agent was very kind but it took too long"); "hmm, hard to say, we'll see" judges nothing.
   */
  private isComment(context: TurnContext, text: string, locale: string): boolean {
    if (tokenize(text).flat().length < COMMENT_MIN_WORDS || isGreeting(text, locale)) return false;
    const { label, leaning } = readMessage(context, this.understanding, text, locale);
    const { praise } = localeWords(locale);
    return (
      [label, leaning].some((read) => read === 'closing' || read === 'complaint') ||
      tokenize(text).some((clause) => phraseHits(clause, praise).length > 0)
    );
  }

  /** The score of a reply at the rating step, or null (a goodbye whose only score words are its phrases). */
  private typedScore(text: string, locale: string): Score | null {
    return this.leavesWithoutScore(text, locale) ? null : this.understanding.rating(text, locale);
  }

  /**
   * A goodbye whose only score words are part of its closing phrases ("udah cukup", "cukup kak, makasih": that's
   * enough; "have a good day"): the customer leaves, it is no score. A single word stays a score ("cukup": fair),
   * and so does a score beside the goodbye ("dobrze, dzięki", "not bad, thanks").
   */
  private leavesWithoutScore(text: string, locale: string): boolean {
    const clauses = tokenize(text);
    if (clauses.flat().length < 2 || !isClosing(text, locale)) return false;
    return this.understanding.rating(withoutPhrases(text, localeWords(locale).closing), locale) === null;
  }

  /**
   * A message that is a score written as a number and nothing else: digits or a number word of the locale, with
   * its scale, unit and filler words ("5", "4/5", "4 stars", "lima", "cztery", "fire, takk"); else null. Rating
   * words ("perfect", "super") are not: after the rating they are the customer's comment.
   */
  private scoreAlone(text: string, locale: string): Score | null {
    const words = localeWords(locale);
    const around = [words.filler, words.ratingForms.outOf, words.ratingForms.stars, SLASH];
    if (!isCoveredBy(text, numberWords(words), around)) return null;
    return this.understanding.rating(text, locale);
  }

  /** A score said with a negation before it ("nie 5", "no nie 5", "not a 5"): no score, but about the rating. */
  private isNegatedScore(text: string, locale: string): boolean {
    return this.understanding.rating(withoutPhrases(text, localeWords(locale).negation), locale) !== null;
  }

  /**
   * Thanks, then asks for an optional comment (with an apology for a low score), unless the rating came with one
   * ("5 but the wait was long": `remark`, stored as the comment, as typed) or followed one (kept and thanked
   * already: `state.comment`; with a remark as well, both are the comment).
   */
  private async rated(
    dc: DialogContext,
    state: FeedbackState,
    score: Score,
    cardSaidThanks: boolean,
    remark?: string,
  ): Promise<DialogTurnResult> {
    const { locale, customerId } = turnFacts(dc.context);
    await this.reviewLowRating(dc.context, state, score);
    const next: FeedbackState = { episodeId: state.episodeId, step: 'comment', misses: 0, score };
    // A rating with a comment is thanked once, for both.
    const thanks = cardSaidThanks
      ? undefined
      : t(locale, remark === undefined ? 'feedback.thanks' : 'feedback.thanksWithComment', { score });
    const comment = [state.comment, remark].filter((part) => part !== undefined).join('\n');
    if (comment !== '') {
      if (remark !== undefined)
        await this.feedback.comment({ episodeId: state.episodeId, customerId, text: comment });
      const sorry = score <= LOW_SCORE ? t(locale, 'feedback.sorry') : undefined;
      return this.commented(dc, next, comment, [thanks, sorry].filter(Boolean).join(' '));
    }
    this.save(dc, next);
    await dc.context.sendActivity(this.question(locale, next, thanks));
    return Dialog.EndOfTurn;
  }

  /**
   * A typed rating with a request for a person ("2 stars. this is ridiculous, get me a human", "1, mau ngomong sama
   * agen"): the score is stored (and the rest as its comment when it says more, `remark`), thanked, and the survey
   * ends with the hand-over for the router: as a complaint (with the apology) after a low score.
   */
  private async handOver(
    dc: DialogContext,
    state: FeedbackState,
    score: Score,
    remark: string | undefined,
  ): Promise<DialogTurnResult> {
    const { locale, customerId } = turnFacts(dc.context);
    await this.reviewLowRating(dc.context, state, score);
    if (remark !== undefined)
      await this.feedback.comment({ episodeId: state.episodeId, customerId, text: remark });
    await dc.context.sendActivity(t(locale, 'feedback.thanks', { score }));
    const handover = score <= LOW_SCORE ? 'complaint' : 'request';
    return dc.endDialog({ kind: 'rated', score, handover } satisfies FeedbackResult);
  }

  /** After a low score, the episode's messages the router read as questions are listed for review. */
  private async reviewLowRating(context: TurnContext, state: FeedbackState, score: Score): Promise<void> {
    if (score > LOW_SCORE || !state.readings) return;
    const { locale, conversationId } = turnFacts(context);
    await this.review.record(
      state.readings.map(({ text, confidence }) => ({
        conversationId,
        locale,
        task: 'message',
        text,
        why: 'low-rating',
        detail: String(score),
        read: { label: 'other', confidence },
      })),
    );
  }

  /**
   * Stores the comment (or takes "skip"); a low score then gets the call-back offer. A correction of the rating
   * ("actually make that 5", "jednak 4") or a score alone ("5", "lima", "cztery") changes it (within the change
   * window) and the comment is still asked; a comment with a score in it ("5 stars, quick help") is a comment.
   */
  private async onComment(dc: DialogContext, state: FeedbackState, text: string): Promise<DialogTurnResult> {
    const facts = turnFacts(dc.context);
    const { locale } = facts;
    const corrected = this.understanding.ratingCorrection(text, locale) ?? this.scoreAlone(text, locale);
    if (corrected !== null) {
      const outcome = await this.submit(dc.context, {
        episodeId: state.episodeId,
        score: corrected,
        via: 'typed',
      });
      return outcome ? this.changed(dc, state, corrected) : Dialog.EndOfTurn;
    }
    const skipped = declined(text, locale);
    if (skipped) return this.commented(dc, state, undefined, t(locale, 'feedback.noComment'));
    if (isYes(text, locale)) return this.bareYes(dc, state);
    // "yes pls call me" after a low score: the call-back; a message that says more is its comment as well. "You
    // said you would call me and never did" is a comment (the call-back is offered after it).
    const callMe = (state.score ?? 0) <= LOW_SCORE && asksToBeCalled(text, locale);
    const words = localeWords(locale);
    if (callMe && isCoveredBy(text, words.callBack, [words.filler, words.yes]))
      return this.callback(dc, state);
    await this.feedback.comment({ episodeId: state.episodeId, customerId: facts.customerId, text });
    if (callMe) return this.callback(dc, { ...state, comment: text });
    return this.commented(dc, state, text, t(locale, 'feedback.commentThanks'));
  }

  /**
   * A bare yes where the comment is asked ("what went wrong?" "yes", "boleh", "tak", "ja") says nothing: the
   * customer is asked to go ahead and write it, once; a second one goes on without a comment.
   */
  private async bareYes(dc: DialogContext, state: FeedbackState): Promise<DialogTurnResult> {
    const { locale } = turnFacts(dc.context);
    if (state.misses > 0) return this.commented(dc, state, undefined, t(locale, 'feedback.noComment'));
    this.save(dc, { ...state, misses: 1 });
    const skip = t(locale, 'common.skip');
    const goAhead = (state.score ?? 0) <= LOW_SCORE ? 'feedback.apologyGoAhead' : 'feedback.commentGoAhead';
    await dc.context.sendActivity(withButtons(t(locale, goAhead, { skip }), [skip]));
    return Dialog.EndOfTurn;
  }

  /**
   * After the comment (or none): `lead` (thanks), then for a low score the offer of a call-back; otherwise a
   * question in the comment ("3, how do I change my plan?") is answered like every question (`reroute`).
   */
  private async commented(
    dc: DialogContext,
    state: FeedbackState,
    comment: string | undefined,
    lead: string,
  ): Promise<DialogTurnResult> {
    if ((state.score ?? 0) > LOW_SCORE) {
      await dc.context.sendActivity(lead);
      const question =
        comment === undefined ? undefined : questionPart(comment, turnFacts(dc.context).locale);
      if (question)
        return dc.endDialog({ kind: 'reroute', unread: false, text: question } satisfies RerouteResult);
      return dc.endDialog(rated(state));
    }
    const next: FeedbackState = {
      ...state,
      step: 'callback',
      misses: 0,
      ...(comment === undefined ? {} : { comment }),
    };
    this.save(dc, next);
    await dc.context.sendActivity(this.question(turnFacts(dc.context).locale, next, lead));
    return Dialog.EndOfTurn;
  }

  /**
   * Yes, or a reply that accepts the call-back otherwise ("email me at jo@example.com", "ring meg på 41 23 45 67":
   * the escalation dialog takes that contact): the survey ends with the call-back; no: thanks.
   */
  private async onCallback(dc: DialogContext, state: FeedbackState, text: string): Promise<DialogTurnResult> {
    const { locale } = turnFacts(dc.context);
    const { answer, confidence } = this.understanding.confirm(text, locale);
    if (answer === 'yes' || (answer !== 'no' && acceptsCallback(text, locale)))
      return this.callback(dc, state);
    if (answer === 'no') {
      await dc.context.sendActivity(t(locale, 'feedback.callbackDeclined'));
      return dc.endDialog(rated(state));
    }
    await this.recordUnread(dc.context, 'confirm', text, { label: 'other', confidence });
    return this.miss(dc, state, t(locale, 'feedback.callbackAgain'));
  }

  /** The survey ends with the call-back (score and comment) for the escalation dialog to take on. */
  private async callback(dc: DialogContext, state: FeedbackState): Promise<DialogTurnResult> {
    if (state.score === undefined) return dc.endDialog(rated(state));
    const rating = {
      score: state.score,
      ...(state.comment === undefined ? {} : { comment: clippedComment(state.comment) }),
    };
    return dc.endDialog({ kind: 'callback', rating } satisfies FeedbackResult);
  }

  /** The first unusable answer asks again; the second lets go. */
  private async miss(dc: DialogContext, state: FeedbackState, again: string): Promise<DialogTurnResult> {
    if (state.misses > 0) return this.letGo(dc, state, { kind: 'reroute', unread: true });
    const next = { ...state, misses: 1 };
    this.save(dc, next);
    await dc.context.sendActivity(this.question(turnFacts(dc.context).locale, next, again));
    return Dialog.EndOfTurn;
  }

  /**
   * Ends the survey and hands this turn back to the main dialog as `reroute` says (`unread`: the message was an
   * answer it could not read; `complaint`: a complaint reply); an unanswered rating is recorded as such.
   */
  private async letGo(
    dc: DialogContext,
    state: FeedbackState,
    reroute: RerouteResult,
  ): Promise<DialogTurnResult> {
    if (state.step === 'rating') await this.feedback.markNoResponse(state.episodeId);
    return dc.endDialog(reroute);
  }

  // ---- helpers ----

  /** Lists a reply the survey could not read for review. */
  private recordUnread(
    context: TurnContext,
    task: ReviewEntry['task'],
    text: string,
    read: ReviewEntry['read'],
  ): Promise<void> {
    const { conversationId, locale } = turnFacts(context);
    return this.review.record([{ conversationId, locale, task, text, why: 'unread', read }]);
  }

  /**
   * Submits a score for the customer of this turn. A refused or too late press is answered here (politely,
   * and in Teams with the card left as it was); otherwise a Teams press gets the "thanks" card in place.
   */
  private async submit(
    context: TurnContext,
    press: { episodeId: string; score: number; via: Press['via'] | 'typed' },
  ): Promise<Exclude<SubmitOutcome, 'refused' | 'too-late'> | undefined> {
    const { customerId, locale } = turnFacts(context);
    const outcome = await this.feedback.submit({
      episodeId: press.episodeId,
      customerId,
      score: press.score,
    });
    if (outcome === 'refused' || outcome === 'too-late') {
      if (press.via === 'execute') {
        setInvokeResponse(
          context,
          cardResponse(ratingCardContent({ episodeId: press.episodeId, locale, channel: 'msteams' })),
        );
      }
      await context.sendActivity(
        t(locale, outcome === 'refused' ? 'feedback.notYourSurvey' : 'feedback.tooLate'),
      );
      return undefined;
    }
    if (press.via === 'execute')
      setInvokeResponse(context, cardResponse(ratingThanksContent({ locale, score: press.score })));
    return outcome;
  }

  /**
   * Tells the customer what their score did: a change in words on every channel ("your rating is now 2/5"); a
   * first or repeated score is thanked by the Teams card itself (`execute`), elsewhere in words.
   */
  private async acknowledge(
    context: TurnContext,
    outcome: SubmitOutcome,
    score: number,
    via: Press['via'] | 'typed',
  ): Promise<void> {
    if (outcome !== 'changed' && via === 'execute') return;
    const { locale } = turnFacts(context);
    await context.sendActivity(
      t(locale, outcome === 'changed' ? 'feedback.changed' : 'feedback.thanks', { score }),
    );
  }

  /** The question of the current step as a message with its buttons, optionally after a lead-in. */
  private question(locale: string, state: FeedbackState, lead?: string) {
    const text = [lead, this.questionText(locale, state)].filter(Boolean).join(' ');
    switch (state.step) {
      case 'rating':
        return MessageFactory.text(text);
      case 'comment':
        return withButtons(text, [t(locale, 'common.skip')]);
      case 'callback':
        return withButtons(text, [t(locale, 'common.yes'), t(locale, 'common.no')]);
    }
  }

  private questionText(locale: string, state: FeedbackState): string {
    switch (state.step) {
      case 'rating':
        return state.misses > 0 ? '' : t(locale, 'feedback.prompt');
      case 'comment':
        return t(locale, (state.score ?? 0) <= LOW_SCORE ? 'feedback.apology' : 'feedback.commentOffer');
      case 'callback':
        return state.misses > 0 ? '' : t(locale, 'feedback.callbackOffer');
    }
  }

  private load(dc: DialogContext): FeedbackState {
    return this.state.load(dc.activeDialog);
  }

  private save(dc: DialogContext, state: FeedbackState): void {
    this.state.save(dc.activeDialog, state);
  }
}

/** Words beside an e-mail address or phone number that still leave it a message giving it ("ok, my email is"). */
const MAX_WORDS_BESIDE_CONTACT = 4;

/** The e-mail address and/or phone number a message gives with little else, or null. */
function contactAlone(text: string): Contact | null {
  return contactWith(text, MAX_WORDS_BESIDE_CONTACT);
}

/**
 * A reply that accepts the call-back without a yes: a request to be called ("call me", "hubungi saya") or an
 * e-mail address or phone number with little else ("email aja ya: budi@contoh.id").
 */
function acceptsCallback(text: string, locale: string): boolean {
  return isCallBackRequest(text, locale) || contactAlone(text) !== null;
}

const leadLists = new WeakMap<LocaleWords, string[]>();
/** Filler and yes words, which may come before a request ("yes pls call me"), in one list (cached per locale). */
function leadWords(words: LocaleWords): string[] {
  let list = leadLists.get(words);
  if (!list) {
    list = [...words.filler, ...words.yes];
    leadLists.set(words, list);
  }
  return list;
}

/**
 * A request to be called that opens a clause, after filler and yes words ("yes pls call me", "call me back, the
 * app still fails"). Inside a clause a call-back phrase tells what was said or promised ("you said you would call
 * me and never did"): no request.
 */
function asksToBeCalled(text: string, locale: string): boolean {
  if (!isCallBackRequest(text, locale)) return false;
  const words = localeWords(locale);
  return tokenize(text).some((clause) => {
    const start = clauseStart(clause, leadWords(words));
    return phraseHits(clause, words.callBack).some((hit) => hit.start <= start);
  });
}

/** Words from which a reply at the rating step that gives no score is a comment, or a new problem. */
const COMMENT_MIN_WORDS = 3;

const faultLists = new WeakMap<LocaleWords, string[]>();
/** The locale's faults and calm reports ("wrong", "salah", "feil", "not working"), in one list (cached per locale). */
function faultWords(words: LocaleWords): string[] {
  let list = faultLists.get(words);
  if (!list) {
    list = [...words.faults, ...words.calmReports];
    faultLists.set(words, list);
  }
  return list;
}

/**
 * A reply at the rating step that reports a new problem instead of judging the help: at least COMMENT_MIN_WORDS
 * words naming a fault, not negated ("my bill is wrong, it says 900 instead of 90", "w sumie to faktura jest zla",
 * "tagihan saya salah kak"), with no praise, no staff and no "that did not help" ("the agent was kind but the answer
 * was wrong" is a comment). Such a calm report carries no anger cue, which {@link isComplaintReply} needs, and
 * judges nothing, which a comment does.
 */
function reportsProblem(text: string, locale: string): boolean {
  const clauses = tokenize(text);
  if (clauses.flat().length < COMMENT_MIN_WORDS || isNotHelpful(text, locale)) return false;
  const words = localeWords(locale);
  const aboutHelp = clauses.some(
    (clause) => phraseHits(clause, words.praise).length > 0 || phraseHits(clause, words.staff).length > 0,
  );
  return !aboutHelp && phrasesIn(text, faultWords(words), locale).length > 0;
}

/** The scale's "/" ("4/5"), a token of its own (language/words.ts). */
const SLASH = ['/'];

const numberLists = new WeakMap<LocaleWords, string[]>();
/** The scores 1–5 as digits and as the locale's number words, in one list (cached per locale). */
function numberWords(words: LocaleWords): string[] {
  let list = numberLists.get(words);
  if (!list) {
    list = RATING_SCORES.flatMap((score) => [String(score), ...words.numbers[score]]);
    numberLists.set(words, list);
  }
  return list;
}

/** The survey is over: with the customer's score when they gave one. */
function rated(state: FeedbackState): FeedbackResult {
  return { kind: 'rated', ...(state.score === undefined ? {} : { score: state.score }) };
}

/** The message without the phrases of `list` (clause by clause; tokens folded), for reading what remains. */
function withoutPhrases(text: string, list: readonly string[]): string {
  return tokenize(text)
    .map((clause) => {
      const hits = phraseHits(clause, list);
      return clause.filter((_token, at) => !hits.some((hit) => at >= hit.start && at < hit.end)).join(' ');
    })
    .join(', ');
}
