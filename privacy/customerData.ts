import { createHash, randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock';
import { ratingFacts, type RatingDoc, type SurveyDoc } from '../feedback/types';
import { followupCardId } from '../handoff/escalationChannel';
import { conversationKey } from '../server/directline/hub';
import type { CollectionName, Database, Doc, FindOptions } from '../storage/port';

/**
 * Right of access and right to erasure over the database port.
 *
 * How one customer is found across collections (the customer id is the channel's user id as the bot sees it:
 * the Teams AAD object id, else `from.id`):
 * - `conversations`: `customerId`; each record's `_id` is a conversation id and `reference.user.id` the
 *   channel user id (they differ on Teams);
 * - `botState`: the keys `<channel>/conversations/<conversationId>/` and `<channel>/users/<channel user id>/`;
 * - `cases`: `customerId` or one of the conversation ids; `caseMessages`: `caseId` of those cases;
 * - `settings`: the Teams card of each case (`teams.caseCard:<caseId>`);
 * - `surveys`: `customerId` or a conversation id; `ratings` and `ratingComments`: the conversation ids or the
 *   episode ids of those surveys.
 * - `reviewItems` (messages to review, with the label an admin gave them): the conversation ids.
 * - `followups` (the staff follow-up inbox): `customerId` or a conversation id; `settings`: their Teams cards.
 * - `events` (case events on their way to every instance's staff console, kept minutes): `customerId` or a
 *   conversation id; erased last, not exported (the cases and their messages are). Work under way when the
 *   erasure starts (an agent's message, a resolve) may still publish an event of the customer's case: one
 *   written before the erasure ends is removed with the rest, and the bus takes back one written after it,
 *   because its case or follow-up is gone by then (storage/eventBus.ts, `EventSubject.record`).
 * - `directline` (the built-in web chat's conversations and activities, kept 24 hours, the customer's own words
 *   with sensitive numbers removed): the conversation ids.
 * Outside the database: the Teams cards of the customer's cases and follow-ups in the escalation channel (and the
 * customer's messages the bot posted in their threads) are cleaned through `StaffCards` before their records go;
 * what Teams would not take (in time) is reported as `leftBehind` (where it is, never what it says) and kept by
 * `StaffCards` under the hash of the customer id, so that erasing the same customer again finishes it.
 * On the embedded store the erased collections' datafiles are compacted at once, so the erased documents leave
 * the disk with the erasure rather than at the next periodic compaction.
 * The unanswered-question log is not linked to anybody (counted texts, already redacted, e-mail addresses and
 * phone numbers too), nor are the FAQ and
 * its votes, the taught texts of `reviewLabels` (training examples without conversation or customer), staff
 * tokens and the audit log.
 */
export interface CustomerExport {
  customerId: string;
  exportedAt: Date;
  conversations: Doc[];
  botState: Array<Doc & { state?: unknown }>;
  cases: Doc[];
  caseMessages: Doc[];
  caseCards: Doc[];
  surveys: Doc[];
  ratings: Doc[];
  ratingComments: Doc[];
  reviewItems: Doc[];
  followups: Doc[];
  /** The web chat's copy of the conversation (built-in Direct Line). */
  directline: Doc[];
}

/** A staff card (or the customer's message in its thread) outside the database that could not be cleaned. */
export interface LeftBehind {
  kind: 'teams.caseCard' | 'teams.followupCard' | 'teams.threadMessage';
  /** The Teams channel's conversation id. */
  channel: string;
  activityId: string;
  postedAt?: Date;
}

/**
 * The staff side outside the database (the Teams escalation channel): replaces the cards of the given cases and
 * follow-ups with a neutral one, removes the customer's messages the bot posted in their threads, and forgets
 * where they were. Never throws for an unreachable channel: returns what is left there instead, and cleans it at
 * the next call for the same `subject` (the SHA-256 of the customer id, see `subjectOf`).
 */
export interface StaffCards {
  eraseCards(
    subject: string,
    caseIds: readonly string[],
    followupIds: readonly string[],
  ): Promise<LeftBehind[]>;
}

export interface ErasureResult {
  counts: ErasureCounts;
  /** What could not be cleaned outside the database (empty when everything was). */
  leftBehind: LeftBehind[];
}

/** The parts of an export that list records. */
type ExportSection = Exclude<keyof CustomerExport, 'customerId' | 'exportedAt'>;

/** Records removed (or, for surveys and ratings, anonymised) per collection. */
export type ErasureCounts = Partial<
  Record<CollectionName | 'ratingsAnonymised' | 'surveysAnonymised', number>
>;

export interface AuditDoc extends Doc {
  action: 'customer.erase';
  /** The staff member (token id) or `customer` when the customer asked in chat. */
  by: string;
  at: Date;
  /** SHA-256 of the customer id: proves which request was carried out without keeping the id. */
  subject: string;
  counts: ErasureCounts;
  /** Staff cards the erasure could not clean (where they are). */
  leftBehind?: LeftBehind[];
}

interface ConversationLike extends Doc {
  customerId?: string;
  channel?: string;
  reference?: { user?: { id?: string } };
}
interface CaseLike extends Doc {
  customerId?: string;
  conversationId?: string;
}
interface LinkedLike extends Doc {
  conversationId?: string;
  episodeId?: string;
  customerId?: string;
  caseId?: string;
}

/** What the database holds about one customer, as ids to fetch or delete. */
interface Footprint {
  customerId: string;
  conversationIds: string[];
  botStateKeys: string[];
  caseIds: string[];
  episodeIds: string[];
  followupIds: string[];
}

type Filter = Record<string, unknown>;
type ScopedCollection =
  | 'directline'
  | 'ratingComments'
  | 'surveys'
  | 'caseMessages'
  | 'settings'
  | 'cases'
  | 'reviewItems'
  | 'followups'
  | 'botState'
  | 'conversations'
  | 'events';

/** Marks an anonymised rating; its conversation is gone, so nothing links it to the customer. */
export const ANONYMISED = 'anonymised';

export const subjectOf = (customerId: string): string =>
  createHash('sha256').update(customerId).digest('hex');

export class CustomerData {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    /** The Teams cards (set once the staff side exists; none: only their records are erased). */
    private readonly staffCards: () => StaffCards | undefined = () => undefined,
  ) {}

  /** Everything kept about the customer, as stored (redaction tokens included). */
  async export(customerId: string): Promise<CustomerExport> {
    const f = await this.footprint(customerId);
    const scope = this.scope(f);
    // Each section of the export, in its order: the collection it comes from and which records.
    const sources: Record<ExportSection, { from: CollectionName; filter: Filter; options?: FindOptions }> = {
      conversations: { from: 'conversations', filter: scope.conversations },
      botState: { from: 'botState', filter: scope.botState },
      cases: { from: 'cases', filter: scope.cases },
      caseMessages: { from: 'caseMessages', filter: scope.caseMessages, options: { sort: { at: 1 } } },
      caseCards: { from: 'settings', filter: scope.settings },
      surveys: { from: 'surveys', filter: scope.surveys },
      ratings: { from: 'ratings', filter: this.byEpisode(f) },
      ratingComments: { from: 'ratingComments', filter: scope.ratingComments },
      reviewItems: { from: 'reviewItems', filter: scope.reviewItems },
      followups: { from: 'followups', filter: scope.followups },
      directline: { from: 'directline', filter: scope.directline },
    };
    const sections = Object.fromEntries(
      await Promise.all(
        Object.entries(sources).map(async ([section, { from, filter, options }]) => [
          section,
          await this.col(from).find(filter, options),
        ]),
      ),
    ) as Record<ExportSection, Doc[]>;
    return {
      customerId,
      exportedAt: this.clock.now(),
      ...sections,
      botState: sections.botState.map(parsedState),
    };
  }

  /**
   * Erases everything kept about the customer; surveys and ratings stay, anonymised (score, status, dates,
   * locale, channel, resolution, agent and FAQ entry; new ids, no customer, conversation or case), so every CSAT
   * figure (count, average, response rate, their breakdowns) stays as it was. The
   * erasure is written to the audit log with the counts and a hash of the customer id. `openSession`: the
   * conversation the customer asked from, whose built-in Direct Line session (the conversation and its user id,
   * not its activities) stays, so that the confirmation reaches them and the chat goes on. The staff cards in
   * Teams are cleaned first; an unreachable Teams does not stop the erasure (see `leftBehind`).
   */
  async erase(customerId: string, by: string, openSession?: string): Promise<ErasureResult> {
    const f = await this.footprint(customerId);
    const leftBehind =
      (await this.staffCards()?.eraseCards(subjectOf(customerId), f.caseIds, f.followupIds)) ?? [];
    const counts: ErasureCounts = {};
    const count = (name: keyof ErasureCounts, n: number) => {
      if (n > 0) counts[name] = (counts[name] ?? 0) + n;
    };
    const anonymised = await this.anonymiseRatings(f);
    count('ratingsAnonymised', anonymised.ratings);
    count('surveysAnonymised', anonymised.surveys);
    // Linked records first, the conversations that find them last (a retry after a failure finds the rest).
    // The collections to compact: the card records go through `staffCards` (their deletions are not counted).
    const touched: CollectionName[] = f.caseIds.length + f.followupIds.length > 0 ? ['settings'] : [];
    if (counts.ratingsAnonymised) touched.push('ratings');
    if (counts.surveysAnonymised) touched.push('surveys');
    for (const [name, filter] of Object.entries(this.scope(f, openSession)) as [ScopedCollection, Filter][]) {
      const { deletedCount } = await this.col(name).deleteMany(filter);
      count(name, deletedCount);
      if (deletedCount > 0 && !touched.includes(name)) touched.push(name);
    }
    await this.db.collection<AuditDoc>('audit').insertOne({
      _id: randomUUID(),
      action: 'customer.erase',
      by,
      at: this.clock.now(),
      subject: subjectOf(customerId),
      counts,
      ...(leftBehind.length > 0 ? { leftBehind } : {}),
    });
    // The embedded store keeps deleted lines in its datafiles until its next compaction: rewritten now.
    await this.db.compact?.(touched);
    return { counts, leftBehind };
  }

  private async footprint(customerId: string): Promise<Footprint> {
    const conversations = await this.col<ConversationLike>('conversations').find({ customerId });
    const conversationIds = conversations.map((c) => c._id);
    const cases = await this.col<CaseLike>('cases').find({
      $or: [{ customerId }, { conversationId: { $in: conversationIds } }],
    });
    const surveys = await this.col<LinkedLike>('surveys').find({
      $or: [{ customerId }, { conversationId: { $in: conversationIds } }],
    });
    const followups = await this.col<LinkedLike>('followups').find(
      { $or: [{ customerId }, { conversationId: { $in: conversationIds } }] },
      { projection: { _id: 1 } },
    );
    const botStateKeys = new Set<string>();
    for (const c of conversations) {
      const channel = c.channel ?? '';
      botStateKeys.add(`${channel}/conversations/${c._id}/`);
      botStateKeys.add(`${channel}/users/${c.reference?.user?.id ?? customerId}/`);
      botStateKeys.add(`${channel}/users/${customerId}/`);
    }
    // The user's own state may outlive their conversation records (it is kept from when it was last set).
    const userStates = await this.col('botState').find(
      { _id: { $regex: `/users/${escapeRegex(customerId)}/$` } },
      { projection: { _id: 1 } },
    );
    for (const doc of userStates) botStateKeys.add(doc._id);
    return {
      customerId,
      conversationIds,
      botStateKeys: [...botStateKeys],
      caseIds: cases.map((c) => c._id),
      episodeIds: surveys.map((s) => s._id),
      followupIds: followups.map((f) => f._id),
    };
  }

  /** The customer's records per collection (ratings aside: they are anonymised), in erasure order. */
  private scope(f: Footprint, openSession?: string): Record<ScopedCollection, Filter> {
    const sessions = f.conversationIds.filter((id) => id !== openSession);
    return {
      directline: {
        $or: [
          { conversationId: { $in: f.conversationIds } },
          { _id: { $in: sessions.map(conversationKey) } },
        ],
      },
      ratingComments: this.byEpisode(f),
      surveys: { _id: { $in: f.episodeIds } },
      caseMessages: { caseId: { $in: f.caseIds } },
      settings: { _id: { $in: [...f.caseIds.map(cardId), ...f.followupIds.map(followupCardId)] } },
      cases: { _id: { $in: f.caseIds } },
      reviewItems: { conversationId: { $in: f.conversationIds } },
      followups: { _id: { $in: f.followupIds } },
      botState: { _id: { $in: f.botStateKeys } },
      conversations: { _id: { $in: f.conversationIds } },
      // Last: an event written while the records above went is removed too (see the class comment).
      events: { $or: [{ customerId: f.customerId }, { conversationId: { $in: f.conversationIds } }] },
    };
  }

  private byEpisode(f: Footprint): Record<string, unknown> {
    return { $or: [{ _id: { $in: f.episodeIds } }, { conversationId: { $in: f.conversationIds } }] };
  }

  /**
   * Each survey and rating is re-inserted under a fresh id (a survey and its rating share one) without its
   * customer, conversation or case, then the original is deleted: the surveys sent and answered keep counting,
   * so the response rate stays as it was.
   */
  private async anonymiseRatings(f: Footprint): Promise<{ surveys: number; ratings: number }> {
    const ratings = this.db.collection<RatingDoc>('ratings');
    const surveys = this.db.collection<SurveyDoc>('surveys');
    const foundRatings = await ratings.find(this.byEpisode(f));
    const foundSurveys = await surveys.find({ _id: { $in: f.episodeIds } });
    const freshIds = new Map(foundSurveys.map((survey) => [survey._id, randomUUID()]));
    for (const survey of foundSurveys) {
      const id = freshIds.get(survey._id) ?? randomUUID();
      await surveys.insertOne({
        _id: id,
        episodeId: id,
        conversationId: ANONYMISED,
        customerId: ANONYMISED,
        locale: survey.locale,
        channel: survey.channel,
        resolution: survey.resolution,
        ...(survey.faqEntryId === undefined ? {} : { faqEntryId: survey.faqEntryId }),
        ...(survey.agentId === undefined ? {} : { agentId: survey.agentId }),
        ...(survey.agentName === undefined ? {} : { agentName: survey.agentName }),
        sentAt: survey.sentAt,
        status: survey.status,
      });
      await surveys.deleteOne({ _id: survey._id });
    }
    for (const rating of foundRatings) {
      const id = freshIds.get(rating._id) ?? randomUUID();
      await ratings.insertOne({
        _id: id,
        episodeId: id,
        conversationId: ANONYMISED,
        ...ratingFacts(rating),
        createdAt: rating.createdAt,
        updatedAt: rating.updatedAt,
      });
      await ratings.deleteOne({ _id: rating._id });
    }
    return { surveys: foundSurveys.length, ratings: foundRatings.length };
  }

  private col<T extends Doc = Doc>(name: CollectionName) {
    return this.db.collection<T>(name);
  }
}

const cardId = (caseId: string): string => `teams.caseCard:${caseId}`;
const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Bot state is kept as JSON text; the export shows it parsed. */
function parsedState(doc: Doc & { state?: unknown }): Doc & { state?: unknown } {
  if (typeof doc.state !== 'string') return doc;
  try {
    return { ...doc, state: JSON.parse(doc.state) as unknown };
  } catch {
    return doc;
  }
}
