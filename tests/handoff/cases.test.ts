import { AppError } from '../../core/errors';
import type { CaseEvent, CaseStatus, StaffMember } from '../../handoff/types';
import { t } from '../../locales';
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

describe('case state machine', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await handoffFixture();
  });
  afterEach(() => f.close());

  /** Brings a fresh case into `status`. */
  async function caseIn(status: CaseStatus): Promise<string> {
    const id = await openCase(f, `conv-${status}`);
    if (status === 'assigned' || status === 'resolved') await f.handoff.take(id, agentAnna);
    if (status === 'resolved') await f.handoff.resolve(id, agentAnna);
    if (status === 'cancelled') await f.handoff.cancelByCustomer(`conv-${status}`);
    if (status === 'expired') {
      f.clock.advance(11 * MINUTE);
      await f.handoff.expireOverdue();
    }
    if (status === 'abandoned') {
      await f.handoff.take(id, agentAnna);
      f.customers.unreachable.add(`conv-${status}`);
      await outcome(() => f.handoff.agentMessage(id, agentAnna, 'hello?'));
    }
    expect((await f.handoff.get(id)).status).toBe(status);
    return id;
  }

  it('when a case is opened, then it is queued with the transcript, and a second open returns the same case', async () => {
    const events: CaseEvent[] = [];
    f.handoff.subscribe((e) => events.push(e));
    const id = await openCase(f, 'conv-1');
    const again = await f.handoff.open({
      conversationId: 'conv-1',
      customerId: 'c',
      locale: 'en',
      channel: 'webchat',
      reason: 'request',
      summary: 'again',
    });
    expect(again.caseDoc.id).toBe(id);
    expect(again.position).toBe(1);
    const detail = await f.handoff.get(id);
    expect(detail).toMatchObject({ status: 'queued', summary: 'Internet down since Monday', ticket: false });
    expect(detail.transcript.map((l) => l.text)).toEqual(['my internet has been down since Monday']);
    expect(events.map((e) => e.type)).toEqual(['created']);
    expect((await f.handoff.activeCase('conv-1'))?.id).toBe(id);
  });

  it('when an agent takes, answers and resolves, then the customer hears each step and gets the survey', async () => {
    const id = await openCase(f, 'conv-1');
    await f.handoff.take(id, agentAnna);
    await f.handoff.agentMessage(id, agentAnna, 'Hi, I am looking at your line now.');
    const resolved = await f.handoff.resolve(id, agentAnna);
    expect(resolved).toMatchObject({ status: 'resolved', agentId: 'agent-anna' });
    expect(f.customers.textsTo('conv-1')).toEqual([
      'Anna from our support team has joined the chat and will help you from here.',
      'Hi, I am looking at your line now.',
      expect.stringContaining("You're back with the virtual assistant"),
    ]);
    expect(f.customers.surveys).toHaveLength(1);
    expect(f.customers.surveys[0]).toMatchObject({
      conversationId: 'conv-1',
      options: { resolution: 'agent', agentId: 'agent-anna', caseId: id },
    });
    expect(await f.handoff.activeCase('conv-1')).toBeNull();
  });

  it('when an agent releases a case, then it is queued again without an agent and another agent may take it', async () => {
    const id = await openCase(f);
    await f.handoff.take(id, agentAnna);
    const released = await f.handoff.release(id, agentAnna);
    expect(released.status).toBe('queued');
    expect(released.agentId).toBeUndefined();
    expect((await f.handoff.take(id, agentBen)).agentName).toBe('Ben');
  });

  it('when the customer cancels, then the open case is cancelled and the bot is back', async () => {
    await openCase(f, 'conv-1');
    expect(await f.handoff.cancelByCustomer('conv-1')).toBe(true);
    expect(await f.handoff.cancelByCustomer('conv-1')).toBe(false);
    expect(await f.handoff.activeCase('conv-1')).toBeNull();
    expect((await f.handoff.list({ status: 'cancelled' })).map((c) => c.conversationId)).toEqual(['conv-1']);
  });

  it('when a case is closed, then the same conversation can open a new case', async () => {
    const first = await openCase(f, 'conv-1');
    await f.handoff.cancelByCustomer('conv-1');
    const second = await openCase(f, 'conv-1');
    expect(second).not.toBe(first);
  });

  const illegal: Array<[string, CaseStatus, (id: string) => Promise<unknown>, number]> = [
    ['take an assigned case', 'assigned', (id) => f.handoff.take(id, agentBen), 409],
    ['take a resolved case', 'resolved', (id) => f.handoff.take(id, agentBen), 409],
    ['take a cancelled case', 'cancelled', (id) => f.handoff.take(id, agentBen), 409],
    ['take an expired ticket', 'expired', (id) => f.handoff.take(id, agentBen), 409],
    ['take an abandoned case', 'abandoned', (id) => f.handoff.take(id, agentBen), 409],
    ['resolve a queued case', 'queued', (id) => f.handoff.resolve(id, admin), 409],
    ['resolve a resolved case', 'resolved', (id) => f.handoff.resolve(id, agentAnna), 409],
    ['resolve a cancelled case', 'cancelled', (id) => f.handoff.resolve(id, admin), 409],
    ['resolve an expired ticket', 'expired', (id) => f.handoff.resolve(id, admin), 409],
    ['release a queued case', 'queued', (id) => f.handoff.release(id, admin), 409],
    ['release a resolved case', 'resolved', (id) => f.handoff.release(id, agentAnna), 409],
    ['release an abandoned case', 'abandoned', (id) => f.handoff.release(id, agentAnna), 409],
    ['message a queued case', 'queued', (id) => f.handoff.agentMessage(id, agentAnna, 'hi'), 409],
    ['message a resolved case', 'resolved', (id) => f.handoff.agentMessage(id, agentAnna, 'hi'), 409],
    ['resolve another agent’s case', 'assigned', (id) => f.handoff.resolve(id, agentBen), 403],
    ['release another agent’s case', 'assigned', (id) => f.handoff.release(id, agentBen), 403],
    ['message another agent’s case', 'assigned', (id) => f.handoff.agentMessage(id, agentBen, 'hi'), 403],
  ];

  it.each(illegal)(
    'when someone tries to %s, then it is refused',
    async (_name, status, action, expected) => {
      const id = await caseIn(status);
      const before = await f.handoff.get(id);
      expect(await outcome(() => action(id))).toBe(expected);
      expect((await f.handoff.get(id)).status).toBe(before.status);
    },
  );

  it('when an admin acts on an agent’s case, then it is allowed', async () => {
    const id = await caseIn('assigned');
    await f.handoff.agentMessage(id, admin, 'A supervisor here.');
    expect((await f.handoff.resolve(id, admin)).status).toBe('resolved');
  });

  it('when a case id is unknown, then every action answers 404', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const action of [
      () => f.handoff.get(unknown),
      () => f.handoff.take(unknown, agentAnna),
      () => f.handoff.resolve(unknown, agentAnna),
      () => f.handoff.release(unknown, agentAnna),
      () => f.handoff.agentMessage(unknown, agentAnna, 'hi'),
    ]) {
      expect(await outcome(action)).toBe(404);
    }
  });

  it('when 20 agents take one case at the same time, then exactly one succeeds and the others get 409', async () => {
    const id = await openCase(f);
    const agents: StaffMember[] = Array.from({ length: 20 }, (_, i) => ({
      id: `agent-${i}`,
      name: `Agent ${i}`,
    }));
    const results = await Promise.all(agents.map((agent) => outcome(() => f.handoff.take(id, agent))));
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r === 409)).toHaveLength(19);
    const winner = agents[results.indexOf('ok')];
    expect((await f.handoff.get(id)).agentId).toBe(winner?.id);
  });

  it('when one conversation escalates twice at the same time, then only one case is opened', async () => {
    await customerSays(f, 'conv-1', 'help');
    const input = {
      conversationId: 'conv-1',
      customerId: 'c',
      locale: 'en',
      channel: 'webchat',
      reason: 'request' as const,
      summary: 's',
    };
    const [a, b] = await Promise.all([f.handoff.open(input), f.handoff.open(input)]);
    expect(a.caseDoc.id).toBe(b.caseDoc.id);
    expect(await f.handoff.list({})).toHaveLength(1);
  });

  it('when the process restarts, then queued and assigned cases are still there and can be worked on', async () => {
    const taken = await openCase(f, 'conv-1');
    await f.handoff.take(taken, agentAnna);
    const queued = await openCase(f, 'conv-2');
    const restarted = await f.restart();
    expect((await restarted.activeCase('conv-1'))?.status).toBe('assigned');
    await restarted.agentMessage(taken, agentAnna, 'Still here after the restart.');
    expect((await restarted.take(queued, agentBen)).status).toBe('assigned');
  });
});

describe('queue order and expiry', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await handoffFixture({ HANDOFF_QUEUE_TIMEOUT_MINUTES: 10 });
  });
  afterEach(() => f.close());

  it('when cases wait, then angry complaints come first and waiting raises priority over time', async () => {
    const calm = await openCase(f, 'conv-calm');
    f.clock.advance(MINUTE);
    const angry = await openCase(f, 'conv-angry', { reason: 'complaint', anger: 1 });
    expect((await f.handoff.list({ status: 'queued' })).map((c) => c.id)).toEqual([angry, calm]);
    f.clock.advance(8 * MINUTE);
    // request 2 + 9 min waited (1 point per 5 min); complaint 3 + anger 2 + 8 min waited
    expect((await f.handoff.list({ status: 'queued' })).map((c) => [c.id, c.priority])).toEqual([
      [angry, 6],
      [calm, 3],
    ]);
  });

  it('when a low-priority case waits long enough, then it overtakes a newer urgent one', async () => {
    const patient = await f.handoff.open({
      conversationId: 'conv-patient',
      customerId: 'c',
      locale: 'en',
      channel: 'webchat',
      reason: 'no-match',
      summary: 'Question about roaming',
    });
    f.clock.advance(25 * MINUTE);
    const urgent = await openCase(f, 'conv-urgent', { reason: 'complaint', anger: 1 });
    expect((await f.handoff.list({ status: 'queued' })).map((c) => c.id)).toEqual([
      patient.caseDoc.id,
      urgent,
    ]);
  });

  it('when a customer joins the queue, then they learn their position and a wait from recent takes', async () => {
    await openCase(f, 'conv-1');
    const second = await f.handoff.open({
      conversationId: 'conv-2',
      customerId: 'c2',
      locale: 'en',
      channel: 'webchat',
      reason: 'request',
      summary: 'Bill too high',
    });
    expect(second.position).toBe(2);
    expect(second.expectedWaitMinutes).toBe(10); // no recent takes: the default 5 minutes per position
    expect(second.withinHours).toBe(true);
  });

  it('when nobody takes a case within the timeout, then the sweep turns it into a ticket and tells the customer', async () => {
    const events: string[] = [];
    f.handoff.subscribe((e) => events.push(`${e.type}:${e.caseView.conversationId}`));
    const old = await openCase(f, 'conv-old', { locale: 'pl', contact: { email: 'jan@example.pl' } });
    f.clock.advance(6 * MINUTE);
    const young = await openCase(f, 'conv-young');
    f.clock.advance(5 * MINUTE);
    expect(await f.handoff.expireOverdue()).toBe(1);
    expect(await f.handoff.expireOverdue()).toBe(0);
    expect(await f.handoff.get(old)).toMatchObject({ status: 'expired', ticket: true });
    expect((await f.handoff.get(young)).status).toBe('queued');
    expect(await f.handoff.activeCase('conv-old')).toBeNull();
    expect(f.customers.textsTo('conv-old')).toEqual([
      expect.stringMatching(/^Przepraszam, nikt z naszego zespołu.*Konsultant odezwie się najszybciej/),
    ]);
    expect(events).toContain('expired:conv-old');
  });

  it('when nobody takes a case of a customer who left no contact, then nothing is promised: no ticket, no follow-up', async () => {
    const id = await openCase(f, 'conv-anonymous', { locale: 'id' });
    f.clock.advance(11 * MINUTE);
    expect(await f.handoff.expireOverdue()).toBe(1);
    expect(await f.handoff.get(id)).toMatchObject({ status: 'expired', ticket: false });
    expect(f.customers.textsTo('conv-anonymous')).toEqual([
      `${t('id', 'handoff.expiredNoContact')} ${t('id', 'handoff.offerContactNow')}`,
    ]);
    expect(await f.followups.list()).toEqual([]);
  });

  it('when a case was released, then the timeout counts again from the release', async () => {
    const id = await openCase(f);
    f.clock.advance(9 * MINUTE);
    await f.handoff.take(id, agentAnna);
    await f.handoff.release(id, agentAnna);
    f.clock.advance(5 * MINUTE);
    expect(await f.handoff.expireOverdue()).toBe(0);
  });

  it('when staff are closed, then a new case becomes a ticket with the opening time', async () => {
    const closed = await handoffFixture(
      { BUSINESS_HOURS: 'Mon-Fri 08:00-18:00', BUSINESS_TIMEZONE: 'Europe/Oslo' },
      new Date('2025-03-08T12:00:00Z'), // a Saturday
    );
    try {
      await customerSays(closed, 'conv-1', 'router broken', 'nb');
      const result = await closed.handoff.open({
        conversationId: 'conv-1',
        customerId: 'c',
        locale: 'nb',
        channel: 'webchat',
        reason: 'request',
        summary: 'router broken',
      });
      expect(result).toMatchObject({ withinHours: false, position: 0 });
      expect(result.caseDoc).toMatchObject({ status: 'expired', ticket: true });
      expect(await closed.handoff.activeCase('conv-1')).toBeNull();
      expect(closed.handoff.replyExpectation('nb')).toMatch(
        /^En medarbeider tar kontakt når vi åpner igjen: mandag.*08:00/,
      );
    } finally {
      await closed.close();
    }
  });
});
