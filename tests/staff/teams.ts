import { randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder';

/** The staff team's escalation channel, as Teams names it. */
export const CHANNEL = '19:support@thread.tacv2';
export const TEAM = '19:team@thread.tacv2';
export const TENANT = 'tenant-1';
export const BOT = { id: '28:bot-app-id', name: 'Support' };
export const ANA = { id: '29:ana', aadObjectId: 'aad-ana', name: 'Ana Nowak' };
export const BOB = { id: '29:bob', aadObjectId: 'aad-bob', name: 'Bob Berg' };

export type Person = typeof ANA;

/** Where a Teams activity comes from: a channel of a team (default: the staff team's escalation channel). */
export interface TeamsPlace {
  team?: string;
  channel?: string;
  tenant?: string;
}

/** An activity in a team's channel, as Teams sends it (the bot @mentioned in channel posts). */
export function teamsActivity(
  serviceUrl: string,
  from: Person,
  conversationId: string,
  activity: Partial<Activity>,
  place: TeamsPlace = {},
): Partial<Activity> {
  const tenant = place.tenant ?? TENANT;
  return {
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl,
    from,
    recipient: BOT,
    conversation: {
      id: conversationId,
      conversationType: 'channel',
      isGroup: true,
      tenantId: tenant,
      name: '',
    },
    channelData: {
      team: { id: place.team ?? TEAM },
      channel: { id: place.channel ?? CHANNEL },
      tenant: { id: tenant },
    },
    locale: 'en-US',
    timestamp: new Date(),
    ...activity,
  };
}

export function mention(text: string): Partial<Activity> {
  return {
    type: 'message',
    text: `<at>Support</at> ${text}`,
    entities: [{ type: 'mention', mentioned: BOT, text: '<at>Support</at>' }],
  };
}

/** A press of a case card's button with Action.Execute (Teams sends an `adaptiveCard/action` invoke). */
export function caseInvoke(verb: string, caseId: string): Partial<Activity> {
  return {
    type: 'invoke',
    name: 'adaptiveCard/action',
    value: { action: { type: 'Action.Execute', verb, data: { verb, caseId } }, trigger: 'manual' },
  };
}

/** A channel thread's conversation id. */
export const thread = (rootId: string, channel = CHANNEL): string => `${channel};messageid=${rootId}`;

/**
 * What Teams sends the bot about a team or channel of the staff team (default: its escalation channel) in a
 * conversationUpdate: `eventType` in `channelData` (`channelDeleted`, `teamArchived`, …) and `team`, `channel` and
 * `tenant` as in every team activity; the conversation is the team's General channel, whose id is the team's.
 * `activity` adds to it or replaces it (an installationUpdate, `membersRemoved`).
 */
export function teamsEvent(
  serviceUrl: string,
  eventType: string | undefined,
  place: TeamsPlace = {},
  activity: Partial<Activity> = {},
): Partial<Activity> {
  const event = teamsActivity(serviceUrl, ANA, place.team ?? TEAM, { type: 'conversationUpdate' }, place);
  return {
    ...event,
    channelData: { ...(event.channelData as object), ...(eventType ? { eventType } : {}) },
    ...activity,
  };
}
