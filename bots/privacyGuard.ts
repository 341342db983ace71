import type { BotState, StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { Logger } from '../core/logger';
import { turnFacts } from '../dialogs/contracts';
import { t } from '../locales';
import { isCancel, isCoveredBy, isNo, isYes, localeWords } from '../language/words';
import type { CustomerData } from '../privacy/customerData';
import { mentionsPassword, redactPasswordReply, redactText } from '../privacy/redact';
import { privacyLocales, privacyWords } from '../privacy/words';

/** What the guard remembers per conversation (in the conversation state). */
interface PrivacyMemory {
  /** The customer was told not to send sensitive data (once per conversation). */
  noticeGiven?: boolean;
  /** The bot's last message talked about a password: the next reply may hold one. */
  passwordAsked?: boolean;
  /** "Delete my data" was asked (in this locale's words); the next yes erases. */
  erasureAsked?: string;
}

export interface PrivacyGuardOptions {
  conversationState: BotState;
  data: CustomerData;
  log: Logger;
}

/** Turn-state key of an erasure confirmed in this turn (carried out once the turn's state is saved). */
const ERASE_AFTER_TURN = Symbol('privacy.eraseAfterTurn');

/**
 * The customer-side privacy rules, in two calls from the bot:
 * - `screen(context, text)` first on every customer message: redacts the text (the activity's text is replaced,
 *   so nothing downstream sees the original), tells the customer once per conversation not to send such data,
 *   and handles "delete my data" → confirmation;
 * - `afterTurn(context)` once the turn's state is saved: carries out a confirmed erasure (after the save, so
 *   the turn's own state writes cannot bring the customer's records back) and says so.
 */
export class PrivacyGuard {
  private readonly memory: StatePropertyAccessor<PrivacyMemory>;
  private readonly handledTurns = new WeakSet<TurnContext>();

  constructor(private readonly options: PrivacyGuardOptions) {
    this.memory = options.conversationState.createProperty<PrivacyMemory>('privacy');
  }

  /** The customer's message with sensitive data removed; also sets the activity's text to it. */
  async screen(context: TurnContext, text: string): Promise<string> {
    const { locale } = turnFacts(context);
    const memory = await this.memory.get(context, {});
    const redacted = memory.passwordAsked ? redactPasswordReply(text) : redactText(text);
    context.activity.text = redacted;
    memory.passwordAsked = false;
    if (redacted !== text)
      this.options.log.debug({ text: redacted }, 'sensitive data removed from a message');
    if (redacted !== text && !memory.noticeGiven) {
      memory.noticeGiven = true;
      await context.sendActivity(t(locale, 'privacy.notice'));
    }
    await this.erasureDialog(context, memory, redacted, locale);
    // From here on (the notice above mentions passwords itself): does the bot's answer talk about a password?
    context.onSendActivities(async (_ctx, activities, next) => {
      if (activities.some((a) => a.type === 'message' && a.text && mentionsPassword(a.text)))
        memory.passwordAsked = true;
      return next();
    });
    await this.memory.set(context, memory);
    return redacted;
  }

  /** True when `screen` answered this message itself (the erasure question or its answer). */
  handled(context: TurnContext): boolean {
    return this.handledTurns.has(context);
  }

  /** Carries out the erasure confirmed in this turn (call after the turn's state is saved). */
  async afterTurn(context: TurnContext): Promise<void> {
    const customerId: unknown = context.turnState.get(ERASE_AFTER_TURN);
    if (typeof customerId !== 'string') return;
    const counts = await this.options.data.erase(customerId, 'customer', turnFacts(context).conversationId);
    this.options.log.info({ counts }, 'customer data erased at the customer’s request');
    await context.sendActivity(t(turnFacts(context).locale, 'privacy.erased'));
  }

  private async erasureDialog(
    context: TurnContext,
    memory: PrivacyMemory,
    text: string,
    locale: string,
  ): Promise<void> {
    const asked = memory.erasureAsked;
    if (asked) {
      delete memory.erasureAsked;
      if (isYes(text, locale) || isYes(text, asked)) {
        context.turnState.set(ERASE_AFTER_TURN, turnFacts(context).customerId);
        this.handledTurns.add(context);
        return;
      }
      if (isNo(text, locale) || isNo(text, asked) || isCancel(text, locale)) {
        await context.sendActivity(t(locale, 'privacy.eraseKept'));
        this.handledTurns.add(context);
        return;
      }
    }
    const requested = erasureRequestLocale(text, locale);
    if (requested) {
      memory.erasureAsked = requested;
      await context.sendActivity(t(locale, 'privacy.confirmErase'));
      this.handledTurns.add(context);
    }
  }
}

/**
 * The locale whose words ask to delete the customer's data ("delete my data", "hapus data saya", "usuń moje
 * dane", "slett dataene mine": the whole message, with filler words), the turn's locale first; else undefined.
 * Every locale is tried: the phrases are unambiguous, and a short message may not show its language.
 */
export function erasureRequestLocale(text: string, locale: string): string | undefined {
  const asks = (candidate: string): boolean =>
    isCoveredBy(text, privacyWords(candidate).erase, [localeWords(candidate).filler]);
  if (asks(locale)) return locale;
  return privacyLocales().find((candidate) => candidate !== locale && asks(candidate));
}
