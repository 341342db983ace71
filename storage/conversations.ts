import { randomUUID } from 'node:crypto';
import type { ChannelAccount, ConversationAccount, ConversationReference } from 'botframework-schema';
import { daysAfter, type Clock } from '../core/clock';
import { isRecord } from '../core/guards';
import { boundedString } from '../core/text';
import { redactBotLine, redactText } from '../privacy/redact';
import { DocumentLeases, type Held, type LeasedDoc } from './lease';
import type { Collection, Database, Filter, UpdateFilter } from './port';

/** One line of the recent transcript kept per conversation (copied into a case on escalation). */
export interface TranscriptLine {
  from: 'customer' | 'bot' | 'agent';
  text: string;
  at: Date;
}

/**
 * What the bot remembers of a conversation outside the dialog state: the reference for proactive messages
 * (agent relay, surveys), the customer's locale and channel, the recent transcript and the last activity.
 * `_id` is the conversation id; `lease` is its turns' lease (storage/lease.ts).
 */
export interface ConversationDoc extends LeasedDoc {
  reference: Partial<ConversationReference>;
  customerId: string;
  customerName?: string;
  channel: string;
  locale: string;
  lastActivityAt: Date;
  recent: TranscriptLine[];
  /** Set when a proactive send answered 403/404: the customer can no longer be reached. */
  unreachableAt?: Date;
  /** The open episode (one customer need); closed once, when the survey is due. */
  episode?: Episode;
  /** TTL: the record (and its transcript) is deleted this long after the conversation's last message. */
  expiresAt: Date;
}

export interface Episode {
  id: string;
  startedAt: Date;
  /** The FAQ entry that answered last in this episode. */
  faqEntryId?: string;
}

export interface ConversationStoreOptions {
  /** Lines of recent transcript kept per conversation. */
  transcriptTurns: number;
  /** Days a conversation record is kept after its last message (TRANSCRIPT_RETENTION_DAYS). */
  retentionDays: number;
}

/** Longest name of a person (or the bot) that is kept (characters); longer ones are cut. */
export const MAX_NAME_CHARS = 200;
/** Longest id that is kept: conversation, user and tenant ids (an id is never cut: that would be another id). */
export const MAX_ID_CHARS = 1024;
const MAX_URL_CHARS = 2048;
const MAX_TAG_CHARS = 64;

/**
 * The conversation reference as stored: only the fields a proactive message uses, as bounded strings (and
 * `isGroup` as a boolean). Whatever else a client put into `from`, `recipient` or `conversation` (keys with `$`
 * or `.` the store cannot hold, nested objects, huge values) is left out.
 */
export function storableReference(reference: Partial<ConversationReference>): Partial<ConversationReference> {
  // Assigned field by field (a turn stores its reference every time; conditional spreads cost a copy each).
  const stored: Partial<ConversationReference> = {};
  const activityId = upTo(reference.activityId, MAX_ID_CHARS);
  if (activityId) stored.activityId = activityId;
  const user = storableAccount(reference.user);
  if (user) stored.user = user;
  const bot = storableAccount(reference.bot);
  if (bot) stored.bot = bot;
  const conversation = storableConversation(reference.conversation);
  if (conversation) stored.conversation = conversation;
  const channelId = upTo(reference.channelId, MAX_TAG_CHARS);
  if (channelId) stored.channelId = channelId;
  const serviceUrl = upTo(reference.serviceUrl, MAX_URL_CHARS);
  if (serviceUrl) stored.serviceUrl = serviceUrl;
  const locale = upTo(reference.locale, MAX_TAG_CHARS);
  if (locale) stored.locale = locale;
  return stored;
}

/** A string of at most `max` characters as given; anything else (longer, or not a string) is left out. */
function upTo(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value.length <= max ? value : undefined;
}

function storableAccount(account: unknown): ChannelAccount | undefined {
  if (!isRecord(account)) return undefined;
  const id = upTo(account.id, MAX_ID_CHARS);
  if (id === undefined) return undefined;
  const stored: ChannelAccount = { id, name: boundedString(account.name, MAX_NAME_CHARS) ?? '' };
  const aadObjectId = upTo(account.aadObjectId, MAX_ID_CHARS);
  if (aadObjectId) stored.aadObjectId = aadObjectId;
  return stored;
}

function storableConversation(conversation: unknown): ConversationAccount | undefined {
  if (!isRecord(conversation)) return undefined;
  const id = upTo(conversation.id, MAX_ID_CHARS);
  if (id === undefined) return undefined;
  const stored: ConversationAccount = {
    id,
    name: boundedString(conversation.name, MAX_NAME_CHARS) ?? '',
    isGroup: conversation.isGroup === true,
    conversationType: upTo(conversation.conversationType, MAX_TAG_CHARS) ?? '',
  };
  const tenantId = upTo(conversation.tenantId, MAX_ID_CHARS);
  if (tenantId) stored.tenantId = tenantId;
  return stored;
}

export class ConversationStore {
  private readonly docs: Collection<ConversationDoc>;
  private readonly transcriptTurns: number;
  private readonly retentionDays: number;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    options: ConversationStoreOptions,
  ) {
    this.transcriptTurns = options.transcriptTurns;
    this.retentionDays = options.retentionDays;
    this.docs = db.collection<ConversationDoc>('conversations');
  }

  get(conversationId: string): Promise<ConversationDoc | null> {
    return this.docs.findOne({ _id: conversationId });
  }

  /**
   * Records an inbound customer activity: reference ({@link storableReference}), locale, last activity and the
   * transcript line. The customer's name is cut to {@link MAX_NAME_CHARS}. Returns the episode open at that
   * moment, or null (what the turn then passes to {@link openEpisode}, saving it a read).
   */
  async touch(input: {
    conversationId: string;
    reference: Partial<ConversationReference>;
    customerId: string;
    customerName?: string;
    channel: string;
    locale: string;
    text?: string;
  }): Promise<Episode | null> {
    const now = this.clock.now();
    const customerName = boundedString(input.customerName, MAX_NAME_CHARS);
    // 'before': a new record returns nothing; the update does not touch the episode, the only field read.
    const before = await this.docs.findOneAndUpdate(
      { _id: input.conversationId },
      {
        $set: {
          reference: storableReference(input.reference),
          customerId: input.customerId,
          channel: input.channel,
          locale: input.locale,
          lastActivityAt: now,
          expiresAt: daysAfter(now, this.retentionDays),
          ...(customerName ? { customerName } : {}),
        },
        $unset: { unreachableAt: '' },
        ...(input.text ? this.pushLines([{ from: 'customer', text: input.text, at: now }]) : {}),
      },
      { upsert: true, returnDocument: 'before', projection: { episode: 1 } },
    );
    return before?.episode ?? null;
  }

  /**
   * The leases of conversations' turns on MongoDB (storage/index.ts leaseTables), held in the conversation
   * records. A record an acquire creates is empty until the turn records its activity (a first turn that fails
   * leaves it so: unreachable, linked to nobody, and it expires like every other record).
   */
  turnLeases(owner: string): DocumentLeases {
    return new DocumentLeases(
      this.db.collection<LeasedDoc>('conversations'),
      this.clock,
      owner,
      (now): Omit<ConversationDoc, '_id'> => ({
        reference: {},
        customerId: '',
        channel: '',
        locale: '',
        lastActivityAt: now,
        recent: [],
        expiresAt: daysAfter(now, this.retentionDays),
      }),
    );
  }

  /**
   * Appends lines said by the bot or an agent (one write for a whole turn). `faqEntryId`: the FAQ entry that
   * answered in this turn, noted on the open episode in the same write (without an episode, only the lines).
   * `opening`: an episode the turn opened without writing it (a question's: see `setOpenEpisode`), opened by the
   * same write unless one was opened meanwhile. `lease`: the turn's lease, released by the same write (it stays
   * held when it was lost meanwhile, and an `opening` episode is then not written: the next question opens one).
   */
  async record(
    conversationId: string,
    from: TranscriptLine['from'],
    texts: string[],
    {
      faqEntryId,
      opening,
      lease,
    }: { faqEntryId?: string | undefined; opening?: Episode | undefined; lease?: Held | undefined } = {},
  ): Promise<void> {
    if (texts.length === 0 && faqEntryId === undefined && opening === undefined) return;
    const at = this.clock.now();
    const lines = this.pushLines(texts.map((text) => ({ from, text, at })));
    const expiresAt = daysAfter(at, this.retentionDays);
    const releasing =
      lease?.inDocument && !lease.released && lease.name === conversationId ? lease : undefined;
    if (opening) {
      const filter: Filter<ConversationDoc> = { _id: conversationId, episode: { $exists: false } };
      if (releasing) filter['lease.holding'] = releasing.holding;
      const episode: Episode = faqEntryId === undefined ? opening : { ...opening, faqEntryId };
      const { matchedCount } = await this.docs.updateOne(filter, {
        ...lines,
        $set: { expiresAt, episode },
        ...(releasing ? { $unset: { lease: '' } } : {}),
      });
      if (matchedCount > 0) {
        if (releasing) releasing.released = true;
        return;
      }
    }
    if (faqEntryId !== undefined || releasing) {
      const filter: Filter<ConversationDoc> = { _id: conversationId };
      if (faqEntryId !== undefined) filter.episode = { $exists: true };
      if (releasing) filter['lease.holding'] = releasing.holding;
      const { matchedCount } = await this.docs.updateOne(filter, {
        ...lines,
        $set: { expiresAt, ...(faqEntryId !== undefined ? { 'episode.faqEntryId': faqEntryId } : {}) },
        ...(releasing ? { $unset: { lease: '' } } : {}),
      });
      if (matchedCount > 0) {
        if (releasing) releasing.released = true;
        return;
      }
    }
    await this.docs.updateOne({ _id: conversationId }, { ...lines, $set: { expiresAt } });
  }

  /**
   * The open episode, or null. `known`: the open episode as the caller saw it in this turn (`touch` returns
   * it), taken as it is — it may have been closed since by a staff resolve (the inactivity sweep leaves
   * conversations that were written to alone); left out, the record is read.
   */
  async episode(conversationId: string, known?: Episode | null): Promise<Episode | null> {
    return known === undefined ? ((await this.get(conversationId))?.episode ?? null) : known;
  }

  /** A new episode, starting now (written by {@link openEpisode} or with a turn's lines by {@link record}). */
  newEpisode(): Episode {
    return { id: randomUUID(), startedAt: this.clock.now() };
  }

  /**
   * The open episode, opened now if there is none; `known` as for {@link episode} (null: straight to the write).
   * `episode`: the one to open (default: a {@link newEpisode}).
   */
  async openEpisode(
    conversationId: string,
    known?: Episode | null,
    episode: Episode = this.newEpisode(),
  ): Promise<Episode> {
    const existing = await this.episode(conversationId, known);
    if (existing) return existing;
    const doc = await this.docs.findOneAndUpdate(
      { _id: conversationId, episode: { $exists: false } },
      { $set: { episode } },
      { returnDocument: 'after', projection: { episode: 1 } },
    );
    return doc?.episode ?? (await this.get(conversationId))?.episode ?? episode;
  }

  /**
   * Closes the open episode and returns it, exactly once: of two concurrent closes (goodbye and the inactivity
   * sweep), one gets the episode and the other null. `idleBefore` (the inactivity sweep): only while the
   * customer has been silent since then, so a message that came after the sweep found the conversation (its
   * turn holds the episode `touch` returned) keeps the episode open.
   */
  async closeEpisode(conversationId: string, idleBefore?: Date): Promise<Episode | null> {
    const filter: Filter<ConversationDoc> = { _id: conversationId, episode: { $exists: true } };
    if (idleBefore) filter.lastActivityAt = { $lt: idleBefore };
    const before = await this.docs.findOneAndUpdate(
      filter,
      { $unset: { episode: '' } },
      { returnDocument: 'before' },
    );
    return before?.episode ?? null;
  }

  async markUnreachable(conversationId: string): Promise<void> {
    await this.docs.updateOne({ _id: conversationId }, { $set: { unreachableAt: this.clock.now() } });
  }

  /** Conversations with an open episode, silent since before `cutoff` (the inactivity survey sweep). */
  idleSince(cutoff: Date, limit: number): Promise<ConversationDoc[]> {
    return this.docs.find(
      { lastActivityAt: { $lt: cutoff }, episode: { $exists: true }, unreachableAt: { $exists: false } },
      { sort: { lastActivityAt: 1 }, limit },
    );
  }

  /** The one point where transcript lines are written: card numbers, ids and passwords are redacted here. */
  private pushLines(lines: TranscriptLine[]): Pick<UpdateFilter<ConversationDoc>, '$push'> {
    const redacted = lines.map((line) => ({
      ...line,
      text: line.from === 'bot' ? redactBotLine(line.text) : redactText(line.text),
    }));
    return { $push: { recent: { $each: redacted, $slice: -this.transcriptTurns } } };
  }
}
