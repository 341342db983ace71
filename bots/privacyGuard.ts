import type { BotState, StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { Logger } from '../core/logger';
import { turnFacts } from '../dialogs/contracts';
import { withButtons } from '../dialogs/replies';
import { t, type MessageKey } from '../locales';
import { isQuestion } from '../language/understanding';
import { isCancel, isCoveredBy, isNo, isYes, localeWords, phrasesIn } from '../language/words';
import type { CustomerData } from '../privacy/customerData';
import { mentionsPassword, redactPasswordReply, redactText } from '../privacy/redact';
import { privacyLocales, privacyWords, type PrivacyWords } from '../privacy/words';

/** What the guard remembers per conversation (in the conversation state). */
interface PrivacyMemory {
  /** The customer was told not to send sensitive data (once per conversation). */
  noticeGiven?: boolean;
  /** The bot's last message talked about a password: the next reply may hold one. */
  passwordAsked?: boolean;
  /** "Delete my data" was asked (in this locale's words); the next yes erases. */
  erasureAsked?: string;
  /** At the confirmation the customer asked a question, and was told what would be erased (once per request). */
  erasureExplained?: boolean;
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
    const { counts, leftBehind } = await this.options.data.erase(
      customerId,
      'customer',
      turnFacts(context).conversationId,
    );
    this.options.log.info({ counts }, 'customer data erased at the customer’s request');
    if (leftBehind.length > 0)
      this.options.log.warn(
        { leftBehind },
        'customer data erased, but staff cards in Teams could not be cleaned',
      );
    await context.sendActivity(t(turnFacts(context).locale, 'privacy.erased'));
  }

  private async erasureDialog(
    context: TurnContext,
    memory: PrivacyMemory,
    text: string,
    locale: string,
  ): Promise<void> {
    const asked = memory.erasureAsked;
    const explained = memory.erasureExplained;
    delete memory.erasureAsked;
    delete memory.erasureExplained;
    if (asked) {
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
      // "wait, what exactly gets deleted?": said once, and asked again; a second question goes on as usual.
      if (!explained && isQuestion(text, locale)) {
        memory.erasureAsked = asked;
        memory.erasureExplained = true;
        await this.askToErase(context, 'privacy.eraseWhat', locale);
        return;
      }
    }
    const requested = erasureRequestLocale(text, locale);
    if (requested) {
      memory.erasureAsked = requested;
      await this.askToErase(context, 'privacy.confirmErase', locale);
    }
  }

  /** The erasure question (or what it erases, and the question again), with Yes and No buttons. */
  private async askToErase(context: TurnContext, key: MessageKey, locale: string): Promise<void> {
    await context.sendActivity(
      withButtons(t(locale, key), [t(locale, 'common.yes'), t(locale, 'common.no')]),
    );
    this.handledTurns.add(context);
  }
}

const objectLists = new WeakMap<PrivacyWords, readonly string[]>();
/**
 * The customer's data and other data in one list (kept: phrase lists are compiled once per list), so the longer
 * "my data plan" wins over "my data" where both match.
 */
function objectPhrases(words: PrivacyWords): readonly string[] {
  let list = objectLists.get(words);
  if (!list) {
    list = [...words.eraseObjects, ...words.otherData];
    objectLists.set(words, list);
  }
  return list;
}

/**
 * The locale whose words ask to delete the customer's data, the turn's locale first; else undefined. A request is
 * the whole message ("forget me", "zapomnij o mnie", with filler words) or, in a sentence, a deletion verb with
 * the customer's data ("please delete all my data", "tolong hapus semua data saya", "slett alle opplysningene
 * mine") or with a data-protection law ("GDPR request: erase …", "(RODO)"); a negated verb does not count ("don't
 * delete my data"), nor other data ("my browsing data", "data aplikasi", "dane z telefonu", "my data plan").
 * Every locale is tried: the words are specific, and a short message may not show its language.
 */
export function erasureRequestLocale(text: string, locale: string): string | undefined {
  const asks = (candidate: string): boolean => {
    const words = privacyWords(candidate);
    if (isCoveredBy(text, words.erase, [localeWords(candidate).filler])) return true;
    if (phrasesIn(text, words.eraseVerbs, candidate).length === 0) return false;
    const objects = phrasesIn(text, objectPhrases(words), candidate);
    return (
      objects.some((phrase) => words.eraseObjects.includes(phrase)) ||
      phrasesIn(text, words.eraseLaws, candidate).length > 0
    );
  };
  if (asks(locale)) return locale;
  return privacyLocales().find((candidate) => candidate !== locale && asks(candidate));
}
