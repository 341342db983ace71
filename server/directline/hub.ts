import { randomBytes } from 'node:crypto';
import type { Clock } from '../../core/clock';
import type { Logger } from '../../core/logger';
import type { ChangeEvent, ChangeFeed, Collection, Database, Doc } from '../../storage/port';

/** An activity as Direct Line clients receive it: plain JSON with its id and ISO timestamp. */
export interface StoredActivity {
  id: string;
  type: string;
  timestamp: string;
  [key: string]: unknown;
}

/** An activity to append: the hub assigns its id (unless it replaces one) and timestamp. */
export interface NewActivity {
  type: string;
  [key: string]: unknown;
}

/** The body of `GET …/activities` and of each WebSocket message. */
export interface ActivitySet {
  activities: StoredActivity[];
  watermark: string;
}

/** A WebSocket (or anything else) following a conversation. */
export interface Subscriber {
  /** The id of the conversation token the stream was opened with (revoking it ends the stream). */
  readonly token: string;
  deliver(set: ActivitySet): void;
  /** The conversation is gone (expired or the server stops), or the stream's token was revoked. */
  end(): void;
}

export interface HubLimits {
  /** Activities kept per conversation (the oldest are dropped). */
  maxActivitiesPerConversation: number;
  /** How long an activity is kept, in milliseconds. */
  activityRetentionMs: number;
  /** A conversation without any activity for this long is forgotten, in milliseconds. */
  conversationIdleMs: number;
}

/** A conversation of the embedded Direct Line, as read from the database. */
export interface DirectLineConversation {
  readonly id: string;
  readonly userId: string;
  /** Whether the bot has been told of the conversation (the first start sends a conversationUpdate). */
  readonly started: boolean;
  readonly locale: string | undefined;
  /** The sequence number of its last activity. */
  readonly seq: number;
  /**
   * Ids of its tokens replaced by a refresh or used to end the conversation, with their expiry (ms since the
   * epoch): refused until then.
   */
  readonly revoked: Readonly<Record<string, number>>;
}

interface ConversationDoc extends Doc {
  kind: 'conversation';
  userId: string;
  started: boolean;
  locale?: string;
  seq: number;
  revoked: Record<string, number>;
  expiresAt: Date;
}

interface ActivityDoc extends Doc {
  kind: 'activity';
  conversationId: string;
  seq: number;
  /** The activity's id (a replaced activity keeps it under a new sequence number). */
  activityId: string;
  /** The activity as JSON text: its field names may hold `$` and `.` (an Adaptive Card's `$schema`). */
  json: string;
  expiresAt: Date;
}

type HubDoc = ConversationDoc | ActivityDoc;

/** Dropping activities beyond the per-conversation limit is one write every this many appends. */
const TRIM_EVERY = 50;

/** The `_id` of a Direct Line conversation's record in the `directline` collection. */
export const conversationKey = (id: string): string => `c:${id}`;
const conversationIdOf = (key: string): string | undefined =>
  key.startsWith('c:') ? key.slice(2) : undefined;

/**
 * The conversations of the embedded Direct Line, in the database (`directline` collection), so that every
 * instance serves every conversation: a conversation document (user, sequence, revoked tokens) and one document
 * per activity, each expiring (TTL) after the retention time; a conversation expires once idle that long.
 * The watermark is the sequence number of the last activity a client has; activity ids are
 * `<conversationId>|<seq>` as with Azure's Direct Line. WebSocket streams are this instance's subscribers,
 * fed by the collection's change feed: an activity appended on any instance reaches the streams on every
 * instance, and a token revoked on any instance ends its streams everywhere.
 */
export class ConversationHub {
  private readonly docs: Collection<HubDoc>;
  private readonly conversations: Collection<ConversationDoc>;
  private readonly activities: Collection<ActivityDoc>;
  /** This instance's streams by conversation id. */
  private readonly subscribers = new Map<string, Set<Subscriber>>();
  private feed: ChangeFeed | undefined;

  constructor(
    db: Database,
    private readonly clock: Clock,
    private readonly limits: HubLimits,
    private readonly log: Logger,
  ) {
    this.docs = db.collection<HubDoc>('directline');
    this.conversations = db.collection<ConversationDoc>('directline');
    this.activities = db.collection<ActivityDoc>('directline');
  }

  /** Starts following the database's changes (before serving streams). */
  async follow(): Promise<void> {
    this.feed = await this.docs.watch(
      (event) => this.onChange(event),
      (err: unknown) => this.log.warn({ err }, 'direct line: change feed error'),
    );
  }

  async create(userId: string): Promise<DirectLineConversation> {
    const doc: ConversationDoc = {
      _id: conversationKey(randomBytes(16).toString('base64url')),
      kind: 'conversation',
      userId,
      started: false,
      seq: 0,
      revoked: {},
      expiresAt: this.idleExpiry(),
    };
    await this.conversations.insertOne(doc);
    return view(doc);
  }

  /** The conversation; undefined when unknown or idle for too long. */
  async get(id: string): Promise<DirectLineConversation | undefined> {
    const doc = await this.conversations.findOne({ _id: conversationKey(id), kind: 'conversation' });
    return doc ? view(doc) : undefined;
  }

  /** Marks the conversation started; true for the one call (on any instance) that started it. */
  async markStarted(conversation: DirectLineConversation, locale: string | undefined): Promise<boolean> {
    const before = await this.conversations.findOneAndUpdate(
      { _id: conversationKey(conversation.id), kind: 'conversation', started: false },
      { $set: { started: true, ...(locale === undefined ? {} : { locale }) } },
    );
    return before !== null;
  }

  /** Appends an activity (a new one, or a new version of `replacing`); every instance's streams get it. */
  async append(
    conversation: DirectLineConversation,
    activity: NewActivity,
    replacing?: string,
  ): Promise<StoredActivity> {
    const now = this.clock.now();
    const counted = await this.conversations.findOneAndUpdate(
      { _id: conversationKey(conversation.id), kind: 'conversation' },
      { $inc: { seq: 1 }, $set: { expiresAt: this.idleExpiry() } },
      { returnDocument: 'after' },
    );
    if (!counted) throw new Error('direct line: the conversation expired');
    const { seq } = counted;
    const stored: StoredActivity = {
      ...activity,
      id: replacing ?? `${conversation.id}|${String(seq).padStart(7, '0')}`,
      timestamp: now.toISOString(),
    };
    if (replacing !== undefined) await this.remove(conversation, replacing);
    await this.activities.insertOne({
      _id: `a:${conversation.id}|${seq}`,
      kind: 'activity',
      conversationId: conversation.id,
      seq,
      activityId: stored.id,
      json: JSON.stringify(stored),
      expiresAt: new Date(now.getTime() + this.limits.activityRetentionMs),
    });
    if (seq % TRIM_EVERY === 0 && seq > this.limits.maxActivitiesPerConversation) {
      await this.activities.deleteMany({
        kind: 'activity',
        conversationId: conversation.id,
        seq: { $lte: seq - this.limits.maxActivitiesPerConversation },
      });
    }
    return stored;
  }

  /** Whether an activity with that id is (still) kept. */
  async has(conversation: DirectLineConversation, activityId: string): Promise<boolean> {
    const count = await this.activities.countDocuments({
      kind: 'activity',
      conversationId: conversation.id,
      activityId,
    });
    return count > 0;
  }

  async remove(conversation: DirectLineConversation, activityId: string): Promise<boolean> {
    const { deletedCount } = await this.activities.deleteOne({
      kind: 'activity',
      conversationId: conversation.id,
      activityId,
    });
    return deletedCount > 0;
  }

  /** The activities after `watermark` (all kept ones when it is missing or not a number). */
  async since(conversation: DirectLineConversation, watermark: string | undefined): Promise<ActivitySet> {
    const after = watermark && /^\d{1,15}$/.test(watermark) ? Number(watermark) : 0;
    const docs = await this.activities.find(
      { kind: 'activity', conversationId: conversation.id, seq: { $gt: after } },
      { sort: { seq: -1 }, limit: this.limits.maxActivitiesPerConversation },
    );
    docs.reverse();
    const last = docs.at(-1)?.seq ?? 0;
    return {
      activities: docs.map(activityOf),
      watermark: String(Math.max(conversation.seq, after, last)),
    };
  }

  /**
   * Revokes a token (by id, with its expiry in ms); the streams opened with it end on every instance. Revoked
   * tokens that have expired since are forgotten at the same time (they are refused as expired anyway), so a
   * conversation refreshed for hours keeps a short list.
   */
  async revoke(conversation: DirectLineConversation, tokenId: string, expiresAt: number): Promise<void> {
    const now = this.clock.now().getTime();
    const expired = Object.entries(conversation.revoked).filter(
      ([id, until]) => until <= now && id !== tokenId,
    );
    await this.conversations.updateOne(
      { _id: conversationKey(conversation.id), kind: 'conversation' },
      {
        $set: { [`revoked.${tokenId}`]: expiresAt },
        ...(expired.length > 0
          ? { $unset: Object.fromEntries(expired.map(([id]) => [`revoked.${id}`, ''])) }
          : {}),
      },
    );
  }

  /** Follows the conversation on this instance; returns the unsubscribe function. */
  subscribe(conversation: DirectLineConversation, subscriber: Subscriber): () => void {
    let set = this.subscribers.get(conversation.id);
    if (!set) this.subscribers.set(conversation.id, (set = new Set()));
    set.add(subscriber);
    return () => {
      set.delete(subscriber);
      if (set.size === 0 && this.subscribers.get(conversation.id) === set)
        this.subscribers.delete(conversation.id);
    };
  }

  /** This instance's open streams of a conversation. */
  streams(conversation: DirectLineConversation): number {
    return this.subscribers.get(conversation.id)?.size ?? 0;
  }

  /** Stops following changes and ends this instance's streams (server shutdown). */
  async close(): Promise<void> {
    for (const id of [...this.subscribers.keys()]) this.end(id, () => true);
    await this.feed?.close();
  }

  private onChange(event: ChangeEvent<HubDoc>): void {
    const doc = event.fullDocument;
    if (event.operationType === 'delete') {
      const id = conversationIdOf(event.documentKey._id);
      if (id !== undefined) this.end(id, () => true);
      return;
    }
    if (doc?.kind === 'activity' && event.operationType === 'insert') {
      const set: ActivitySet = { activities: [activityOf(doc)], watermark: String(doc.seq) };
      for (const subscriber of this.subscribers.get(doc.conversationId) ?? []) subscriber.deliver(set);
      return;
    }
    if (doc?.kind === 'conversation') {
      const id = conversationIdOf(doc._id);
      if (id !== undefined) this.end(id, (s) => s.token in doc.revoked);
    }
  }

  private end(conversationId: string, which: (subscriber: Subscriber) => boolean): void {
    const set = this.subscribers.get(conversationId);
    if (!set) return;
    for (const subscriber of set) {
      if (!which(subscriber)) continue;
      set.delete(subscriber);
      subscriber.end();
    }
    if (set.size === 0) this.subscribers.delete(conversationId);
  }

  private idleExpiry(): Date {
    return new Date(this.clock.now().getTime() + this.limits.conversationIdleMs);
  }
}

function view(doc: ConversationDoc): DirectLineConversation {
  return {
    id: conversationIdOf(doc._id) ?? doc._id,
    userId: doc.userId,
    started: doc.started,
    locale: doc.locale,
    seq: doc.seq,
    revoked: doc.revoked,
  };
}

function activityOf(doc: ActivityDoc): StoredActivity {
  return JSON.parse(doc.json) as StoredActivity;
}

/** Whether a token id was revoked and its revocation still stands. */
export function isRevoked(conversation: DirectLineConversation, tokenId: string, now: number): boolean {
  const expiry = conversation.revoked[tokenId];
  return expiry !== undefined && expiry > now;
}
