import type { Request, Response, Server } from 'restify';
import type { z } from 'zod';
import { AppError } from '../core/errors';
import type { Logger } from '../core/logger';

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
                ? 'Unsupported content type; send application/json.'
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
