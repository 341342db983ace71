import {
  CardFactory,
  TurnContext,
  teamsGetChannelId,
  teamsGetTeamId,
  teamsGetTenant,
  type Activity,
  type AdaptiveCardInvokeResponse,
  type Attachment,
  type ConversationReference,
} from 'botbuilder';
import { CASE_VERBS, caseCard, caseCardContent, caseStateLine, isCaseVerb } from '../cards/caseCard';
import { FOLLOWUP_VERBS, followupCard, followupCardContent, isFollowupVerb } from '../cards/followupCard';
import type { Clock } from '../core/clock';
import { AppError } from '../core/errors';
import { KeyedQueue } from '../core/keyedQueue';
import type { Logger } from '../core/logger';
import { fold } from '../core/text';
import type { CardAction } from '../dialogs/contracts';
import {
  EscalationChannelStore,
  type ChannelAddress,
  type EscalationChannel,
} from '../handoff/escalationChannel';
import type { FollowupEvent, FollowupService } from '../handoff/followups';
import type { HandoffService } from '../handoff/service';
import type { CaseDetail, CaseEvent, CaseTransition, Delivery, StaffMember } from '../handoff/types';
import type { StaffPresence } from '../handoff/presence';
import { t, type MessageKey, type Params } from '../locales';
import type { LeftBehind, StaffCards } from '../privacy/customerData';
import { renderRedactions } from '../privacy/redact';
import type { BotAdapter } from '../server/adapter';
import type { Database } from '../storage/port';
import type { StaffChannel } from './customerServiceBot';
import { httpStatusOf } from './proactive';
import commands from './staffCommands.json';

/** What the Teams staff side uses of the handoff service. */
export type StaffHandoff = Pick<
  HandoffService,
  'get' | 'take' | 'resolve' | 'release' | 'agentMessage' | 'subscribe'
>;

/** What the Teams staff side uses of the follow-up inbox. */
export type StaffFollowups = Pick<FollowupService, 'get' | 'claim' | 'close' | 'subscribe'>;

export interface TeamsStaffDeps {
  adapter: BotAdapter;
  appId: string;
  handoff: StaffHandoff;
  followups: StaffFollowups;
  db: Database;
  clock: Clock;
  log: Logger;
  /** A member acting in the staff space (a case action, a thread reply) is present for a while. */
  presence: Pick<StaffPresence, 'seen'>;
  /** The language of every staff reply and case card (STAFF_LOCALE: one per team, cards live in a channel). */
  locale: string;
  /**
   * AAD object ids of the people who may set the escalation channel. Empty: the first to set it, then members of
   * its team (see setChannel), unless `adminsRequired`.
   */
  admins?: readonly string[];
  /** Production: without `admins` nobody may set the escalation channel. */
  adminsRequired?: boolean;
  /**
   * AAD object ids of the people who may act on cases (take, resolve, release, reply in a card's thread), besides
   * the admins. Empty: every member of the escalation channel's team.
   */
  agents?: readonly string[];
}

/** Case changes that re-render the card in place. */
const CARD_UPDATES = new Set<CaseEvent['type']>([
  'assigned',
  'released',
  'resolved',
  'cancelled',
  'left',
  'expired',
  'abandoned',
]);

const SET_CHANNEL = new Set(commands.setEscalationChannel.map(fold));
/** A channel thread's conversation id: `<channel id>;messageid=<root activity id>`. */
const THREAD = /^(.+);messageid=(.+)$/;

/**
 * The staff side in Microsoft Teams: an escalation channel (set with "set escalation channel") receives a card
 * for every new case, as a new thread; the card is updated in place when the case is taken, released or
 * closed; Take / Resolve / Release buttons act as the pressing Teams user; the customer's messages are posted
 * into the card's thread, and the assigned agent's replies there are relayed to the customer.
 *
 * Case actions and thread replies are accepted only in the staff space: a channel of the escalation channel's
 * team, in its tenant, from a member allowed by `agents`/`admins` when set.
 *
 * Follow-ups (left messages, queue timeouts, low-rating call-backs) get a card of their own in the same channel,
 * with Claim and Close (with a note) for the same staff, updated in place.
 *
 * Erasing a customer's data (privacy/customerData.ts) replaces their case and follow-up cards with a neutral
 * one in STAFF_LOCALE and deletes the customer's messages the bot posted in the threads (eraseCards).
 *
 * Only message activities are ever sent to Teams.
 */
export class TeamsStaff implements StaffChannel, StaffCards {
  private readonly store: EscalationChannelStore;
  /** One case's Teams updates run in order (post the card before updating it). */
  private readonly queue = new KeyedQueue();

  constructor(private readonly deps: TeamsStaffDeps) {
    this.store = new EscalationChannelStore(deps.db, deps.clock);
  }

  /** Follows the handoff service's and the follow-up inbox's events; returns the unsubscribe function. */
  start(): () => void {
    const stopFollowups = this.deps.followups.subscribe((event) => {
      this.queue
        .run(`followup:${event.followup.id}`, () => this.onFollowupEvent(event))
        .catch((err: unknown) =>
          this.deps.log.error(
            { err, followupId: event.followup.id, type: event.type },
            'Teams follow-up update failed',
          ),
        );
    });
    const stopCases = this.deps.handoff.subscribe((event) => {
      this.queue
        .run(event.caseView.id, () => this.onCaseEvent(event))
        .catch((err: unknown) =>
          this.deps.log.error(
            { err, caseId: event.caseView.id, type: event.type },
            'Teams staff update failed',
          ),
        );
    });
    return () => {
      stopFollowups();
      stopCases();
    };
  }

  /**
   * The customer's data is being erased: each card of these cases and follow-ups becomes a neutral "this
   * customer's data was erased" card, the customer's messages the bot posted in its thread are deleted, and
   * its record is forgotten. Runs in each card's queue, so an update under way finishes first and a later one
   * finds no card. What Teams did not take is returned (and logged: where it is, never what it says); its record
   * is forgotten all the same, as the erasure must complete.
   */
  async eraseCards(caseIds: readonly string[], followupIds: readonly string[]): Promise<LeftBehind[]> {
    const left = await Promise.all([
      ...caseIds.map((id) => this.queue.run(id, () => this.eraseCaseCard(id))),
      ...followupIds.map((id) => this.queue.run(`followup:${id}`, () => this.eraseFollowupCard(id))),
    ]);
    return left.flat();
  }

  /** Resolves once every queued Teams update has been sent (tests, graceful shutdown). */
  idle(): Promise<void> {
    return this.queue.drain();
  }

  async onStaffMessage(context: TurnContext): Promise<void> {
    const { activity } = context;
    const action = submittedCaseAction(activity.value);
    if (action) {
      await this.onCaseAction(context, action);
      return;
    }
    const text = (TurnContext.removeRecipientMention(activity) ?? activity.text ?? '').trim();
    if (SET_CHANNEL.has(fold(text).replace(/[.!?]+$/, ''))) {
      await this.setChannel(context);
      return;
    }
    const thread = THREAD.exec(activity.conversation.id);
    const card = thread?.[1] && thread[2] ? await this.store.cardByThread(thread[1], thread[2]) : null;
    if (card) {
      if (text && (await this.mayActOnCases(activity, 'thread reply')))
        await this.relay(context, card.caseId, text);
      return;
    }
    await context.sendActivity(this.say('staff.help'));
  }

  async onCaseAction(context: TurnContext, action: CardAction): Promise<AdaptiveCardInvokeResponse> {
    const caseId = action.data.caseId;
    if (!(await this.mayActOnCases(context.activity, action.verb)))
      return this.refused(context, action, this.say('staff.caseActionRefused'), 403);
    if (isFollowupVerb(action.verb)) return this.onFollowupAction(context, action);
    if (typeof caseId !== 'string') return this.refused(context, action, this.say('staff.missingCase'), 400);
    const agent = teamsAgent(context.activity);
    let refusal: AppError | undefined;
    let delivery: Delivery | undefined;
    try {
      delivery = (await this.transition(action.verb, caseId, agent))?.delivery;
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      if (err.status === 404) return this.refused(context, action, err.message, 404);
      refusal = err;
    }
    const detail = await this.deps.handoff.get(caseId);
    // The change stands either way; an unreachable customer shows on the card as the abandoned case.
    const notice = refusal
      ? this.actionRefusal(detail, refusal)
      : delivery === 'failed'
        ? this.say('staff.notDelivered')
        : '';
    const card = caseCardContent(detail, this.deps.locale, notice);
    // Action.Submit (clients without Execute): the card is updated through the case event; a refusal is said.
    if (action.via === 'submit' && notice) await context.sendActivity(notice);
    return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card };
  }

  /** Claim or Close (with the card's note) on a follow-up card; the card as it is now. */
  private async onFollowupAction(
    context: TurnContext,
    action: CardAction,
  ): Promise<AdaptiveCardInvokeResponse> {
    const { followupId, note } = action.data;
    if (typeof followupId !== 'string')
      return this.refused(context, action, this.say('staff.missingFollowup'), 400);
    const { followups } = this.deps;
    const staff = teamsAgent(context.activity);
    let notice = '';
    try {
      if (action.verb === FOLLOWUP_VERBS.claim) await followups.claim(followupId, staff);
      if (action.verb === FOLLOWUP_VERBS.close) {
        const text = typeof note === 'string' ? note.trim() : '';
        if (text) await followups.close(followupId, staff, text);
        else notice = this.say('staff.followupNeedsNote');
      }
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      if (err.status === 404) return this.refused(context, action, err.message, 404);
      notice = await this.followupRefusal(followupId);
    }
    const card = followupCardContent(await followups.get(followupId), this.deps.locale, notice);
    // Action.Submit: the card is updated through the follow-up event; a refusal is said.
    if (action.via === 'submit' && notice) await context.sendActivity(notice);
    return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card };
  }

  /** Why Claim or Close did nothing: it is closed, or someone else has it. */
  private async followupRefusal(followupId: string): Promise<string> {
    const detail = await this.deps.followups.get(followupId);
    return detail.status === 'closed'
      ? this.say('staff.followupAlreadyClosed')
      : this.say('staff.followupAlreadyClaimed', { name: detail.claimedBy?.name ?? '' });
  }

  /** The case change a button asks for (none for Refresh). */
  private transition(verb: string, caseId: string, agent: StaffMember): Promise<CaseTransition | undefined> {
    const { handoff } = this.deps;
    if (verb === CASE_VERBS.take) return handoff.take(caseId, agent);
    if (verb === CASE_VERBS.resolve) return handoff.resolve(caseId, agent);
    if (verb === CASE_VERBS.release) return handoff.release(caseId, agent);
    return Promise.resolve(undefined);
  }

  /** A staff reply in the team's language. */
  private say(key: MessageKey, params?: Params): string {
    return t(this.deps.locale, key, params);
  }

  /** Why a card button did nothing: someone else has the case, or the state it is in now. */
  private actionRefusal(detail: CaseDetail, err: AppError): string {
    if (err.status !== 403 && err.status !== 409) return err.message;
    if (detail.status === 'assigned' && detail.agentName)
      return this.say('staff.alreadyTaken', { name: detail.agentName });
    return caseStateLine(detail, this.deps.locale);
  }

  /** An action that names no known case: an error response (Execute) or a reply (Submit). */
  private async refused(
    context: TurnContext,
    action: CardAction,
    message: string,
    statusCode: 400 | 403 | 404,
  ): Promise<AdaptiveCardInvokeResponse> {
    if (action.via === 'submit') await context.sendActivity(message);
    return { statusCode, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message } };
  }

  /**
   * The staff space: a channel of the escalation channel's team (by `channelData.team.id`, or the channel itself
   * when the team is not known), in its tenant, from a member on the agents or admins list when one is set. The
   * Bot Connector vouches for these fields; over other channels the conversation type is the client's word, so
   * only Teams counts. A refusal is logged (without the message text).
   */
  private async mayActOnCases(activity: Activity, what: string): Promise<boolean> {
    const inTeam = inTeamOf(activity, await this.store.channel());
    const { agents = [], admins = [] } = this.deps;
    const aadId = activity.from.aadObjectId;
    const member =
      agents.length === 0 || (aadId !== undefined && (agents.includes(aadId) || admins.includes(aadId)));
    if (inTeam && member) {
      this.deps.presence.seen(teamsAgent(activity).id);
      return true;
    }
    this.deps.log.warn(
      { what, userId: activity.from.id, conversationId: activity.conversation.id, inTeam },
      'case action outside the staff space refused',
    );
    return false;
  }

  // ---- the escalation channel ----

  /**
   * "set escalation channel": by a member listed in `admins`; with none listed, outside production, by the first
   * to type it and then by members of the escalation channel's team (in its tenant), so that nobody in another
   * team (or tenant) where the app is installed can draw the cases to themselves. In production the list is
   * required. The former channel is told when the channel moves.
   */
  private async setChannel(context: TurnContext): Promise<void> {
    const { activity } = context;
    if (activity.conversation.conversationType !== 'channel') {
      await context.sendActivity(this.say('staff.channelOnly'));
      return;
    }
    const who = teamsAgent(activity);
    const former = await this.store.channel();
    const refusal = channelSetRefusal(activity, former, this.deps);
    if (refusal) {
      this.deps.log.warn({ userId: who.id }, 'escalation channel change refused');
      await context.sendActivity(
        refusal === 'not-listed'
          ? this.say('staff.notAllowed')
          : this.say('staff.adminsRequired', { id: who.id }),
      );
      return;
    }
    const tenantId = teamsGetTenant(activity)?.id ?? activity.conversation.tenantId;
    const teamId = teamsGetTeamId(activity);
    const channel = await this.store.setChannel({
      conversationId: channelConversationId(activity),
      serviceUrl: activity.serviceUrl,
      ...(tenantId ? { tenantId } : {}),
      ...(teamId ? { teamId } : {}),
      bot: {
        id: activity.recipient.id,
        ...(activity.recipient.name ? { name: activity.recipient.name } : {}),
      },
      setBy: { id: who.id, name: who.name },
    });
    this.deps.log.info({ channel: channel.conversationId, by: who.id }, 'escalation channel set');
    await context.sendActivity(this.say('staff.channelSet', { name: who.name }));
    if (former && former.conversationId !== channel.conversationId) {
      await this.continueIn(former, undefined, async (old) => {
        await old.sendActivity(this.say('staff.channelMoved', { name: who.name }));
      }).catch((err: unknown) =>
        this.deps.log.warn(
          { err, channel: former.conversationId },
          'former escalation channel not told of the move',
        ),
      );
    }
  }

  // ---- thread replies → customer ----

  private async relay(context: TurnContext, caseId: string, text: string): Promise<void> {
    try {
      await this.deps.handoff.agentMessage(caseId, teamsAgent(context.activity), text);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      await context.sendActivity(await this.refusal(caseId, err));
    }
  }

  /** A polite explanation of why a thread reply did not reach the customer. */
  private async refusal(caseId: string, err: AppError): Promise<string> {
    if (err.status !== 403 && err.status !== 409) return err.message;
    const detail = await this.deps.handoff.get(caseId);
    if (detail.status === 'queued') return this.say('staff.takeFirst');
    if (detail.status === 'assigned' && detail.agentName)
      return this.say('staff.someoneElse', { name: detail.agentName });
    // Closed: what became of it ("Closed: the customer left the conversation"), in the team's language.
    return caseStateLine(detail, this.deps.locale);
  }

  // ---- case events → Teams ----

  private async onCaseEvent(event: CaseEvent): Promise<void> {
    const { caseView } = event;
    if (caseView.external) return;
    // A message left out of hours is a follow-up from the start: its follow-up card is the one to act on.
    if (event.type === 'created') return caseView.ticket ? undefined : this.postCard(caseView.id);
    if (event.type === 'message') {
      if (event.message?.from === 'customer')
        await this.postInThread(
          caseView.id,
          this.say('staff.customerSays', { text: renderRedactions(event.message.text, this.deps.locale) }),
        );
      return;
    }
    if (CARD_UPDATES.has(event.type)) await this.updateCard(caseView.id);
    // The agent who was talking to the customer in the card's thread reads there that nobody is listening now.
    if (event.type === 'left' && caseView.agentId)
      await this.postInThread(caseView.id, this.say('staff.stateLeft'));
  }

  // ---- follow-up events → Teams ----

  private async onFollowupEvent(event: FollowupEvent): Promise<void> {
    const { id } = event.followup;
    if (event.type === 'created') {
      const channel = await this.store.channel();
      if (!channel) {
        this.deps.log.debug({ followupId: id }, 'no Teams escalation channel set; follow-up card not posted');
        return;
      }
      const card = followupCard(await this.deps.followups.get(id), this.deps.locale);
      let activityId: string | undefined;
      await this.continueIn(channel, undefined, async (context) => {
        activityId = (await context.sendActivity({ type: 'message', attachments: [card] }))?.id;
      });
      if (!activityId) throw new Error('Teams did not return the id of the posted follow-up card');
      await this.store.rememberFollowupCard({ followupId: id, channel: addressOf(channel), activityId });
      return;
    }
    const post = await this.store.followupCardOf(id);
    if (!post) return;
    const card = followupCard(await this.deps.followups.get(id), this.deps.locale);
    await this.continueIn(post.channel, undefined, async (context) => {
      await context.updateActivity({ type: 'message', id: post.activityId, attachments: [card] });
    });
  }

  // ---- erasure ----

  private async eraseCaseCard(caseId: string): Promise<LeftBehind[]> {
    const post = await this.store.cardOf(caseId);
    if (!post) return [];
    const channel = post.channel.conversationId;
    const left = await Promise.all([
      this.cleaned(
        post.channel,
        { kind: 'teams.caseCard', channel, activityId: post.activityId, postedAt: post.postedAt },
        (context) =>
          context.updateActivity({ type: 'message', id: post.activityId, attachments: [this.erasedCard()] }),
      ),
      ...(post.replies ?? []).map((reply) =>
        this.cleaned(
          post.channel,
          { kind: 'teams.threadMessage', channel, activityId: reply },
          (context) => context.deleteActivity(reply),
          post.activityId,
        ),
      ),
    ]);
    await this.store.forgetCard(caseId);
    return left.flat();
  }

  private async eraseFollowupCard(followupId: string): Promise<LeftBehind[]> {
    const post = await this.store.followupCardOf(followupId);
    if (!post) return [];
    const left = await this.cleaned(
      post.channel,
      {
        kind: 'teams.followupCard',
        channel: post.channel.conversationId,
        activityId: post.activityId,
        postedAt: post.postedAt,
      },
      (context) =>
        context.updateActivity({ type: 'message', id: post.activityId, attachments: [this.erasedCard()] }),
    );
    await this.store.forgetFollowupCard(followupId);
    return left;
  }

  /**
   * Runs one clean-up in the channel (or the thread under `rootActivityId`); what it left when Teams refused or
   * could not be reached. The failure is caught inside the turn: it is no turn error (nobody is apologised to).
   */
  private async cleaned(
    channel: ChannelAddress,
    item: LeftBehind,
    clean: (context: TurnContext) => Promise<unknown>,
    rootActivityId?: string,
  ): Promise<LeftBehind[]> {
    let failure: unknown = new Error('not run');
    try {
      await this.continueIn(channel, rootActivityId, async (context) => {
        try {
          await clean(context);
          failure = undefined;
        } catch (err) {
          failure = err;
        }
      });
    } catch (err) {
      failure = err;
    }
    if (failure === undefined) return [];
    this.deps.log.warn(
      { kind: item.kind, channel: item.channel, activityId: item.activityId, reason: reasonOf(failure) },
      'Teams staff card not cleaned at an erasure',
    );
    return [item];
  }

  /** The neutral card that replaces an erased customer's card, in STAFF_LOCALE. */
  private erasedCard(): Attachment {
    return CardFactory.adaptiveCard({
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'TextBlock', text: this.say('staff.erasedCard'), wrap: true, isSubtle: true }],
    });
  }

  /** Posts the case card as a new thread in the escalation channel and remembers where it is. */
  private async postCard(caseId: string): Promise<void> {
    const channel = await this.store.channel();
    if (!channel) {
      this.deps.log.debug({ caseId }, 'no Teams escalation channel set; case card not posted');
      return;
    }
    const card = caseCard(await this.deps.handoff.get(caseId), this.deps.locale);
    let activityId: string | undefined;
    await this.continueIn(channel, undefined, async (context) => {
      activityId = (await context.sendActivity({ type: 'message', attachments: [card] }))?.id;
    });
    if (!activityId) throw new Error('Teams did not return the id of the posted case card');
    await this.store.rememberCard({ caseId, channel: addressOf(channel), activityId });
  }

  private async updateCard(caseId: string): Promise<void> {
    const post = await this.store.cardOf(caseId);
    if (!post) return;
    const card = caseCard(await this.deps.handoff.get(caseId), this.deps.locale);
    await this.continueIn(post.channel, undefined, async (context) => {
      await context.updateActivity({ type: 'message', id: post.activityId, attachments: [card] });
    });
  }

  private async postInThread(caseId: string, text: string): Promise<void> {
    const post = await this.store.cardOf(caseId);
    if (!post) return;
    let activityId: string | undefined;
    await this.continueIn(post.channel, post.activityId, async (context) => {
      activityId = (await context.sendActivity({ type: 'message', text, textFormat: 'plain' }))?.id;
    });
    // Remembered so that an erasure of the customer's data can delete it.
    if (activityId) await this.store.rememberReply(caseId, activityId);
  }

  /** A proactive turn in the channel (a new thread) or in the thread under `rootActivityId`. */
  private continueIn(
    channel: ChannelAddress,
    rootActivityId: string | undefined,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    const reference: Partial<ConversationReference> = {
      channelId: 'msteams',
      serviceUrl: channel.serviceUrl,
      bot: { id: channel.bot.id, name: channel.bot.name ?? '' },
      conversation: {
        id: rootActivityId ? `${channel.conversationId};messageid=${rootActivityId}` : channel.conversationId,
        isGroup: true,
        conversationType: 'channel',
        name: '',
        ...(channel.tenantId ? { tenantId: channel.tenantId } : {}),
      },
    };
    return this.deps.adapter.continueConversationAsync(this.deps.appId, reference, logic);
  }
}

/** The Teams user as a member of staff: their AAD object id when Teams sends it. */
function teamsAgent(activity: Activity): StaffMember {
  return { id: activity.from.aadObjectId ?? activity.from.id, name: activity.from.name || 'A Teams user' };
}

/**
 * Why the sender of "set escalation channel" may not set it, or undefined when they may: with `admins` listed only
 * they may (`not-listed`); with none, in production nobody (`admins-required`), elsewhere the first to set it and
 * then members of its team (`admins-required` for anyone else: only a listed admin may move it elsewhere).
 */
export function channelSetRefusal(
  activity: Activity,
  current: EscalationChannel | null,
  { admins = [], adminsRequired = false }: Pick<TeamsStaffDeps, 'admins' | 'adminsRequired'>,
): 'not-listed' | 'admins-required' | undefined {
  const aadId = activity.from.aadObjectId;
  if (admins.length > 0) return aadId !== undefined && admins.includes(aadId) ? undefined : 'not-listed';
  if (adminsRequired) return 'admins-required';
  return current === null || inTeamOf(activity, current) ? undefined : 'admins-required';
}

/**
 * Whether a Teams channel activity comes from the escalation channel's team (by `channelData.team.id`, or the
 * channel itself when the team is not known), in its tenant.
 */
function inTeamOf(activity: Activity, channel: EscalationChannel | null): boolean {
  const tenantId = teamsGetTenant(activity)?.id ?? activity.conversation.tenantId;
  return (
    channel !== null &&
    activity.channelId === 'msteams' &&
    activity.conversation.conversationType === 'channel' &&
    (!channel.tenantId || tenantId === channel.tenantId) &&
    (channel.teamId
      ? teamsGetTeamId(activity) === channel.teamId
      : channelConversationId(activity) === channel.conversationId)
  );
}

/** The channel a channel activity is in (its conversation id without the thread's `;messageid=`). */
function channelConversationId(activity: Activity): string {
  return teamsGetChannelId(activity) ?? activity.conversation.id.replace(THREAD, '$1');
}

function addressOf({ conversationId, serviceUrl, tenantId, bot }: ChannelAddress): ChannelAddress {
  return { conversationId, serviceUrl, ...(tenantId ? { tenantId } : {}), bot };
}

/** Why a call to Teams failed, for the log: the HTTP status or error code, never a request or response body. */
function reasonOf(err: unknown): string {
  const status = httpStatusOf(err);
  if (status !== undefined) return `HTTP ${status}`;
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string'
    ? err.code
    : 'failed';
}

/** An Action.Submit press on a case card in a channel: a message whose value carries a `case.*` verb. */
function submittedCaseAction(value: unknown): CardAction | undefined {
  if (typeof value !== 'object' || value === null || !('verb' in value)) return undefined;
  const { verb } = value;
  if (typeof verb !== 'string' || !isCaseVerb(verb)) return undefined;
  return { verb, data: { ...value }, via: 'submit' };
}
