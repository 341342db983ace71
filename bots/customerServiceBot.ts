import { randomUUID } from 'node:crypto';
import {
  TeamsActivityHandler,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type Activity,
  type AdaptiveCardInvokeValue,
  type Entity,
  type BotState,
  type StatePropertyAccessor,
} from 'botbuilder';
import { isCaseVerb } from '../cards/caseCard';
import { isRecord } from '../core/guards';
import { boundedString } from '../core/text';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import {
  episodeAnswer,
  invokeResponse,
  setCardAction,
  setOpenEpisode,
  setTurnFacts,
  turnFacts,
  unsavedEpisode,
  type CardAction,
} from '../dialogs/contracts';
import { cancelledReply, changeOfMind } from '../dialogs/replies';
import type { FaqDialog } from '../dialogs/faqDialog';
import type { MainDialog, MainOptions, RouterMemory } from '../dialogs/mainDialog';
import type { FaqEntry } from '../knowledge/types';
import type { SurveyRequest } from '../handoff/types';
import { t } from '../locales';
import { isClosing, knownLocale, supportedLocales } from '../language/words';
import { MIN_SCORE, SURE_SCORE, canTellLanguage, guessLanguage } from '../knowledge/languageGuess';
import { isQuestion, type Understanding } from '../language/understanding';
import { MAX_ID_CHARS, MAX_NAME_CHARS, type ConversationStore } from '../storage/conversations';
import type { Held } from '../storage/lease';
import type { PrivacyGuard } from './privacyGuard';

/** What the bot needs of the handoff service on every customer turn. */
export interface HandoffGuard {
  activeCase(conversationId: string): Promise<{ id: string; status: string } | null>;
  customerMessage(conversationId: string, text: string): Promise<void>;
  queuePlace(caseId: string): Promise<number>;
  cancelByCustomer(conversationId: string): Promise<boolean>;
  customerLeft(conversationId: string): Promise<boolean>;
  onHandoffStatus(conversationId: string, value: unknown): Promise<void>;
  /** The case ended without a person: its queue expired, or it was abandoned (false when it is gone). */
  endedWithoutPerson(caseId: string): Promise<boolean>;
}

/** Staff side in Teams channels: commands, thread replies to customers, case card buttons. */
export interface StaffChannel {
  /** Handles a message in a Teams channel or group chat (staff space). */
  onStaffMessage(context: TurnContext): Promise<void>;
  /** Handles a `case.*` card action; returns the refreshed card for Action.Execute. */
  onCaseAction(context: TurnContext, action: CardAction): Promise<AdaptiveCardInvokeResponse>;
  /** Handles what Teams says of a team or channel (a conversationUpdate or installationUpdate in a staff space). */
  onTeamsUpdate(context: TurnContext): Promise<void>;
}

export interface BotOptions {
  conversationState: BotState;
  userState: BotState;
  mainDialog: MainDialog;
  /** The entry the knowledge base answers a question with outright, as the FAQ dialog decides it. */
  faq: Pick<FaqDialog, 'answersOutright' | 'outrightAnswer'>;
  /** What the language guess reads besides function words: the words each language's customers use. */
  understanding: Pick<Understanding, 'knownWords' | 'message'>;
  conversations: ConversationStore;
  handoff: HandoffGuard;
  staff: StaffChannel;
  /** Redaction of customer messages and "delete my data" (bots/privacyGuard.ts). */
  privacy: PrivacyGuard;
  defaultLocale: string;
  botName: string;
  clock: Clock;
  log: Logger;
}

/** A customer waiting in the queue hears at most this often that their messages are kept (see relayedToPerson). */
const QUEUE_NOTICE_MS = 2 * 60_000;

/** Case states in which a hand-over ended without a person: nobody took it in time, or it was abandoned. */
/** Teams conversation types where staff, not customers, talk to the bot. */
const STAFF_CONVERSATIONS = new Set(['channel', 'groupChat']);

/**
 * The customer-service bot: resolves the turn's locale and customer, records the conversation for proactive
 * messages, keeps silent while a person handles the conversation (relaying to them), and otherwise hands the
 * turn to the main dialog. Staff spaces (Teams channels and group chats) go to the staff channel handler; a
 * staff card action anywhere else is a stray card press, never a staff action.
 */
export class CustomerServiceBot extends TeamsActivityHandler {
  private readonly dialogState: StatePropertyAccessor;
  private readonly preferredLocale: StatePropertyAccessor<string>;
  private readonly welcomed: StatePropertyAccessor<boolean>;
  /** The language the customer was last seen writing in, when it differed from the client's. */
  private readonly writtenLocale: StatePropertyAccessor<string | undefined>;
  /**
   * Set once the customer has written in this conversation; `pending`: a language their last message suggested
   * without proving it (see resolveFacts).
   */
  private readonly languageHint: StatePropertyAccessor<{ pending?: string }>;
  /** When a customer waiting in the queue was last told their messages are kept (epoch ms). */
  private readonly queueNoticeAt: StatePropertyAccessor<number | undefined>;
  private readonly queueApologyAt: StatePropertyAccessor<number | undefined>;
  /** The router's memory (server/app.ts gives MainDialog the property 'router'), read for its last case. */
  private readonly routerMemory: StatePropertyAccessor<RouterMemory | undefined>;

  constructor(private readonly options: BotOptions) {
    super();
    this.dialogState = options.conversationState.createProperty('dialogState');
    this.welcomed = options.conversationState.createProperty('welcomed');
    this.writtenLocale = options.conversationState.createProperty('writtenLocale');
    this.languageHint = options.conversationState.createProperty('languageHint');
    this.queueNoticeAt = options.conversationState.createProperty('queueNoticeAt');
    this.queueApologyAt = options.conversationState.createProperty('queueApologyAt');
    this.routerMemory = options.conversationState.createProperty('router');
    this.preferredLocale = options.userState.createProperty('locale');
  }

  /**
   * Every turn: the activity made safe to read, facts, then the activity, then state saved (eTag-checked), a
   * confirmed erasure carried out, and last what the bot said recorded, which also releases the turn's `lease`.
   */
  override async run(context: TurnContext, lease?: Held): Promise<void> {
    tidyInbound(context.activity);
    await this.resolveFacts(context);
    const said = this.listenToReplies(context);
    await super.run(context);
    await Promise.all([
      this.options.conversationState.saveChanges(context),
      this.options.userState.saveChanges(context),
    ]);
    await this.options.privacy.afterTurn(context);
    await this.recordReplies(context, said, lease);
  }

  /** Starts the satisfaction survey in a proactive turn (agent resolved the case, or inactivity). */
  async runProactive(context: TurnContext, options: MainOptions): Promise<void> {
    await this.resolveFacts(context);
    const said = this.listenToReplies(context);
    const survey = options.survey && (await this.asItHappened(context, options.survey));
    await this.options.mainDialog.run(context, this.dialogState, survey ? { ...options, survey } : options);
    await this.options.conversationState.saveChanges(context);
    await this.recordReplies(context, said);
  }

  /**
   * The survey of an episode the bot closed as self-service (inactivity), as it happened: when the conversation's
   * last case ended without a person (its queue expired, or it was abandoned), the customer asked for a person
   * and got none, so the rating is the hand-over's (`agent`, with the case and no agent), not the bot's.
   */
  private async asItHappened(context: TurnContext, survey: SurveyRequest): Promise<SurveyRequest> {
    const caseId =
      survey.resolution === 'self-service' ? (await this.routerMemory.get(context))?.caseId : undefined;
    if (caseId === undefined) return survey;
    return (await this.options.handoff.endedWithoutPerson(caseId))
      ? { ...survey, resolution: 'agent', caseId }
      : survey;
  }

  /** The texts of the messages the bot sends in this turn, as they are sent. */
  private listenToReplies(context: TurnContext): string[] {
    const said: string[] = [];
    context.onSendActivities(async (_ctx, activities, next) => {
      for (const a of activities) if (a.type === 'message' && a.text) said.push(a.text);
      return next();
    });
    return said;
  }

  /**
   * Adds what the bot said to the customer's recent transcript, with the FAQ entry that answered (noted on the
   * episode) and the episode a question opened (see `setOpenEpisode`), in one write, which also releases the
   * turn's lease.
   */
  private async recordReplies(context: TurnContext, said: string[], lease?: Held): Promise<void> {
    if (this.isStaffSpace(context)) return;
    await this.options.conversations.record(turnFacts(context).conversationId, 'bot', said, {
      faqEntryId: episodeAnswer(context),
      opening: unsavedEpisode(context),
      lease,
    });
  }

  protected override async onMessageActivity(context: TurnContext): Promise<void> {
    if (this.isStaffSpace(context)) return this.options.staff.onStaffMessage(context);
    const { activity } = context;
    const typed = TurnContext.removeRecipientMention(activity)?.trim() ?? activity.text?.trim() ?? '';
    // Redacted before anything stores, relays or logs it (also replaces the activity's text).
    const text = await this.options.privacy.screen(context, typed);
    const action = submittedAction(activity.value);
    if (action) this.warnIfStaffAction(context, action);
    setCardAction(context, action);
    const facts = turnFacts(context);
    // Independent: one round trip to the database instead of two.
    const [episode, active] = await Promise.all([
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
    setOpenEpisode(context, episode);
    if (this.options.privacy.handled(context)) return;
    // A file or picture is read by nobody: said, and the text with it handled as usual.
    if (sentFiles(activity)) {
      await context.sendActivity(t(facts.locale, 'common.attachments'));
      if (!text) return;
    }
    if (await this.relayedToPerson(context, text, active)) return;
    await this.options.mainDialog.run(context, this.dialogState);
  }

  /**
   * Welcome once per conversation, in the customer's language; never while a person handles it. In a staff space
   * it is news of the team or channel (deleted, archived, the app removed) for the staff side.
   */
  protected override async onConversationUpdateActivity(context: TurnContext): Promise<void> {
    await super.onConversationUpdateActivity(context);
    if (this.isStaffSpace(context)) return this.options.staff.onTeamsUpdate(context);
    const added = context.activity.membersAdded ?? [];
    if (added.length === 0) return;
    if (await this.welcomed.get(context, false)) return;
    const { locale, conversationId } = turnFacts(context);
    if (await this.options.handoff.activeCase(conversationId)) return;
    await this.welcomed.set(context, true);
    await context.sendActivity(t(locale, 'common.welcome', { botName: this.options.botName }));
  }

  /** The app added to or removed from a team (Teams): for the staff side. Elsewhere nothing to do. */
  protected override async onInstallationUpdateActivity(context: TurnContext): Promise<void> {
    await super.onInstallationUpdateActivity(context);
    if (this.isStaffSpace(context)) await this.options.staff.onTeamsUpdate(context);
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
    if (isCaseVerb(action.verb) && this.isStaffSpace(context))
      return this.options.staff.onCaseAction(context, action);
    this.warnIfStaffAction(context, action);
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

  /**
   * The customer left the conversation (Web Chat's "Start a new conversation" sends `endOfConversation`): a case
   * still waiting leaves the queue, one with an agent is closed for them (they are told, the customer is not:
   * they are gone), and the conversation is closed for the bot: its open episode ends without a survey and its
   * dialog state is deleted. Nothing is sent back. In a staff space it is nobody's case to close: ignored.
   */
  protected override async onEndOfConversationActivity(context: TurnContext): Promise<void> {
    const { conversationId } = turnFacts(context);
    if (this.isStaffSpace(context)) {
      this.options.log.warn({ conversationId }, 'endOfConversation in a staff space ignored');
      return;
    }
    await this.options.handoff.customerLeft(conversationId);
    await this.options.conversations.closeEpisode(conversationId);
    await this.options.conversationState.delete(context);
  }

  /** `handoff.status` events from an external agent hub. */
  protected override async onEventActivity(context: TurnContext): Promise<void> {
    if (context.activity.name === 'handoff.status') {
      await this.options.handoff.onHandoffStatus(turnFacts(context).conversationId, context.activity.value);
    }
  }

  /**
   * The handoff guard: while a case (`active`) is open the bot does not answer. An assigned agent gets the
   * message; while queued, a change of mind ("cancel", "ok never mind", "nvm, how do I …?": changeOfMind)
   * withdraws the request (a question after it is answered) and other messages are added to the case (and the
   * customer hears, at most every QUEUE_NOTICE_MS, that they are kept and their place in the queue; an angry message
   * hears it with an apology for the wait, also right after a plain notice, at most every QUEUE_NOTICE_MS; a goodbye
   * hears that the request stays and how to withdraw it). A usage question the knowledge base answers outright while
   * queued ("how can I pay my bill?") is answered too, and the customer keeps their place; once a person has joined,
   * the bot answers nothing.
   */
  private async relayedToPerson(
    context: TurnContext,
    text: string,
    active: { id: string; status: string } | null,
  ): Promise<boolean> {
    if (!active) return false;
    const { conversationId, locale } = turnFacts(context);
    const cancel = active.status === 'queued' ? changeOfMind(text, locale) : undefined;
    if (cancel) {
      if (await this.options.handoff.cancelByCustomer(conversationId)) {
        await context.sendActivity(cancelledReply(locale, 'queue', cancel.rest !== ''));
        // "nvm, how do I change my plan?": the question is answered like every other.
        if (cancel.rest) await this.options.mainDialog.run(context, this.dialogState, { text: cancel.rest });
      }
      return true;
    }
    if (!text) return true;
    await this.options.handoff.customerMessage(conversationId, text);
    // Waiting with nobody answering yet: say now and then that what they write is kept, and where they are.
    if (active.status !== 'queued') return true;
    const now = this.options.clock.now().getTime();
    const entry = this.outrightAnswer(text, locale);
    if (entry) {
      await context.sendActivity({
        type: 'message',
        text: `${t(locale, 'handoff.whileYouWait')}\n\n${entry.answer}`,
        textFormat: 'markdown',
      });
      const position = await this.options.handoff.queuePlace(active.id);
      await context.sendActivity(t(locale, 'handoff.placeKept', { position }));
      await this.queueNoticeAt.set(context, now);
      return true;
    }
    // "seriously?? now i have to wait again?": an angry message is answered with an apology for the wait, also
    // right after a plain notice (apologies have their own pace).
    // "thanks, bye", "ok dzięki, pa" while waiting (a goodbye phrase, not the classifier's reading, which takes a
    // bare "ok" for one): the request stays, so someone will still answer; the customer hears so and how to withdraw
    // it, at the pace of the other notices.
    const goodbye = isClosing(text, locale);
    const angry = !goodbye && this.options.understanding.message(text, locale).label === 'complaint';
    const last = angry ? this.queueApologyAt : this.queueNoticeAt;
    if (now - ((await last.get(context)) ?? 0) < QUEUE_NOTICE_MS) return true;
    await this.queueNoticeAt.set(context, now);
    if (goodbye) {
      await context.sendActivity(t(locale, 'handoff.queuedGoodbye'));
      return true;
    }
    if (angry) await this.queueApologyAt.set(context, now);
    const position = await this.options.handoff.queuePlace(active.id);
    await context.sendActivity(
      t(locale, angry ? 'handoff.stillQueuedSorry' : 'handoff.stillQueued', { position }),
    );
    return true;
  }

  /**
   * The entry that answers a usage question outright (the FAQ dialog's confident path: one answer, in the customer's
   * language), if there is one.
   */
  private outrightAnswer(text: string, locale: string): FaqEntry | undefined {
    return isQuestion(text, locale) ? this.options.faq.outrightAnswer(text, locale) : undefined;
  }

  /**
   * Locale: the language the customer writes in, when a message of a few words clearly shows it (and, sticky,
   * for the short replies after it, until a message clearly shows another; one in the client's own language
   * switches back at once); else the activity's (Teams and Web Chat send the client's, and it is kept as the user's
   * preference), then the stored preference, then the default. A Polish customer in an English Teams client is
   * answered in Polish.
   */
  private async resolveFacts(context: TurnContext): Promise<void> {
    const { activity } = context;
    const supported = supportedLocales();
    // Only Teams vouches for an AAD object id; on other channels it is whatever the client wrote.
    const aadObjectId = activity.channelId === 'msteams' ? activity.from?.aadObjectId : undefined;
    const customerId = aadObjectId ?? activity.from?.id ?? 'unknown';
    const fromActivity = clientLocale(activity);
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
    const client = locale;
    const customerSpace = !this.isStaffSpace(context);
    // Also in the bot's own turns (the survey after a case or a silence): the language the customer writes in.
    const written = customerSpace ? await this.writtenLocale.get(context) : undefined;
    if (written && supported.includes(written)) locale = written;
    if (activity.type === 'message' && customerSpace) {
      const text = activity.text ?? '';
      // The first message may set the language; later, a short phrase in another language ("sorry, is it
      // free?" in Polish chat) switches only when the next message suggests the same, or when that language's
      // knowledge base answers it outright and the current one's does not (answeringLanguage).
      const hint = await this.languageHint.get(context);
      // A language is suggested by its function words and letters, and in the first message (where a client's
      // locale meets the customer's language; "jak zaplacic rachunek") also by the words its customers use; one
      // is sure by function words and letters alone (customers' words include loanwords: "sorry", "free").
      const known = hint ? undefined : (l: string) => this.options.understanding.knownWords(text, l);
      const suggested = guessLanguage(text, locale, supported, MIN_SCORE, known);
      const sure = suggested && guessLanguage(text, locale, supported, SURE_SCORE);
      // Back to the client's own language needs no second message: the client already suggested it.
      const confirmed = suggested && (!hint || hint.pending === suggested || suggested === client);
      const switchTo =
        sure ?? (confirmed ? suggested : hint ? this.answeringLanguage(text, locale, supported) : undefined);
      if (switchTo) {
        locale = switchTo;
        if (switchTo === client) await this.writtenLocale.delete(context);
        else await this.writtenLocale.set(context, switchTo);
      }
      // A message too short to tell ("hi", "halo kak") leaves the next one the first that may set the language.
      if (canTellLanguage(text))
        await this.languageHint.set(context, switchTo || !suggested ? {} : { pending: suggested });
    }
    setTurnFacts(context, {
      locale,
      conversationId: activity.conversation.id,
      customerId,
      channel: activity.channelId,
    });
  }

  /**
   * After the first message, the language the customers' words of `text` suggest (as for a first message: "jak
   * zaplacic rachunek"), when its knowledge base answers the message outright and the current language's does not:
   * a question in another language is answered in it at once, not offered a person. A phrase the current language
   * answers, or the other does not ("sorry, is it free?" in Polish chat), switches nothing.
   */
  private answeringLanguage(text: string, locale: string, supported: readonly string[]): string | undefined {
    const { understanding, faq } = this.options;
    const other = guessLanguage(text, locale, supported, MIN_SCORE, (l) => understanding.knownWords(text, l));
    if (!other || !faq.answersOutright(text, other) || faq.answersOutright(text, locale)) return undefined;
    return other;
  }

  /** A Teams channel or group chat (the conversation type of other channels says nothing: clients set it). */
  private isStaffSpace(context: TurnContext): boolean {
    const { channelId, conversation } = context.activity;
    return channelId === 'msteams' && STAFF_CONVERSATIONS.has(conversation.conversationType ?? '');
  }

  /** A staff card action outside a staff space: handled as a stray card press, and logged (without text). */
  private warnIfStaffAction(context: TurnContext, action: CardAction): void {
    if (!isCaseVerb(action.verb)) return;
    const { channelId, conversation, from } = context.activity;
    this.options.log.warn(
      { verb: action.verb, channelId, conversationId: conversation.id, userId: from?.id },
      'staff card action outside a staff space ignored',
    );
  }

  /**
   * The error handler's reply: an apology in the customer's language with a reference, and nothing else that
   * could fail first. The state is left as it was before the failed turn (a failed turn saves nothing): a
   * customer in the middle of a dialog goes on where they were, and "cancel" or "human" interrupt any step. A
   * store that fails (a full disk) cannot take the apology with it. Never throws.
   */
  /**
   * The answer to a message that found its conversation busy on another instance for longer than a turn may
   * wait: in the customer's language (as a turn would resolve it, from the stored state, which is only read),
   * asking them to send it again. Other activities are only logged. Never throws.
   */
  async busy(context: TurnContext): Promise<void> {
    const { log, defaultLocale } = this.options;
    const { activity } = context;
    log.warn({ conversationId: activity.conversation.id, type: activity.type }, 'conversation busy; not run');
    if (activity.type !== 'message') return;
    try {
      tidyInbound(activity);
      await this.resolveFacts(context);
      await context.sendActivity(t(turnFacts(context).locale, 'common.busy'));
    } catch (err) {
      log.error({ err }, 'could not tell the customer the conversation is busy');
      await context
        .sendActivity(t(clientLocale(activity) ?? defaultLocale, 'common.busy'))
        .catch(() => undefined);
    }
  }

  async apologise(context: TurnContext, error: unknown): Promise<void> {
    const { log, defaultLocale } = this.options;
    const ref = randomUUID().slice(0, 8);
    log.error({ err: error, ref, conversationId: context.activity.conversation?.id }, 'turn failed');
    let locale: string;
    try {
      locale = turnFacts(context).locale;
    } catch {
      // The failure happened before the turn's locale was resolved: the client's, else the default.
      locale = clientLocale(context.activity) ?? defaultLocale;
    }
    try {
      await context.sendActivity(t(locale, 'common.error', { ref }));
    } catch (err) {
      log.error({ err, ref }, 'could not apologise to the customer');
    }
  }
}

/** The supported locale the client asked for, if its `locale` is a string naming one. */
function clientLocale(activity: Activity): string | undefined {
  const locale: unknown = activity.locale;
  return typeof locale === 'string' ? knownLocale(locale) : undefined;
}

/** Fields of the sender, the bot and the conversation that the SDK copies into replies, and their type. */
const ACCOUNT_FIELD_TYPES: ReadonlyArray<readonly [string, 'string' | 'boolean']> = [
  ['role', 'string'],
  ['conversationType', 'string'],
  ['tenantId', 'string'],
  ['isGroup', 'boolean'],
];

/**
 * Makes a client's activity safe to read, in place, before anything reads it (what the door of /api/messages
 * refuses is another matter: see inboundActivityProblem): a `locale` that is not a string is absent; `entities`
 * keeps only those the SDK can read (isReadableEntity); the sender's, the bot's and the
 * conversation's `name` is cut to MAX_NAME_CHARS (dropped when not a string), their `aadObjectId` dropped unless
 * it is a string of at most MAX_ID_CHARS, and their other fields of the wrong type (ACCOUNT_FIELD_TYPES) dropped,
 * since a reply carrying them could not be sent. What is stored of the rest is the conversation store's choice
 * (`storableReference`).
 */
function tidyInbound(activity: Activity): void {
  const locale: unknown = activity.locale;
  if (typeof locale !== 'string') delete activity.locale;
  const entities: unknown = activity.entities;
  if (entities !== undefined) {
    activity.entities = Array.isArray(entities)
      ? entities.filter((entity) => isReadableEntity(entity, activity))
      : [];
  }
  const accounts: unknown[] = [activity.from, activity.recipient, activity.conversation];
  for (const account of accounts) {
    if (!isRecord(account)) continue;
    const name = boundedString(account.name, MAX_NAME_CHARS);
    if (name === undefined) delete account.name;
    else account.name = name;
    if (typeof account.aadObjectId !== 'string' || account.aadObjectId.length > MAX_ID_CHARS)
      delete account.aadObjectId;
    for (const [key, type] of ACCOUNT_FIELD_TYPES) {
      if (account[key] !== undefined && typeof account[key] !== type) delete account[key];
    }
  }
}

/**
 * An entity the SDK can read: an object with a string `type`; a mention also needs the mentioned account's
 * string `id`, its own string `text` and an activity with text (the SDK cuts a mention of the bot out of it).
 */
function isReadableEntity(value: unknown, activity: Activity): value is Entity {
  if (!isRecord(value) || typeof value.type !== 'string') return false;
  if (value.type.toLowerCase() !== 'mention') return true;
  return (
    typeof activity.text === 'string' &&
    typeof value.text === 'string' &&
    isRecord(value.mentioned) &&
    typeof value.mentioned.id === 'string'
  );
}

/** An Action.Submit press: a message whose value carries our `verb`. */
function submittedAction(value: unknown): CardAction | undefined {
  if (!isRecord(value) || typeof value.verb !== 'string') return undefined;
  return { verb: value.verb, data: value, via: 'submit' };
}

/**
 * The customer sent a file or picture: an attachment other than the message's own HTML body (Teams) or a card.
 */
function sentFiles(activity: Activity): boolean {
  return (activity.attachments ?? []).some(
    ({ contentType }) =>
      contentType !== 'text/html' && !contentType.startsWith('application/vnd.microsoft.card.'),
  );
}
