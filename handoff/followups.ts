import { randomUUID } from 'node:crypto';
import { daysAfter, type Clock } from '../core/clock';
import { AppError } from '../core/errors';
import type { Logger } from '../core/logger';
import { redactText } from '../privacy/redact';
import type { ConversationStore, TranscriptLine } from '../storage/conversations';
import type { Collection, Database, Doc, Filter } from '../storage/port';
import type { Contact, StaffMember } from './types';
import type { EventSubject } from '../storage/eventBus';

/**
 * The follow-up inbox: every promise to get back to a customer, until a member of staff closes it.
 *
 * Three sources, one entry point (`FollowupService.open`):
 * - `left-message`: a message left outside business hours;
 * - `queue-timeout`: a queued case nobody took within HANDOFF_QUEUE_TIMEOUT_MINUTES (or that an external agent
 *   hub could not take);
 * - `low-rating`: a customer who rated 1 or 2 accepted a call-back.
 *
 *   open ──claim──▶ claimed ──close(note)──▶ closed
 *     └──────────────close(note)─────────────▲
 *
 * Each change is ONE conditional `findOneAndUpdate` on the expected status, so of two claims exactly one wins
 * (on the embedded store and on MongoDB alike). A follow-up keeps the customer's ways of contact and a copy of
 * the transcript (the conversation record expires on its own schedule); closed ones stay, with their note, as
 * the history, until TRANSCRIPT_RETENTION_DAYS after they were opened.
 */
export const followupReasons = ['left-message', 'queue-timeout', 'low-rating'] as const;
export type FollowupReason = (typeof followupReasons)[number];
export const followupStatuses = ['open', 'claimed', 'closed'] as const;
export type FollowupStatus = (typeof followupStatuses)[number];

/** One way to reach the customer: an address they gave, or their Teams identity (the bot can write there). */
export interface FollowupContact {
  kind: 'email' | 'phone' | 'teams';
  value: string;
}

export interface StaffRef {
  id: string;
  name: string;
}

/** What staff see of a follow-up (lists, events). */
export interface FollowupView {
  id: string;
  conversationId: string;
  reason: FollowupReason;
  summary: string;
  contact: FollowupContact[];
  /** The rating that asked for the call-back (`low-rating`). */
  score?: number;
  comment?: string;
  locale: string;
  channel: string;
  /** The case it came from (`left-message`, `queue-timeout`). */
  caseId?: string;
  createdAt: Date;
  status: FollowupStatus;
  claimedBy: StaffRef | null;
  claimedAt?: Date;
  closedBy?: StaffRef;
  closedAt?: Date;
  /** What the member of staff who closed it wrote (what was done). */
  note?: string;
}

/** A follow-up with the conversation it is about. */
export interface FollowupDetail extends FollowupView {
  transcript: TranscriptLine[];
}

export interface FollowupEvent {
  /** `added`: the customer wrote more to it (addCustomerMessage). */
  type: 'created' | 'claimed' | 'added' | 'closed';
  followup: FollowupView;
}

export interface OpenFollowupInput {
  conversationId: string;
  customerId: string;
  channel: string;
  locale: string;
  reason: FollowupReason;
  summary: string;
  /** Addresses the customer gave (the Teams identity is added on Teams). */
  contact?: FollowupContact[];
  score?: number;
  comment?: string;
  caseId?: string;
  /** The conversation so far; default: the conversation's recent transcript. */
  transcript?: TranscriptLine[];
}

interface FollowupDoc extends Doc, Omit<FollowupView, 'id' | 'claimedBy'> {
  customerId: string;
  claimedBy?: StaffRef;
  transcript: TranscriptLine[];
  updatedAt: Date;
  /** Messages the customer added after it was opened (addCustomerMessage). */
  added?: number;
  /** TTL: deleted with its transcript after TRANSCRIPT_RETENTION_DAYS. */
  expiresAt: Date;
}

export interface FollowupDeps {
  db: Database;
  clock: Clock;
  conversations: Pick<ConversationStore, 'get'>;
  log: Logger;
  retentionDays: number;
  /** Where the staff consoles of every instance hear about follow-ups (storage/eventBus.ts). */
  events: { publish(event: FollowupEvent, subject: EventSubject): Promise<void> };
}

/** Longest closing note (characters). */
export const MAX_FOLLOWUP_NOTE_CHARS = 4000;
const MAX_LIST = 500;
/** Messages a customer may add to one follow-up (each at most a customer message long). */
export const MAX_ADDED_MESSAGES = 50;

/** The addresses of a case's contact step as follow-up contacts. */
export function contactsOf(contact: Contact): FollowupContact[] {
  return [
    ...(contact.email ? [{ kind: 'email' as const, value: contact.email }] : []),
    ...(contact.phone ? [{ kind: 'phone' as const, value: contact.phone }] : []),
  ];
}

export class FollowupService {
  private readonly followups: Collection<FollowupDoc>;
  private readonly listeners = new Set<(event: FollowupEvent) => void>();

  constructor(private readonly deps: FollowupDeps) {
    this.followups = deps.db.collection<FollowupDoc>('followups');
  }

  subscribe(listener: (event: FollowupEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Puts a promise to get back to the customer into the inbox (status `open`). */
  async open(input: OpenFollowupInput): Promise<FollowupView> {
    const now = this.deps.clock.now();
    const conversation = await this.deps.conversations.get(input.conversationId);
    const teams: FollowupContact[] =
      input.channel === 'msteams'
        ? [{ kind: 'teams', value: conversation?.customerName ?? input.customerId }]
        : [];
    const doc: FollowupDoc = {
      _id: randomUUID(),
      conversationId: input.conversationId,
      customerId: input.customerId,
      channel: input.channel,
      locale: input.locale,
      reason: input.reason,
      summary: redactText(input.summary.trim()),
      contact: [...(input.contact ?? []), ...teams],
      ...(input.score === undefined ? {} : { score: input.score }),
      ...(input.comment ? { comment: redactText(input.comment) } : {}),
      ...(input.caseId ? { caseId: input.caseId } : {}),
      transcript: input.transcript ?? conversation?.recent ?? [],
      status: 'open',
      createdAt: now,
      updatedAt: now,
      expiresAt: daysAfter(now, this.deps.retentionDays),
    };
    await this.followups.insertOne(doc);
    this.deps.log.info({ followupId: doc._id, reason: doc.reason }, 'follow-up opened');
    return this.emit('created', doc);
  }

  /**
   * Adds what the customer wrote after their message was saved to the follow-up of `caseId`, while it is not
   * closed (and has fewer than MAX_ADDED_MESSAGES such additions), and tells staff (its Teams card shows it in the
   * recent conversation). False when there is no such follow-up.
   */
  async addCustomerMessage(caseId: string, text: string): Promise<boolean> {
    const now = this.deps.clock.now();
    const line: TranscriptLine = { from: 'customer', text: redactText(text), at: now };
    const doc = await this.followups.findOneAndUpdate(
      {
        caseId,
        status: { $in: ['open', 'claimed'] },
        $or: [{ added: { $exists: false } }, { added: { $lt: MAX_ADDED_MESSAGES } }],
      },
      { $push: { transcript: line }, $inc: { added: 1 }, $set: { updatedAt: now } },
      { returnDocument: 'after' },
    );
    if (!doc) return false;
    await this.emit('added', doc);
    return true;
  }

  /** Whether the follow-up of `caseId` is still to be done (open or claimed). */
  async pendingFor(caseId: string): Promise<boolean> {
    return (await this.followups.findOne({ caseId, status: { $in: ['open', 'claimed'] } })) !== null;
  }

  /** The open list (open and claimed, oldest first), or the closed history (most recently closed first). */
  async list(status: 'open' | 'closed' = 'open'): Promise<FollowupView[]> {
    const docs =
      status === 'open'
        ? await this.followups.find(
            { status: { $in: ['open', 'claimed'] } },
            { sort: { createdAt: 1 }, limit: MAX_LIST },
          )
        : await this.followups.find({ status: 'closed' }, { sort: { closedAt: -1 }, limit: MAX_LIST });
    return docs.map(view);
  }

  async get(id: string): Promise<FollowupDetail> {
    const doc = await this.followups.findOne({ _id: id });
    if (!doc) throw AppError.notFound('That follow-up');
    return { ...view(doc), transcript: doc.transcript };
  }

  /** open → claimed by `staff`; anyone after the first gets 409. */
  async claim(id: string, staff: StaffMember): Promise<FollowupView> {
    const now = this.deps.clock.now();
    const doc = await this.followups.findOneAndUpdate(
      { _id: id, status: 'open' },
      { $set: { status: 'claimed', claimedBy: refOf(staff), claimedAt: now, updatedAt: now } },
      { returnDocument: 'after' },
    );
    if (!doc) throw await this.refusal(id, 'claim');
    return this.emit('claimed', doc);
  }

  /**
   * open|claimed → closed with what was done (`note`). An unclaimed follow-up may be closed by anyone; a claimed
   * one by the member of staff who claimed it or an admin.
   */
  async close(id: string, staff: StaffMember, note: string): Promise<FollowupView> {
    const now = this.deps.clock.now();
    const allowed: Filter<FollowupDoc> =
      staff.role === 'admin'
        ? { status: { $in: ['open', 'claimed'] } }
        : { $or: [{ status: 'open' }, { status: 'claimed', 'claimedBy.id': staff.id }] };
    const doc = await this.followups.findOneAndUpdate(
      { ...allowed, _id: id },
      {
        $set: {
          status: 'closed',
          closedBy: refOf(staff),
          closedAt: now,
          note: redactText(note.trim()),
          updatedAt: now,
        },
      },
      { returnDocument: 'after' },
    );
    if (!doc) throw await this.refusal(id, 'close');
    return this.emit('closed', doc);
  }

  /** Why a claim or close did nothing: 404 unknown, 403 someone else's, 409 already claimed or closed. */
  private async refusal(id: string, what: 'claim' | 'close'): Promise<AppError> {
    const current = await this.followups.findOne({ _id: id });
    if (!current) return AppError.notFound('That follow-up');
    if (current.status === 'closed') return AppError.conflict('This follow-up is already closed.');
    const by = current.claimedBy?.name ?? 'another member of staff';
    return what === 'claim'
      ? AppError.conflict(`This follow-up was already claimed by ${by}.`)
      : AppError.forbidden(`This follow-up was claimed by ${by}.`);
  }

  /**
   * Tells this instance's listeners (the Teams card) and, through the database, every instance's staff
   * consoles; resolves once the event is written, so events keep their order on every instance.
   */
  private async emit(type: FollowupEvent['type'], doc: FollowupDoc): Promise<FollowupView> {
    const followup = view(doc);
    await this.deps.events.publish(
      { type, followup },
      { conversationId: doc.conversationId, customerId: doc.customerId },
    );
    for (const listener of this.listeners) {
      try {
        listener({ type, followup });
      } catch (err) {
        this.deps.log.error({ err, type }, 'follow-up event listener failed');
      }
    }
    return followup;
  }
}

function refOf(staff: StaffMember): StaffRef {
  return { id: staff.id, name: staff.name };
}

function view(doc: FollowupDoc): FollowupView {
  return {
    id: doc._id,
    conversationId: doc.conversationId,
    reason: doc.reason,
    summary: doc.summary,
    contact: doc.contact,
    ...(doc.score === undefined ? {} : { score: doc.score }),
    ...(doc.comment === undefined ? {} : { comment: doc.comment }),
    locale: doc.locale,
    channel: doc.channel,
    ...(doc.caseId === undefined ? {} : { caseId: doc.caseId }),
    createdAt: doc.createdAt,
    status: doc.status,
    claimedBy: doc.claimedBy ?? null,
    ...(doc.claimedAt === undefined ? {} : { claimedAt: doc.claimedAt }),
    ...(doc.closedBy === undefined ? {} : { closedBy: doc.closedBy }),
    ...(doc.closedAt === undefined ? {} : { closedAt: doc.closedAt }),
    ...(doc.note === undefined ? {} : { note: doc.note }),
  };
}
