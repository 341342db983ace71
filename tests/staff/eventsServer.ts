import type { AddressInfo } from 'node:net';
import type { Server } from 'restify';
import { createLogger } from '../../core/logger';
import { StaffPresence } from '../../handoff/presence';
import type { CaseEvent } from '../../handoff/types';
import { registerAgentEvents, type StaffEvent } from '../../server/agentEvents';
import { StaffAuth } from '../../server/auth';
import { createHttpServer } from '../../server/http';
import { EmbeddedDatabase } from '../../storage/embedded';
import { ManualClock } from '../storage/manualClock';

/**
 * The staff console's event stream on its own (no bot), over real HTTP on an in-memory store: what one instance
 * does while another instance (the test, through `db`) changes the shared store behind its back.
 */
export interface EventsServer {
  url: string;
  auth: StaffAuth;
  db: EmbeddedDatabase;
  clock: ManualClock;
  /** Delivers a case event to the open streams, as another instance's bus does. */
  publish(id: string, summary: string): void;
  close(): Promise<void>;
}

/** Starts the stream's routes with a heartbeat every `heartbeatMs` (long: only events and changes can tell). */
export async function startEventsServer(heartbeatMs: number): Promise<EventsServer> {
  const db = await EmbeddedDatabase.open({ location: { inMemory: true } });
  const clock = new ManualClock(new Date());
  const auth = new StaffAuth(db, clock, undefined);
  const log = createLogger('silent');
  const listeners = new Set<(event: StaffEvent) => void>();
  const server: Server = createHttpServer({ name: 'events-test', maxBodyBytes: 10_000, log });
  registerAgentEvents(server, {
    auth,
    events: {
      subscribe: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    presence: new StaffPresence(clock),
    log,
    heartbeatMs,
  });
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    auth,
    db,
    clock,
    publish(id, summary) {
      const event = { type: 'created', caseView: { id, summary } } as CaseEvent;
      for (const listener of listeners) listener(event);
    },
    async close() {
      server.close();
      await db.close();
    },
  };
}
