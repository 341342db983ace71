import type { IncomingMessage } from 'node:http';
import restify, { type Next, type Request, type Response, type Server } from 'restify';
import type { z } from 'zod';
import { clientAddress, fromTrustedProxy, type ProxyTrust, rateLimitKey } from '../core/clientAddress';
import { AppError } from '../core/errors';
import type { Logger } from '../core/logger';
import { isRecord } from '../core/guards';

/** The JSON body of every error response. */
export interface ErrorBody {
  error: string;
  message: string;
  details?: unknown;
}

export type Handler = (req: Request, res: Response) => Promise<void>;

/** Sends an error as `{error, message}` JSON; unknown errors become a generic 500 (details only in the log). */
export function sendError(res: Response, err: unknown, log: Logger): void {
  const body: ErrorBody =
    err instanceof AppError
      ? {
          error: err.code,
          message: err.message,
          ...(err.details === undefined ? {} : { details: err.details }),
        }
      : { error: 'internal', message: 'Something went wrong on our side. Please try again.' };
  const status = err instanceof AppError ? err.status : 500;
  if (status >= 500) log.error({ err }, 'request failed');
  if (!res.headersSent) res.send(status, body);
}

/** Wraps an async route handler: thrown AppErrors become JSON error responses. */
export function route(log: Logger, handler: Handler): Handler {
  return async (req, res) => {
    try {
      await handler(req, res);
    } catch (err) {
      sendError(res, err, log);
    }
  };
}

/** `route()` for a handler that does not wait for anything: thrown AppErrors still become JSON errors. */
export function routeSync(log: Logger, handler: (req: Request, res: Response) => void): Handler {
  return route(log, (req, res) => Promise.resolve().then(() => handler(req, res)));
}

/**
 * Validates a request body (or query) with a zod schema. Strings stay strings: an object such as
 * `{"$gt": ""}` where a string belongs fails here, so no operator ever reaches the database.
 */
export function parseBody<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  // restify hands over the raw bytes of a body it could not parse (XML, an unknown type): not JSON at all.
  if (Buffer.isBuffer(value)) throw AppError.badRequest('The request body must be JSON.');
  const result = schema.safeParse(value);
  if (!result.success) {
    throw AppError.badRequest(
      'The request is not valid.',
      result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  return result.data;
}

/**
 * The client of a request as rate limits count it: its address by TRUST_PROXY (see clientAddress), an IPv6 client by
 * its /64 network (see rateLimitKey).
 */
export function requestAddress(req: IncomingMessage, trust: ProxyTrust): string {
  const forwardedFor = req.headers['x-forwarded-for'];
  return rateLimitKey(
    clientAddress(
      req.socket.remoteAddress,
      Array.isArray(forwardedFor) ? forwardedFor.join(', ') : forwardedFor,
      trust,
    ),
  );
}

/** A Host header: a name or IPv4 address, or a bracketed IPv6 address, and a port. */
const HOST_HEADER = /^([A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(:\d{1,5})?$/;

/**
 * The origin a browser reached this server at (`http://127.0.0.1:3978`): PUBLIC_URL's when it is configured,
 * else the request's own Host (from a trusted proxy: the right-most X-Forwarded-Host), with `https` when the
 * connection (from a trusted proxy: X-Forwarded-Proto) says so; `fallback` when the host is missing or malformed.
 * Whatever a client writes there only changes the addresses handed back to that same client, so answers that
 * carry it are never cached for others (see /embed.js).
 */
export function requestOrigin(
  req: Request,
  options: { publicUrl: string | undefined; trust: ProxyTrust; fallback: string },
): string {
  if (options.publicUrl) return new URL(options.publicUrl).origin;
  const proxied = fromTrustedProxy(req.socket.remoteAddress, options.trust);
  // The right-most entry is the one the nearest (trusted) proxy wrote; those to its left are the client's word.
  const forwarded = (name: string): string | undefined =>
    proxied ? req.header(name)?.split(',').at(-1)?.trim() || undefined : undefined;
  const host = forwarded('x-forwarded-host') ?? req.header('host') ?? '';
  if (!HOST_HEADER.test(host)) return new URL(options.fallback).origin;
  const proto = forwarded('x-forwarded-proto');
  const secure = proto === undefined ? req.isSecure() : proto.toLowerCase() === 'https';
  return `${secure ? 'https' : 'http'}://${host}`;
}

/** Deepest nesting of objects and arrays accepted in a JSON body (activities and API bodies stay under 20). */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether a parsed JSON value nests objects and arrays deeper than `limit`. The recursion stops at `limit`, so
 * a body nested thousands deep is measured, not a stack overflow; the body size limit bounds the work.
 */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (limit <= 0) return true;
  if (Array.isArray(value)) {
    const items: unknown[] = value;
    for (const item of items) if (nestedDeeperThan(item, limit - 1)) return true;
  } else if (isRecord(value)) {
    for (const key in value) if (nestedDeeperThan(value[key], limit - 1)) return true;
  }
  return false;
}

/**
 * The app's restify server, set up the same way for every route: JSON bodies up to `maxBodyBytes` and nested
 * at most MAX_JSON_DEPTH deep (else 413 / 400 `{error, message}`), query strings parsed, `nosniff` on every
 * response, and restify's own log lines (a failing formatter logs the request) without headers, query
 * strings or bodies: they carry Bearer tokens.
 */
/** What a page may use and who may hold a reference to its window: none of the devices, no opener. */
export const PAGE_ISOLATION_HEADERS = {
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  'Cross-Origin-Opener-Policy': 'same-origin',
} as const;

/** A year of HTTPS only (no subdomains: they may be another team's). */
const HSTS = 'max-age=31536000';

export function createHttpServer(options: {
  name: string;
  maxBodyBytes: number;
  log: Logger;
  /** Send Strict-Transport-Security (production behind an https PUBLIC_URL). */
  hsts?: boolean;
}): Server {
  const server = restify.createServer({ name: options.name, handleUncaughtExceptions: false });
  // restify 11 logs through pino (its typings still say bunyan), reading `server.log` on every request.
  Object.assign(server, {
    log: options.log.child(
      { component: 'restify' },
      {
        serializers: {
          req: (req: { method?: string; url?: string }) => ({
            method: req.method,
            path: (req.url ?? '').split('?')[0],
          }),
          res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        },
      },
    ),
  });
  installErrorShape(server);
  server.pre((req: Request, res: Response, next: Next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (options.hsts) res.setHeader('Strict-Transport-Security', HSTS);
    // API answers carry tokens, exports, cases and customers' words: no cache keeps them unless a route says so.
    if ((req.url ?? '').startsWith('/api/')) res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // No route takes uploads: restify's multipart parser would write files to the temp folder, past maxBodySize. No
  // client compresses what it sends: restify would inflate a gzip body past maxBodySize (it counts the bytes that
  // arrive), so that 200 KB can take a gigabyte of memory.
  server.pre((req: Request, res: Response, next: Next) => {
    const multipart = /^multipart\//i.test(req.header('content-type') ?? '');
    const encoded = !/^\s*(identity\s*)?$/i.test(req.header('content-encoding') ?? '');
    if (!multipart && !encoded) return next();
    res.header('Connection', 'close');
    const message = multipart
      ? UNSUPPORTED_TYPE
      : 'Compressed request bodies are not accepted; send plain JSON.';
    sendError(res, new AppError(415, 'unsupported_media_type', message), options.log);
    return next(false);
  });
  server.pre(restify.plugins.pre.context());
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(
    restify.plugins.bodyParser({ maxBodySize: options.maxBodyBytes, mapParams: false, mapFiles: false }),
  );
  server.use((req: Request, res: Response, next: Next) => {
    if (!nestedDeeperThan(req.body, MAX_JSON_DEPTH)) return next();
    sendError(
      res,
      AppError.badRequest(`The request body nests objects or arrays deeper than ${MAX_JSON_DEPTH} levels.`),
      options.log,
    );
    return next(false);
  });
  return server;
}

const UNSUPPORTED_TYPE = 'Unsupported content type; send application/json.';

/**
 * Gives restify's own errors (413 too large, 400 malformed JSON, 404, 405) the same `{error, message}`
 * shape, without internal details.
 */
export function installErrorShape(server: Server): void {
  server.on('restifyError', (_req: Request, _res: Response, err: RestifyHttpError, next: () => void) => {
    const status = err.statusCode ?? 500;
    const message =
      status === 413
        ? 'The request body is too large.'
        : status === 400
          ? 'The request body is not valid JSON.'
          : status === 404
            ? 'Not found.'
            : status === 405
              ? 'Method not allowed.'
              : status === 415
                ? UNSUPPORTED_TYPE
                : 'The request could not be handled.';
    const code = String(err.body?.code ?? 'error')
      .replace(/Error$/, '')
      .replace(/([a-z])([A-Z])/g, '$1_$2')
      .toLowerCase();
    err.toJSON = (): ErrorBody => ({ error: code, message });
    next();
  });
}

interface RestifyHttpError extends Error {
  statusCode?: number;
  body?: { code?: string };
  toJSON?: () => unknown;
}
