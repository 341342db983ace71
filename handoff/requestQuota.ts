import { createHash } from 'node:crypto';
import type { Clock } from '../core/clock';
import { DuplicateKeyError, type Collection, type Database, type Doc } from '../storage/port';

/** The window a client's requests for a person are counted in (HANDOFF_REQUESTS_PER_CLIENT_PER_DAY). */
export const REQUEST_WINDOW_MS = 24 * 60 * 60 * 1000;

interface QuotaDoc extends Doc {
  /** When each request of the window was admitted (ms since the epoch), oldest first. */
  at: number[];
  /** TTL: gone once the newest request has left the window. */
  expiresAt: Date;
}

/**
 * A client as the quota stores it (its document's `_id`) and as logs name it: a SHA-256 of the client, never its
 * address or account.
 */
export function requestKey(client: string): string {
  return `request:${createHash('sha256').update(client).digest('hex')}`;
}

/**
 * How many requests for a person (queued cases and messages left for staff: each a card in the escalation
 * channel and a row in the queue or the follow-up inbox) one client may make within REQUEST_WINDOW_MS: a
 * sliding window per client in the `quotas` collection, shared by every instance. The client is stored as a hash,
 * never as its address or account.
 *
 * A request is admitted by one conditional write, only while the client's document holds fewer than `limit`
 * times, so concurrent requests of one client on several instances never pass the bound together.
 */
export class RequestQuota {
  private readonly quotas: Collection<QuotaDoc>;

  constructor(
    db: Database,
    private readonly clock: Clock,
    /** Requests per client per window; 0: no bound. */
    private readonly limit: number,
  ) {
    this.quotas = db.collection<QuotaDoc>('quotas');
  }

  /**
   * Whether `client` has had fewer than `limit` requests in the window, counting nothing: a request it begins now
   * would pass `take` unless another of its requests is counted first.
   */
  async hasRoom(client: string): Promise<boolean> {
    if (this.limit === 0) return true;
    const since = this.clock.now().getTime() - REQUEST_WINDOW_MS;
    const doc = await this.quotas.findOne({ _id: requestKey(client) });
    return (doc?.at.filter((at) => at > since).length ?? 0) < this.limit;
  }

  /** Counts a request of `client`; false (nothing counted) when the client has had `limit` in the window. */
  async take(client: string): Promise<boolean> {
    if (this.limit === 0) return true;
    const now = this.clock.now().getTime();
    const _id = requestKey(client);
    await this.quotas.updateOne({ _id }, { $pull: { at: { $lte: now - REQUEST_WINDOW_MS } } });
    const expiresAt = new Date(now + REQUEST_WINDOW_MS);
    // Counts the request while the window has room (MongoDB allows no $expr in an upsert's filter: insert apart).
    const admit = async (): Promise<boolean> =>
      (
        await this.quotas.updateOne(
          { _id, $expr: { $lt: [{ $size: '$at' }, this.limit] } },
          { $push: { at: now }, $set: { expiresAt } },
        )
      ).matchedCount === 1;
    if (await admit()) return true;
    try {
      await this.quotas.insertOne({ _id, at: [now], expiresAt });
      return true;
    } catch (err) {
      if (!(err instanceof DuplicateKeyError)) throw err;
    }
    // The document is there: full, or another request of the client created it just now (then there is room).
    return admit();
  }
}
