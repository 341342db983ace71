import { randomUUID } from 'node:crypto';
import { daysAfter, type Clock } from '../core/clock';
import { AppError } from '../core/errors';
import type { TranscriptLine } from '../storage/conversations';
import { redactText } from '../privacy/redact';
import { DuplicateKeyError, type Collection, type Database, type Doc, type Filter } from '../storage/port';
import {
  activeStatuses,
  type CaseMessage,
  type CaseView,
  type CaseStatus,
  type Contact,
  type StaffMember,
} from './types';

/**
 * The persisted case state machine: every status change of a case happens here, each as ONE conditional
 * `findOneAndUpdate` on `{_id, status: <expected>}`, so concurrent actors (two agents taking, the expiry
 * sweep against a take, a customer cancelling while an agent resolves) can never both win.
 *
 *   queued ──take──▶ assigned ──resolve──▶ resolved
 *     ▲  ◀──release──┘   │
 *     ├──cancel (customer, from queued or assigned) ──▶ cancelled
 *     ├──leave (the customer left the conversation, from queued or assigned) ──▶ left
 *     ├──expire (queued past the timeout) ──▶ expired (leave-a-message ticket)
 *     └──abandon (customer unreachable, from queued or assigned) ──▶ abandoned
 *
 * Out-of-hours tickets and call-backs are created directly as `expired`. While a case is queued or assigned it carries
 * `activeConversationId` (unique): one open case per conversation, found by an indexed lookup on every turn.
 */
export interface CaseDoc extends Doc, Omit<CaseView, 'id' | 'priority'> {
  /** Set while queued or assigned (unique partial index); removed when the case closes. */
  activeConversationId?: string;
  transcript: TranscriptLine[];
  closedAt?: Date;
  /** TTL: the case and its transcript are deleted after TRANSCRIPT_RETENTION_DAYS. */
  expiresAt: Date;
}

export interface CaseMessageDoc extends Doc, Omit<CaseMessage, 'id'> {
  /** TTL: deleted after TRANSCRIPT_RETENTION_DAYS. */
  expiresAt: Date;
}

/** What the service supplies for a new case (`ticket`: a leave-a-message ticket, created as `expired`). */
export type NewCase = Pick<
  CaseDoc,
  | 'conversationId'
  | 'customerId'
  | 'locale'
  | 'channel'
  | 'reason'
  | 'summary'
  | 'contact'
  | 'rating'
  | 'basePriority'
  | 'transcript'
  | 'ticket'
  | 'external'
>;

type Transition = 'take' | 'release' | 'resolve' | 'cancel' | 'leave' | 'expire' | 'abandon';

/** The legal moves: from which states, to which state. Anything else is refused (409). */
export const transitions: Readonly<Record<Transition, { from: readonly CaseStatus[]; to: CaseStatus }>> = {
  take: { from: ['queued'], to: 'assigned' },
  release: { from: ['assigned'], to: 'queued' },
  resolve: { from: ['assigned'], to: 'resolved' },
  cancel: { from: ['queued', 'assigned'], to: 'cancelled' },
  leave: { from: ['queued', 'assigned'], to: 'left' },
  expire: { from: ['queued'], to: 'expired' },
  abandon: { from: ['queued', 'assigned'], to: 'abandoned' },
};

export class CaseStore {
  private readonly cases: Collection<CaseDoc>;
  private readonly messages: Collection<CaseMessageDoc>;

  constructor(
    db: Database,
    private readonly clock: Clock,
    private readonly retentionDays: number,
  ) {
    this.cases = db.collection<CaseDoc>('cases');
    this.messages = db.collection<CaseMessageDoc>('caseMessages');
  }

  /** Creates a case, or returns the conversation's open case (`created: false`) when it already has one. */
  async create(input: NewCase): Promise<{ doc: CaseDoc; created: boolean }> {
    const now = this.clock.now();
    const doc: CaseDoc = {
      _id: randomUUID(),
      ...input,
      summary: redactText(input.summary),
      ...(input.rating?.comment === undefined
        ? {}
        : { rating: { ...input.rating, comment: redactText(input.rating.comment) } }),
      status: input.ticket ? 'expired' : 'queued',
      ...(input.ticket ? { closedAt: now } : { activeConversationId: input.conversationId }),
      createdAt: now,
      queuedAt: now,
      updatedAt: now,
      expiresAt: this.retentionEnd(now),
    };
    if (!input.ticket) {
      const existing = await this.findActive(input.conversationId);
      if (existing) return { doc: existing, created: false };
    }
    try {
      await this.cases.insertOne(doc);
      return { doc, created: true };
    } catch (err) {
      // A concurrent escalation of the same conversation won the unique index: use its case.
      const existing = err instanceof DuplicateKeyError ? await this.findActive(input.conversationId) : null;
      if (!existing) throw err;
      return { doc: existing, created: false };
    }
  }

  /** The queued or assigned case of a conversation (indexed, called on every customer turn). */
  findActive(conversationId: string): Promise<CaseDoc | null> {
    return this.cases.findOne({ activeConversationId: conversationId });
  }

  get(caseId: string): Promise<CaseDoc | null> {
    return this.cases.findOne({ _id: caseId });
  }

  /** The newest cases of a conversation (at most `limit`), newest first. */
  ofConversation(conversationId: string, limit: number): Promise<CaseDoc[]> {
    return this.cases.find({ conversationId }, { sort: { createdAt: -1 }, limit });
  }

  /** Cases in a status (or all), at most `limit`: the oldest queued ones, otherwise the newest. */
  list(status: CaseStatus | undefined, limit: number): Promise<CaseDoc[]> {
    return this.cases.find(status ? { status } : {}, {
      sort: { createdAt: status === 'queued' ? 1 : -1 },
      limit,
    });
  }

  /** Queued cases that entered the queue before `cutoff`, oldest first. */
  queuedBefore(cutoff: Date, limit: number): Promise<CaseDoc[]> {
    return this.cases.find({ status: 'queued', queuedAt: { $lt: cutoff } }, { sort: { queuedAt: 1 }, limit });
  }

  /** The cases assigned to a member of staff, oldest assignment first. */
  assignedTo(agentId: string): Promise<CaseDoc[]> {
    return this.cases.find({ status: 'assigned', agentId }, { sort: { assignedAt: 1 } });
  }

  /** Minutes between entering the queue and being taken, for the most recent takes since `since`. */
  async recentWaits(since: Date, limit: number): Promise<number[]> {
    const docs = await this.cases.find(
      { assignedAt: { $gte: since }, external: false },
      { sort: { assignedAt: -1 }, limit, projection: { queuedAt: 1, assignedAt: 1 } },
    );
    return docs.flatMap((d) =>
      d.assignedAt ? [(d.assignedAt.getTime() - d.queuedAt.getTime()) / 60_000] : [],
    );
  }

  // ---- transitions: one conditional update each ----

  /**
   * queued → assigned. Of any number of concurrent takes exactly one succeeds; the others get 409.
   * Staff take internal cases; an external hub's acceptance takes the external ones (`external: true`).
   */
  take(caseId: string, agent: StaffMember, external = false): Promise<CaseDoc> {
    const now = this.clock.now();
    return this.move(
      caseId,
      'take',
      { external },
      { agentId: agent.id, agentName: agent.name, assignedAt: now },
    );
  }

  /**
   * assigned → queued: back to the queue at its place (the order counts from `createdAt`, see handoff/queue.ts); the
   * expiry timeout restarts. Only the assigned agent or an admin.
   */
  release(caseId: string, agent: StaffMember): Promise<CaseDoc> {
    return this.move(caseId, 'release', ownedBy(agent), { queuedAt: this.clock.now() }, [
      'agentId',
      'agentName',
      'assignedAt',
    ]);
  }

  /** assigned → resolved. Only the assigned agent or an admin. */
  resolve(caseId: string, agent: StaffMember): Promise<CaseDoc> {
    return this.move(caseId, 'resolve', ownedBy(agent), { resolvedAt: this.clock.now() });
  }

  /**
   * Closes the open case of a conversation for its customer: queued|assigned → cancelled (`cancel`: they changed
   * their mind) or → left (`leave`: they left the conversation); null when nothing was open.
   */
  async closeActive(conversationId: string, how: 'cancel' | 'leave'): Promise<CaseDoc | null> {
    const active = await this.findActive(conversationId);
    if (!active) return null;
    return this.tryMove(active._id, how, {}, {});
  }

  /**
   * queued → expired, a ticket for staff when `ticket` (there is a way back to the customer); with `queuedBefore`,
   * only if it still waits since before then (races with take).
   */
  expire(caseId: string, ticket: boolean, queuedBefore?: Date): Promise<CaseDoc | null> {
    return this.tryMove(caseId, 'expire', queuedBefore ? { queuedAt: { $lt: queuedBefore } } : {}, {
      ticket,
    });
  }

  /**
   * A case that expired without a way back to the customer becomes a ticket with the contact they gave
   * afterwards (the status stays `expired`); null when the case is not such a case (any more).
   */
  ticketWithContact(caseId: string, contact: Contact): Promise<CaseDoc | null> {
    return this.cases.findOneAndUpdate(
      { _id: caseId, status: 'expired', ticket: false },
      { $set: { ticket: true, contact, updatedAt: this.clock.now() } },
      { returnDocument: 'after' },
    );
  }

  /**
   * A way back the customer typed while their case waits in the queue: becomes its contact, as if given at the
   * contact step; null when the case is not queued (any more).
   */
  contactWhileQueued(caseId: string, contact: Contact): Promise<CaseDoc | null> {
    return this.cases.findOneAndUpdate(
      { _id: caseId, status: 'queued' },
      { $set: { contact, updatedAt: this.clock.now() } },
      { returnDocument: 'after' },
    );
  }

  /**
   * The summary of a queued case that had none (the customer skipped the description), from what they wrote while
   * waiting; redacted as at create. Null when the case is no longer such a case.
   */
  describeWhileQueued(caseId: string, summary: string): Promise<CaseDoc | null> {
    return this.cases.findOneAndUpdate(
      { _id: caseId, status: 'queued', summary: '' },
      { $set: { summary: redactText(summary), updatedAt: this.clock.now() } },
      { returnDocument: 'after' },
    );
  }

  /** queued|assigned → abandoned (the customer can no longer be reached). */
  abandon(caseId: string): Promise<CaseDoc | null> {
    return this.tryMove(caseId, 'abandon', {}, {});
  }

  // ---- case messages ----

  async addMessage(message: Omit<CaseMessage, 'id' | 'at'>): Promise<CaseMessage> {
    const at = this.clock.now();
    const doc: CaseMessageDoc = {
      _id: randomUUID(),
      ...message,
      text: redactText(message.text),
      at,
      expiresAt: this.retentionEnd(at),
    };
    await this.messages.insertOne(doc);
    return toMessage(doc);
  }

  async setDelivery(messageId: string, delivery: NonNullable<CaseMessage['delivery']>): Promise<void> {
    await this.messages.updateOne({ _id: messageId }, { $set: { delivery } });
  }

  async messagesOf(caseId: string): Promise<CaseMessage[]> {
    const docs = await this.messages.find({ caseId }, { sort: { at: 1 } });
    return docs.map(toMessage);
  }

  // ---- the one place that writes a status ----

  /** Applies a transition or explains why not: 404 unknown case, 403 someone else's case, 409 wrong state. */
  private async move(
    caseId: string,
    name: Transition,
    condition: Filter<CaseDoc>,
    set: Partial<CaseDoc>,
    unset: Array<keyof CaseDoc> = [],
  ): Promise<CaseDoc> {
    const moved = await this.tryMove(caseId, name, condition, set, unset);
    if (moved) return moved;
    const current = await this.get(caseId);
    if (!current) throw AppError.notFound('That case');
    if (condition.external !== undefined && current.external !== condition.external) {
      throw AppError.conflict('This case is handled by an external agent hub.');
    }
    if (
      condition.agentId !== undefined &&
      current.status === 'assigned' &&
      current.agentId !== condition.agentId
    ) {
      throw AppError.forbidden('This case is assigned to another agent.');
    }
    throw AppError.conflict(
      current.status === 'assigned' && name === 'take'
        ? `This case was already taken by ${current.agentName ?? 'another agent'}.`
        : `This case is ${current.status}; it cannot be ${pastTense[name]} now.`,
    );
  }

  private tryMove(
    caseId: string,
    name: Transition,
    condition: Filter<CaseDoc>,
    set: Partial<CaseDoc>,
    unset: Array<keyof CaseDoc> = [],
  ): Promise<CaseDoc | null> {
    const { from, to } = transitions[name];
    const now = this.clock.now();
    const closes = !activeStatuses.includes(to);
    const toUnset = closes ? [...unset, 'activeConversationId'] : unset;
    return this.cases.findOneAndUpdate(
      { ...condition, _id: caseId, status: from.length === 1 ? from[0] : { $in: [...from] } },
      {
        $set: { ...set, status: to, updatedAt: now, ...(closes ? { closedAt: now } : {}) },
        ...(toUnset.length > 0 ? { $unset: Object.fromEntries(toUnset.map((field) => [field, ''])) } : {}),
      },
      { returnDocument: 'after' },
    );
  }

  private retentionEnd(from: Date): Date {
    return daysAfter(from, this.retentionDays);
  }
}

const pastTense: Record<Transition, string> = {
  take: 'taken',
  release: 'released',
  resolve: 'resolved',
  cancel: 'cancelled',
  leave: 'left',
  expire: 'expired',
  abandon: 'abandoned',
};

/** The ownership condition: an agent acts on their own case only; an admin on any. */
function ownedBy(agent: StaffMember): Filter<CaseDoc> {
  return agent.role === 'admin' ? {} : { agentId: agent.id };
}

function toMessage({ _id, expiresAt: _expiresAt, ...rest }: CaseMessageDoc): CaseMessage {
  return { id: _id, ...rest };
}
