import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../core/clock';

/** What a token grants: `conversation` for the REST API, `stream` (short-lived, in the URL) for the WebSocket. */
export type TokenScope = 'conversation' | 'stream';

export interface TokenClaims {
  /** The one conversation the token is bound to. */
  conv: string;
  /** The user id (`dl_…`); Web Chat reads it from the token's `user` claim. */
  user: string;
  scope: TokenScope;
  /** The token's own id (what a refresh revokes). */
  jti: string;
  /** Stream tokens: the id of the conversation token the stream belongs to (its revocation ends the stream). */
  parent?: string;
  /** Issued at / expires, seconds since the epoch. */
  iat: number;
  exp: number;
}

export type Verification = { ok: true; claims: TokenClaims } | { ok: false; reason: 'invalid' | 'expired' };

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
const MAX_TOKEN_LENGTH = 2048;

/**
 * Direct Line tokens of the embedded Direct Line: compact JWTs (HS256) signed with a key that is random per
 * process, so Web Chat can read the `user` claim while nobody can forge or re-bind one. A restart invalidates
 * every token, which is harmless: the conversations lived in memory too.
 */
export class DirectLineTokens {
  private readonly key = randomBytes(32);

  constructor(
    private readonly clock: Clock,
    /** Lifetime of a conversation token in seconds (Web Chat refreshes it halfway, every 15 minutes). */
    readonly lifetimeSeconds: number,
    /** Lifetime of a stream token: only needed between receiving a streamUrl and opening it. */
    private readonly streamLifetimeSeconds = 120,
  ) {}

  /** A conversation token, or with `parent` (a conversation token's id) a stream token belonging to it. */
  issue(conversationId: string, userId: string, parent?: string): { token: string; claims: TokenClaims } {
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const lifetime = parent === undefined ? this.lifetimeSeconds : this.streamLifetimeSeconds;
    const claims: TokenClaims = {
      conv: conversationId,
      user: userId,
      scope: parent === undefined ? 'conversation' : 'stream',
      jti: randomBytes(12).toString('base64url'),
      ...(parent === undefined ? {} : { parent }),
      iat,
      exp: iat + lifetime,
    };
    const body = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    return { token: `${body}.${this.sign(body)}`, claims };
  }

  /** Checks signature, shape, scope and expiry. */
  verify(token: string, scope: TokenScope): Verification {
    const parts = token.length <= MAX_TOKEN_LENGTH ? token.split('.') : [];
    const [header, payload, signature] = parts;
    if (parts.length !== 3 || header !== HEADER || payload === undefined || signature === undefined) {
      return { ok: false, reason: 'invalid' };
    }
    const expected = Buffer.from(this.sign(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return { ok: false, reason: 'invalid' };
    const claims = parseClaims(Buffer.from(payload, 'base64url').toString('utf8'));
    if (!claims || claims.scope !== scope) return { ok: false, reason: 'invalid' };
    if (claims.exp * 1000 <= this.clock.now().getTime()) return { ok: false, reason: 'expired' };
    return { ok: true, claims };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}

function parseClaims(json: string): TokenClaims | undefined {
  const value: unknown = JSON.parse(json);
  if (typeof value !== 'object' || value === null) return undefined;
  const { conv, user, scope, jti, parent, iat, exp } = value as Record<string, unknown>;
  if (
    typeof conv !== 'string' ||
    typeof user !== 'string' ||
    typeof jti !== 'string' ||
    typeof iat !== 'number' ||
    typeof exp !== 'number'
  ) {
    return undefined;
  }
  if (scope === 'conversation' && parent === undefined) return { conv, user, scope, jti, iat, exp };
  if (scope === 'stream' && typeof parent === 'string') return { conv, user, scope, jti, parent, iat, exp };
  return undefined;
}
