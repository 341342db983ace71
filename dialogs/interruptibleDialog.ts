import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { TurnContext } from 'botbuilder';
import { t } from '../locales';
import { isHelp } from '../language/words';
import { ESCALATION_DIALOG, explainsStep, turnFacts } from './contracts';
import { cancelledReply, changeOfMind } from './replies';

/** A message of nothing but question marks ("?", "??"): the customer asks what is wanted of them. */
const ONLY_QUESTION_MARKS = /^[\s?？¿]+$/u;

/**
 * The base of the root dialog: "help" and "cancel" work at any step of any child dialog (the role of core-bot's
 * CancelAndHelpDialog). "Talk to a human" is an interruption too; what it starts is the subclass's business
 * (`onHumanRequested`).
 *
 * The root dialog and its children share one dialog stack (`[root, child]`), rather than the children living
 * in a ComponentDialog's inner stack: the root checks for an interruption before the active child continues.
 * A component would build a second dialog context with its own memory scopes on every turn, about a third of
 * a simple turn's cost.
 */
export abstract class InterruptibleDialog<O extends object> extends Dialog<O> {
  /**
   * Handles help / cancel / human for the active child; says whether the message was one of them. Help ("help",
   * "?") at a step that explains itself (ExplainsStep) gets that explanation instead of the general help. A cancel
   * followed by a question ("actually nvm, how do I change my plan?") stops the child and the question is
   * routed as a new message.
   */
  protected async interrupt(dc: DialogContext): Promise<boolean> {
    const { activity } = dc.context;
    if (activity.type !== 'message' || !activity.text) return false;
    const { locale } = turnFacts(dc.context);
    const text = activity.text;
    // During a child dialog only commands interrupt ("cancel", "pomoc", "ok never mind, …"): a comment or an
    // answer that merely sounds like one is the child's.
    if (isHelp(text, locale) || ONLY_QUESTION_MARKS.test(text)) {
      const child = dc.activeDialog && dc.findDialog(dc.activeDialog.id);
      if (dc.activeDialog && explainsStep(child) && (await child.explainStep(dc.context, dc.activeDialog)))
        return true;
      await this.replyToCommand(dc.context, 'help', true);
      await dc.repromptDialog();
      return true;
    }
    const cancel = changeOfMind(text, locale);
    if (cancel) {
      const handover = dc.activeDialog?.id === ESCALATION_DIALOG;
      await dc.cancelAllDialogs();
      await dc.context.sendActivity(
        cancelledReply(locale, handover ? 'handover' : 'step', cancel.rest !== ''),
      );
      if (cancel.rest) await this.routeQuestion(dc, cancel.rest);
      return true;
    }
    return (await this.onHumanRequested(dc, text, locale)) !== undefined;
  }

  /** Answers "help" or "cancel" in the customer's language. */
  protected async replyToCommand(
    context: TurnContext,
    command: 'help' | 'cancel',
    dialogActive: boolean,
  ): Promise<void> {
    const { locale } = turnFacts(context);
    if (command === 'help') await context.sendActivity(t(locale, 'common.help'));
    else await context.sendActivity(t(locale, dialogActive ? 'common.cancelled' : 'common.nothingToCancel'));
  }

  /** Routes `text` (what followed a cancel in the customer's message) as a new message. */
  protected abstract routeQuestion(dc: DialogContext, text: string): Promise<DialogTurnResult>;

  /** Returns a result when `text` asks for a person and the subclass acted on it. */
  protected abstract onHumanRequested(
    dc: DialogContext,
    text: string,
    locale: string,
  ): Promise<DialogTurnResult | undefined>;
}
