import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Request } from 'restify';
import { MAX_TOKEN_CHARS } from '../config';
import type { ProxyTrust } from '../core/clientAddress';
import type { Clock } from '../core/clock';
import { AppError } from '../core/errors';
import { requestAddress } from './http';
import { RateLimiter } from './rateLimiter';
import type { Collection, Database, Doc } from '../storage/port';

export type Role = 'admin' | 'agent';

/** Who made a staff or admin request. */
export interface Principal {
  id: string;
  name: string;
  role: Role;
}

export interface StaffTokenDoc extends Doc {
  tokenHash: string;
  name: string;
  role: Role;
  createdAt: Date;
  createdBy: string;
  /** After this the token no longer signs in (absent: it never expires). */
  expiresAt?: Date;
  /** When the expiry sweep ended what the expired token had open (its streams, its cases). */
  expiryHandledAt?: Date;
  /** When the token last got a new secret (renew()), and by whom; its validity counts from then. */
  renewedAt?: Date;
  renewedBy?: string;
  revokedAt?: Date;
}

/**
 * The token of an `Authorization: Bearer <token>` header, or undefined: a bare token or another scheme is no
 * credential (a token pasted without its scheme must not work somewhere and fail elsewhere).
 */
export function bearerToken(req: Request): string | undefined {
  return /^Bearer +(\S+)$/i.exec(req.header('authorization') ?? '')?.[1];
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** A new plain token: 192 random bits. */
const newSecret = (): string => `csb_${randomBytes(24).toString('base64url')}`;

const DAY_MS = 86_400_000;

/**
 * Failed sign-ins (a wrong or revoked token; no token is no attempt) a client address may make per minute; beyond
 * that its requests get 429 before any token is checked. Issued tokens (192 random bits) cannot be guessed anyway;
 * ADMIN_TOKEN is chosen by a person.
 */
export const FAILED_SIGN_INS_PER_MINUTE = 20;

/**
 * Bearer-token authentication for the admin and staff APIs. Tokens are stored as SHA-256 hashes only;
 * the first admin token comes from ADMIN_TOKEN. `admin` may do everything an `agent` may.
 */
export class StaffAuth {
  private readonly tokens: Collection<StaffTokenDoc>;
  private readonly adminHash: Buffer | undefined;
  private readonly endedListeners = new Set<(id: string) => void | Promise<void>>();
  private readonly renewedListeners = new Set<(id: string) => void>();
  private readonly failures: RateLimiter;

  constructor(
    db: Database,
    private readonly clock: Clock,
    adminToken: string | undefined,
    private readonly trust: ProxyTrust = { kind: 'none' },
  ) {
    this.tokens = db.collection<StaffTokenDoc>('staffTokens');
    this.adminHash = adminToken ? Buffer.from(sha256(adminToken), 'hex') : undefined;
    this.failures = new RateLimiter(clock, FAILED_SIGN_INS_PER_MINUTE);
  }

  /** The principal of a request (`Authorization: Bearer <token>`), or 401/403 (429 after many failures). */
  async require(req: Request, ...roles: Role[]): Promise<Principal> {
    const principal = await this.signIn(req, bearerToken(req));
    if (!principal) throw AppError.unauthorized();
    if (principal.role !== 'admin' && !roles.includes(principal.role)) throw AppError.forbidden();
    return principal;
  }

  /**
   * The principal of the token a request brings, or undefined; a failure counts against the client's address,
   * and an address with too many of late gets 429 before its token is checked
   * ({@link FAILED_SIGN_INS_PER_MINUTE}).
   */
  async signIn(req: Request, token: string | undefined): Promise<Principal | undefined> {
    const address = requestAddress(req, this.trust);
    if (!this.failures.allows(address))
      throw AppError.tooManyRequests('Too many failed sign-ins from this address; try again in a minute.');
    const principal = await this.authenticate(token);
    if (!principal && token) this.failures.take(address);
    return principal;
  }

  /** The principal of a token, or undefined. */
  async authenticate(token: string | undefined): Promise<Principal | undefined> {
    if (!token || token.length > MAX_TOKEN_CHARS) return undefined;
    const hash = sha256(token);
    if (this.adminHash && timingSafeEqual(Buffer.from(hash, 'hex'), this.adminHash)) {
      return { id: 'admin', name: 'admin', role: 'admin' };
    }
    const doc = await this.tokens.findOne({ tokenHash: hash, revokedAt: { $exists: false } });
    if (!doc || (doc.expiresAt && doc.expiresAt <= this.clock.now())) return undefined;
    return { id: doc._id, name: doc.name, role: doc.role };
  }

  /**
   * Creates a token, valid for `days` days when given (else until revoked); the plain token is returned once and
   * never stored.
   */
  async issue(
    name: string,
    role: Role,
    createdBy: string,
    days?: number,
  ): Promise<{ id: string; token: string; expiresAt?: Date }> {
    const token = newSecret();
    const id = randomUUID();
    const createdAt = this.clock.now();
    const expiresAt = days === undefined ? undefined : new Date(createdAt.getTime() + days * DAY_MS);
    await this.tokens.insertOne({
      _id: id,
      tokenHash: sha256(token),
      name,
      role,
      createdAt,
      createdBy,
      ...(expiresAt && { expiresAt }),
    });
    return { id, token, ...(expiresAt && { expiresAt }) };
  }

  /**
   * Gives a token a new secret, valid for `days` days from now (null: until revoked; undefined: as long as it
   * was valid before, counted from its creation or last renewal), and returns the plain token once. The member
   * of staff stays who they were (their id: their cases, their ratings in the reports, their name); the old
   * secret stops working at once, and this process's event streams opened with it end (others' at their next
   * check). An expired token can be renewed, a revoked one cannot (409).
   */
  async renew(
    id: string,
    renewedBy: string,
    days?: number | null,
  ): Promise<{ token: string; expiresAt?: Date }> {
    const doc = await this.tokens.findOne({ _id: id });
    if (!doc) throw AppError.notFound('That token');
    if (doc.revokedAt) throw AppError.conflict('A revoked token cannot be renewed; create a new one.');
    const now = this.clock.now();
    const validMs =
      days === undefined
        ? doc.expiresAt && doc.expiresAt.getTime() - (doc.renewedAt ?? doc.createdAt).getTime()
        : days === null
          ? undefined
          : days * DAY_MS;
    const expiresAt = validMs === undefined ? undefined : new Date(now.getTime() + validMs);
    const token = newSecret();
    const unset = ['expiryHandledAt', ...(expiresAt ? [] : ['expiresAt'])];
    const result = await this.tokens.updateOne(
      // Renewed or revoked meanwhile (another admin, another instance): this renewal does not happen.
      { _id: id, tokenHash: doc.tokenHash, revokedAt: { $exists: false } },
      {
        $set: { tokenHash: sha256(token), renewedAt: now, renewedBy, ...(expiresAt && { expiresAt }) },
        $unset: Object.fromEntries(unset.map((field) => [field, ''])),
      },
    );
    if (result.matchedCount === 0)
      throw AppError.conflict('The token was renewed or revoked meanwhile; reload the list and try again.');
    for (const listener of this.renewedListeners) listener(id);
    return { token, ...(expiresAt && { expiresAt }) };
  }

  async list(): Promise<Array<Omit<StaffTokenDoc, 'tokenHash'>>> {
    const docs = await this.tokens.find({}, { sort: { createdAt: 1 } });
    return docs.map(({ tokenHash: _hash, ...rest }) => rest);
  }

  async revoke(id: string): Promise<void> {
    const result = await this.tokens.updateOne(
      { _id: id, revokedAt: { $exists: false } },
      { $set: { revokedAt: this.clock.now() } },
    );
    if (result.matchedCount === 0) throw AppError.notFound('That token');
    await this.ended(id);
  }

  /**
   * Ends what the tokens that expired since the last call had open, as revoke() does (the sweep `expireTokens`
   * calls it every minute, on one instance at a time); returns how many.
   */
  async expireDue(): Promise<number> {
    const now = this.clock.now();
    const due = await this.tokens.find({
      expiresAt: { $lte: now },
      expiryHandledAt: { $exists: false },
      revokedAt: { $exists: false },
    });
    let count = 0;
    for (const doc of due) {
      const result = await this.tokens.updateOne(
        { _id: doc._id, expiryHandledAt: { $exists: false } },
        { $set: { expiryHandledAt: now } },
      );
      if (result.matchedCount === 0) continue;
      await this.ended(doc._id);
      count += 1;
    }
    return count;
  }

  private async ended(id: string): Promise<void> {
    await Promise.all([...this.endedListeners].map(async (listener) => listener(id)));
  }

  /**
   * Calls `listener` with the id of every token revoked in this process or expired (found by this process's
   * expireDue()), once (open event streams end at once; those ended by another instance are noticed when the
   * stream re-checks its token; the member's cases go back to the queue); revoke() and expireDue() wait for it.
   * Returns the unsubscribe.
   */
  onEnded(listener: (id: string) => void | Promise<void>): () => void {
    this.endedListeners.add(listener);
    return () => this.endedListeners.delete(listener);
  }

  /**
   * Calls `listener` with the id of every token renewed in this process (the member of staff goes on; what was
   * opened with the old secret must check it again). Returns the unsubscribe.
   */
  onRenewed(listener: (id: string) => void): () => void {
    this.renewedListeners.add(listener);
    return () => this.renewedListeners.delete(listener);
  }
}
