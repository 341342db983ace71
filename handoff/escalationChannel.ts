import type { Clock } from '../core/clock';
import type { LeftBehind } from '../privacy/customerData';
import type { Collection, Database, Doc } from '../storage/port';

/**
 * Where staff cards go in Microsoft Teams, kept in the `settings` collection so it survives restarts:
 * - the escalation channel (one document, `_id: 'teams.escalationChannel'`), set by "set escalation channel";
 * - one document per case card posted there (`_id: 'teams.caseCard:<caseId>'`), so the card can be updated in
 *   place and replies in its thread can be matched to the case;
 * - one document per follow-up card (`_id: 'teams.followupCard:<followupId>'`), updated in place the same way.
 * Erasing a customer's data replaces their cards with a neutral one and removes the customer's messages posted in
 * the card's thread (`replies`) (bots/teamsStaff.ts: eraseCards). The card documents are forgotten at once, their
 * clean-up kept in one document per erased customer (`_id: 'teams.erasure:<SHA-256 of the customer id>'`: where
 * the messages are, never what they say; each message Teams took is noted in `done` at once) that goes when
 * everything is done; what Teams did not take stays there, and the next erasure of that customer finishes it.
 * When Teams says the escalation channel is gone (deleted, its team deleted or archived, the app removed from the
 * team), the channel is forgotten and noted as lost (`_id: 'teams.lostChannel:<conversation id>'`): nothing is
 * posted there again (its cards are no longer updated; an erasure still tries to clean them) until staff set it
 * again, which a restored team does not do by itself.
 * Plain data: the Teams edge (bots/teamsStaff.ts) turns it into conversation references.
 */

/** What a proactive post into a Teams channel needs. */
export interface ChannelAddress {
  /** The channel's conversation id (`19:…@thread.tacv2`, without `;messageid=`). */
  conversationId: string;
  serviceUrl: string;
  tenantId?: string;
  /** The bot's account in that conversation (the `recipient` of the command). */
  bot: { id: string; name?: string };
}

/** The Teams channel that receives case cards. */
export interface EscalationChannel extends ChannelAddress {
  teamId?: string;
  setBy: { id: string; name: string };
  setAt: Date;
}

/** A case card posted in the escalation channel. */
export interface CaseCardPost {
  caseId: string;
  /** The channel the card was posted to (it stays there when the escalation channel changes later). */
  channel: ChannelAddress;
  /** The id of the card's activity: the root of its thread, used to update it. */
  activityId: string;
  postedAt: Date;
  /** The customer's messages the bot posted in the card's thread (their activity ids), removed at an erasure. */
  replies?: string[];
}

/**
 * What Teams says that ends an escalation channel: a conversationUpdate's `channelData.eventType`, and `appRemoved`
 * (an installationUpdate `remove`, or the bot among `membersRemoved`; bots/teamsStaff.ts teamsEventOf).
 */
export const CHANNEL_LOSSES = [
  'channelDeleted',
  'teamDeleted',
  'teamHardDeleted',
  'teamArchived',
  'appRemoved',
] as const;
export type ChannelLoss = (typeof CHANNEL_LOSSES)[number];

/** An escalation channel that Teams said is gone. */
export interface LostChannel {
  conversationId: string;
  teamId?: string;
  why: ChannelLoss;
  lostAt: Date;
}

interface LostChannelDoc extends Doc {
  kind: 'teams.lostChannel';
  lost: LostChannel;
}

interface ChannelDoc extends Doc {
  kind: 'teams.escalationChannel';
  channel: EscalationChannel;
}

interface CardDoc extends Doc {
  kind: 'teams.caseCard';
  post: CaseCardPost;
}

/** A follow-up card posted in the escalation channel. */
export interface FollowupCardPost {
  followupId: string;
  channel: ChannelAddress;
  activityId: string;
  postedAt: Date;
}

interface FollowupCardDoc extends Doc {
  kind: 'teams.followupCard';
  post: FollowupCardPost;
}

/** A Teams message an erasure still has to clean: a card to replace, or a thread message to delete. */
export interface ErasureItem {
  kind: LeftBehind['kind'];
  channel: ChannelAddress;
  activityId: string;
  /** A thread message: the root of its thread (the card). */
  rootActivityId?: string;
  postedAt?: Date;
}

interface ErasureDoc extends Doc {
  kind: 'teams.erasure';
  items: ErasureItem[];
  /** The items already cleaned (`erasureItemKey`). */
  done?: string[];
}

/** One message to clean, by kind and place (the same message found twice is cleaned once). */
export const erasureItemKey = (item: ErasureItem): string =>
  `${item.kind}:${item.channel.conversationId}:${item.activityId}`;

type SettingsDoc = ChannelDoc | LostChannelDoc | CardDoc | FollowupCardDoc | ErasureDoc;

const CHANNEL_ID = 'teams.escalationChannel';
const lostId = (conversationId: string): string => `teams.lostChannel:${conversationId}`;
const cardId = (caseId: string): string => `teams.caseCard:${caseId}`;
export const followupCardId = (followupId: string): string => `teams.followupCard:${followupId}`;
const erasureId = (subject: string): string => `teams.erasure:${subject}`;

export class EscalationChannelStore {
  private readonly settings: Collection<SettingsDoc>;

  constructor(
    db: Database,
    private readonly clock: Clock,
  ) {
    this.settings = db.collection<SettingsDoc>('settings');
  }

  async channel(): Promise<EscalationChannel | null> {
    const doc = await this.settings.findOne({ _id: CHANNEL_ID, kind: 'teams.escalationChannel' });
    return doc?.kind === 'teams.escalationChannel' ? doc.channel : null;
  }

  /** Makes `channel` the escalation channel (replacing every earlier one); set again, a lost channel is no longer. */
  async setChannel(channel: Omit<EscalationChannel, 'setAt'>): Promise<EscalationChannel> {
    const stored: EscalationChannel = { ...channel, setAt: this.clock.now() };
    await this.settings.updateOne(
      { _id: CHANNEL_ID },
      { $set: { kind: 'teams.escalationChannel', channel: stored } },
      { upsert: true },
    );
    await this.settings.deleteOne({ _id: lostId(channel.conversationId) });
    return stored;
  }

  /**
   * Notes `channel` as lost (`why`) and forgets it as the escalation channel unless another was set meanwhile.
   * Noted first: a failure halfway leaves a channel that is still set but never posted to, not the other way round.
   */
  async forgetChannel(channel: EscalationChannel, why: ChannelLoss): Promise<void> {
    const { conversationId, teamId } = channel;
    const lost: LostChannel = {
      conversationId,
      ...(teamId ? { teamId } : {}),
      why,
      lostAt: this.clock.now(),
    };
    await this.settings.updateOne(
      { _id: lostId(conversationId) },
      { $set: { kind: 'teams.lostChannel', lost } },
      { upsert: true },
    );
    await this.settings.deleteOne({ _id: CHANNEL_ID, 'channel.conversationId': conversationId });
  }

  /** The lost channel of that id, or the one of that team, if Teams said it is gone and nobody set it again. */
  async lostChannel(where: { conversationId: string } | { teamId: string }): Promise<LostChannel | null> {
    const doc = await this.settings.findOne(
      'conversationId' in where
        ? { _id: lostId(where.conversationId), kind: 'teams.lostChannel' }
        : { kind: 'teams.lostChannel', 'lost.teamId': where.teamId },
    );
    return doc?.kind === 'teams.lostChannel' ? doc.lost : null;
  }

  async rememberCard(post: Omit<CaseCardPost, 'postedAt'>): Promise<void> {
    await this.settings.updateOne(
      { _id: cardId(post.caseId) },
      { $set: { kind: 'teams.caseCard', post: { ...post, postedAt: this.clock.now() } } },
      { upsert: true },
    );
  }

  async cardOf(caseId: string): Promise<CaseCardPost | null> {
    return this.toPost(await this.settings.findOne({ _id: cardId(caseId), kind: 'teams.caseCard' }));
  }

  /** Notes a customer's message the bot posted in the card's thread (only those: nothing else needs erasing). */
  async rememberReply(caseId: string, activityId: string): Promise<void> {
    await this.settings.updateOne({ _id: cardId(caseId) }, { $push: { 'post.replies': activityId } });
  }

  async forgetCard(caseId: string): Promise<void> {
    await this.settings.deleteOne({ _id: cardId(caseId) });
  }

  async forgetFollowupCard(followupId: string): Promise<void> {
    await this.settings.deleteOne({ _id: followupCardId(followupId) });
  }

  /** The card whose thread this is (the thread's root activity id in that channel), if it is one of ours. */
  async cardByThread(channelConversationId: string, rootActivityId: string): Promise<CaseCardPost | null> {
    return this.toPost(
      await this.settings.findOne({
        kind: 'teams.caseCard',
        'post.channel.conversationId': channelConversationId,
        'post.activityId': rootActivityId,
      }),
    );
  }

  async rememberFollowupCard(post: Omit<FollowupCardPost, 'postedAt'>): Promise<void> {
    await this.settings.updateOne(
      { _id: followupCardId(post.followupId) },
      { $set: { kind: 'teams.followupCard', post: { ...post, postedAt: this.clock.now() } } },
      { upsert: true },
    );
  }

  async followupCardOf(followupId: string): Promise<FollowupCardPost | null> {
    const doc = await this.settings.findOne({ _id: followupCardId(followupId), kind: 'teams.followupCard' });
    return doc?.kind === 'teams.followupCard' ? doc.post : null;
  }

  /** What the erasure of a customer (`subject`: the SHA-256 of their id) has still to clean in Teams. */
  async erasureOf(subject: string): Promise<ErasureItem[]> {
    const doc = await this.settings.findOne({ _id: erasureId(subject), kind: 'teams.erasure' });
    if (doc?.kind !== 'teams.erasure') return [];
    const done = new Set(doc.done ?? []);
    return doc.items.filter((item) => !done.has(erasureItemKey(item)));
  }

  /** Keeps what is left to clean for that erasure; nothing left: forgets it. */
  async saveErasure(subject: string, items: readonly ErasureItem[]): Promise<void> {
    if (items.length === 0) await this.settings.deleteOne({ _id: erasureId(subject) });
    else
      await this.settings.updateOne(
        { _id: erasureId(subject) },
        { $set: { kind: 'teams.erasure', items: [...items], done: [] } },
        { upsert: true },
      );
  }

  /** Notes that Teams took the clean-up of `item` (one small write per message, whatever the list's length). */
  async erasedInTeams(subject: string, item: ErasureItem): Promise<void> {
    await this.settings.updateOne({ _id: erasureId(subject) }, { $push: { done: erasureItemKey(item) } });
  }

  private toPost(doc: SettingsDoc | null): CaseCardPost | null {
    return doc?.kind === 'teams.caseCard' ? doc.post : null;
  }
}
