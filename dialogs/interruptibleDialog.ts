import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { TurnContext } from 'botbuilder';
import { t } from '../locales';
import { isCancel, isHelp } from '../language/words';
import { turnFacts } from './contracts';

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
  /** Handles help / cancel / human for the active child; says whether the message was one of them. */
  protected async interrupt(dc: DialogContext): Promise<boolean> {
    const { activity } = dc.context;
    if (activity.type !== 'message' || !activity.text) return false;
    const { locale } = turnFacts(dc.context);
    const text = activity.text;
    // During a child dialog only whole-message commands interrupt ("cancel", "pomoc"): a comment or an answer
    // that merely sounds like one is the child's.
    const command = isHelp(text, locale) ? 'help' : isCancel(text, locale) ? 'cancel' : undefined;
    if (command) await this.replyToCommand(dc.context, command, true);
    if (command === 'help') {
      await dc.repromptDialog();
      return true;
    }
    if (command === 'cancel') {
      await dc.cancelAllDialogs();
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

  /** Returns a result when `text` asks for a person and the subclass acted on it. */
  protected abstract onHumanRequested(
    dc: DialogContext,
    text: string,
    locale: string,
  ): Promise<DialogTurnResult | undefined>;
}
