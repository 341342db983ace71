import { randomBytes } from 'node:crypto';
import type { Request, Server } from 'restify';
import { z } from 'zod';
import type { ProxyTrust } from '../../core/clientAddress';
import type { Clock } from '../../core/clock';
import { AppError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { requestAddress, route } from '../http';
import { RateLimiter } from '../rateLimiter';

/** Azure Bot Service's Direct Line (global endpoint; regional ones look like https://europe.directline.botframework.com). */
export const AZURE_DIRECT_LINE_URL = 'https://directline.botframework.com/v3/directline';

export interface AzureTokenDeps {
  /** DIRECT_LINE_SECRET: stays on the server. */
  secret: string;
  /** Origins whose pages may request tokens: the bot's own page (as the request reached it) plus DIRECT_LINE_TRUSTED_ORIGINS. */
  allowedOrigins: (req: Request) => string[];
  /** Base URL of Azure's Direct Line; tests point it to a local stand-in. */
  azureUrl: string;
  clock: Clock;
  log: Logger;
  /** TRUST_PROXY: which X-Forwarded-For hop is the client the limit counts. */
  trustProxy: ProxyTrust;
  tokensPerMinutePerAddress?: number;
}

const azureGrant = z.object({
  conversationId: z.string().min(1),
  token: z.string().min(1),
  expires_in: z.number(),
});

/**
 * `POST /api/directline/token`: exchanges DIRECT_LINE_SECRET for a Direct Line token at Azure, server-side,
 * for a fresh user id `dl_…` (so the user id cannot be forged) and the trusted origins. Only pages of allowed
 * origins may ask (the browser's Origin header); the secret never reaches a browser or a log.
 */
export function registerAzureDirectLineToken(server: Server, deps: AzureTokenDeps): void {
  const limiter = new RateLimiter(deps.clock, deps.tokensPerMinutePerAddress ?? 30);
  server.post(
    '/api/directline/token',
    route(deps.log, async (req, res) => {
      const allowed = deps.allowedOrigins(req);
      checkOrigin(req, allowed);
      if (!limiter.take(requestAddress(req, deps.trustProxy))) {
        res.header('Retry-After', '10');
        throw AppError.tooManyRequests();
      }
      const grant = await generate(deps, allowed);
      res.send(200, grant); // no-store, as every /api/ answer (createHttpServer)
    }),
  );
}

function checkOrigin(req: Request, allowed: string[]): void {
  const origin = req.header('origin');
  if (!origin || !allowed.includes(origin)) {
    throw AppError.forbidden('Web chat tokens are only issued to the pages of trusted origins.');
  }
}

async function generate(deps: AzureTokenDeps, trustedOrigins: string[]): Promise<z.infer<typeof azureGrant>> {
  const unavailable = AppError.unavailable(
    'The chat service cannot be reached right now. Please try again shortly.',
  );
  let response: Response;
  try {
    response = await fetch(`${deps.azureUrl.replace(/\/$/, '')}/tokens/generate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${deps.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        user: { id: `dl_${randomBytes(12).toString('base64url')}` },
        trustedOrigins,
      }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    deps.log.error(
      { err: err instanceof Error ? err.message : String(err) },
      'direct line: token request failed',
    );
    throw unavailable;
  }
  const parsed = azureGrant.safeParse(response.ok ? await response.json() : undefined);
  if (!parsed.success) {
    deps.log.error({ status: response.status }, 'direct line: Azure refused the token request');
    throw unavailable;
  }
  return parsed.data;
}
