import type { AddressInfo } from 'node:net';
import type { Server } from 'restify';
import { createLogger } from '../../core/logger';
import { StaffPresence } from '../../handoff/presence';
import type { CaseEvent } from '../../handoff/types';
import { registerAgentEvents, type StaffEvent } from '../../server/agentEvents';
import { StaffAuth, type StaffTokenDoc } from '../../server/auth';
import { createHttpServer } from '../../server/http';
import { EmbeddedDatabase } from '../../storage/embedded';
import { ManualClock } from '../storage/manualClock';
import { EventStream } from '../staff/sse';

/**
 * The staff console's live feed sends a case event only to a token that is still valid when the event comes:
 * one revoked by another instance (this process is not told) or past its expiry reads nothing more, without
 * waiting for the stream's next heartbeat (an hour here, so that only the events can tell).
 */
const HOUR = 3_600_000;

let db: EmbeddedDatabase;
let server: Server;
let url: string;
let auth: StaffAuth;
const clock = new ManualClock(new Date());
const listeners = new Set<(event: StaffEvent) => void>();

beforeAll(async () => {
  db = await EmbeddedDatabase.open({ location: { inMemory: true } });
  auth = new StaffAuth(db, clock, undefined);
  const log = createLogger('silent');
  server = createHttpServer({ name: 'stream-token-test', maxBodyBytes: 10_000, log });
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
    heartbeatMs: HOUR,
  });
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve);
  });
  url = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.close();
  await db.close();
});

/** A case event as another instance's bus delivers it. */
function publish(id: string, summary: string): void {
  const event = { type: 'created', caseView: { id, summary } } as CaseEvent;
  for (const listener of listeners) listener(event);
}

const open = (token: string) =>
  EventStream.open(`${url}/api/agent/events`, { authorization: `Bearer ${token}` });

it('when another instance revokes the token, then the next case event is not sent to its stream, which ends, while other streams get it', async () => {
  const leaving = await auth.issue('Leaving agent', 'agent', 'test');
  const staying = await auth.issue('Staying agent', 'agent', 'test');
  const revoked = await open(leaving.token);
  const other = await open(staying.token);
  try {
    expect([revoked.response.status, other.response.status]).toEqual([200, 200]);
    // What another instance's revoke() writes, without this process's notification.
    await db
      .collection<StaffTokenDoc>('staffTokens')
      .updateOne({ _id: leaving.id }, { $set: { revokedAt: clock.now() } });

    publish('case-after-revocation', 'Secret order details');

    await expect(revoked.next()).rejects.toThrow('the event stream ended');
    const seen = await other.next<{ caseView: { id: string } }>();
    expect(seen.caseView.id).toBe('case-after-revocation');
  } finally {
    revoked.close();
    other.close();
  }
});

it('when the token expires while its stream is open, then the next case event is not sent to it and the stream ends', async () => {
  const shortLived = await auth.issue('Temp agent', 'agent', 'test', 1);
  const stream = await open(shortLived.token);
  try {
    expect(stream.response.status).toBe(200);
    publish('case-before-expiry', 'Still in time');
    await expect(stream.next<{ caseView: { id: string } }>()).resolves.toMatchObject({
      caseView: { id: 'case-before-expiry' },
    });

    clock.advance(25 * HOUR);
    publish('case-after-expiry', 'Secret order details');

    await expect(stream.next()).rejects.toThrow('the event stream ended');
  } finally {
    stream.close();
  }
});
