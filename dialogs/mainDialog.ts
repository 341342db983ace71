import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import {
  DialogSet,
  DialogTurnStatus,
  type Dialog,
  type DialogContext,
  type DialogDependencies,
  type DialogReason,
  type DialogStateManagerConfiguration,
  type DialogTurnResult,
} from 'botbuilder-dialogs';
import type { Clock } from '../core/clock';
import { detectFrustration } from '../language/cues';
import { t } from '../locales';
import { isQuestion, type Understanding } from '../language/understanding';
import { isAboutBot, isCancel, isGreeting, isNo, isNotHelpful, isYes } from '../language/words';
import { noReview, type ReviewRecorder, type RouterReading } from '../review/log';
import type { ConversationStore, Episode } from '../storage/conversations';
import {
  ESCALATION_DIALOG,
  FAQ_DIALOG,
  FEEDBACK_DIALOG,
  MAIN_DIALOG,
  asksForPerson,
  cardAction,
  openEpisodeSeen,
  readMessage,
  setOpenEpisode,
  turnFacts,
  unsavedEpisode,
  type ChildResult,
  type EscalationOptions,
  type RerouteResult,
  type SurveyRequest,
} from './contracts';
import type { FaqDialog, FaqOptions } from './faqDialog';
import type { EscalationDialog } from './escalationDialog';
import type { FeedbackDialog } from './feedbackDialog';
import { InterruptibleDialog } from './interruptibleDialog';

/** Longest customer message the bot reads; longer ones get a polite request to shorten. */
export const MAX_MESSAGE_CHARS = 2000;

/** How long after the bot greeted a greeting is a repeat ("hello??"), answered with a short "I'm here". */
export const GREETING_REPEAT_MINUTES = 10;

/** What the router remembers between episodes of a conversation. */
export interface RouterMemory {
  /** Unanswered questions in a row. */
  misses: number;
  /** The last FAQ entry answered, for "that did not help". */
  lastEntryId?: string;
  /** The messages of an episode the router read as questions (`other`), for the review list. */
  read?: { episodeId: string; messages: RouterReading[] };
  /**
   * The conversation's last case, while what the customer writes may be for it: its saved message's follow-up,
   * or the way back they were offered to leave when its queue expired (EscalationDialog.followUp).
   */
  caseId?: string;
  /**
   * Something happened in the conversation beyond small talk (a question, a hand-over, a close): until then a wave
   * or a thumbs-up ("👋", "👍") that reads as a goodbye is a greeting, and the bot asks how it can help.
   */
  started?: boolean;
  /**
   * When the bot last greeted back (ms since the epoch): a greeting within {@link GREETING_REPEAT_MINUTES} of it
   * ("hello??" after "hello") gets a short "I'm here" (`common.stillHere`) instead of the whole greeting again.
   */
  greetedAt?: number;
}

/** Messages per episode remembered for the review list (the last ones). */
export const REVIEW_READINGS = 5;

export interface MainOptions {
  /** Start the satisfaction survey (proactive: agent resolved, inactivity). */
  survey?: SurveyRequest;
  /**
   * The message is a reply the child dialog could not read (at a yes/no or rating step, twice): routed as a new
   * message, but never recorded as an unanswered FAQ question.
   */
  unreadReply?: boolean;
  /**
   * The message to route instead of the activity's text: the question that followed a cancel in the same
   * message ("actually nvm, how do I change my plan?").
   */
  text?: string;
  /** The message is a reply the child dialog found to be a complaint (isComplaintReply): routed as one. */
  complaint?: boolean;
}

/**
 * The router's own reply to a message that is only small talk ("hi", "are you a bot?") or a bare yes or no with
 * nothing asked, if it is one.
 */
function smallTalkReply(
  text: string,
  locale: string,
): 'common.greeting' | 'common.aboutBot' | 'common.okay' | undefined {
  if (isGreeting(text, locale)) return 'common.greeting';
  if (isAboutBot(text, locale)) return 'common.aboutBot';
  if (isYes(text, locale) || isNo(text, locale)) return 'common.okay';
  return undefined;
}

/**
 * Where botbuilder-dialogs looks for the memory-scope configuration of a turn before building it anew (a tenth
 * of a simple turn's cost). The scopes are stateless, so the first turn's configuration serves every turn; if a
 * later SDK renames the key, the SDK simply builds it per turn again.
 */
const STATE_CONFIGURATION_KEY = 'DialogStateManagerConfiguration';
const REROUTED = Symbol('rerouted');

/**
 * The router, the root of the dialog stack: decides per customer message between closing (survey), a person
 * (explicit request, complaint or anger, "that did not help") and the knowledge base, and what follows each
 * child dialog's end. While a child dialog waits, help, cancel and "talk to a human" interrupt it.
 */
export class MainDialog extends InterruptibleDialog<MainOptions> implements DialogDependencies {
  private stateConfiguration: DialogStateManagerConfiguration | undefined;
  /** The root dialog set per state property: built once, so its version hash is computed once. */
  private readonly roots = new WeakMap<StatePropertyAccessor, DialogSet>();

  constructor(
    private readonly memory: StatePropertyAccessor<RouterMemory>,
    private readonly conversations: ConversationStore,
    private readonly understanding: Understanding,
    private readonly children: { faq: FaqDialog; escalation: EscalationDialog; feedback: FeedbackDialog },
    private readonly clock: Clock,
    /** The bot's name as customers see it (WEBCHAT_BOT_NAME), for "are you a bot?". */
    private readonly botName: string,
    private readonly review: ReviewRecorder = noReview,
  ) {
    super(MAIN_DIALOG);
  }

  /** The child dialogs, added to the root dialog set with this one. */
  getDependencies(): Dialog[] {
    return [this.children.faq, this.children.escalation, this.children.feedback];
  }

  /** Runs one turn of the dialog stack held in `dialogState`. */
  async run(context: TurnContext, dialogState: StatePropertyAccessor, options?: MainOptions): Promise<void> {
    if (this.stateConfiguration) context.turnState.set(STATE_CONFIGURATION_KEY, this.stateConfiguration);
    let root = this.roots.get(dialogState);
    if (!root) {
      root = new DialogSet(dialogState).add(this);
      this.roots.set(dialogState, root);
    }
    const dc = await root.createContext(context);
    this.stateConfiguration ??= dc.state.configuration;
    if (options?.survey) {
      // A customer who went quiet in the middle of a hand-over (describing the problem, giving a contact,
      // confirming) is not asked to rate: the hand-over waits for them.
      if (options.survey.resolution === 'self-service' && dc.activeDialog?.id === ESCALATION_DIALOG) return;
      await dc.cancelAllDialogs();
      await dc.beginDialog(this.id, options);
      return;
    }
    if (options?.text !== undefined) {
      await dc.cancelAllDialogs();
      await dc.beginDialog(this.id, { text: options.text });
      return;
    }
    if (dc.activeDialog) {
      if (await this.interrupt(dc)) return;
      // "fire" after a survey went unanswered, while "Did this answer your question?" waits: the late rating is
      // taken (a number is no yes or no), and the question still waits.
      const yesNo = dc.activeDialog.id === FAQ_DIALOG && this.children.faq.asksYesOrNo(dc.activeDialog);
      if (yesNo && (await this.children.feedback.onStrayRating(context, context.activity.text ?? ''))) return;
      const result = await dc.continueDialog();
      if (result.status !== DialogTurnStatus.empty) return;
    }
    await dc.beginDialog(this.id);
  }

  /** Picks what the message is: goodbye, a request for a person, a complaint, or a question. */
  override async beginDialog(dc: DialogContext, options?: MainOptions): Promise<DialogTurnResult> {
    if (options?.survey) {
      const readings = await this.takeReadings(dc.context, options.survey.episodeId);
      return dc.beginDialog(FEEDBACK_DIALOG, {
        ...options.survey,
        ...(readings.length > 0 ? { readings } : {}),
      } satisfies SurveyRequest);
    }
    const { context } = dc;
    const { locale } = turnFacts(context);
    const action = cardAction(context);
    if (action) {
      // A card pressed after its dialog ended (e.g. an old rating card): its owner handles it.
      await this.children.feedback.onStrayAction(context, action);
      return dc.endDialog();
    }
    const text = (options?.text ?? context.activity.text ?? '').trim();
    if (!text) {
      await context.sendActivity(t(locale, 'common.textOnly'));
      return dc.endDialog();
    }
    if (text.length > MAX_MESSAGE_CHARS) {
      await context.sendActivity(t(locale, 'common.tooLong'));
      return dc.endDialog();
    }
    // "oops i meant 4" after the survey, or "5" just after a goodbye skipped it: the rating is taken, whatever else
    // the words might read as.
    if (await this.children.feedback.onStrayRating(context, text)) return dc.endDialog();
    const reading = readMessage(context, this.understanding, text, locale);
    const { confidence } = reading;
    // With nothing going on, only the command itself is "cancel": "batal langganan", "anuluj umowę" (cancel my
    // subscription, my contract) are questions for the knowledge base. A reply a child dialog found to be a
    // complaint is one, however the classifier reads it alone.
    const label = options?.complaint
      ? 'complaint'
      : reading.label === 'cancel' && !isCancel(text, locale)
        ? 'other'
        : reading.label;
    if (label === 'help' || label === 'cancel') {
      await this.replyToCommand(context, label, false);
      return dc.endDialog();
    }
    const memory = await this.memory.get(context, { misses: 0 });
    switch (label) {
      case 'closing': {
        // "👋" as the first message (or after "hi"): a greeting; a conversation that has not started is not closed.
        if (!memory.started && (await this.answerSmallTalk(context, memory, text))) return dc.endDialog();
        return this.close(dc, !reading.reasons.some((r) => r.startsWith('phrase:')));
      }
      case 'human':
        // "to wszystko" in an English chat: a goodbye in another supported language, which the model misreads.
        if (reading.goodbye) return this.close(dc);
        // An angry request ("sambungin ke cs sekarang juga!!") gets the apology and the rank of its anger too.
        return this.escalate(dc, { reason: 'request', text, anger: detectFrustration(text, locale).anger });
      case 'complaint':
        if (await this.followedUp(dc, memory, text)) return dc.endDialog();
        // The anger cues only rank the case in the queue; the complaint itself is the classifier's call.
        return this.escalate(dc, { reason: 'complaint', text, anger: detectFrustration(text, locale).anger });
      case 'other':
        break;
    }
    if (await this.answerSmallTalk(context, memory, text)) return dc.endDialog();
    // After a saved message, what the customer adds joins it, but a question the knowledge base answers outright
    // is answered ("how do I reset my PIN?").
    const answerable = isQuestion(text, locale) && this.children.faq.answersOutright(text, locale);
    if (!answerable && (await this.followedUp(dc, memory, text))) return dc.endDialog();
    if (memory.lastEntryId && isNotHelpful(text, locale)) {
      return this.escalate(dc, { reason: 'not-helpful', text });
    }
    memory.started = true;
    const episode = await this.questionEpisode(dc.context);
    if (!options?.unreadReply) {
      const earlier = memory.read?.episodeId === episode.id ? memory.read.messages : [];
      memory.read = {
        episodeId: episode.id,
        messages: [...earlier, { text, confidence }].slice(-REVIEW_READINGS),
      };
    }
    return dc.beginDialog(FAQ_DIALOG, {
      text,
      misses: memory.misses,
      ...(options?.unreadReply ? { unreadReply: true } : {}),
    } satisfies FaqOptions);
  }

  /**
   * Answers a message that is only small talk or a bare yes or no (smallTalkReply), and says whether it was one. A
   * greeting within {@link GREETING_REPEAT_MINUTES} of the bot's last one gets a short "I'm here" instead.
   */
  private async answerSmallTalk(context: TurnContext, memory: RouterMemory, text: string): Promise<boolean> {
    const { locale } = turnFacts(context);
    const reply = smallTalkReply(text, locale);
    if (!reply) return false;
    const now = this.clock.now().getTime();
    const repeated =
      reply === 'common.greeting' &&
      memory.greetedAt !== undefined &&
      now - memory.greetedAt < GREETING_REPEAT_MINUTES * 60_000;
    if (reply === 'common.greeting') memory.greetedAt = now;
    await context.sendActivity(t(locale, repeated ? 'common.stillHere' : reply, { botName: this.botName }));
    return true;
  }

  /**
   * The router never waits itself. Should a saved stack still end with it (one saved by an earlier version, whose
   * router kept its children inside), the message is routed anew rather than dropped.
   */
  override continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    return dc.replaceDialog(this.id);
  }

  /**
   * Follows up on the child dialog's result (every child ends with a {@link ChildResult}): count misses, close,
   * escalate, take on a call-back, or route the reply again.
   */
  override async resumeDialog(
    dc: DialogContext,
    _reason: DialogReason,
    value?: unknown,
  ): Promise<DialogTurnResult> {
    const result = value as ChildResult | undefined;
    if (!result) return dc.endDialog(); // a child of a stack saved by an earlier version
    const memory = await this.memory.get(dc.context, { misses: 0 });
    switch (result.kind) {
      case 'missed':
        memory.misses += 1;
        return dc.endDialog();
      case 'answered':
        memory.misses = 0;
        memory.lastEntryId = result.entryId;
        return dc.endDialog();
      case 'closed':
        memory.misses = 0;
        return this.close(dc);
      case 'escalate':
        memory.misses = 0;
        return this.escalate(dc, { reason: result.reason, text: '' });
      case 'callback':
        // The survey closed the episode: the call-back is saved without opening another.
        return dc.beginDialog(ESCALATION_DIALOG, {
          reason: 'low-rating',
          rating: result.rating,
        } satisfies EscalationOptions);
      case 'reroute':
        return this.reroute(dc, result);
      case 'escalated':
        memory.caseId = result.caseId;
        return dc.endDialog();
      case 'rated': {
        if (!result.handover) return dc.endDialog();
        const text = dc.context.activity.text ?? '';
        const anger = detectFrustration(text, turnFacts(dc.context).locale).anger;
        return this.escalate(dc, { reason: result.handover, text, anger });
      }
      case 'noted':
      case 'cancelled':
        return dc.endDialog();
    }
  }

  /**
   * Closes the episode: the survey when there was one, else a goodbye. The survey rates the FAQ answer given in
   * this episode (recorded on the episode when it was sent), never one remembered from an earlier episode.
   */
  /**
   * Ends the episode with the survey. With nothing to rate, a goodbye; but praise (a thanks the model read, not a
   * goodbye phrase: "you guys are awesome", "dere er best") is thanked with the door left open, which also suits a
   * complaint the model mistook for praise ("perfect, the app crashed again").
   */
  private async close(dc: DialogContext, praise = false): Promise<DialogTurnResult> {
    const { locale, conversationId } = turnFacts(dc.context);
    const episode = await this.conversations.closeEpisode(conversationId);
    setOpenEpisode(dc.context, null);
    const readings = episode ? await this.takeReadings(dc.context, episode.id) : [];
    const { caseId } = await this.memory.get(dc.context, { misses: 0 });
    await this.memory.set(dc.context, { misses: 0, started: true });
    // A survey left unanswered moments ago (a question or a goodbye instead of a score) is not followed by a second
    // one: a score typed now still answers it (FeedbackDialog.onStrayRating).
    if (!episode || (await this.children.feedback.awaitsLateRating(dc.context))) {
      await dc.context.sendActivity(t(locale, praise ? 'common.praiseThanks' : 'common.goodbye'));
      return dc.endDialog();
    }
    // After a hand-over that ended without a person (HandoffService.endedWithoutPerson, which the inactivity survey
    // reads too), the rating is the hand-over's, with the case and no agent.
    const unanswered = caseId !== undefined && (await this.children.escalation.endedWithoutPerson(caseId));
    return dc.beginDialog(FEEDBACK_DIALOG, {
      episodeId: episode.id,
      ...(unanswered ? { resolution: 'agent', caseId } : { resolution: 'self-service' }),
      ...(episode.faqEntryId ? { faqEntryId: episode.faqEntryId } : {}),
      ...(readings.length > 0 ? { readings } : {}),
    } satisfies SurveyRequest);
  }

  /**
   * A message for the conversation's last case (a saved message's follow-up, or a way back left after its queue
   * expired): taken by the escalation dialog; the case is forgotten once it takes none.
   */
  private async followedUp(dc: DialogContext, memory: RouterMemory, text: string): Promise<boolean> {
    if (memory.caseId === undefined) return false;
    if (await this.children.escalation.followUp(dc.context, memory.caseId, text)) return true;
    delete memory.caseId;
    return false;
  }

  private async escalate(dc: DialogContext, options: EscalationOptions): Promise<DialogTurnResult> {
    const episode = await this.openEpisode(dc.context);
    await this.reviewHandover(dc.context, options.reason, episode.id);
    await this.memory.set(dc.context, { misses: 0, started: true });
    return dc.beginDialog(ESCALATION_DIALOG, options);
  }

  /** The open episode, opened now if there is none (known to the turn after the first time). */
  private async openEpisode(context: TurnContext): Promise<Episode> {
    const { conversationId } = turnFacts(context);
    // One the turn opened without writing it yet is written now: an escalation outlives the turn (an agent's
    // resolve closes the stored episode).
    const unsaved = unsavedEpisode(context);
    const episode = await this.conversations.openEpisode(
      conversationId,
      unsaved ? null : openEpisodeSeen(context),
      unsaved,
    );
    setOpenEpisode(context, episode);
    return episode;
  }

  /**
   * The episode of a question: the open one, or, when the turn knows the record has none, a new one that the
   * bot writes with the turn's last write (what the bot said), so that opening it costs no write of its own (a
   * round trip on MongoDB). The FAQ needs no more of it than its id.
   */
  private async questionEpisode(context: TurnContext): Promise<Episode> {
    const seen = openEpisodeSeen(context);
    if (seen) return seen;
    if (seen === undefined) return this.openEpisode(context);
    const episode = this.conversations.newEpisode();
    setOpenEpisode(context, episode, true);
    return episode;
  }

  /** The messages of the episode the router read as questions, forgotten once taken. */
  private async takeReadings(context: TurnContext, episodeId: string): Promise<RouterReading[]> {
    const memory = await this.memory.get(context, { misses: 0 });
    const { read } = memory;
    delete memory.read;
    return read?.episodeId === episodeId ? read.messages : [];
  }

  /**
   * A hand-over for another reason than a detected complaint: the episode's earlier messages, which the router
   * read as questions, are listed for review (one of them may have been a complaint or a request it missed).
   */
  private async reviewHandover(
    context: TurnContext,
    reason: EscalationOptions['reason'],
    episodeId: string | undefined,
  ): Promise<void> {
    const readings = episodeId === undefined ? [] : await this.takeReadings(context, episodeId);
    if (reason === 'complaint' || readings.length === 0) return;
    const { conversationId, locale } = turnFacts(context);
    await this.review.record(
      readings.map(({ text, confidence }) => ({
        conversationId,
        locale,
        task: 'message',
        text,
        why: 'handover',
        detail: reason,
        read: { label: 'other', confidence },
      })),
    );
  }

  /**
   * Routes the current message (or `text`, the question in it) again, once per turn: the reply was a new question,
   * not an answer, (`unread`) an answer the child dialog could not read twice, or (`complaint`) a complaint.
   */
  private async reroute(dc: DialogContext, result: RerouteResult): Promise<DialogTurnResult> {
    if (dc.context.turnState.get<boolean | undefined>(REROUTED)) return dc.endDialog();
    dc.context.turnState.set(REROUTED, true);
    return dc.replaceDialog(this.id, {
      ...(result.unread ? { unreadReply: true } : {}),
      ...(result.text === undefined ? {} : { text: result.text }),
      ...(result.complaint ? { complaint: true } : {}),
    } satisfies MainOptions);
  }

  protected override routeQuestion(dc: DialogContext, text: string): Promise<DialogTurnResult> {
    return dc.beginDialog(this.id, { text } satisfies MainOptions);
  }

  /** "Talk to a human" during any child dialog except the escalation itself. */
  protected override async onHumanRequested(
    dc: DialogContext,
    text: string,
    locale: string,
  ): Promise<DialogTurnResult | undefined> {
    const active = dc.activeDialog;
    if (active?.id === ESCALATION_DIALOG) return undefined;
    const inSurvey = active?.id === FEEDBACK_DIALOG;
    if (!asksForPerson(dc.context, this.understanding, text, locale, inSurvey)) return undefined;
    // A score with the request ("1 star, get me a human"): the survey stores it first, then hands over; a call-back
    // asked for at the comment step is the survey's too.
    if (inSurvey && this.children.feedback.takesBeforeRequest(active, text, locale)) return undefined;
    const episode = await this.conversations.episode(
      turnFacts(dc.context).conversationId,
      openEpisodeSeen(dc.context),
    );
    await this.reviewHandover(dc.context, 'request', episode?.id);
    await dc.cancelAllDialogs();
    const anger = detectFrustration(text, locale).anger;
    return dc.beginDialog(ESCALATION_DIALOG, { reason: 'request', text, anger } satisfies EscalationOptions);
  }
}
