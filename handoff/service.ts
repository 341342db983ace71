import { randomUUID } from 'node:crypto';
import type { Config } from '../config';
import type { Clock } from '../core/clock';
import { AppError } from '../core/errors';
import type { Logger } from '../core/logger';
import { cleanMarkdown, htmlLinksAsMarkdown, type Removed } from '../core/markdown';
import { extractContact, hasEmailOrPhone } from '../language/contact';
import { saysEnough } from '../language/words';
import { t } from '../locales';
import type { ConversationStore, TranscriptLine } from '../storage/conversations';
import type { Database } from '../storage/port';
import { BusinessHours } from './businessHours';
import { CaseStore, type CaseDoc, type NewCase } from './cases';
import { RequestQuota, requestKey } from './requestQuota';
import { summaryOf } from './summary';
import { contactsOf, type FollowupReason, type FollowupService } from './followups';
import type { StaffPresence } from './presence';
import { basePriority, byQueueOrder, effectivePriority, expectedWaitMinutes } from './queue';
import {
  activeStatuses,
  type CallbackRating,
  type CaseDetail,
  type CaseEvent,
  type CaseEventType,
  type CaseMessage,
  type CaseStatus,
  type CaseTransition,
  type CaseView,
  type Contact,
  type CustomerChannel,
  type HandoffStatus,
  type StaffMember,
} from './types';

export type HandoffConfig = Pick<
  Config,
  | 'HANDOFF_MODE'
  | 'BUSINESS_HOURS'
  | 'BUSINESS_TIMEZONE'
  | 'HANDOFF_QUEUE_TIMEOUT_MINUTES'
  | 'HANDOFF_REQUESTS_PER_CLIENT_PER_DAY'
  | 'TRANSCRIPT_RETENTION_DAYS'
>;

export interface HandoffDeps {
  db: Database;
  clock: Clock;
  config: HandoffConfig;
  conversations: ConversationStore;
  customers: CustomerChannel;
  /** Every ticket (left message, low-rating call-back, expired in the queue, hub failed) opens a follow-up. */
  followups: Pick<FollowupService, 'open' | 'addCustomerMessage' | 'pendingFor'>;
  /** Who of staff is around: a wait estimate is given only while someone is. */
  presence: StaffPresence;
  log: Logger;
  /**
   * Publishes each case event to every instance (the staff consoles' streams); awaited, so an event follows
   * the events of the changes before it on every instance.
   */
  events?: { publish(event: CaseEvent): Promise<void> };
}

export interface OpenCaseInput extends Pick<
  NewCase,
  'conversationId' | 'customerId' | 'locale' | 'channel' | 'reason' | 'summary'
> {
  contact?: Contact;
  /** Reason 'low-rating': the rating that asked for the call-back. */
  rating?: CallbackRating;
  /**
   * When the customer asked for a person. Without a summary (the customer skipped the description), the case
   * shows the customer's last messages up to this moment instead, leaving out what only asks for a person.
   */
  escalatedAt?: Date;
  /** 0–1 from the cue detector. */
  anger?: number;
  /** `external`: an agent hub handles the case (the dialog emitted handoff.initiate). Default internal. */
  mode?: 'internal' | 'external';
}

export interface OpenCaseResult {
  caseDoc: CaseView;
  /** 1 = next in line; 0 for a leave-a-message ticket. */
  position: number;
  /** Null when no staff member is present (nobody could say how long it takes) and for a ticket. */
  expectedWaitMinutes: number | null;
  /** False: outside business hours, the case was saved as a leave-a-message ticket. */
  withinHours: boolean;
}

/**
 * Longest message staff may send a customer (characters, trimmed): the staff console's reply box and API, and a
 * reply in a case card's Teams thread (agentMessage refuses a longer one, so no channel passes it on cut or whole).
 */
export const MAX_AGENT_MESSAGE_CHARS = 4000;

/** The external hub's pseudo-agent, recorded on cases it accepted. */
export const EXTERNAL_AGENT: StaffMember = { id: 'external', name: 'external agent hub' };

const MAX_LIST = 500;
const EXPIRY_BATCH = 100;
const RECENT_TAKES = 20;
const RECENT_TAKES_DAYS = 7;
const MS_PER_MINUTE = 60_000;
/** Customer messages a case without a description shows as its summary (the last ones). */
export const SUMMARY_MESSAGES = 3;
/** The cases of a conversation looked at for what it already left with staff (`earlier`). */
const EARLIER_CASES = 10;

/**
 * Escalation cases and the relay between customers and staff: the one service behind the escalation dialog,
 * the bot's handoff guard, the staff API, the console and the Teams notifier. State lives in the database
 * only (cases survive a restart); listeners in this process get an event for every change made here, and
 * `events` carries it to every instance.
 *
 * Calls made inside a customer's turn (open, activeCase, cancelByCustomer, customerLeft, customerMessage,
 * onHandoffStatus) never wait for a proactive send to that customer: those turns are serialised per
 * conversation, so the reply of the current turn is the caller's business, and onHandoffStatus defers its
 * notices until `idle()`.
 */
export class HandoffService {
  readonly hours: BusinessHours;
  private readonly store: CaseStore;
  private readonly requests: RequestQuota;
  private readonly listeners = new Set<(event: CaseEvent) => void>();
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly deps: HandoffDeps) {
    this.hours = BusinessHours.parse(deps.config.BUSINESS_HOURS, deps.config.BUSINESS_TIMEZONE);
    this.store = new CaseStore(deps.db, deps.clock, deps.config.TRANSCRIPT_RETENTION_DAYS);
    this.requests = new RequestQuota(deps.db, deps.clock, deps.config.HANDOFF_REQUESTS_PER_CLIENT_PER_DAY);
  }

  subscribe(listener: (event: CaseEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Internal or external handoff for a channel: never external on Teams (no event activities there). */
  modeFor(channel: string): 'internal' | 'external' {
    if (this.deps.config.HANDOFF_MODE !== 'external') return 'internal';
    if (channel !== 'msteams') return 'external';
    this.deps.log.info({ channel }, 'HANDOFF_MODE=external is not used on Teams; queueing internally');
    return 'internal';
  }

  /** Null while staff are available; otherwise when they will be back, formatted for the customer. */
  closedUntil(locale: string): string | null {
    const now = this.deps.clock.now();
    return this.hours.isOpen(now) ? null : this.hours.format(this.hours.nextOpening(now), locale);
  }

  /**
   * What a customer who gave no way back can do instead of waiting for a reply: a person now (in hours) or when
   * the team is back, and the bot's own answers.
   */
  insteadOfCallback(locale: string): string {
    const when = this.closedUntil(locale);
    return when === null ? t(locale, 'handoff.offerNow') : t(locale, 'handoff.offerLater', { when });
  }

  /** The customer's line on when a leave-a-message ticket will be answered, in their language. */
  replyExpectation(locale: string): string {
    const when = this.closedUntil(locale);
    return when === null
      ? t(locale, 'handoff.ticketReplySoon')
      : t(locale, 'handoff.ticketReplyAt', { when });
  }

  // ---- customer side ----

  /**
   * Queues a case for the conversation, or saves a ticket for staff to get back to the customer: outside
   * business hours (a left message) and always for a low-rating call-back. A conversation has at most one open
   * case: a second open returns the existing one. A case without a summary shows the customer's last messages.
   */
  async open(input: OpenCaseInput): Promise<OpenCaseResult> {
    const external = input.mode === 'external';
    const withinHours = external || this.hours.isOpen(this.deps.clock.now());
    const conversation = await this.deps.conversations.get(input.conversationId);
    const transcript = conversation?.recent ?? [];
    const { doc, created } = await this.store.create({
      conversationId: input.conversationId,
      customerId: input.customerId,
      locale: input.locale,
      channel: input.channel,
      reason: input.reason,
      summary: input.summary.trim() || lastCustomerMessages(transcript, input.locale, input.escalatedAt),
      contact: input.contact ?? {},
      ...(input.rating ? { rating: input.rating } : {}),
      basePriority: basePriority(input.reason, input.anger),
      transcript,
      ticket: !withinHours || input.reason === 'low-rating',
      external,
    });
    if (created) await this.emit('created', doc);
    if (created && doc.ticket)
      await this.followUp(doc, doc.reason === 'low-rating' ? 'low-rating' : 'left-message');
    if (doc.status !== 'queued') {
      return { caseDoc: this.view(doc), position: 0, expectedWaitMinutes: null, withinHours };
    }
    const { position, expectedWaitMinutes } = await this.queuePosition(doc._id);
    return { caseDoc: this.view(doc), position, expectedWaitMinutes, withinHours: true };
  }

  /**
   * Counts a new request for a person (a case to queue, a message for staff) of `client` (see requestClient):
   * false, and a warning in the log, when the client has made HANDOFF_REQUESTS_PER_CLIENT_PER_DAY within 24 hours
   * (one address starting conversation after conversation would otherwise bury the queue and the follow-up inbox,
   * a Teams card each); the warning names the client by its key in the quota (requestKey), never its address. The
   * caller opens the case only when admitted.
   */
  async admitRequest(client: string, conversationId: string): Promise<boolean> {
    if (await this.requests.take(client)) return true;
    this.overBound(client, conversationId);
    return false;
  }

  /**
   * Whether `client` may still make a request for a person (see admitRequest), counting nothing: asked when a
   * hand-over begins, so a client over its bound is told before it describes the problem. False, and the warning
   * in the log, when it has made HANDOFF_REQUESTS_PER_CLIENT_PER_DAY within 24 hours.
   */
  async mayRequest(client: string, conversationId: string): Promise<boolean> {
    if (await this.requests.hasRoom(client)) return true;
    this.overBound(client, conversationId);
    return false;
  }

  /** Logs a request for a person refused by the daily bound, naming the client by its key (requestKey). */
  private overBound(client: string, conversationId: string): void {
    this.deps.log.warn(
      {
        client: requestKey(client),
        conversationId,
        perDay: this.deps.config.HANDOFF_REQUESTS_PER_CLIENT_PER_DAY,
      },
      'request for a person not passed on: the client is over its daily bound',
    );
  }

  /** The queued or assigned case of a conversation (one indexed lookup; runs on every customer turn). */
  async activeCase(conversationId: string): Promise<CaseView | null> {
    const doc = await this.store.findActive(conversationId);
    return doc ? this.view(doc) : null;
  }

  /**
   * Whether a hand-over of the conversation still has the floor: a case is open, or its newest case changed at or
   * after `since` (expired, resolved, released: the notice of that change may still be on its way to the customer,
   * and the survey must come after it).
   */
  async handoverSince(conversationId: string, since: Date): Promise<boolean> {
    const [newest] = await this.store.ofConversation(conversationId, 1);
    return (
      newest !== undefined &&
      (activeStatuses.includes(newest.status) || newest.updatedAt.getTime() >= since.getTime())
    );
  }

  /** The customer withdrew: closes the open case. False when there was none. The caller replies. */
  async cancelByCustomer(conversationId: string): Promise<boolean> {
    const doc = await this.store.closeActive(conversationId, 'cancel');
    if (doc) await this.emit('cancelled', doc);
    return doc !== null;
  }

  /**
   * The customer left the conversation (their client ended it: Web Chat's "Start a new conversation"): the open
   * case leaves the queue, or is closed for the agent handling it, who learns it from the `left` event (the
   * staff console and the Teams thread say so). Nothing is sent to the customer. False when no case was open.
   */
  async customerLeft(conversationId: string): Promise<boolean> {
    const doc = await this.store.closeActive(conversationId, 'leave');
    if (doc) await this.emit('left', doc);
    return doc !== null;
  }

  /**
   * A customer message during a handoff: stored with the case and passed to staff. An e-mail address or phone
   * number in it, while the case waits in the queue without one, becomes the case's contact (as if given at the
   * contact step, so an expiry keeps the request as a message); the customer is told after this turn. While the
   * case waits without a summary, the first message that says what it is about becomes its summary.
   */
  async customerMessage(conversationId: string, text: string): Promise<void> {
    const active = await this.store.findActive(conversationId);
    if (!active) return;
    const contacted = (await this.noteContact(active, text)) ?? active;
    const doc = (await this.noteSummary(contacted, text)) ?? contacted;
    const message = await this.store.addMessage({ caseId: doc._id, from: 'customer', text });
    await this.emit('message', doc, message);
  }

  /**
   * A message the customer wrote after their request was saved as a message (a ticket of `caseId`): added to
   * its follow-up while that is not closed. False when there is none (closed, or the case is no ticket).
   */
  followupMessage(caseId: string, text: string): Promise<boolean> {
    return this.deps.followups.addCustomerMessage(caseId, text);
  }

  /**
   * A way back the customer gave after their case expired without one (they were offered to leave it): the
   * case becomes a ticket with a `queue-timeout` follow-up. False when the case is not such a case (any more).
   */
  async leaveContact(caseId: string, contact: Contact): Promise<boolean> {
    const doc = await this.store.ticketWithContact(caseId, contact);
    if (doc) await this.followUp(doc, 'queue-timeout');
    return doc !== null;
  }

  /**
   * A way back the customer gave later still (at the survey's rating step) while the conversation's newest case is
   * one that expired without one: as leaveContact. False when that case is not such a case.
   */
  async leaveContactForLast(conversationId: string, contact: Contact): Promise<boolean> {
    const [last] = await this.store.ofConversation(conversationId, 1);
    return last !== undefined && this.leaveContact(last._id, contact);
  }

  /**
   * What the conversation already left with staff (for a new request for a person): `saved`, its newest saved
   * message (a ticket) whose follow-up staff have still to do; `contact`, the newest e-mail address or phone number
   * the customer gave for a case, so they need not type it again ("the same e-mail as before").
   */
  async earlier(conversationId: string): Promise<{ saved: CaseView | null; contact: Contact | null }> {
    const docs = await this.store.ofConversation(conversationId, EARLIER_CASES);
    const ticket = docs.find((doc) => doc.ticket);
    const saved = ticket && (await this.deps.followups.pendingFor(ticket._id)) ? this.view(ticket) : null;
    const given = docs.find((doc) => hasEmailOrPhone(doc.contact));
    const contact = given
      ? {
          ...(given.contact.email === undefined ? {} : { email: given.contact.email }),
          ...(given.contact.phone === undefined ? {} : { phone: given.contact.phone }),
        }
      : null;
    return { saved, contact };
  }

  /** The place of a queued case in the internal queue (1: next; after the last when it is not there). */
  async queuePlace(caseId: string): Promise<number> {
    const queue = (await this.list({ status: 'queued' })).filter((c) => !c.external);
    return queue.findIndex((c) => c.id === caseId) + 1 || queue.length + 1;
  }

  /**
   * A `handoff.status` event from an external hub: accepted → assigned, completed → resolved (bot back,
   * survey), failed → leave-a-message ticket. Customer notices are deferred past the current turn.
   */
  async onHandoffStatus(conversationId: string, value: unknown): Promise<void> {
    const status = parseHandoffStatus(value);
    const doc = await this.store.findActive(conversationId);
    if (!status || !doc?.external) {
      this.deps.log.warn({ conversationId, value }, 'handoff.status ignored (no external case or bad value)');
      return;
    }
    if (status.state === 'accepted') {
      if (doc.status === 'queued') {
        await this.emit('assigned', await this.store.take(doc._id, EXTERNAL_AGENT, true));
      }
      return;
    }
    if (status.state === 'completed') {
      const assigned = doc.status === 'queued' ? await this.store.take(doc._id, EXTERNAL_AGENT, true) : doc;
      const resolved = await this.store.resolve(assigned._id, { ...EXTERNAL_AGENT, role: 'admin' });
      await this.emit('resolved', resolved);
      this.defer(this.welcomeBack(resolved));
      return;
    }
    const expired = await this.store.expire(doc._id, hasWayBack(doc.contact));
    if (!expired) return;
    await this.emit('expired', expired);
    this.defer(this.ticketOrNotice(expired, 'handoff.externalFailed'));
  }

  /** Resolves once every deferred customer notice has been sent (tests, graceful shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  // ---- staff side ----

  /** Cases by status; the queue is in queue order (handoff/queue.ts: effective priority, then asked first). */
  async list(filter: { status?: CaseStatus } = {}): Promise<CaseView[]> {
    const views = (await this.store.list(filter.status, MAX_LIST)).map((doc) => this.view(doc));
    return filter.status === 'queued' ? views.sort(byQueueOrder) : views;
  }

  /**
   * The case ended without a person: its queue expired or the customer abandoned it, so the customer asked for a
   * person and got none, and the episode's survey rates the hand-over (its case, no agent), not the bot. False for
   * a case that is not there (any more).
   */
  async endedWithoutPerson(caseId: string): Promise<boolean> {
    const status = (await this.store.get(caseId))?.status;
    return status === 'expired' || status === 'abandoned';
  }

  async get(caseId: string): Promise<CaseDetail> {
    const doc = await this.require(caseId);
    return { ...this.view(doc), transcript: doc.transcript, messages: await this.store.messagesOf(caseId) };
  }

  /**
   * queued → assigned to `agent` (409 when someone else was faster); the customer is told who joined (by name
   * when it is a person's, see personalName). The take
   * stands whatever the delivery (an unreachable customer has abandoned the case by then).
   */
  async take(caseId: string, agent: StaffMember): Promise<CaseTransition> {
    const doc = await this.store.take(caseId, agent);
    await this.emit('assigned', doc);
    const agentName = personalName(agent);
    return this.tellCustomer(doc, (locale) =>
      agentName === undefined
        ? t(locale, 'handoff.agentJoinedNeutral')
        : t(locale, 'handoff.agentJoined', { agentName }),
    );
  }

  /**
   * Relays an agent's message (HTML removed, HTML links to web addresses kept as markdown links; plain text or
   * safe markdown) to the customer, shown as the agent's (CustomerChannel.sendText's `sender`); the case and the
   * transcript keep the text as sent. `removed` says what sanitising took out, when it took something, so that the
   * agent is told. Only the assigned agent or an admin. A message over MAX_AGENT_MESSAGE_CHARS is refused (400
   * `message_too_long`, nothing sent). An unreachable customer closes the case as abandoned and answers 410.
   */
  async agentMessage(
    caseId: string,
    agent: StaffMember,
    text: string,
  ): Promise<CaseMessage & { removed?: Removed }> {
    if (text.trim().length > MAX_AGENT_MESSAGE_CHARS) {
      throw new AppError(
        400,
        'message_too_long',
        `The message is longer than ${MAX_AGENT_MESSAGE_CHARS} characters.`,
        { max: MAX_AGENT_MESSAGE_CHARS },
      );
    }
    const { text: safe, removed } = cleanMarkdown(htmlLinksAsMarkdown(text));
    if (!safe) throw AppError.badRequest('The message is empty once HTML is removed.');
    const doc = await this.require(caseId);
    assertOwner(doc, agent);
    const message = await this.store.addMessage({
      caseId,
      from: 'agent',
      text: safe,
      agentId: agent.id,
      agentName: agent.name,
      delivery: 'pending',
    });
    // Shown as the agent's, named as the join notice names them (the support team when it cannot).
    const sender = personalName(agent) ?? t(await this.customerLocale(doc), 'staff.supportSender');
    const delivery = await this.deps.customers.sendText(doc.conversationId, safe, sender);
    if (delivery === 'failed') {
      await this.store.setDelivery(message.id, 'failed');
      throw AppError.unavailable('The message could not be delivered to the customer. Please try again.');
    }
    if (delivery === 'unreachable') {
      await this.store.setDelivery(message.id, 'unreachable');
      await this.abandon(doc);
      throw unreachable();
    }
    await this.store.setDelivery(message.id, 'sent');
    await this.deps.conversations.record(doc.conversationId, 'agent', [safe]);
    const sent: CaseMessage = { ...message, delivery: 'sent' };
    await this.emit('message', doc, sent);
    const changed = removed.tags.length > 0 || removed.unsafeLinks > 0 || removed.shownAsText;
    return changed ? { ...sent, removed } : sent;
  }

  /** assigned → resolved: the customer is told the bot is back, then asked for a rating of this agent. */
  async resolve(caseId: string, agent: StaffMember): Promise<CaseTransition> {
    const doc = await this.store.resolve(caseId, agent);
    await this.emit('resolved', doc);
    return this.welcomeBack(doc);
  }

  /** assigned → queued: back to the queue for someone else; the customer is told. */
  async release(caseId: string, agent: StaffMember): Promise<CaseTransition> {
    const doc = await this.store.release(caseId, agent);
    await this.emit('released', doc);
    return this.tellCustomer(doc, (locale) => t(locale, 'handoff.released'));
  }

  /**
   * Puts every case assigned to a member of staff back in the queue, each customer told as at a release: their
   * token was revoked, and nobody else may answer a case while it is theirs. Returns how many.
   */
  async releaseAllOf(staffId: string): Promise<number> {
    let count = 0;
    for (const doc of await this.store.assignedTo(staffId)) {
      try {
        await this.release(doc._id, { id: staffId, name: doc.agentName ?? '', role: 'agent' });
        count++;
      } catch (err) {
        if (!(err instanceof AppError)) throw err; // resolved, released or cancelled meanwhile
      }
    }
    return count;
  }

  /**
   * The sweep (call from a timer): queued cases nobody took within HANDOFF_QUEUE_TIMEOUT_MINUTES become
   * leave-a-message tickets, and the customer is told when to expect a reply. Returns how many expired.
   */
  async expireOverdue(): Promise<number> {
    const cutoff = new Date(
      this.deps.clock.now().getTime() - this.deps.config.HANDOFF_QUEUE_TIMEOUT_MINUTES * MS_PER_MINUTE,
    );
    let count = 0;
    for (const candidate of await this.store.queuedBefore(cutoff, EXPIRY_BATCH)) {
      const doc = await this.store.expire(candidate._id, hasWayBack(candidate.contact), cutoff);
      if (!doc) continue; // taken or cancelled meanwhile
      count++;
      await this.emit('expired', doc);
      await this.ticketOrNotice(doc, 'handoff.expired');
    }
    return count;
  }

  // ---- helpers ----

  /**
   * The contact in a message of a customer whose queued case has no e-mail address or phone number: stored with
   * the case (a Teams account kept), and the customer told it was noted once this turn is over. Null otherwise.
   */
  private async noteContact(doc: CaseDoc, text: string): Promise<CaseDoc | null> {
    if (doc.status !== 'queued' || hasEmailOrPhone(doc.contact)) return null;
    const given = extractContact(text);
    if (!hasEmailOrPhone(given)) return null;
    const noted = await this.store.contactWhileQueued(doc._id, { ...doc.contact, ...given });
    if (noted) this.defer(this.tellCustomer(noted, (locale) => t(locale, 'handoff.contactNoted')));
    return noted;
  }

  /**
   * The summary of a queued case the customer gave none (they skipped the description): their first message
   * while waiting that says enough (`saysEnough`) besides asking for a person or giving a contact (`summaryOf`), so staff read what it is
   * about in the queue; the `described` event updates the console's lists and the Teams card. Null otherwise.
   */
  private async noteSummary(doc: CaseDoc, text: string): Promise<CaseDoc | null> {
    if (doc.status !== 'queued' || doc.summary !== '') return null;
    // "hello?", "any update?", "ok": what waiting customers say most says nothing of the problem.
    const summary = saysEnough(text, doc.locale) ? summaryOf(text, doc.locale) : '';
    if (!summary) return null;
    const described = await this.store.describeWhileQueued(doc._id, summary);
    if (described) await this.emit('described', described);
    return described;
  }

  /**
   * The follow-up of a ticket: the customer's contact, the rating that asked for a call-back, and the
   * conversation up to now (the bot transcript and what the customer wrote while waiting).
   */
  private async followUp(doc: CaseDoc, reason: FollowupReason): Promise<void> {
    const messages = await this.store.messagesOf(doc._id);
    await this.deps.followups.open({
      conversationId: doc.conversationId,
      customerId: doc.customerId,
      channel: doc.channel,
      locale: doc.locale,
      reason,
      summary: doc.summary,
      contact: contactsOf(doc.contact),
      ...(doc.rating ? { score: doc.rating.score } : {}),
      ...(doc.rating?.comment ? { comment: doc.rating.comment } : {}),
      caseId: doc._id,
      transcript: [...doc.transcript, ...messages.map(({ from, text, at }) => ({ from, text, at }))],
    });
  }

  private async queuePosition(
    caseId: string,
  ): Promise<{ position: number; expectedWaitMinutes: number | null }> {
    const now = this.deps.clock.now();
    const position = await this.queuePlace(caseId);
    if (!this.deps.presence.anyone()) return { position, expectedWaitMinutes: null };
    const since = new Date(now.getTime() - RECENT_TAKES_DAYS * 24 * 60 * MS_PER_MINUTE);
    const waits = await this.store.recentWaits(since, RECENT_TAKES);
    return { position, expectedWaitMinutes: expectedWaitMinutes(position, waits) };
  }

  /** The customer is told the bot is back; once that is delivered, the survey (for the open episode). */
  private async welcomeBack(doc: CaseDoc): Promise<CaseTransition> {
    const agentName = doc.agentName ?? '';
    const told = await this.tellCustomer(doc, (locale) => t(locale, 'handoff.resolved', { agentName }));
    if (told.delivery !== 'sent') return told;
    const episode = await this.deps.conversations.closeEpisode(doc.conversationId);
    await this.deps.customers.startSurvey(doc.conversationId, {
      // Without an open episode, a new one: the case id is staff's handle and never goes to the customer.
      episodeId: episode?.id ?? randomUUID(),
      resolution: 'agent',
      ...(doc.agentId ? { agentId: doc.agentId } : {}),
      ...(doc.agentId && doc.agentName ? { agentName: doc.agentName } : {}),
      caseId: doc._id,
    });
    return told;
  }

  /**
   * A case nobody could take: with a way back to the customer (e-mail, phone, Teams account), a follow-up for staff
   * and the promise of a reply; without one, no promise and no follow-up nobody could act on, but the offer to give
   * one now (the bot takes it: leaveContact) and what the customer can do instead.
   */
  private async ticketOrNotice(
    doc: CaseDoc,
    key: 'handoff.expired' | 'handoff.externalFailed',
  ): Promise<void> {
    if (!doc.ticket) {
      // The customer may still give a way back (leaveContact); else ask a person later or the bot now.
      await this.tellCustomer(
        doc,
        (locale) => `${t(locale, `${key}NoContact`)} ${t(locale, 'handoff.offerContactNow')}`,
      );
      return;
    }
    await this.followUp(doc, 'queue-timeout');
    await this.tellCustomer(doc, (locale) => `${t(locale, key)} ${this.replyExpectation(locale)}`);
  }

  /** The language the customer is spoken to in: their conversation's, else the case's. */
  private async customerLocale(doc: CaseDoc): Promise<string> {
    return (await this.deps.conversations.get(doc.conversationId))?.locale || doc.locale;
  }

  /**
   * Sends a notice to the customer after a committed change of `doc`: an unreachable customer abandons an open
   * case; a failed delivery leaves the case as it is (the customer hears from the agent's next message). Returns
   * the case as it is now and how the notice went. `say` words it in the language the customer writes now (their
   * conversation's, as their latest message set it, which the survey after it follows too), else the case's.
   */
  private async tellCustomer(doc: CaseDoc, say: (locale: string) => string): Promise<CaseTransition> {
    const text = say(await this.customerLocale(doc));
    const delivery = await this.deps.customers.sendText(doc.conversationId, text);
    let now = doc;
    if (delivery === 'sent') {
      await this.deps.conversations.record(doc.conversationId, 'bot', [text]);
    } else if (delivery === 'unreachable') {
      this.deps.log.warn({ caseId: doc._id }, 'customer unreachable');
      now = (await this.abandon(doc)) ?? doc;
    } else {
      this.deps.log.warn({ caseId: doc._id, status: doc.status }, 'customer not told of a case change');
    }
    return { ...this.view(now), delivery };
  }

  private async abandon(doc: CaseDoc): Promise<CaseDoc | null> {
    const abandoned = await this.store.abandon(doc._id);
    if (abandoned) await this.emit('abandoned', abandoned);
    return abandoned;
  }

  private async require(caseId: string): Promise<CaseDoc> {
    const doc = await this.store.get(caseId);
    if (!doc) throw AppError.notFound('That case');
    return doc;
  }

  private defer(task: Promise<unknown>): void {
    const tracked: Promise<void> = task
      .then(() => undefined)
      .catch((err: unknown) => this.deps.log.error({ err }, 'deferred customer notice failed'))
      .finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  /** Tells this process's listeners (the Teams notifier) at once, then publishes the event to every instance. */
  private async emit(type: CaseEventType, doc: CaseDoc, message?: CaseMessage): Promise<void> {
    const event: CaseEvent = { type, caseView: this.view(doc), ...(message ? { message } : {}) };
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.deps.log.error({ err, type }, 'case event listener failed');
      }
    }
    await this.deps.events?.publish(event);
  }

  private view(doc: CaseDoc): CaseView {
    const priority =
      doc.status === 'queued'
        ? effectivePriority(doc.basePriority, doc.createdAt, this.deps.clock.now())
        : doc.basePriority;
    return {
      id: doc._id,
      status: doc.status,
      conversationId: doc.conversationId,
      customerId: doc.customerId,
      locale: doc.locale,
      channel: doc.channel,
      reason: doc.reason,
      summary: doc.summary,
      contact: doc.contact,
      ...(doc.rating ? { rating: doc.rating } : {}),
      priority,
      basePriority: doc.basePriority,
      ticket: doc.ticket,
      external: doc.external,
      ...(doc.agentId ? { agentId: doc.agentId, agentName: doc.agentName ?? doc.agentId } : {}),
      createdAt: doc.createdAt,
      queuedAt: doc.queuedAt,
      ...(doc.assignedAt ? { assignedAt: doc.assignedAt } : {}),
      ...(doc.resolvedAt ? { resolvedAt: doc.resolvedAt } : {}),
      updatedAt: doc.updatedAt,
    };
  }
}

/**
 * The customer's last SUMMARY_MESSAGES messages up to `until` (all when not given), one per line, each as a
 * summary takes it (`summaryOf`: whole, and none that only asks for a person, "I want to talk to a human").
 */
function lastCustomerMessages(transcript: readonly TranscriptLine[], locale: string, until?: Date): string {
  return transcript
    .filter((line) => line.from === 'customer' && (!until || line.at.getTime() <= until.getTime()))
    .map((line) => summaryOf(line.text, locale))
    .filter((text) => text !== '')
    .slice(-SUMMARY_MESSAGES)
    .join('\n');
}

/** Words that make a staff name a technical one: the admin token's "admin", a service account, a test token. */
const TECHNICAL_WORDS = new Set([
  'admin',
  'administrator',
  'root',
  'system',
  'sysadmin',
  'bot',
  'api',
  'token',
  'test',
]);
/** Words that name a role rather than a person ("Support", "Agent 2"): technical when nothing else is there. */
const ROLE_WORDS = new Set([
  'agent',
  'support',
  'staff',
  'team',
  'user',
  'operator',
  'helpdesk',
  'service',
  'desk',
]);

/**
 * The name of a member of staff as customers may see it, or undefined when it is a technical one: the admin
 * token's ("admin"), the external hub's, empty, any name with a technical word ("api-admin", "Admin token"), or
 * only role words and numbers ("Support", "agent_2", an id).
 */
function personalName(agent: StaffMember): string | undefined {
  const name = agent.name.trim();
  if (agent.id === 'admin' || agent.id === EXTERNAL_AGENT.id) return undefined;
  const words = name.toLowerCase().match(/\p{L}+/gu) ?? [];
  if (words.some((word) => TECHNICAL_WORDS.has(word)) || /\d{3,}|[0-9a-f]{8}-/i.test(name)) return undefined;
  return words.some((word) => !ROLE_WORDS.has(word)) ? name : undefined;
}

function assertOwner(doc: CaseDoc, agent: StaffMember): void {
  if (doc.status !== 'assigned')
    throw AppError.conflict(`This case is ${doc.status}; it is not being handled.`);
  if (agent.role !== 'admin' && doc.agentId !== agent.id) {
    throw AppError.forbidden('This case is assigned to another agent.');
  }
}

/** Staff can get back to the customer: an e-mail address, a phone number or their Teams account. */
function hasWayBack(contact: Contact): boolean {
  return hasEmailOrPhone(contact) || Boolean(contact.teams);
}

function unreachable(): AppError {
  return new AppError(
    410,
    'customer_unreachable',
    'The customer can no longer be reached; the case was closed as abandoned.',
  );
}

function parseHandoffStatus(value: unknown): HandoffStatus | null {
  const parsed: unknown = typeof value === 'string' ? safeJson(value) : value;
  if (typeof parsed !== 'object' || parsed === null || !('state' in parsed)) return null;
  const { state } = parsed;
  if (state !== 'accepted' && state !== 'failed' && state !== 'completed') return null;
  const message = 'message' in parsed && typeof parsed.message === 'string' ? parsed.message : undefined;
  return message === undefined ? { state } : { state, message };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
