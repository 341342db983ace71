import type { Activity, TurnContext } from 'botbuilder';
import type { Logger } from '../core/logger';
import type { Delivery } from '../handoff/types';
import type { ConversationStore } from '../storage/conversations';
import type { LeasedQueue } from '../storage/lease';
import type { BotAdapter } from '../server/adapter';

/** Answers retried within one send (throttling, a stale token, gateway errors). */
const RETRYABLE = new Set([412, 429, 502, 503, 504]);
/** Answers that mean the conversation is gone for good (the bot was removed, the user blocked it). */
const UNREACHABLE = new Set([403, 404]);

export function httpStatusOf(err: unknown): number | undefined {
  return err instanceof Error && 'statusCode' in err && typeof err.statusCode === 'number'
    ? err.statusCode
    : undefined;
}

/**
 * The one classification of a failed proactive turn, for every caller: 403/404 → `unreachable` (permanent);
 * anything else → `failed` (no HTTP status: connection refused, DNS, timeout; 5xx; 429; or a fault in the turn).
 */
export function classifyFailure(err: unknown): Exclude<Delivery, 'sent'> {
  const status = httpStatusOf(err);
  return status !== undefined && UNREACHABLE.has(status) ? 'unreachable' : 'failed';
}

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Proactive turns in customer conversations, through stored conversation references and
 * `continueConversationAsync`: agent messages, case updates, surveys. A proactive turn is serialised with
 * the conversation's other turns, on every instance (under the conversation's lease; one that stays held by
 * another instance beyond the wait is a 'failed' delivery). 412/429/502/503/504 are retried with exponential backoff and jitter; a turn
 * that still fails is never thrown but answered as a {@link Delivery} ({@link classifyFailure}), 'unreachable'
 * also marking the conversation so.
 */
export class ProactiveMessenger {
  constructor(
    private readonly adapter: BotAdapter,
    private readonly appId: string,
    private readonly conversations: ConversationStore,
    private readonly turns: LeasedQueue,
    private readonly log: Logger,
    private readonly retry: RetryPolicy = { attempts: 5, baseDelayMs: 250, maxDelayMs: 8000 },
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /**
   * Runs `logic` in a turn of that conversation: 'sent' when it ran through, 'unreachable' when no reference
   * is stored or the channel refused for good (403/404), 'failed' for any other failure (logged).
   */
  async continue(conversationId: string, logic: (context: TurnContext) => Promise<void>): Promise<Delivery> {
    const doc = await this.conversations.get(conversationId);
    // A record whose reference names no conversation was created by the lease of a first turn that failed.
    if (!doc?.reference.conversation) {
      this.log.warn({ conversationId }, 'no conversation reference stored; customer unreachable');
      return 'unreachable';
    }
    const busy = (): Promise<Delivery> => {
      this.log.warn({ conversationId }, 'conversation busy on another instance; proactive turn not run');
      return Promise.resolve('failed');
    };
    return this.turns.run(
      conversationId,
      async () => {
        // The failure is caught inside the turn: the adapter's turn-error handler would otherwise apologise to
        // a customer who did nothing, and the caller would never learn that the send failed.
        let failure: unknown;
        await this.adapter.continueConversationAsync(this.appId, doc.reference, async (context) => {
          // A proactive message answers nothing: without this, every activity carries the random id of the
          // continuation event as replyToId, and Web Chat holds it for 5 s waiting for that "question".
          context.onSendActivities(async (_ctx, activities, next) => {
            for (const activity of activities) delete activity.replyToId;
            return next();
          });
          try {
            await logic(context);
          } catch (err) {
            failure = err;
          }
        });
        if (failure === undefined) return 'sent';
        const delivery = classifyFailure(failure);
        if (delivery === 'unreachable') {
          this.log.warn(
            { conversationId, status: httpStatusOf(failure) },
            'customer conversation unreachable',
          );
          await this.conversations.markUnreachable(conversationId);
        } else {
          this.log.error({ err: failure, conversationId }, 'proactive turn failed');
        }
        return delivery;
      },
      busy,
    );
  }

  /** Sends one activity within a turn (a proactive one: see `continue`), retrying throttling and gateway errors. */
  async sendInTurn(context: TurnContext, activity: Partial<Activity>): Promise<string | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await context.sendActivity(activity);
        return response?.id;
      } catch (err) {
        const status = httpStatusOf(err);
        if (status === undefined || !RETRYABLE.has(status) || attempt >= this.retry.attempts) throw err;
        const backoff = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
        const delay = backoff / 2 + Math.random() * (backoff / 2);
        this.log.info({ status, attempt, delay }, 'proactive send retried');
        await this.sleep(delay);
      }
    }
  }
}
