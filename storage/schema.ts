import { collectionNames, type CollectionName, type Database, type IndexSpec } from './port';

/**
 * Every index of every collection, created at start by both stores. TTL indexes expire a document at the Date
 * in `expiresAt` (`expireAfterSeconds: 0`): the app sets `expiresAt` from the configured retention, so changing
 * the retention needs no index change.
 */
export const indexes: Record<CollectionName, IndexSpec[]> = {
  botState: [{ keys: { expiresAt: 1 }, expireAfterSeconds: 0 }],
  conversations: [{ keys: { lastActivityAt: 1 } }, { keys: { expiresAt: 1 }, expireAfterSeconds: 0 }],
  faq: [{ keys: { locale: 1, enabled: 1 } }, { keys: { topic: 1 } }],
  faqHistory: [{ keys: { entryId: 1, at: -1 } }],
  faqVotes: [],
  // `_id` is a hash of the locale and the folded text, which makes a question unique per locale.
  unanswered: [{ keys: { locale: 1, count: -1, lastAt: -1 } }],
  cases: [
    // One open case per conversation: the handoff guard's lookup on every customer turn.
    {
      keys: { activeConversationId: 1 },
      unique: true,
      partialFilterExpression: { activeConversationId: { $exists: true } },
    },
    { keys: { status: 1, queuedAt: 1 } },
    { keys: { conversationId: 1 } },
    { keys: { expiresAt: 1 }, expireAfterSeconds: 0 },
  ],
  caseMessages: [{ keys: { caseId: 1, at: 1 } }, { keys: { expiresAt: 1 }, expireAfterSeconds: 0 }],
  ratings: [{ keys: { episodeId: 1 }, unique: true }, { keys: { createdAt: 1 } }],
  ratingComments: [{ keys: { expiresAt: 1 }, expireAfterSeconds: 0 }],
  surveys: [{ keys: { episodeId: 1 }, unique: true }, { keys: { sentAt: 1 } }],
  staffTokens: [{ keys: { tokenHash: 1 }, unique: true }],
  settings: [
    // Teams case cards by the thread they started (agents' replies in a card's thread).
    {
      name: 'teamsCaseCardByThread',
      keys: { 'post.channel.conversationId': 1, 'post.activityId': 1 },
      partialFilterExpression: { kind: 'teams.caseCard' },
    },
  ],
  audit: [{ keys: { at: -1 } }],
  directline: [{ keys: { expiresAt: 1 }, expireAfterSeconds: 0 }],
  // Messages to review (review/log.ts): the open list by locale, newest first; customer text expires.
  reviewItems: [
    { keys: { status: 1, locale: 1, createdAt: -1 } },
    { keys: { expiresAt: 1 }, expireAfterSeconds: 0 },
  ],
  reviewLabels: [{ keys: { at: 1 } }],
  // The follow-up inbox (handoff/followups.ts): the open list oldest first, the closed history; kept for the
  // transcript retention.
  followups: [
    { keys: { status: 1, createdAt: 1 } },
    { keys: { status: 1, closedAt: -1 } },
    { keys: { conversationId: 1 } },
    { keys: { expiresAt: 1 }, expireAfterSeconds: 0 },
  ],
  // Sweep leases (storage/lease.ts; a conversation's lease is a field of its record): an expired lease is free,
  // and then removed.
  leases: [{ keys: { 'lease.expiresAt': 1 }, expireAfterSeconds: 0 }],
  // Events every instance hears (storage/eventBus.ts): delivered by the change feed at once, then expired.
  events: [{ keys: { expiresAt: 1 }, expireAfterSeconds: 0 }],
  // Requests for a person per client (handoff/requestQuota.ts): kept while one of them is in the window.
  quotas: [{ keys: { expiresAt: 1 }, expireAfterSeconds: 0 }],
};

/** Creates the indexes (idempotent: an existing index with the same options is left alone). */
export async function ensureIndexes(db: Database): Promise<void> {
  for (const name of collectionNames) {
    const collection = db.collection(name);
    for (const spec of indexes[name]) await collection.createIndex(spec);
  }
}
