import type { Resolution, Score } from '../feedback/types';
import type { Contact as WrittenContact } from '../language/contact';
import type { TranscriptLine } from '../storage/conversations';
import type { RouterReading } from '../review/log';

/**
 * The handoff domain's public types: cases, their messages and events, and the channel back to the customer.
 * Plain TypeScript (no botbuilder): the bot implements `CustomerChannel`, the staff surfaces consume events.
 */

/**
 * queued → assigned → resolved, plus cancelled (customer), left (the customer left the conversation), expired
 * (leave-a-message ticket), abandoned.
 */
export const caseStatuses = [
  'queued',
  'assigned',
  'resolved',
  'cancelled',
  'left',
  'expired',
  'abandoned',
] as const;
export type CaseStatus = (typeof caseStatuses)[number];
/** The states in which a case owns the conversation (the bot relays instead of answering). */
export const activeStatuses: readonly CaseStatus[] = ['queued', 'assigned'];

/** Why the customer was escalated (the one definition; the dialogs re-export it). */
export type EscalationReason = 'request' | 'complaint' | 'no-match' | 'not-helpful' | 'low-rating';

/**
 * How staff can reach the customer: what the customer typed (e-mail, phone, read by language/contact.ts), or
 * the identity the channel vouches for (`teams`: the customer's Microsoft Teams AAD object id).
 */
export interface Contact extends WrittenContact {
  teams?: string;
}

/** The rating that asked for a call-back (reason 'low-rating'): its score and the customer's comment. */
export interface CallbackRating {
  score: Score;
  comment?: string;
}

/** A member of staff acting on a case; `admin` may act on any agent's case. */
export interface StaffMember {
  id: string;
  name: string;
  role?: 'agent' | 'admin';
}

/** What staff see of a case (queue rows, events). */
export interface CaseView {
  id: string;
  status: CaseStatus;
  conversationId: string;
  customerId: string;
  locale: string;
  channel: string;
  reason: EscalationReason;
  summary: string;
  contact: Contact;
  /** Reason 'low-rating': the score and comment of the rating that asked for the call-back. */
  rating?: CallbackRating;
  /**
   * Effective priority: the base priority (reason, anger) plus one point per PRIORITY_AGING_MINUTES since the
   * customer asked (`createdAt`; a release does not start it again).
   */
  priority: number;
  /** The priority at creation, from the reason and anger cues. */
  basePriority: number;
  /** True for leave-a-message tickets (outside business hours or nobody took the case in time). */
  ticket: boolean;
  /** True when an external agent hub (HANDOFF_MODE=external) handles the case. */
  external: boolean;
  agentId?: string;
  agentName?: string;
  /** When the customer asked: the queue order and the staff's "waiting" count from here. */
  createdAt: Date;
  /** When the case (re-)entered the queue: the expiry timeout counts from here (it restarts at a release). */
  queuedAt: Date;
  assignedAt?: Date;
  resolvedAt?: Date;
  updatedAt: Date;
}

export interface CaseMessage {
  id: string;
  caseId: string;
  from: 'customer' | 'agent';
  text: string;
  agentId?: string;
  agentName?: string;
  at: Date;
  /** Agent messages: whether the relay to the customer went through (`pending` until it is known). */
  delivery?: 'pending' | Delivery;
}

/** A case with what happened before (the bot transcript) and during (the case messages) the handoff. */
export interface CaseDetail extends CaseView {
  transcript: TranscriptLine[];
  messages: CaseMessage[];
}

export type CaseEventType =
  | 'created'
  | 'assigned'
  | 'released'
  | 'resolved'
  | 'cancelled'
  | 'left'
  | 'expired'
  | 'abandoned'
  /** A queued case without a summary got one from what the customer wrote while waiting. */
  | 'described'
  | 'message';

export interface CaseEvent {
  type: CaseEventType;
  caseView: CaseView;
  message?: CaseMessage;
}

/**
 * How a proactive message to the customer went: `sent`; `failed` for now (the channel did not answer, or
 * answered with an error that may pass: no HTTP status, 5xx, 429, a timeout); `unreachable` for good (the
 * channel answered 403 or 404, or no conversation reference is stored).
 */
export type Delivery = 'sent' | 'failed' | 'unreachable';

/**
 * What a committed staff action (take, resolve, release) answers: the case as it is now, and how telling the
 * customer went. An unreachable customer has abandoned an open case by then.
 */
export interface CaseTransition extends CaseView {
  delivery: Delivery;
}

/**
 * The survey of one episode (one customer need, from first question to close; the survey is sent once per
 * episode): what the feedback dialog is started with.
 */
export interface SurveyRequest {
  episodeId: string;
  resolution: Resolution;
  faqEntryId?: string;
  /** Snapshot of the agent at the time the survey is sent. */
  agentId?: string;
  /** The agent's name when they took the case (a Teams agent's display name), for the CSAT reports. */
  agentName?: string;
  caseId?: string;
  /** Set by the router: the episode's messages it read as questions, listed for review after a low rating. */
  readings?: RouterReading[];
}

/** How the handoff service reaches the customer; implemented by the bot with proactive turns. */
export interface CustomerChannel {
  /**
   * `sender`: the name of the member of staff who wrote `text`, shown with it as theirs (an agent's message);
   * without it the text is the bot's.
   */
  sendText(conversationId: string, text: string, sender?: string): Promise<Delivery>;
  startSurvey(conversationId: string, options: SurveyRequest): Promise<Delivery>;
}

/** The `value` of a Bot Framework `handoff.status` event from an external agent hub. */
export interface HandoffStatus {
  state: 'accepted' | 'failed' | 'completed';
  message?: string;
}
