import type { Request, Server } from 'restify';
import { z } from 'zod';
import { AppError } from '../core/errors';
import type { Logger } from '../core/logger';
import { MAX_FOLLOWUP_NOTE_CHARS, type FollowupService } from '../handoff/followups';
import { MAX_AGENT_MESSAGE_CHARS, type HandoffService } from '../handoff/service';
import { caseStatuses } from '../handoff/types';
import type { Principal, StaffAuth } from './auth';
import { parseBody, route } from './http';

export interface AgentRouteDeps {
  auth: StaffAuth;
  handoff: HandoffService;
  followups: Pick<FollowupService, 'list' | 'get' | 'claim' | 'close'>;
  log: Logger;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const listQuery = z.strictObject({
  status: z.enum(caseStatuses).optional(),
});
const messageBody = z.strictObject({ text: z.string().trim().min(1).max(MAX_AGENT_MESSAGE_CHARS) });
const followupQuery = z.strictObject({ status: z.enum(['open', 'closed']).optional() });
const closeBody = z.strictObject({ note: z.string().trim().min(1).max(MAX_FOLLOWUP_NOTE_CHARS) });
/** take / resolve / release / claim carry no body; anything sent must be an empty object. */
const noBody = z.strictObject({}).optional();

/**
 * The staff API over the handoff service (Bearer token, role agent or admin):
 *   GET  /api/agent/me                      who the token belongs to: {id, name, role} (the console shows other
 *                                           agents' cases read-only to an agent)
 *   GET  /api/agent/cases?status=queued     cases (the queue in queue order)
 *   GET  /api/agent/cases/:id               one case with transcript and messages
 *   POST /api/agent/cases/:id/take          200, or 409 when someone else took it
 *   POST /api/agent/cases/:id/messages      {text} relayed to the customer (201; 503 not delivered, 410 gone)
 *   POST /api/agent/cases/:id/resolve       the customer is back with the bot
 *   POST /api/agent/cases/:id/release       back to the queue
 * Take, resolve and release answer 200 once the change is saved, with the case as it is now and how telling the
 * customer went: `delivery` 'sent', 'failed' (their channel did not answer; the change stands) or 'unreachable'
 * (gone for good: an open case is then abandoned). Unknown or malformed ids answer 404; operators where strings
 * belong answer 400.
 *
 * The follow-up inbox (handoff/followups.ts), same roles:
 *   GET  /api/agent/followups               open and claimed follow-ups, oldest first (?status=closed: the
 *                                           history, most recently closed first, with notes)
 *   GET  /api/agent/followups/:id           one follow-up with its transcript
 *   POST /api/agent/followups/:id/claim     200 once; 409 for anyone after
 *   POST /api/agent/followups/:id/close     {note} 200; 403 when someone else claimed it, 409 when closed
 */
export function registerAgentRoutes(server: Server, { auth, handoff, followups, log }: AgentRouteDeps): void {
  server.get(
    '/api/agent/me',
    route(log, async (req, res) => {
      const { id, name, role } = await auth.require(req, 'agent');
      res.send(200, { id, name, role });
    }),
  );

  server.get(
    '/api/agent/cases',
    route(log, async (req, res) => {
      await auth.require(req, 'agent');
      const { status } = parseBody(listQuery, req.query ?? {});
      res.send(200, await handoff.list(status ? { status } : {}));
    }),
  );

  server.get(
    '/api/agent/cases/:id',
    route(log, async (req, res) => {
      await auth.require(req, 'agent');
      res.send(200, await handoff.get(caseId(req)));
    }),
  );

  server.post(
    '/api/agent/cases/:id/messages',
    route(log, async (req, res) => {
      const agent = await auth.require(req, 'agent');
      const { text } = parseBody(messageBody, req.body);
      res.send(201, await handoff.agentMessage(caseId(req), agent, text));
    }),
  );

  // Take, resolve and release: a transition with no body, by the agent making it.
  const transitions = {
    take: (id: string, agent: Principal) => handoff.take(id, agent),
    resolve: (id: string, agent: Principal) => handoff.resolve(id, agent),
    release: (id: string, agent: Principal) => handoff.release(id, agent),
  };
  for (const [name, transition] of Object.entries(transitions)) {
    server.post(
      `/api/agent/cases/:id/${name}`,
      route(log, async (req, res) => {
        const agent = await auth.require(req, 'agent');
        parseBody(noBody, req.body);
        res.send(200, await transition(caseId(req), agent));
      }),
    );
  }

  server.get(
    '/api/agent/followups',
    route(log, async (req, res) => {
      await auth.require(req, 'agent');
      const { status } = parseBody(followupQuery, req.query ?? {});
      res.send(200, await followups.list(status));
    }),
  );

  server.get(
    '/api/agent/followups/:id',
    route(log, async (req, res) => {
      await auth.require(req, 'agent');
      res.send(200, await followups.get(followupId(req)));
    }),
  );

  server.post(
    '/api/agent/followups/:id/claim',
    route(log, async (req, res) => {
      const agent = await auth.require(req, 'agent');
      parseBody(noBody, req.body);
      res.send(200, await followups.claim(followupId(req), agent));
    }),
  );

  server.post(
    '/api/agent/followups/:id/close',
    route(log, async (req, res) => {
      const agent = await auth.require(req, 'agent');
      const { note } = parseBody(closeBody, req.body);
      res.send(200, await followups.close(followupId(req), agent, note));
    }),
  );
}

/** The `:id` path parameter; anything that is not an id (a UUID) is simply not found. */
function idParam(req: Request, what: string): string {
  const params: unknown = req.params;
  const id = typeof params === 'object' && params !== null && 'id' in params ? params.id : undefined;
  if (typeof id !== 'string' || !UUID.test(id)) throw AppError.notFound(what);
  return id;
}

const caseId = (req: Request): string => idParam(req, 'That case');
const followupId = (req: Request): string => idParam(req, 'That follow-up');
