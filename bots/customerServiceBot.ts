import { randomUUID } from 'node:crypto';
import {
  TeamsActivityHandler,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type BotState,
  type StatePropertyAccessor,
} from 'botbuilder';
import { isRecord } from '../core/guards';
import type { Logger } from '../core/logger';
import {
  invokeResponse,
  setCardAction,
  setTurnFacts,
  turnFacts,
  type CardAction,
} from '../dialogs/contracts';
import type { MainDialog, MainOptions } from '../dialogs/mainDialog';
import { t } from '../locales';
import { isCancel, knownLocale, supportedLocales } from '../language/words';
import { guessLanguage } from '../knowledge/languageGuess';
import type { ConversationStore } from '../storage/conversations';

/** What the bot needs of the handoff service on every customer turn. */
export interface HandoffGuard {
  activeCase(conversationId: string): Promise<{ id: string; status: string } | null>;
  customerMessage(conversationId: string, text: string): Promise<void>;
  cancelByCustomer(conversationId: string): Promise<boolean>;
  onHandoffStatus(conversationId: string, value: unknown): Promise<void>;
}

/** Staff side in Teams channels: commands, thread replies to customers, case card buttons. */
export interface StaffChannel {
  /** Handles a message in a Teams channel or group chat (staff space). */
  onStaffMessage(context: TurnContext): Promise<void>;
  /** Handles a `case.*` card action; returns the refreshed card for Action.Execute. */
  onCaseAction(context: TurnContext, action: CardAction): Promise<AdaptiveCardInvokeResponse>;
}

export interface BotOptions {
  conversationState: BotState;
  userState: BotState;
  mainDialog: MainDialog;
  conversations: ConversationStore;
  handoff: HandoffGuard;
  staff: StaffChannel;
  defaultLocale: string;
  botName: string;
  log: Logger;
}

/** Channels' conversation types where staff, not customers, talk to the bot. */
const STAFF_CONVERSATIONS = new Set(['channel', 'groupChat']);

/**
 * The customer-service bot: resolves the turn's locale and customer, records the conversation for proactive
 * messages, keeps silent while a person handles the conversation (relaying to them), and otherwise hands the
 * turn to the main dialog. Staff spaces in Teams go to the staff channel handler.
 */
export class CustomerServiceBot extends TeamsActivityHandler {
  private readonly dialogState: StatePropertyAccessor;
  private readonly preferredLocale: StatePropertyAccessor<string>;
  private readonly welcomed: StatePropertyAccessor<boolean>;
  /** The language the customer was last seen writing in, when it differed from the client's. */
  private readonly writtenLocale: StatePropertyAccessor<string | undefined>;

  constructor(private readonly options: BotOptions) {
    super();
    this.dialogState = options.conversationState.createProperty('dialogState');
    this.welcomed = options.conversationState.createProperty('welcomed');
    this.writtenLocale = options.conversationState.createProperty('writtenLocale');
    this.preferredLocale = options.userState.createProperty('locale');
  }

  /** Every turn: facts first, then the activity, then state saved (eTag-checked). */
  override async run(context: TurnContext): Promise<void> {
    await this.resolveFacts(context);
    await this.keepingTranscript(context, () => super.run(context));
    await Promise.all([
      this.options.conversationState.saveChanges(context),
      this.options.userState.saveChanges(context),
    ]);
  }

  /** Starts the satisfaction survey in a proactive turn (agent resolved the case, or inactivity). */
  async runProactive(context: TurnContext, options: MainOptions): Promise<void> {
    await this.resolveFacts(context);
    await this.keepingTranscript(context, () =>
      this.options.mainDialog.run(context, this.dialogState, options),
    );
    await this.options.conversationState.saveChanges(context);
  }

  /** Runs a turn and adds what the bot said to the customer's recent transcript, in one write. */
  private async keepingTranscript(context: TurnContext, turn: () => Promise<void>): Promise<void> {
    const said: string[] = [];
    context.onSendActivities(async (_ctx, activities, next) => {
      for (const a of activities) if (a.type === 'message' && a.text) said.push(a.text);
      return next();
    });
    await turn();
    if (!this.isStaffSpace(context)) {
      await this.options.conversations.record(turnFacts(context).conversationId, 'bot', said);
    }
  }

  protected override async onMessageActivity(context: TurnContext): Promise<void> {
    if (this.isStaffSpace(context)) return this.options.staff.onStaffMessage(context);
    const { activity } = context;
    const text = TurnContext.removeRecipientMention(activity)?.trim() ?? activity.text?.trim() ?? '';
    activity.text = text;
    const action = submittedAction(activity.value);
    if (action?.verb.startsWith('case.')) {
      await this.options.staff.onCaseAction(context, action);
      return;
    }
    setCardAction(context, action);
    const facts = turnFacts(context);
    // Independent: one round trip to the database instead of two.
    const [, active] = await Promise.all([
      this.options.conversations.touch({
        conversationId: facts.conversationId,
        reference: TurnContext.getConversationReference(activity),
        customerId: facts.customerId,
        ...(activity.from.name ? { customerName: activity.from.name } : {}),
        channel: facts.channel,
        locale: facts.locale,
        ...(text ? { text } : {}),
      }),
      this.options.handoff.activeCase(facts.conversationId),
    ]);
    if (await this.relayedToPerson(context, text, active)) return;
    await this.options.mainDialog.run(context, this.dialogState);
  }

  /** Welcome once per conversation, in the customer's language; never while a person handles it. */
  protected override async onConversationUpdateActivity(context: TurnContext): Promise<void> {
    await super.onConversationUpdateActivity(context);
    const added = context.activity.membersAdded ?? [];
    if (added.length === 0 || this.isStaffSpace(context)) return;
    if (await this.welcomed.get(context, false)) return;
    const { locale, conversationId } = turnFacts(context);
    if (await this.options.handoff.activeCase(conversationId)) return;
    await this.welcomed.set(context, true);
    await context.sendActivity(t(locale, 'common.welcome', { botName: this.options.botName }));
  }

  /** Teams Action.Execute: case buttons go to the staff side, everything else to the dialogs. */
  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const action: CardAction = {
      verb: invokeValue.action.verb ?? '',
      data: isRecord(invokeValue.action.data) ? invokeValue.action.data : {},
      via: 'execute',
    };
    if (action.verb.startsWith('case.')) return this.options.staff.onCaseAction(context, action);
    setCardAction(context, action);
    const active = await this.options.handoff.activeCase(turnFacts(context).conversationId);
    if (!(await this.relayedToPerson(context, '', active)))
      await this.options.mainDialog.run(context, this.dialogState);
    return (
      invokeResponse(context) ?? {
        statusCode: 200,
        type: 'application/vnd.microsoft.activity.message',
        value: {},
      }
    );
  }

  /** `handoff.status` events from an external agent hub. */
  protected override async onEventActivity(context: TurnContext): Promise<void> {
    if (context.activity.name === 'handoff.status') {
      await this.options.handoff.onHandoffStatus(turnFacts(context).conversationId, context.activity.value);
    }
  }

  /**
   * The handoff guard: while a case (`active`) is open the bot does not answer. An assigned agent gets the
   * message; while queued, "cancel" withdraws the request and other messages are added to the case.
   */
  private async relayedToPerson(
    context: TurnContext,
    text: string,
    active: { status: string } | null,
  ): Promise<boolean> {
    if (!active) return false;
    const { conversationId, locale } = turnFacts(context);
    if (active.status === 'queued' && isCancel(text, locale)) {
      if (await this.options.handoff.cancelByCustomer(conversationId)) {
        await context.sendActivity(t(locale, 'handoff.cancelledByCustomer'));
      }
      return true;
    }
    if (text) await this.options.handoff.customerMessage(conversationId, text);
    return true;
  }

  /**
   * Locale: the language the customer writes in, when a message clearly shows it (and, sticky, for the short
   * replies after it); else the activity's (Teams and Web Chat send the client's, and it is kept as the user's
   * preference), then the stored preference, then the default. A Polish customer in an English Teams client is
   * answered in Polish.
   */
  private async resolveFacts(context: TurnContext): Promise<void> {
    const { activity } = context;
    const supported = supportedLocales();
    const customerId = activity.from?.aadObjectId ?? activity.from?.id ?? 'unknown';
    const fromActivity = knownLocale(activity.locale);
    if (activity.type === 'message') {
      // A message reads both states: concurrently, one round trip on MongoDB.
      await Promise.all([this.options.conversationState.load(context), this.options.userState.load(context)]);
    }
    let locale: string;
    if (fromActivity && supported.includes(fromActivity)) {
      locale = fromActivity;
      if (activity.type === 'message') await this.preferredLocale.set(context, locale);
    } else {
      const preferred = await this.preferredLocale.get(context);
      locale = preferred && supported.includes(preferred) ? preferred : this.options.defaultLocale;
    }
    if (activity.type === 'message' && !this.isStaffSpace(context)) {
      const written = await this.writtenLocale.get(context);
      if (written && supported.includes(written)) locale = written;
      const guessed = activity.text ? guessLanguage(activity.text, locale, supported) : undefined;
      if (guessed) {
        locale = guessed;
        await this.writtenLocale.set(context, guessed);
      }
    }
    setTurnFacts(context, {
      locale,
      conversationId: activity.conversation.id,
      customerId,
      channel: activity.channelId,
    });
  }

  private isStaffSpace(context: TurnContext): boolean {
    return STAFF_CONVERSATIONS.has(context.activity.conversation.conversationType ?? '');
  }

  /** The error handler's reply: an apology in the customer's language with a reference, state reset. */
  async apologise(context: TurnContext, error: unknown): Promise<void> {
    const { conversationState, log, defaultLocale } = this.options;
    const ref = randomUUID().slice(0, 8);
    log.error({ err: error, ref, conversationId: context.activity.conversation?.id }, 'turn failed');
    let locale: string;
    try {
      locale = turnFacts(context).locale;
    } catch {
      // The failure happened before the turn's locale was resolved: the client's, else the default.
      locale = knownLocale(context.activity.locale) ?? defaultLocale;
    }
    try {
      await conversationState.delete(context);
      await context.sendActivity(t(locale, 'common.error', { ref }));
    } catch (err) {
      log.error({ err, ref }, 'could not apologise to the customer');
    }
  }
}

/** An Action.Submit press: a message whose value carries our `verb`. */
function submittedAction(value: unknown): CardAction | undefined {
  if (!isRecord(value) || typeof value.verb !== 'string') return undefined;
  return { verb: value.verb, data: value, via: 'submit' };
}
