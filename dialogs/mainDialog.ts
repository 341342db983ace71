import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import {
  DialogSet,
  DialogTurnStatus,
  WaterfallDialog,
  type Dialog,
  type DialogContext,
  type DialogStateManagerConfiguration,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { detectFrustration } from '../handoff/cues';
import { t } from '../locales';
import { isClosing, isHumanRequest, isNotHelpful } from '../locales/understanding';
import type { ConversationStore } from '../storage/conversations';
import {
  ESCALATION_DIALOG,
  FAQ_DIALOG,
  FEEDBACK_DIALOG,
  MAIN_DIALOG,
  cardAction,
  turnFacts,
  type CardAction,
  type EscalationOptions,
  type FeedbackOptions,
} from './contracts';
import type { FaqDialog, FaqOptions, FaqResult } from './faqDialog';
import type { FeedbackDialogResult } from './feedbackDialog';
import { InterruptibleDialog } from './interruptibleDialog';

/** Longest customer message the bot reads; longer ones get a polite request to shorten. */
export const MAX_MESSAGE_CHARS = 2000;

/** What the router remembers between episodes of a conversation. */
export interface RouterMemory {
  /** Unanswered questions in a row. */
  misses: number;
  /** The last FAQ entry answered, for "that did not help". */
  lastEntryId?: string;
}

export interface MainOptions {
  /** Start the satisfaction survey (proactive: agent resolved, inactivity). */
  survey?: FeedbackOptions;
}

const ROUTE = 'route';
/**
 * Where botbuilder-dialogs looks for the memory-scope configuration of a turn before building it anew (a tenth
 * of a simple turn's cost). The scopes are stateless, so the first turn's configuration serves every turn; if a
 * later SDK renames the key, the SDK simply builds it per turn again.
 */
const STATE_CONFIGURATION_KEY = 'DialogStateManagerConfiguration';
const REROUTED = Symbol('rerouted');

/**
 * The router: decides per customer message between closing (survey), a person (explicit request, complaint or
 * anger, "that did not help") and the knowledge base, and what follows each child dialog's end.
 */
export class MainDialog extends InterruptibleDialog {
  private stateConfiguration: DialogStateManagerConfiguration | undefined;

  constructor(
    private readonly memory: StatePropertyAccessor<RouterMemory>,
    private readonly conversations: ConversationStore,
    faq: FaqDialog,
    escalation: Dialog,
    feedback: Dialog,
    private readonly onStrayCardAction: (context: TurnContext, action: CardAction) => Promise<void>,
  ) {
    super(MAIN_DIALOG);
    this.addDialog(faq).addDialog(escalation).addDialog(feedback);
    this.addDialog(
      new WaterfallDialog<MainOptions>(ROUTE, [this.routeStep.bind(this), this.afterStep.bind(this)]),
    );
    this.initialDialogId = ROUTE;
  }

  /** Runs one turn of the dialog stack held in `dialogState`. */
  async run(context: TurnContext, dialogState: StatePropertyAccessor, options?: MainOptions): Promise<void> {
    if (this.stateConfiguration) context.turnState.set(STATE_CONFIGURATION_KEY, this.stateConfiguration);
    const dialogs = new DialogSet(dialogState);
    dialogs.add(this);
    const dc = await dialogs.createContext(context);
    this.stateConfiguration ??= dc.state.configuration;
    if (options?.survey) {
      await dc.cancelAllDialogs();
      await dc.beginDialog(this.id, options);
      return;
    }
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.id);
  }

  /** Picks what the message is: goodbye, a request for a person, a complaint, or a question. */
  private async routeStep(step: WaterfallStepContext<MainOptions>): Promise<DialogTurnResult> {
    if (step.options.survey) return step.beginDialog(FEEDBACK_DIALOG, step.options.survey);
    const { context } = step;
    const { locale, conversationId } = turnFacts(context);
    const action = cardAction(context);
    if (action) {
      // A card pressed after its dialog ended (e.g. an old rating card): its owner handles it.
      await this.onStrayCardAction(context, action);
      return step.endDialog();
    }
    const text = (context.activity.text ?? '').trim();
    if (!text) {
      await context.sendActivity(t(locale, 'common.textOnly'));
      return step.endDialog();
    }
    if (text.length > MAX_MESSAGE_CHARS) {
      await context.sendActivity(t(locale, 'common.tooLong'));
      return step.endDialog();
    }
    if (await this.replyToCommand(context, text, false)) return step.endDialog();
    const memory = await this.memory.get(context, { misses: 0 });
    if (isClosing(text, locale)) return this.close(step, memory.lastEntryId);
    if (isHumanRequest(text, locale)) return this.escalate(step, { reason: 'request', text });
    const frustration = detectFrustration(text, locale);
    if (frustration.complaint) {
      return this.escalate(step, { reason: 'complaint', text, anger: frustration.anger });
    }
    if (memory.lastEntryId && isNotHelpful(text, locale)) {
      return this.escalate(step, { reason: 'not-helpful', text });
    }
    await this.conversations.openEpisode(conversationId);
    return step.beginDialog(FAQ_DIALOG, { text, misses: memory.misses } satisfies FaqOptions);
  }

  /** Follows up on the child dialog's result: count misses, close, escalate or route the reply again. */
  private async afterStep(step: WaterfallStepContext<MainOptions>): Promise<DialogTurnResult> {
    const memory = await this.memory.get(step.context, { misses: 0 });
    const result = step.result as FaqResult | FeedbackDialogResult | undefined;
    if (!result || !('outcome' in result)) {
      return result?.reroute ? this.reroute(step) : step.endDialog();
    }
    switch (result.outcome) {
      case 'missed':
        memory.misses += 1;
        return step.endDialog();
      case 'answered':
        memory.misses = 0;
        memory.lastEntryId = result.entryId;
        return step.endDialog();
      case 'closed':
        memory.misses = 0;
        return this.close(step, result.entryId);
      case 'escalate':
        memory.misses = 0;
        return this.escalate(step, { reason: result.reason, text: '' });
      case 'reroute':
        return this.reroute(step);
    }
  }

  /** Closes the episode: the survey when there was one, else a goodbye. */
  private async close(step: WaterfallStepContext<MainOptions>, entryId?: string): Promise<DialogTurnResult> {
    const { locale, conversationId } = turnFacts(step.context);
    const episode = await this.conversations.closeEpisode(conversationId);
    await this.memory.set(step.context, { misses: 0 });
    if (!episode) {
      await step.context.sendActivity(t(locale, 'common.goodbye'));
      return step.endDialog();
    }
    const faqEntryId = episode.faqEntryId ?? entryId;
    return step.replaceDialog(FEEDBACK_DIALOG, {
      episodeId: episode.id,
      resolution: 'self-service',
      ...(faqEntryId ? { faqEntryId } : {}),
    } satisfies FeedbackOptions);
  }

  private async escalate(
    step: WaterfallStepContext<MainOptions>,
    options: EscalationOptions,
  ): Promise<DialogTurnResult> {
    await this.memory.set(step.context, { misses: 0 });
    await this.conversations.openEpisode(turnFacts(step.context).conversationId);
    return step.replaceDialog(ESCALATION_DIALOG, options);
  }

  /** Routes the current message again (once per turn): the reply was a new question, not an answer. */
  private async reroute(step: WaterfallStepContext<MainOptions>): Promise<DialogTurnResult> {
    if (step.context.turnState.get<boolean | undefined>(REROUTED)) return step.endDialog();
    step.context.turnState.set(REROUTED, true);
    return step.replaceDialog(ROUTE, {});
  }

  /** "Talk to a human" during any child dialog except the escalation itself. */
  protected override async onHumanRequested(
    inner: DialogContext,
    text: string,
    locale: string,
  ): Promise<DialogTurnResult | undefined> {
    if (!isHumanRequest(text, locale) || inner.activeDialog?.id === ESCALATION_DIALOG) return undefined;
    await inner.cancelAllDialogs();
    return inner.beginDialog(ESCALATION_DIALOG, { reason: 'request', text } satisfies EscalationOptions);
  }
}
