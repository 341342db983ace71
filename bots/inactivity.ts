import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import type { CustomerChannel } from '../handoff/types';
import type { ConversationStore } from '../storage/conversations';

/**
 * Closes episodes of customers who went quiet and sends them the survey (once: closing an episode is a
 * conditional update). Conversations a person is handling are left alone.
 */
export async function surveyIdleConversations(deps: {
  conversations: ConversationStore;
  activeCase: (conversationId: string) => Promise<unknown>;
  customers: CustomerChannel;
  clock: Clock;
  log: Logger;
  idleMinutes: number;
}): Promise<number> {
  const cutoff = new Date(deps.clock.now().getTime() - deps.idleMinutes * 60_000);
  let surveyed = 0;
  for (const doc of await deps.conversations.idleSince(cutoff, 100)) {
    if (await deps.activeCase(doc._id)) continue;
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
