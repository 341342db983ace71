import {
  ComponentDialog,
  DialogTurnStatus,
  type DialogContext,
  type DialogTurnResult,
} from 'botbuilder-dialogs';
import type { TurnContext } from 'botbuilder';
import { t } from '../locales';
import { isCancel, isHelp } from '../locales/understanding';
import { turnFacts } from './contracts';

/**
 * The base of the root dialog: "help" and "cancel" work at any step of any child dialog (the extension of
 * core-bot's CancelAndHelpDialog). "Talk to a human" is an interruption too; what it starts is the subclass's
 * business (`onHumanRequested`).
 */
export abstract class InterruptibleDialog extends ComponentDialog {
  protected override async onContinueDialog(inner: DialogContext): Promise<DialogTurnResult> {
    return (await this.interrupt(inner)) ?? super.onContinueDialog(inner);
  }

  /** Handles help / cancel / human; returns undefined when the message is none of them. */
  private async interrupt(inner: DialogContext): Promise<DialogTurnResult | undefined> {
    const { activity } = inner.context;
    if (activity.type !== 'message' || !activity.text) return undefined;
    const { locale } = turnFacts(inner.context);
    const text = activity.text;
    const command = await this.replyToCommand(inner.context, text, inner.activeDialog !== undefined);
    if (command === 'help') {
      await inner.repromptDialog();
      return { status: DialogTurnStatus.waiting };
    }
    if (command === 'cancel') {
      await inner.cancelAllDialogs();
      return { status: DialogTurnStatus.cancelled };
    }
    return this.onHumanRequested(inner, text, locale);
  }

  /** Answers "help" or "cancel" (in the customer's language); says which it was, if either. */
  protected async replyToCommand(
    context: TurnContext,
    text: string,
    dialogActive: boolean,
  ): Promise<'help' | 'cancel' | undefined> {
    const { locale } = turnFacts(context);
    if (isHelp(text, locale)) {
      await context.sendActivity(t(locale, 'common.help'));
      return 'help';
    }
    if (isCancel(text, locale)) {
      await context.sendActivity(t(locale, dialogActive ? 'common.cancelled' : 'common.nothingToCancel'));
      return 'cancel';
    }
    return undefined;
  }

  /** Returns a result when `text` asks for a person and the subclass acted on it. */
  protected abstract onHumanRequested(
    inner: DialogContext,
    text: string,
    locale: string,
  ): Promise<DialogTurnResult | undefined>;
}
