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
import { isRecord } from '../core/guards';
import { KeyedQueue } from '../core/keyedQueue';
import type { Logger } from '../core/logger';
import { fold } from '../core/text';
import type { CardAction } from '../dialogs/contracts';
import {
  EscalationChannelStore,
  erasureItemKey,
  type ChannelAddress,
  CHANNEL_LOSSES,
  type ChannelLoss,
  type ErasureItem,
  type EscalationChannel,
} from '../handoff/escalationChannel';
import { MAX_FOLLOWUP_NOTE_CHARS, type FollowupEvent, type FollowupService } from '../handoff/followups';
import { MAX_AGENT_MESSAGE_CHARS, type HandoffService } from '../handoff/service';
import type { CaseDetail, CaseEvent, CaseTransition, Delivery, StaffMember } from '../handoff/types';
import type { StaffPresence } from '../handoff/presence';
import { isMessageKey, t, type MessageKey, type Params } from '../locales';
import type { LeftBehind, StaffCards } from '../privacy/customerData';
import { renderRedactions } from '../privacy/redact';
import type { BotAdapter } from '../server/adapter';
import type { Database } from '../storage/port';
import type { StaffChannel } from './customerServiceBot';
import { classifyFailure, httpStatusOf } from './proactive';
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
  /** How long an erasure waits for Teams (default ERASURE_BUDGET_MS). */
  erasureBudgetMs?: number;
}

/** Case changes that re-render the card in place. */
const CARD_UPDATES = new Set<CaseEvent['type']>([
  'described',
  'assigned',
  'released',
  'resolved',
  'cancelled',
  'left',
  'expired',
  'abandoned',
]);

/** Teams calls an erasure makes at once (Teams throttles a bot per thread and per tenant). */
const ERASURE_CONCURRENCY = 4;
/** How long an erasure waits for Teams; what is not cleaned by then is left for the next erasure of the customer. */
const ERASURE_BUDGET_MS = 30_000;

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
 * When Teams says the escalation channel is gone (deleted, its team deleted or archived, the app removed), it is
 * forgotten and nothing is posted there again (onTeamsUpdate); a post Teams refuses is one actionable error in the
 * log (reportFailure). New cases reach the staff console either way.
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
          this.reportFailure(err, { followupId: event.followup.id, type: event.type }),
        );
    });
    const stopCases = this.deps.handoff.subscribe((event) => {
      this.queue
        .run(event.caseView.id, () => this.onCaseEvent(event))
        .catch((err: unknown) => this.reportFailure(err, { caseId: event.caseView.id, type: event.type }));
    });
    return () => {
      stopFollowups();
      stopCases();
    };
  }

  /**
   * The customer's data is being erased (`subject`: the SHA-256 of their id): each card of these cases and
   * follow-ups becomes a neutral "this customer's data was erased" card and the customer's messages the bot
   * posted in its thread are deleted. The Bot Connector has one call per message for that (an update of the
   * card, a delete per thread message; deleting a thread's root leaves its replies), so that is what is made:
   * none for the bot's own notices in the thread, which carry nothing of the customer.
   *
   * Each card's record becomes the erasure's work in the card's queue (an update under way finishes first and a
   * later one finds no card); the work is kept in the database (EscalationChannelStore.saveErasure), each
   * message noted there as Teams takes its call, at most ERASURE_CONCURRENCY at once (Teams throttles a bot per
   * thread; the SDK retries throttling and gateway errors). A message already gone (404) counts as cleaned.
   * After ERASURE_BUDGET_MS no further call starts: what Teams has not taken by then, or refused (logged: where
   * it is, never what it says), is returned and stays for the next erasure of that customer, which finishes it.
   * One erasure of a customer at a time (a later one waits for the calls of an earlier one still under way).
   */
  async eraseCards(
    subject: string,
    caseIds: readonly string[],
    followupIds: readonly string[],
  ): Promise<LeftBehind[]> {
    const budget = { expired: false };
    let timer: NodeJS.Timeout | undefined;
    const expiry = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        budget.expired = true;
        resolve();
      }, this.deps.erasureBudgetMs ?? ERASURE_BUDGET_MS);
      timer.unref();
    });
    const work = this.queue.run(`erasure:${subject}`, async () => {
      for (const id of caseIds)
        await this.queue.run(id, () => this.takeOverCard(subject, 'teams.caseCard', id));
      for (const id of followupIds)
        await this.queue.run(`followup:${id}`, () => this.takeOverCard(subject, 'teams.followupCard', id));
      await this.cleanUp(subject, budget);
    });
    try {
      await Promise.race([work, expiry]);
    } finally {
      clearTimeout(timer);
    }
    // Past the budget the calls under way finish in the background (idle() waits for them).
    work.catch((err: unknown) => this.deps.log.error({ err }, 'Teams clean-up of an erasure failed'));
    return (await this.store.erasureOf(subject)).map(leftBehindOf);
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
    // In the escalation channel itself, how to use it; elsewhere, how to make a channel the escalation channel,
    // saying so when none is set (how staff find out that Teams no longer gets the cases).
    const channel = await this.store.channel();
    const here = channel !== null && channelConversationId(activity) === channel.conversationId;
    await context.sendActivity(
      this.say(here ? 'staff.helpEscalationChannel' : channel ? 'staff.help' : 'staff.helpNoChannel'),
    );
  }

  /**
   * What Teams says of a team or channel where the app is (a conversationUpdate or installationUpdate in a team).
   * The escalation channel deleted, its team deleted or archived, or the app removed from its team: the channel is
   * forgotten and noted as lost (EscalationChannelStore.forgetChannel), so that nothing is posted there again, and
   * a warning is logged. New cases reach the staff console as always, and Teams again once staff set a channel.
   * Only that channel's or team's events count (by ids, in its tenant): another channel's deletion changes
   * nothing. A team restored or unarchived (or the channel restored) is not used again by itself: staff set it.
   */
  async onTeamsUpdate(context: TurnContext): Promise<void> {
    const { activity } = context;
    const event = teamsEventOf(activity);
    if (event === undefined) return;
    // A failure is logged here: as a turn error it would post the customers' apology into the team's channel.
    await (isRestore(event) ? this.onRestored(activity, event) : this.onLoss(activity, event)).catch(
      (err: unknown) => this.deps.log.error({ err, event }, 'Teams team or channel event not handled'),
    );
  }

  private async onLoss(activity: Activity, event: ChannelLoss): Promise<void> {
    const channel = await this.store.channel();
    if (!channel || !endsChannel(activity, event, channel)) return;
    await this.store.forgetChannel(channel, event);
    this.deps.log.warn(
      {
        event,
        channel: channel.conversationId,
        teamId: channel.teamId,
        by: activity.from.aadObjectId ?? activity.from.id,
      },
      'Teams escalation channel forgotten: Teams says it is gone (see event). New cases reach the staff console ' +
        'only until staff type "set escalation channel" in a team channel again',
    );
  }

  /** A team or channel is back: when it was the escalation channel's, the log says it is not used by itself. */
  private async onRestored(activity: Activity, event: Restore): Promise<void> {
    const id = event === 'channelRestored' ? teamsGetChannelId(activity) : teamsGetTeamId(activity);
    if (!id) return;
    const lost = await this.store.lostChannel(
      event === 'channelRestored' ? { conversationId: id } : { teamId: id },
    );
    if (!lost) return;
    this.deps.log.warn(
      { event, channel: lost.conversationId, teamId: lost.teamId, lost: lost.why },
      'the former Teams escalation channel is back, but not used again by itself: staff type ' +
        '"set escalation channel" in it to have the cards posted there',
    );
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
      if (err.status === 404) return this.refused(context, action, this.errorText(err), 404);
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
        // The card's field stops at MAX_FOLLOWUP_NOTE_CHARS; a longer note (another client) is refused, as the
        // staff API refuses it: kept, it would make every later card too large for Teams.
        if (!text) notice = this.say('staff.followupNeedsNote');
        else if (text.length > MAX_FOLLOWUP_NOTE_CHARS)
          notice = this.say('staff.followupNoteTooLong', { max: MAX_FOLLOWUP_NOTE_CHARS });
        else await followups.close(followupId, staff, text);
      }
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      if (err.status === 404) return this.refused(context, action, this.errorText(err), 404);
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

  /** An error of the case and follow-up services as the staff console words its code, in the team's language. */
  private errorText(err: AppError): string {
    const key = `staff.error.${err.code}`;
    return this.say(isMessageKey(key) ? key : 'staff.error.generic');
  }

  /** Why a card button did nothing: someone else has the case, or the state it is in now. */
  private actionRefusal(detail: CaseDetail, err: AppError): string {
    if (err.status !== 403 && err.status !== 409) return this.errorText(err);
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
    const tenantId = tenantOf(activity);
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
      // Case buttons and thread replies work in every channel of the escalation channel's team (inTeamOf): the
      // cards left in the former channel stop working only when the new one is elsewhere (or its team unknown).
      const notice =
        former.teamId !== undefined && former.teamId === channel.teamId
          ? 'staff.channelMovedInTeam'
          : 'staff.channelMoved';
      await this.continueIn(former, undefined, async (old) => {
        await old.sendActivity(this.say(notice, { name: who.name }));
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
    if (err.code === 'message_too_long')
      return this.say('staff.replyTooLong', { max: MAX_AGENT_MESSAGE_CHARS });
    if (err.status !== 403 && err.status !== 409) return this.errorText(err);
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
          true,
        );
      return;
    }
    if (CARD_UPDATES.has(event.type)) await this.updateCard(caseView.id);
    // The agent who was talking to the customer in the card's thread reads there that nobody is listening now.
    if (event.type === 'left' && caseView.agentId)
      await this.postInThread(caseView.id, this.say('staff.stateLeft'), false);
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
    if (!post || !(await this.stillThere(post.channel))) return;
    const card = followupCard(await this.deps.followups.get(id), this.deps.locale);
    await this.continueIn(post.channel, undefined, async (context) => {
      await context.updateActivity({ type: 'message', id: post.activityId, attachments: [card] });
    });
  }

  // ---- erasure ----

  /** Adds a card (and its thread messages) to the erasure's work, then forgets the card's record. */
  private async takeOverCard(
    subject: string,
    kind: 'teams.caseCard' | 'teams.followupCard',
    id: string,
  ): Promise<void> {
    const post =
      kind === 'teams.caseCard' ? await this.store.cardOf(id) : await this.store.followupCardOf(id);
    if (!post) return;
    const channel = addressOf(post.channel);
    const replies = 'replies' in post ? (post.replies ?? []) : [];
    const items: ErasureItem[] = [
      { kind, channel, activityId: post.activityId, postedAt: post.postedAt },
      ...replies.map((reply) => ({
        kind: 'teams.threadMessage' as const,
        channel,
        activityId: reply,
        rootActivityId: post.activityId,
      })),
    ];
    const earlier = await this.store.erasureOf(subject);
    const known = new Set(earlier.map(erasureItemKey));
    await this.store.saveErasure(subject, [
      ...earlier,
      ...items.filter((item) => !known.has(erasureItemKey(item))),
    ]);
    if (kind === 'teams.caseCard') await this.store.forgetCard(id);
    else await this.store.forgetFollowupCard(id);
  }

  /**
   * Cleans the erasure's work, cards first, ERASURE_CONCURRENCY calls at once; each cleaned message is noted in
   * the stored work at once (a restart or a failure halfway loses nothing); no call starts once the budget expired.
   */
  private async cleanUp(subject: string, budget: { expired: boolean }): Promise<void> {
    const items = await this.store.erasureOf(subject);
    const remaining = new Set(items);
    // The cards first: they carry the case's summary in sight of the whole channel.
    const cardsFirst = [...items].sort(
      (a, b) => Number(a.kind === 'teams.threadMessage') - Number(b.kind === 'teams.threadMessage'),
    );
    await eachLimited(cardsFirst, ERASURE_CONCURRENCY, async (item) => {
      if (budget.expired || !(await this.cleanOne(item))) return;
      remaining.delete(item);
      await this.store.erasedInTeams(subject, item);
    });
    await this.store.saveErasure(subject, [...remaining]);
  }

  /** One call to Teams: the card replaced by the neutral one, or the thread message deleted. True when done. */
  private async cleanOne(item: ErasureItem): Promise<boolean> {
    try {
      await this.continueIn(item.channel, item.rootActivityId, async (context) => {
        if (item.kind === 'teams.threadMessage') await context.deleteActivity(item.activityId);
        else
          await context.updateActivity({
            type: 'message',
            id: item.activityId,
            attachments: [this.erasedCard()],
          });
      });
      return true;
    } catch (err) {
      // Gone already (an earlier run whose progress was not written, or deleted in Teams): nothing is left there.
      if (err instanceof TeamsCallError && err.status === 404) return true;
      this.deps.log.warn(
        {
          kind: item.kind,
          channel: item.channel.conversationId,
          activityId: item.activityId,
          reason: err instanceof TeamsCallError ? err.reason : 'failed',
        },
        'Teams staff card not cleaned at an erasure',
      );
      return false;
    }
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
    if (!post || !(await this.stillThere(post.channel))) return;
    const card = caseCard(await this.deps.handoff.get(caseId), this.deps.locale);
    await this.continueIn(post.channel, undefined, async (context) => {
      await context.updateActivity({ type: 'message', id: post.activityId, attachments: [card] });
    });
  }

  /** Posts in the card's thread; `customerWords`: the customer's message, remembered for an erasure. */
  private async postInThread(caseId: string, text: string, customerWords: boolean): Promise<void> {
    const post = await this.store.cardOf(caseId);
    if (!post || !(await this.stillThere(post.channel))) return;
    let activityId: string | undefined;
    await this.continueIn(post.channel, post.activityId, async (context) => {
      activityId = (await context.sendActivity({ type: 'message', text, textFormat: 'plain' }))?.id;
    });
    // Remembered so that an erasure of the customer's data can delete it (the bot's own notices need not go).
    if (activityId && customerWords) await this.store.rememberReply(caseId, activityId);
  }

  /** Whether a card's channel may be posted to: not when Teams said it is gone (until staff set it again). */
  private async stillThere(channel: ChannelAddress): Promise<boolean> {
    if (!(await this.store.lostChannel({ conversationId: channel.conversationId }))) return true;
    this.deps.log.debug({ channel: channel.conversationId }, 'Teams channel gone; its card is not updated');
    return false;
  }

  /**
   * One log line for a Teams update that failed. When the Bot Connector refused the escalation channel (403/404:
   * `BotNotInConversationRoster`, `ConversationNotFound`, `Forbidden`), an error that says what staff should do.
   * The channel is not forgotten on such an answer, however permanent Microsoft documents these codes to be: a
   * `ConversationNotFound` also comes now and then for a conversation that exists (microsoft/botbuilder-python
   * #2102), a 404 of a card's thread says nothing of the channel, and a channel forgotten by mistake would send
   * every later case to the console only, unnoticed, while a channel kept by mistake costs one failed call and
   * this line per update. A channel that is really gone is forgotten when Teams says so (onTeamsUpdate).
   */
  private async reportFailure(err: unknown, about: Record<string, string>): Promise<void> {
    const { log } = this.deps;
    if (!(err instanceof TeamsCallError) || !err.refused) {
      log.error({ err, ...about }, 'Teams staff update failed');
      return;
    }
    const current = await this.store.channel().catch(() => null);
    const fields = { ...about, channel: err.channel, reason: err.reason };
    if (current?.conversationId === err.channel)
      log.error(
        fields,
        'Teams escalation channel seems unreachable (deleted, archived, or the app removed from its team): ' +
          'staff should type "@<bot> set escalation channel" again in the team channel that should get the cases; ' +
          'until then new cases reach the staff console only',
      );
    else
      log.warn(fields, 'a former Teams escalation channel is unreachable: its cards there are not updated');
  }

  /**
   * A proactive turn in the channel (a new thread) or in the thread under `rootActivityId`. A failure is caught
   * inside the turn (it is no turn error: nobody is apologised to, least of all in the channel) and thrown from
   * here as a TeamsCallError.
   */
  private async continueIn(
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
    let failure: { err: unknown } | undefined;
    try {
      await this.deps.adapter.continueConversationAsync(this.deps.appId, reference, async (context) => {
        try {
          await logic(context);
        } catch (err) {
          failure = { err };
        }
      });
    } catch (err) {
      failure = { err };
    }
    if (failure) throw new TeamsCallError(channel.conversationId, failure.err);
  }
}

/**
 * A call to Teams that failed: in which channel, and what the Bot Connector answered (its HTTP status and error
 * code, never a request or response body), for the log.
 */
class TeamsCallError extends Error {
  readonly status: number | undefined;
  readonly code: string | undefined;
  /** The HTTP status and error code (`HTTP 403 BotNotInConversationRoster`), or `failed` (no answer). */
  readonly reason: string;

  constructor(
    /** The channel's conversation id. */
    readonly channel: string,
    cause: unknown,
  ) {
    const status = httpStatusOf(cause);
    const code = isRecord(cause) && typeof cause.code === 'string' ? cause.code : undefined;
    const reason = [status === undefined ? '' : `HTTP ${status}`, code ?? ''].join(' ').trim() || 'failed';
    super(`Teams call failed (${reason})`, { cause });
    this.status = status;
    this.code = code;
    this.reason = reason;
  }

  /**
   * The Bot Connector refused the channel for good (403/404: the bot is not in it, it is not found), not only
   * one message of it (`ActivityNotFoundInConversation`: a card deleted in Teams).
   */
  get refused(): boolean {
    return classifyFailure(this.cause) === 'unreachable' && this.code !== 'ActivityNotFoundInConversation';
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
  return (
    channel !== null &&
    activity.channelId === 'msteams' &&
    activity.conversation.conversationType === 'channel' &&
    sameTenant(activity, channel) &&
    (channel.teamId
      ? teamsGetTeamId(activity) === channel.teamId
      : channelConversationId(activity) === channel.conversationId)
  );
}

/** The tenant of a Teams activity. */
function tenantOf(activity: Activity): string | undefined {
  return teamsGetTenant(activity)?.id ?? activity.conversation.tenantId;
}

/** Whether a Teams activity is in the escalation channel's tenant (whichever, when it is not known). */
function sameTenant(activity: Activity, channel: EscalationChannel): boolean {
  return !channel.tenantId || tenantOf(activity) === channel.tenantId;
}

/** Teams events that bring a team or channel back. */
const RESTORES = ['teamRestored', 'teamUnarchived', 'channelRestored'] as const;
type Restore = (typeof RESTORES)[number];

const isRestore = (event: ChannelLoss | Restore): event is Restore => RESTORES.some((r) => r === event);

/**
 * What a Teams activity in a team says that matters to the escalation channel: a conversationUpdate's
 * `channelData.eventType` among CHANNEL_LOSSES or RESTORES; the bot itself among `membersRemoved`, or an
 * installationUpdate `remove` (`remove-upgrade`: an upgrade of the app without the bot), are `appRemoved`.
 */
function teamsEventOf(activity: Activity): ChannelLoss | Restore | undefined {
  if (activity.type === 'installationUpdate')
    return activity.action === 'remove' || activity.action === 'remove-upgrade' ? 'appRemoved' : undefined;
  if (activity.type !== 'conversationUpdate') return undefined;
  const removed: unknown = activity.membersRemoved;
  if (
    Array.isArray(removed) &&
    removed.some((member) => isRecord(member) && member.id === activity.recipient.id)
  )
    return 'appRemoved';
  const eventType: unknown = isRecord(activity.channelData) ? activity.channelData.eventType : undefined;
  return [...CHANNEL_LOSSES, ...RESTORES].find((event) => event !== 'appRemoved' && event === eventType);
}

/**
 * Whether `event` ends `channel`: in its tenant, `channelDeleted` of that very channel (`channelData.channel.id`,
 * in its team when known), the others of its team (`channelData.team.id`; a team's General channel has the team's
 * id, which is all that is known of a channel set without its team).
 */
function endsChannel(activity: Activity, event: ChannelLoss, channel: EscalationChannel): boolean {
  const teamId = teamsGetTeamId(activity);
  if (!sameTenant(activity, channel) || !teamId) return false;
  if (event === 'channelDeleted')
    return (
      teamsGetChannelId(activity) === channel.conversationId && (!channel.teamId || teamId === channel.teamId)
    );
  return teamId === (channel.teamId ?? channel.conversationId);
}

/** The channel a channel activity is in (its conversation id without the thread's `;messageid=`). */
function channelConversationId(activity: Activity): string {
  return teamsGetChannelId(activity) ?? activity.conversation.id.replace(THREAD, '$1');
}

function addressOf({ conversationId, serviceUrl, tenantId, bot }: ChannelAddress): ChannelAddress {
  return { conversationId, serviceUrl, ...(tenantId ? { tenantId } : {}), bot };
}

/** What an erasure reports of a message it could not clean: where it is. */
function leftBehindOf({ kind, channel, activityId, postedAt }: ErasureItem): LeftBehind {
  return { kind, channel: channel.conversationId, activityId, ...(postedAt ? { postedAt } : {}) };
}

/** Runs `task` over `items` in order, at most `limit` at once (`task` does not throw). */
async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  // The workers share one iterator: each takes the next item when it is free.
  const next = items.values();
  const worker = async (): Promise<void> => {
    for (const item of next) await task(item);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** An Action.Submit press on a case card in a channel: a message whose value carries a `case.*` verb. */
function submittedCaseAction(value: unknown): CardAction | undefined {
  if (typeof value !== 'object' || value === null || !('verb' in value)) return undefined;
  const { verb } = value;
  if (typeof verb !== 'string' || !isCaseVerb(verb)) return undefined;
  return { verb, data: { ...value }, via: 'submit' };
}
