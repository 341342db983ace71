import type { StaffTokenDoc } from '../../server/auth';
import { startEventsServer, type EventsServer } from '../staff/eventsServer';
import { EventStream } from '../staff/sse';

/**
 * The staff console's live feed sends a case event only to a token that is still valid when the event comes:
 * one revoked by another instance (this process is not told) or past its expiry reads nothing more, without
 * waiting for the stream's next heartbeat (an hour here, so that only the events can tell).
 */
const HOUR = 3_600_000;

let events: EventsServer;
beforeAll(async () => {
  events = await startEventsServer(HOUR);
});
afterAll(() => events.close());

const open = (token: string) =>
  EventStream.open(`${events.url}/api/agent/events`, { authorization: `Bearer ${token}` });

it('when another instance revokes the token, then the next case event is not sent to its stream, which ends, while other streams get it', async () => {
  const leaving = await events.auth.issue('Leaving agent', 'agent', 'test');
  const staying = await events.auth.issue('Staying agent', 'agent', 'test');
  const revoked = await open(leaving.token);
  const other = await open(staying.token);
  try {
    expect([revoked.response.status, other.response.status]).toEqual([200, 200]);
    // What another instance's revoke() writes, without this process's notification.
    await events.db
      .collection<StaffTokenDoc>('staffTokens')
      .updateOne({ _id: leaving.id }, { $set: { revokedAt: events.clock.now() } });

    events.publish('case-after-revocation', 'Secret order details');

    await expect(revoked.next()).rejects.toThrow('the event stream ended');
    const seen = await other.next<{ caseView: { id: string } }>();
    expect(seen.caseView.id).toBe('case-after-revocation');
  } finally {
    revoked.close();
    other.close();
  }
});

it('when the token expires while its stream is open, then the next case event is not sent to it and the stream ends', async () => {
  const shortLived = await events.auth.issue('Temp agent', 'agent', 'test', 1);
  const stream = await open(shortLived.token);
  try {
    expect(stream.response.status).toBe(200);
    events.publish('case-before-expiry', 'Still in time');
    await expect(stream.next<{ caseView: { id: string } }>()).resolves.toMatchObject({
      caseView: { id: 'case-before-expiry' },
    });

    events.clock.advance(25 * HOUR);
    events.publish('case-after-expiry', 'Secret order details');

    await expect(stream.next()).rejects.toThrow('the event stream ended');
  } finally {
    stream.close();
  }
});
