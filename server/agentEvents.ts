import { readFile } from 'node:fs/promises';
import type { Request, Response, Server } from 'restify';
import { AppError } from '../core/errors';
import type { Logger } from '../core/logger';
import { fromRoot } from '../core/paths';
import type { FollowupEvent } from '../handoff/followups';
import type { StaffPresence } from '../handoff/presence';
import type { CaseEvent } from '../handoff/types';
import { namespaceMessages } from '../locales';
import { FALLBACK_LOCALE, knownLocale } from '../language/words';
import { bearerToken, type StaffAuth } from './auth';
import { PAGE_ISOLATION_HEADERS, route, routeSync } from './http';

/** What the staff console's stream carries: every instance's events (storage/eventBus.ts). */
export type StaffEvent = CaseEvent | FollowupEvent;

export interface AgentEventsDeps {
  auth: StaffAuth;
  /** The case and follow-up events of every instance, each once, in the order they were committed. */
  events: { subscribe(listener: (event: StaffEvent) => void): () => void };
  /** An open stream keeps its staff member present (seen at the start and at every heartbeat). */
  presence: Pick<StaffPresence, 'seen'>;
  log: Logger;
  /** Milliseconds between keep-alive comments (default 20 s). */
  heartbeatMs?: number;
}

export interface AgentEvents {
  /** Open event streams (for tests and metrics). */
  readonly openStreams: number;
  /** Ends every open stream (call before server.close(), which otherwise waits for them forever). */
  close(): void;
}

const HEARTBEAT_MS = 20_000;
/** How long a browser waits before reconnecting a dropped stream. */
const RETRY_MS = 3_000;

/** The staff console's files: name → content type. Nothing else under /agent is served. */
const CONSOLE_FILES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'agent.js': 'text/javascript; charset=utf-8',
  'agent.css': 'text/css; charset=utf-8',
  'followups.js': 'text/javascript; charset=utf-8',
};

/** Most language preferences read from `?languages=` (browsers send a handful). */
const MAX_LANGUAGES = 10;
/** Live feeds one member of staff may hold open on one instance (a console per tab; a few tabs, never hundreds). */
export const MAX_STREAMS_PER_MEMBER = 10;

/** Strict CSP: only same-origin scripts, styles and connections; no inline script or style, no framing. */
const CONSOLE_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-cache',
  ...PAGE_ISOLATION_HEADERS,
};

/**
 * The staff console's live feed and its static files:
 *
 *   GET /api/agent/events   Server-Sent Events: one `data: <CaseEvent JSON>` per case change, one
 *                           `event: followup` with `data: <FollowupEvent JSON>` per follow-up change, made on
 *                           any instance (they reach every instance through the database), a comment every 20 s
 *                           so proxies keep the stream open.
 *   GET /agent              the console (web/agent/index.html); GET /agent/<file> its script and style.
 *   GET /api/agent/messages?languages=id-ID,en
 *                           the console's texts (`{locale, messages}`: the `staff` catalog namespace) in the
 *                           first supported language of the browser's preferences, else English. No token:
 *                           the sign-in form needs them, and they are no secret.
 *
 * Authentication of the stream: `Authorization: Bearer <token>` or `?token=<token>`, role agent or admin.
 * The query parameter exists because the browser's EventSource cannot set headers. The trade-off: a token in
 * a URL can end up in access logs of proxies in front of the app and in browser history (never in Referer
 * headers: the console sends none). The console keeps the token in sessionStorage only, and the stream only
 * reads (every action still needs the header). Deployments whose proxies log query strings should strip
 * `token` from those logs, or use short-lived agent tokens. A stream ends when its token is revoked or renewed
 * (at once in this process; when another instance revoked or renewed it, or it expired, at the next event or
 * heartbeat: each event is sent only after the token was checked again).
 */
export function registerAgentEvents(server: Server, deps: AgentEventsDeps): AgentEvents {
  const { auth, events, presence, log } = deps;
  const heartbeatMs = deps.heartbeatMs ?? HEARTBEAT_MS;
  /** The end function of each open stream. */
  const streams = new Set<() => void>();
  /** Open streams of each member of staff on this instance (see MAX_STREAMS_PER_MEMBER). */
  const streamsOf = new Map<string, number>();

  server.get(
    '/api/agent/events',
    route(log, async (req, res) => {
      const token = req.header('authorization') ? bearerToken(req) : queryToken(req);
      const principal = await auth.signIn(req, token);
      if (!principal) throw AppError.unauthorized();
      // Gone while it was signed in: no feed to count or keep alive.
      if (req.destroyed) return;
      const open = streamsOf.get(principal.id) ?? 0;
      if (open >= MAX_STREAMS_PER_MEMBER)
        throw AppError.tooManyRequests('Too many live feeds open with this sign-in; close a console tab.');
      streamsOf.set(principal.id, open + 1);

      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        // nginx and similar proxies: do not buffer the stream.
        'x-accel-buffering': 'no',
      });
      res.flushHeaders();
      res.write(`retry: ${RETRY_MS}\n: connected\n\n`);

      const end = (why: string): void => {
        if (!streams.delete(closeStream)) return;
        const left = (streamsOf.get(principal.id) ?? 1) - 1;
        if (left > 0) streamsOf.set(principal.id, left);
        else streamsOf.delete(principal.id);
        clearInterval(heartbeat);
        unsubscribe();
        stopWatching();
        stopRechecking();
        res.end();
        log.debug({ agentId: principal.id, why }, 'agent event stream closed');
      };
      const closeStream = (): void => end('server stopping');
      const write = (text: string): void => {
        if (streams.has(closeStream)) res.write(text);
      };
      streams.add(closeStream);
      // Every event is sent only once the token was found valid after the event arrived: a token revoked or
      // expired on another instance (which this process hears of at no moment) reads nothing more. The events
      // that arrive during a check wait for the next one (one check at a time, in order; a failing store keeps
      // the stream, as the heartbeat does).
      let waiting: string[] = [];
      let checking = false;
      const deliver = async (): Promise<void> => {
        checking = true;
        try {
          while (waiting.length > 0 && streams.has(closeStream)) {
            const batch = waiting;
            waiting = [];
            const still = await auth.authenticate(token).then(
              (found) => found !== undefined,
              () => true,
            );
            if (!still) return end('token no longer valid');
            for (const text of batch) write(text);
          }
        } finally {
          checking = false;
        }
      };
      const unsubscribe = events.subscribe((event) => {
        waiting.push(
          'followup' in event
            ? `event: followup\ndata: ${JSON.stringify(event)}\n\n`
            : `data: ${JSON.stringify(event)}\n\n`,
        );
        if (!checking)
          deliver().catch((err: unknown) => log.warn({ err, agentId: principal.id }, 'agent event not sent'));
      });
      // The stream lives only as long as its token: revoked or found expired in this process, it ends at once.
      const stopWatching = auth.onEnded((id) => {
        if (id === principal.id) end('token ended');
      });
      // Renewed in this process: a stream opened with the old secret ends at once, one with the new goes on.
      const stopRechecking = auth.onRenewed((id) => {
        if (id !== principal.id) return;
        auth.authenticate(token).then(
          (still) => {
            if (!still) end('token renewed');
          },
          () => undefined,
        );
      });
      // Ended by another instance: the next heartbeat finds out (a failing store keeps the stream).
      const heartbeat = setInterval(() => {
        auth.authenticate(token).then(
          (still) => {
            if (still) {
              presence.seen(principal.id);
              write(': heartbeat\n\n');
            } else end('token no longer valid');
          },
          () => write(': heartbeat\n\n'),
        );
      }, heartbeatMs);
      heartbeat.unref();
      req.on('close', () => end('client left'));
      presence.seen(principal.id);
      log.debug({ agentId: principal.id }, 'agent event stream opened');
    }),
  );

  const serveConsoleFile = route(log, async (req: Request, res: Response) => {
    const file = pathParam(req, 'file') ?? 'index.html';
    const type = Object.hasOwn(CONSOLE_FILES, file) ? CONSOLE_FILES[file] : undefined;
    if (!type) throw AppError.notFound('That file');
    const body = await readFile(fromRoot('web', 'agent', file));
    res.writeHead(200, { 'content-type': type, 'content-length': body.length, ...CONSOLE_HEADERS });
    res.end(body);
  });
  server.get(
    '/api/agent/messages',
    routeSync(log, (req, res) => {
      const locale = preferredLocale(stringField(req.query, 'languages'));
      res.send(200, { locale, messages: namespaceMessages(locale, 'staff') });
    }),
  );
  server.get('/agent', serveConsoleFile);
  server.get('/agent/:file', serveConsoleFile);

  return {
    get openStreams() {
      return streams.size;
    },
    close() {
      for (const closeStream of [...streams]) closeStream();
    },
  };
}

function queryToken(req: Request): string | undefined {
  return stringField(req.query, 'token');
}

/** The first catalog locale of a comma-separated list of language preferences (`?languages=`), else `en`. */
export function preferredLocale(languages: string | undefined): string {
  const preferences = (languages ?? '').split(',').slice(0, MAX_LANGUAGES);
  return preferences.map((tag) => knownLocale(tag.trim())).find(Boolean) ?? FALLBACK_LOCALE;
}

function pathParam(req: Request, name: string): string | undefined {
  return stringField(req.params, name);
}

function stringField(record: unknown, name: string): string | undefined {
  if (typeof record !== 'object' || record === null) return undefined;
  const value: unknown = Object.getOwnPropertyDescriptor(record, name)?.value;
  return typeof value === 'string' ? value : undefined;
}
