import { AppError } from '../../core/errors';
import type { FollowupEvent } from '../../handoff/followups';
import { admin, agentAnna, agentBen, customerSays, handoffFixture, openCase, type Fixture } from './setup';

const MINUTE = 60_000;

/** The HTTP status an action failed with (AppError), or 'ok'. */
async function outcome(action: () => Promise<unknown>): Promise<number | 'ok'> {
  try {
    await action();
    return 'ok';
  } catch (err) {
    if (err instanceof AppError) return err.status;
    throw err;
  }
}

describe('follow-ups opened by the handoff service', () => {
  let f: Fixture;
  afterEach(() => f.close());

  it('when a message is left out of hours, then one left-message follow-up has the contact and the transcript', async () => {
    f = await handoffFixture(
      { BUSINESS_HOURS: 'Mon-Fri 08:00-18:00', BUSINESS_TIMEZONE: 'Europe/Warsaw' },
      new Date('2025-03-08T12:00:00Z'), // Saturday
    );
    await customerSays(f, 'conv-1', 'moja faktura jest za wysoka', 'pl');
    const { caseDoc } = await f.handoff.open({
      conversationId: 'conv-1',
      customerId: 'customer-1',
      locale: 'pl',
      channel: 'webchat',
      reason: 'request',
      summary: 'Faktura',
      contact: { email: 'jan@example.pl', phone: '+48 601 234 567' },
    });
    const [followup, ...others] = await f.followups.list();
    expect(others).toEqual([]);
    expect(followup).toMatchObject({
      reason: 'left-message',
      caseId: caseDoc.id,
      summary: 'Faktura',
      locale: 'pl',
      contact: [
        { kind: 'email', value: 'jan@example.pl' },
        { kind: 'phone', value: '+48 601 234 567' },
      ],
      status: 'open',
      claimedBy: null,
    });
    const detail = await f.followups.get(followup?.id ?? '');
    expect(detail.transcript.map((l) => l.text)).toEqual(['moja faktura jest za wysoka']);
  });

  it('when a queued case expires, then one queue-timeout follow-up has what the customer wrote while waiting; a second sweep opens none', async () => {
    f = await handoffFixture();
    await openCase(f, 'conv-2', { contact: { phone: '+47 912 34 567' } });
    await f.handoff.customerMessage('conv-2', 'anyone there?');
    expect(await f.followups.list()).toEqual([]);
    f.clock.advance(11 * MINUTE);
    expect(await f.handoff.expireOverdue()).toBe(1);
    expect(await f.handoff.expireOverdue()).toBe(0);
    const [followup, ...others] = await f.followups.list();
    expect(others).toEqual([]);
    expect(followup?.reason).toBe('queue-timeout');
    const detail = await f.followups.get(followup?.id ?? '');
    expect(detail.transcript.map((l) => l.text)).toEqual([
      'my internet has been down since Monday',
      'anyone there?',
    ]);
  });

  it('when a case is taken before the timeout, then no follow-up is opened', async () => {
    f = await handoffFixture();
    const id = await openCase(f, 'conv-3');
    await f.handoff.take(id, agentAnna);
    f.clock.advance(11 * MINUTE);
    expect(await f.handoff.expireOverdue()).toBe(0);
    expect(await f.followups.list()).toEqual([]);
  });

  it('when an external hub fails the handoff, then the saved message is a follow-up', async () => {
    f = await handoffFixture({ HANDOFF_MODE: 'external' });
    await customerSays(f, 'conv-4', 'please call me');
    await f.handoff.open({
      conversationId: 'conv-4',
      customerId: 'c4',
      locale: 'en',
      channel: 'webchat',
      reason: 'request',
      summary: 'Call me',
      contact: { email: 'kim@example.com' },
      mode: 'external',
    });
    await f.handoff.onHandoffStatus('conv-4', { state: 'failed' });
    await f.handoff.idle();
    expect((await f.followups.list()).map((x) => x.reason)).toEqual(['queue-timeout']);
  });
});

describe('the follow-up inbox', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await handoffFixture();
  });
  afterEach(() => f.close());

  const open = (conversationId: string, channel = 'webchat') =>
    f.followups.open({
      conversationId,
      customerId: `customer-of-${conversationId}`,
      channel,
      locale: 'en',
      reason: 'low-rating',
      summary: 'Slow',
      score: 2,
      comment: 'Slow',
    });

  it('when a Teams customer asks for a call-back, then their Teams identity is a way to reach them', async () => {
    await f.conversations.touch({
      conversationId: 'teams-1',
      reference: {},
      customerId: 'aad-1',
      customerName: 'Kari Nordmann',
      channel: 'msteams',
      locale: 'nb',
      text: 'hei',
    });
    const followup = await open('teams-1', 'msteams');
    expect(followup.contact).toEqual([{ kind: 'teams', value: 'Kari Nordmann' }]);
    expect((await f.followups.get(followup.id)).transcript.map((l) => l.text)).toEqual(['hei']);
  });

  it('when many claim at once, then exactly one wins and the others get 409', async () => {
    const { id } = await open('conv-1');
    const events: FollowupEvent[] = [];
    f.followups.subscribe((e) => events.push(e));
    const results = await Promise.all(
      [agentAnna, agentBen, agentAnna, agentBen, admin].map((who) =>
        outcome(() => f.followups.claim(id, who)),
      ),
    );
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r === 409)).toHaveLength(4);
    expect(events.map((e) => e.type)).toEqual(['claimed']);
  });

  it('when a follow-up is closed, then only the claimer or an admin may, with a note kept in the history', async () => {
    const first = await open('conv-1');
    const second = await open('conv-2');
    await f.followups.claim(first.id, agentAnna);
    expect(await outcome(() => f.followups.close(first.id, agentBen, 'done'))).toBe(403);
    await f.followups.close(first.id, agentAnna, 'Called back, refunded');
    expect(await outcome(() => f.followups.close(first.id, admin, 'again'))).toBe(409);
    expect(await outcome(() => f.followups.claim(first.id, agentBen))).toBe(409);
    f.clock.advance(MINUTE);
    // Unclaimed: anyone may close it.
    await f.followups.close(second.id, agentBen, 'No answer twice; e-mailed');
    expect(await f.followups.list()).toEqual([]);
    expect((await f.followups.list('closed')).map((x) => [x.note, x.closedBy?.name])).toEqual([
      ['No answer twice; e-mailed', 'Ben'],
      ['Called back, refunded', 'Anna'],
    ]);
    expect(await outcome(() => f.followups.get('unknown'))).toBe(404);
    expect(await outcome(() => f.followups.claim('unknown', agentAnna))).toBe(404);
  });

  it('when the admin closes someone else’s claimed follow-up, then it closes', async () => {
    const { id } = await open('conv-1');
    await f.followups.claim(id, agentAnna);
    expect(await f.followups.close(id, admin, 'Anna is away; handled')).toMatchObject({ status: 'closed' });
  });
});
