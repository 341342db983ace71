import type { CaseEvent } from '../../handoff/types';
import { texts } from '../helpers/harness';
import { EventStream } from '../staff/sse';
import { startTwoInstances, type Instance, type TwoInstances } from './twoInstances';

type WireEvent = Omit<CaseEvent, 'caseView'> & {
  caseView: { id: string; status: string; conversationId: string };
};

interface QueuedCase {
  id: string;
  conversationId: string;
}

describe('staff events across two instances', () => {
  let two: TwoInstances;
  let agentToken: string;
  const streams: EventStream[] = [];

  beforeAll(async () => {
    two = await startTwoInstances();
    agentToken = (await two.a.app.auth.issue('Ana', 'agent', 'test')).token;
  });
  afterEach(() => {
    for (const stream of streams.splice(0)) stream.close();
  });
  afterAll(() => two.close());

  const listen = async (instance: Instance): Promise<EventStream> => {
    const stream = await EventStream.open(`${instance.url}/api/agent/events`, {
      authorization: `Bearer ${agentToken}`,
    });
    expect(stream.response.status).toBe(200);
    streams.push(stream);
    return stream;
  };
  /** The events of the conversation's case on a stream, up to and including the first `last` one. */
  const eventsUntil = async (
    stream: EventStream,
    conversationId: string,
    last: WireEvent['type'],
  ): Promise<WireEvent[]> => {
    const seen: WireEvent[] = [];
    for (;;) {
      const event = await stream.next<WireEvent>((e) => e.caseView.conversationId === conversationId);
      seen.push(event);
      if (event.type === last) return seen;
    }
  };
  const queued = async (instance: Instance, conversationId: string): Promise<QueuedCase | undefined> => {
    const cases = (await (await instance.api('/api/agent/cases?status=queued')).json()) as QueuedCase[];
    return cases.find((c) => c.conversationId === conversationId);
  };

  it('when a customer opens a case through A and writes through A and B in turn, then the consoles of both see the case and every reply once, in order', async () => {
    const onA = await listen(two.a);
    const onB = await listen(two.b);
    const customer = { conversationId: 'two-instances-1', userId: 'two-instances-user' };

    // The customer asks A for a person and answers its questions until the case is queued.
    const replies = texts(await two.a.say('I want to talk to a person', customer));
    for (let turn = 0; turn < 4 && !(await queued(two.a, customer.conversationId)); turn++) {
      const last = replies[replies.length - 1] ?? '';
      // The first question is what it is about (a bare yes describes nothing), then skip the contact, then yes.
      const answer = last.toLowerCase().includes('skip')
        ? 'skip'
        : turn === 0
          ? 'my router keeps restarting'
          : 'yes';
      replies.push(...texts(await two.a.say(answer, customer)));
    }
    const caseId = (await queued(two.a, customer.conversationId))?.id;
    expect(caseId).toBeDefined();

    // While the case waits, the customer's messages land on either instance (a load balancer's choice).
    const written = ['first detail', 'second detail', 'third detail', 'fourth detail', 'fifth detail'];
    for (const [n, text] of written.entries()) await (n % 2 === 0 ? two.a : two.b).say(text, customer);
    // An agent on B takes the case: the end of what each console should have heard.
    const take = await two.b.api(`/api/agent/cases/${caseId}/take`, { method: 'POST', token: agentToken });
    expect(take.status).toBe(200);

    for (const stream of [onA, onB]) {
      const events = await eventsUntil(stream, customer.conversationId, 'assigned');
      expect(events.map((e) => e.type)).toEqual(['created', ...written.map(() => 'message'), 'assigned']);
      expect(events.every((e) => e.caseView.id === caseId)).toBe(true);
      expect(events.flatMap((e) => (e.message ? [e.message.text] : []))).toEqual(written);
    }
  });

  it('when an agent on B writes to a customer whose turns went to A, then both consoles see the message and the customer gets it', async () => {
    const onA = await listen(two.a);
    const onB = await listen(two.b);
    const customer = { conversationId: 'two-instances-2', userId: 'two-instances-user-2' };
    await two.a.say('hello', customer);
    const { caseDoc } = await two.a.app.handoff.open({
      ...customer,
      customerId: customer.userId,
      locale: 'en',
      channel: 'webchat',
      reason: 'request',
      summary: 'Router blinks red',
    });
    const agent = { authorization: `Bearer ${agentToken}` };
    expect(
      (await two.b.api(`/api/agent/cases/${caseDoc.id}/take`, { method: 'POST', headers: agent })).status,
    ).toBe(200);
    const sent = await two.b.api(`/api/agent/cases/${caseDoc.id}/messages`, {
      method: 'POST',
      headers: agent,
      body: JSON.stringify({ text: 'Please restart it once.' }),
    });
    expect(sent.status).toBe(201);
    const resolved = await two.a.api(`/api/agent/cases/${caseDoc.id}/resolve`, {
      method: 'POST',
      headers: agent,
    });
    expect(resolved.status).toBe(200);

    for (const stream of [onA, onB]) {
      const events = await eventsUntil(stream, customer.conversationId, 'resolved');
      expect(events.map((e) => e.type)).toEqual(['created', 'assigned', 'message', 'resolved']);
      expect(events[2]?.message).toMatchObject({ from: 'agent', text: 'Please restart it once.' });
    }
    expect(two.connector.textsTo(customer.conversationId)).toContain('Please restart it once.');
  });
});
