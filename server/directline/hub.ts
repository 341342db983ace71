import { randomBytes } from 'node:crypto';
import type { Clock } from '../../core/clock';

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
  /** The id of the conversation token the stream was opened with (a refresh that revokes it ends the stream). */
  readonly token: string;
  deliver(set: ActivitySet): void;
  /** The conversation is gone (evicted or the server stops). */
  end(): void;
}

export interface HubLimits {
  /** Conversations kept at once; the least recently active is evicted first. */
  maxConversations: number;
  /** Activities kept per conversation (the oldest are dropped). */
  maxActivitiesPerConversation: number;
  /** How long an activity is kept, in milliseconds. */
  activityRetentionMs: number;
  /** A conversation without any request for this long is forgotten, in milliseconds. */
  conversationIdleMs: number;
}

interface Entry {
  seq: number;
  at: number;
  activity: StoredActivity;
}

export class DirectLineConversation {
  /** Whether the bot has been told of the conversation (the first start sends a conversationUpdate). */
  started = false;
  locale: string | undefined;
  lastActiveAt: number;
  readonly entries: Entry[] = [];
  readonly subscribers = new Set<Subscriber>();
  seq = 0;
  /** Ids of the conversation's tokens replaced by a refresh, with their expiry (ms): refused until then. */
  private readonly revoked = new Map<string, number>();

  constructor(
    readonly id: string,
    readonly userId: string,
    now: number,
  ) {
    this.lastActiveAt = now;
  }

  /** Revokes a token (by id, with its expiry in ms) and ends the streams opened with it. */
  revoke(tokenId: string, expiresAt: number, now: number): void {
    for (const [id, expiry] of this.revoked) if (expiry <= now) this.revoked.delete(id);
    this.revoked.set(tokenId, expiresAt);
    for (const subscriber of this.subscribers) {
      if (subscriber.token === tokenId) {
        this.subscribers.delete(subscriber);
        subscriber.end();
      }
    }
  }

  isRevoked(tokenId: string): boolean {
    return this.revoked.has(tokenId);
  }
}

/**
 * The conversations of the embedded Direct Line, in memory and bounded: a fixed number of conversations
 * (least recently active evicted), a fixed number of activities each, each activity kept for a limited time.
 * The watermark is the sequence number of the last activity a client has; activity ids are
 * `<conversationId>|<seq>` as with Azure's Direct Line.
 */
export class ConversationHub {
  /** In least-recently-active order (touching moves a conversation to the end). */
  private readonly conversations = new Map<string, DirectLineConversation>();

  constructor(
    private readonly clock: Clock,
    private readonly limits: HubLimits,
  ) {}

  create(userId: string): DirectLineConversation {
    const now = this.clock.now().getTime();
    for (const oldest of this.conversations.values()) {
      const idle = now - oldest.lastActiveAt > this.limits.conversationIdleMs;
      if (!idle && this.conversations.size < this.limits.maxConversations) break;
      this.evict(oldest);
    }
    const conversation = new DirectLineConversation(randomBytes(16).toString('base64url'), userId, now);
    this.conversations.set(conversation.id, conversation);
    return conversation;
  }

  /** The conversation, marked as active; undefined when unknown or idle for too long. */
  get(id: string): DirectLineConversation | undefined {
    const conversation = this.conversations.get(id);
    if (!conversation) return undefined;
    const now = this.clock.now().getTime();
    if (now - conversation.lastActiveAt > this.limits.conversationIdleMs) {
      this.evict(conversation);
      return undefined;
    }
    conversation.lastActiveAt = now;
    this.conversations.delete(id);
    this.conversations.set(id, conversation);
    return conversation;
  }

  /** Appends an activity (a new one, or a new version of `replacing`) and delivers it to every subscriber. */
  append(conversation: DirectLineConversation, activity: NewActivity, replacing?: string): StoredActivity {
    const now = this.clock.now();
    const seq = ++conversation.seq;
    const stored: StoredActivity = {
      ...activity,
      id: replacing ?? `${conversation.id}|${String(seq).padStart(7, '0')}`,
      timestamp: now.toISOString(),
    };
    if (replacing !== undefined) this.remove(conversation, replacing);
    conversation.entries.push({ seq, at: now.getTime(), activity: stored });
    this.trim(conversation);
    const set: ActivitySet = { activities: [stored], watermark: String(seq) };
    for (const subscriber of conversation.subscribers) subscriber.deliver(set);
    return stored;
  }

  /** Whether an activity with that id is (still) kept. */
  has(conversation: DirectLineConversation, activityId: string): boolean {
    return conversation.entries.some((e) => e.activity.id === activityId);
  }

  remove(conversation: DirectLineConversation, activityId: string): boolean {
    const index = conversation.entries.findIndex((e) => e.activity.id === activityId);
    if (index >= 0) conversation.entries.splice(index, 1);
    return index >= 0;
  }

  /** The activities after `watermark` (all kept ones when it is missing or not a number). */
  since(conversation: DirectLineConversation, watermark: string | undefined): ActivitySet {
    this.trim(conversation);
    const after = watermark && /^\d{1,15}$/.test(watermark) ? Number(watermark) : 0;
    return {
      activities: conversation.entries.filter((e) => e.seq > after).map((e) => e.activity),
      watermark: String(Math.max(conversation.seq, after)),
    };
  }

  subscribe(conversation: DirectLineConversation, subscriber: Subscriber): () => void {
    conversation.subscribers.add(subscriber);
    return () => conversation.subscribers.delete(subscriber);
  }

  /** Ends every subscription (server shutdown). */
  close(): void {
    for (const conversation of this.conversations.values()) this.evict(conversation);
  }

  private trim(conversation: DirectLineConversation): void {
    const cutoff = this.clock.now().getTime() - this.limits.activityRetentionMs;
    const { entries } = conversation;
    let drop = Math.max(0, entries.length - this.limits.maxActivitiesPerConversation);
    while (drop < entries.length && (entries[drop]?.at ?? 0) < cutoff) drop++;
    if (drop > 0) entries.splice(0, drop);
  }

  private evict(conversation: DirectLineConversation): void {
    this.conversations.delete(conversation.id);
    for (const subscriber of conversation.subscribers) subscriber.end();
    conversation.subscribers.clear();
  }
}
