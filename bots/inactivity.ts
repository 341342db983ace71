import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import type { CustomerChannel } from '../handoff/types';
import type { ConversationStore } from '../storage/conversations';

/**
 * Closes episodes of customers who went quiet (nothing said by anyone since the cutoff) and sends them the survey
 * (once: closing an episode is a conditional update), as self-service: the bot corrects that for an episode whose
 * hand-over ended without a person (CustomerServiceBot.runProactive). Conversations a person is handling are left
 * alone, and so are those whose hand-over changed since the cutoff: the survey comes after the notice of that change
 * (the queue expired), never before it, whichever sweep runs first.
 */
export async function surveyIdleConversations(deps: {
  conversations: ConversationStore;
  /** A case of the conversation is open, or changed at or after `since` (HandoffService.handoverSince). */
  handoverSince: (conversationId: string, since: Date) => Promise<boolean>;
  customers: CustomerChannel;
  clock: Clock;
  log: Logger;
  idleMinutes: number;
}): Promise<number> {
  const cutoff = new Date(deps.clock.now().getTime() - deps.idleMinutes * 60_000);
  let surveyed = 0;
  for (const doc of await deps.conversations.idleSince(cutoff, 100)) {
    // Quiet since the bot last spoke too: a notice sent since (a hand-over that expired, offering to leave an
    // e-mail or phone number) gets its full time to be answered before the survey takes the next message.
    const last = doc.recent[doc.recent.length - 1];
    if (last && last.at >= cutoff) continue;
    if (await deps.handoverSince(doc._id, cutoff)) continue;
    // Still idle: the customer may have written since the query.
    const episode = await deps.conversations.closeEpisode(doc._id, cutoff);
    if (!episode) continue;
    const delivery = await deps.customers.startSurvey(doc._id, {
      episodeId: episode.id,
      resolution: 'self-service',
      ...(episode.faqEntryId ? { faqEntryId: episode.faqEntryId } : {}),
    });
    if (delivery === 'sent') surveyed++;
    else deps.log.info({ conversationId: doc._id, delivery }, 'inactivity survey not delivered');
  }
  return surveyed;
}
