import type { TurnContext } from 'botbuilder';
import type { DialogInstance } from 'botbuilder-dialogs';
import type { Score } from '../feedback/types';
import type { CallbackRating, EscalationReason } from '../handoff/types';
import type { MessageReading, Understanding } from '../language/understanding';
import { detectFrustration } from '../language/cues';
import { isClosing, supportedLocales } from '../language/words';
import type { Episode } from '../storage/conversations';

/**
 * What the dialogs share: ids, options and results of each feature dialog, and the per-turn facts the bot
 * resolves once (locale, customer) before any dialog runs.
 */
export const MAIN_DIALOG = 'mainDialog';
export const FAQ_DIALOG = 'faqDialog';
export const ESCALATION_DIALOG = 'escalationDialog';
export const FEEDBACK_DIALOG = 'feedbackDialog';

export type { CallbackRating, EscalationReason, SurveyRequest } from '../handoff/types';
export type { Resolution, Score } from '../feedback/types';

export interface EscalationOptions {
  reason: EscalationReason;
  /** What the customer wrote that led here (becomes the summary when it says enough). */
  text?: string;
  /** Anger 0–1 from the cue detector; raises the case priority. */
  anger?: number;
  /** For reason 'low-rating': the rating that asked for a call-back. */
  rating?: CallbackRating;
}

/**
 * How a child dialog ended, tagged with `kind`: the router (MainDialog.resumeDialog) switches on it.
 *
 * - FAQ: `answered` (the customer may ask the next question), `closed` (helped, done: survey), `missed` (no
 *   answer), `noted` (a statement that asked nothing was acknowledged), `escalate` (the customer accepted a
 *   person).
 * - Survey: `rated` (over; `score` when the customer gave one), `callback` (a low rating whose call-back the
 *   customer accepted: the escalation dialog takes the contact and saves it).
 * - Escalation: `escalated` (a case was created: queued, a ticket, or handed to the hub), `cancelled`.
 * - Any: `reroute`, the customer's reply was a new question or request (or, `unread`, an answer the dialog could
 *   not read twice): the router routes it again in the same turn.
 */
export type FaqResult =
  | { kind: 'answered'; entryId: string }
  | { kind: 'closed' }
  | { kind: 'missed' }
  | { kind: 'noted' }
  | { kind: 'escalate'; reason: Extract<EscalationReason, 'no-match' | 'not-helpful'> };
export type FeedbackResult =
  | {
      kind: 'rated';
      score?: Score;
      /**
       * The rating came with a request for a person ("1 star, get me a human"): the router hands over, as a
       * complaint after a low score (with the apology), else as the request.
       */
      handover?: Extract<EscalationReason, 'request' | 'complaint'>;
    }
  | { kind: 'callback'; rating: CallbackRating };
export type EscalationResult = { kind: 'escalated'; caseId: string } | { kind: 'cancelled' };
export interface RerouteResult {
  kind: 'reroute';
  unread: boolean;
  /** The part of the message to route (a question after a rating comment); the whole message when absent. */
  text?: string;
  /**
   * The reply is a complaint, however else it reads ({@link isComplaintReply}): the router takes it as the
   * complaint it is here.
   */
  complaint?: true;
}
export type ChildResult = FaqResult | FeedbackResult | EscalationResult | RerouteResult;

/**
 * A child dialog that explains its current step itself when the customer asks for help there ("help", "?"):
 * what the step asks and whether it can be skipped, instead of the general help. Says whether it did.
 */
export interface ExplainsStep {
  explainStep(context: TurnContext, instance: DialogInstance): Promise<boolean>;
}

export function explainsStep(dialog: unknown): dialog is ExplainsStep {
  return (
    typeof dialog === 'object' &&
    dialog !== null &&
    'explainStep' in dialog &&
    typeof dialog.explainStep === 'function'
  );
}

/** Facts about the current turn, resolved by the bot before dialogs run. */
export interface TurnFacts {
  locale: string;
  conversationId: string;
  customerId: string;
  channel: string;
}

const TURN_FACTS = Symbol('turnFacts');

export function setTurnFacts(context: TurnContext, facts: TurnFacts): void {
  context.turnState.set(TURN_FACTS, facts);
}

export function turnFacts(context: TurnContext): TurnFacts {
  const facts = context.turnState.get<TurnFacts | undefined>(TURN_FACTS);
  if (!facts) throw new Error('turn facts were not resolved for this turn');
  return facts;
}

const CLIENT_ADDRESS = Symbol('clientAddress');

/**
 * Notes the address a turn's request came from, as the rate limits key it (server/http.ts: requestAddress): set by
 * the embedded Direct Line, which alone sees the customer's HTTP request.
 */
export function setClientAddress(context: TurnContext, address: string): void {
  context.turnState.set(CLIENT_ADDRESS, address);
}

/**
 * Who the customer of this turn counts as for a bound per client (HandoffService.admitRequest): on the embedded
 * Direct Line the request's address, as the rate limits key it, whatever conversation it starts; elsewhere the
 * channel's account of the customer (on Teams their AAD account, which the tenant vouches for).
 */
export function requestClient(context: TurnContext): string {
  const address = context.turnState.get<string | undefined>(CLIENT_ADDRESS);
  if (address !== undefined) return `address:${address}`;
  const { channel, customerId } = turnFacts(context);
  return `${channel}:${customerId}`;
}

const EPISODE_ANSWER = Symbol('episodeAnswer');

/**
 * Notes the FAQ entry that answered in this turn; the bot writes it to the open episode with the turn's
 * transcript lines, in one write at the end of the turn (`ConversationStore.record`).
 */
export function setEpisodeAnswer(context: TurnContext, faqEntryId: string): void {
  context.turnState.set(EPISODE_ANSWER, faqEntryId);
}

export function episodeAnswer(context: TurnContext): string | undefined {
  return context.turnState.get<string | undefined>(EPISODE_ANSWER);
}

const OPEN_EPISODE = Symbol('openEpisode');
const UNSAVED_EPISODE = Symbol('unsavedEpisode');

/**
 * The conversation's open episode as this turn knows it (null: none), noted when the bot records the customer's
 * message and whenever a dialog opens or closes one; undefined when the turn has not seen the record (proactive
 * turns, card invokes). `unsaved`: opened by this turn and not written yet — the bot writes it with the turn's
 * transcript lines, in the turn's last write (`ConversationStore.record`), unless something in the turn needs it
 * stored sooner. Noting another episode (or none) forgets an unsaved one.
 */
export function setOpenEpisode(context: TurnContext, episode: Episode | null, unsaved = false): void {
  context.turnState.set(OPEN_EPISODE, episode);
  context.turnState.set(UNSAVED_EPISODE, unsaved ? episode : undefined);
}

export function openEpisodeSeen(context: TurnContext): Episode | null | undefined {
  return context.turnState.get<Episode | null | undefined>(OPEN_EPISODE);
}

/** The episode this turn opened and has not written yet (see {@link setOpenEpisode}). */
export function unsavedEpisode(context: TurnContext): Episode | undefined {
  return context.turnState.get<Episode | undefined>(UNSAVED_EPISODE);
}

const MESSAGE_READINGS = Symbol('messageReadings');

/** What the bot makes of a customer message in this turn (see {@link readMessage}). */
export interface TurnReading extends MessageReading {
  /**
   * A goodbye ("thanks, that's all") in the conversation's language or, whole, in another supported one ("to
   * wszystko" in an English chat): a customer who leaves in their own language is not asking for anything else.
   * The router and every step that waits for a reply read it here.
   */
  goodbye: boolean;
}

/**
 * What `understanding` makes of a customer message, and whether it is a goodbye, read once per turn: the
 * interruption check, the waiting child dialog and the router (again after a reroute) all ask about the same
 * message. Kept for the turn only, so a lesson learnt meanwhile counts from the next message on, as documented.
 */
export function readMessage(
  context: TurnContext,
  understanding: Understanding,
  text: string,
  locale: string,
): TurnReading {
  const readings = turnReadings(context);
  const key = `${locale}\u0000${text}`;
  let reading = readings.get(key);
  if (!reading) {
    reading = { ...understanding.message(text, locale), goodbye: saysGoodbye(text, locale) };
    readings.set(key, reading);
  }
  return reading;
}

function saysGoodbye(text: string, locale: string): boolean {
  return (
    isClosing(text, locale) || supportedLocales().some((other) => other !== locale && isClosing(text, other))
  );
}

function turnReadings(context: TurnContext): Map<string, TurnReading> {
  let readings = context.turnState.get<Map<string, TurnReading> | undefined>(MESSAGE_READINGS);
  if (!readings) {
    readings = new Map();
    context.turnState.set(MESSAGE_READINGS, readings);
  }
  return readings;
}

/** Probability of `other` from which a reply with an anger cue is an ordinary message after all. */
export const SURELY_ORDINARY = 0.6;

/**
 * A reply to a question of the bot (yes/no, a rating) that is a complaint, however else it reads ("udah 3 hari
 * internet mati, kecewa bgt": "udah" means yes): it carries a complaint or anger cue (short replies the classifier
 * merely takes for a complaint, "tak, udało się", "dunno really", have none), and the router reads a complaint, or
 * at least not surely anything else: the classifier leans to a complaint, or reads an ordinary message with less
 * than {@link SURELY_ORDINARY} ("yes but i already did all that, so annoying": other 0.50, complaint close
 * behind — after an answer, annoyance is about it). The step hands it to the router as a complaint
 * ({@link COMPLAINT_REROUTE}), which hands the customer to a person with an apology.
 */
export function isComplaintReply(
  context: TurnContext,
  understanding: Understanding,
  text: string,
  locale: string,
): boolean {
  const reading = readMessage(context, understanding, text, locale);
  const leansToComplaint =
    reading.label === 'complaint' ||
    (reading.label === 'other' && (reading.leaning === 'complaint' || reading.confidence < SURELY_ORDINARY));
  return leansToComplaint && detectFrustration(text, locale).reasons.length > 0;
}

/**
 * A request for a person ("talk to a human", "chcę rozmawiać z konsultantem") as the router reads it, but not a
 * goodbye in another supported language ("to wszystko" in an English chat) nor, in the survey (`inSurvey`), praise
 * of the staff ("the agent was lovely", "konsultant był bardzo miły": the model reads thanks, the phrase list a
 * person).
 */
export function asksForPerson(
  context: TurnContext,
  understanding: Understanding,
  text: string,
  locale: string,
  inSurvey: boolean,
): boolean {
  const reading = readMessage(context, understanding, text, locale);
  if (reading.label !== 'human' || reading.goodbye) return false;
  return !(inSurvey && reading.leaning === 'closing');
}

/** How a step hands a complaint reply ({@link isComplaintReply}) to the router: routed again, as a complaint. */
export const COMPLAINT_REROUTE: RerouteResult = { kind: 'reroute', unread: false, complaint: true };

/**
 * A card button press, from either path: `Action.Execute` (Teams: an `adaptiveCard/action` invoke whose
 * value is `{action: {verb, data}}`) or `Action.Submit` (Web Chat and Teams fallback: a message whose value is
 * the data, which carries the same `verb`). Every card of ours puts `verb` in its data so both paths agree.
 */
export interface CardAction {
  verb: string;
  data: Record<string, unknown>;
  via: 'execute' | 'submit';
}

const CARD_ACTION = Symbol('cardAction');
const INVOKE_RESPONSE = Symbol('invokeResponse');

export function setCardAction(context: TurnContext, action: CardAction | undefined): void {
  context.turnState.set(CARD_ACTION, action);
}

/** The card action of this turn, if the customer pressed a card button. */
export function cardAction(context: TurnContext): CardAction | undefined {
  return context.turnState.get<CardAction | undefined>(CARD_ACTION);
}

/** For Action.Execute: the card that replaces the pressed one (Teams updates it in place). */
export interface CardInvokeResponse {
  statusCode: 200;
  type: 'application/vnd.microsoft.card.adaptive';
  value: Record<string, unknown>;
}

export function setInvokeResponse(context: TurnContext, response: CardInvokeResponse): void {
  context.turnState.set(INVOKE_RESPONSE, response);
}

export function invokeResponse(context: TurnContext): CardInvokeResponse | undefined {
  return context.turnState.get<CardInvokeResponse | undefined>(INVOKE_RESPONSE);
}
