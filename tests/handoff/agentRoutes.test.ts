import restify from 'restify';
import { StaffAuth } from '../../server/auth';
import { registerAgentRoutes } from '../../server/agentRoutes';
import { installErrorShape } from '../../server/http';
import { handoffFixture, openCase, quietLog, type Fixture } from './setup';

const ADMIN = 'route-test-admin-token-0123456789';

describe('staff API /api/agent/cases', () => {
  let f: Fixture;
  let server: restify.Server;
  let base: string;
  let anna: string;
  let ben: string;

  beforeEach(async () => {
    f = await handoffFixture();
    const auth = new StaffAuth(f.db, f.clock, ADMIN);
    server = restify.createServer({ handleUncaughtExceptions: false });
    installErrorShape(server);
    server.use(restify.plugins.queryParser({ mapParams: false }));
    server.use(restify.plugins.bodyParser({ mapParams: false }));
    registerAgentRoutes(server, { auth, handoff: f.handoff, followups: f.followups, log: quietLog });
    await new Promise<void>((resolve) => {
      server.listen(0, '127.0.0.1', resolve);
    });
    base = `http://127.0.0.1:${server.address().port}`;
    anna = (await auth.issue('Anna', 'agent', 'admin')).token;
    ben = (await auth.issue('Ben', 'agent', 'admin')).token;
  });
  afterEach(async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
    });
    await f.close();
  });

  function call(path: string, token: string | null, init: { method?: string; body?: unknown } = {}) {
    return fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        'content-type': 'application/json',
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      },
      ...(init.body === undefined
        ? {}
        : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
    });
  }
  const post = (path: string, token: string, body?: unknown) =>
    call(path, token, { method: 'POST', ...(body === undefined ? {} : { body }) });

  it('when an agent works a case end to end, then every step answers with the case', async () => {
    const id = await openCase(f, 'conv-1');
    const queue = await call('/api/agent/cases?status=queued', anna);
    expect(queue.status).toBe(200);
    const rows = (await queue.json()) as Array<Record<string, unknown>>;
    expect(rows).toEqual([
      expect.objectContaining({
        id,
        status: 'queued',
        conversationId: 'conv-1',
        locale: 'en',
        summary: 'Internet down since Monday',
        priority: 2,
        createdAt: '2025-03-04T10:00:00.000Z',
      }),
    ]);

    const taken = await post(`/api/agent/cases/${id}/take`, anna);
    expect(taken.status).toBe(200);
    expect(await taken.json()).toMatchObject({ status: 'assigned', agentName: 'Anna' });

    const sent = await post(`/api/agent/cases/${id}/messages`, anna, { text: 'Hello, <b>Anna</b> here.' });
    expect(sent.status).toBe(201);
    expect(await sent.json()).toMatchObject({ text: 'Hello, Anna here.', from: 'agent' });

    const detail = await call(`/api/agent/cases/${id}`, anna);
    expect(await detail.json()).toMatchObject({
      id,
      transcript: [
        expect.objectContaining({ from: 'customer', text: 'my internet has been down since Monday' }),
      ],
      messages: [expect.objectContaining({ text: 'Hello, Anna here.' })],
    });

    const released = await post(`/api/agent/cases/${id}/release`, anna);
    expect(await released.json()).toMatchObject({ status: 'queued' });
    await post(`/api/agent/cases/${id}/take`, ben);
    const resolved = await post(`/api/agent/cases/${id}/resolve`, ben, {});
    expect(resolved.status).toBe(200);
    expect(await resolved.json()).toMatchObject({ status: 'resolved', agentName: 'Ben' });
  });

  it('when a second agent takes the same case, then they get 409 with a JSON error', async () => {
    const id = await openCase(f);
    expect((await post(`/api/agent/cases/${id}/take`, anna)).status).toBe(200);
    const second = await post(`/api/agent/cases/${id}/take`, ben);
    expect(second.status).toBe(409);
    expect(await second.json()).toEqual({
      error: 'conflict',
      message: 'This case was already taken by Anna.',
    });
  });

  it('when 20 agents take one case over HTTP at once, then exactly one gets 200', async () => {
    const id = await openCase(f);
    const statuses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post(`/api/agent/cases/${id}/take`, i % 2 ? anna : ben)),
    ).then((responses) => responses.map((r) => r.status));
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
  });

  it('when there is no valid token, then 401', async () => {
    for (const token of [null, 'wrong-token']) {
      const response = await call('/api/agent/cases', token);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: 'unauthorized' });
    }
  });

  it('when an agent acts on a colleague’s case, then 403; an admin may', async () => {
    const id = await openCase(f);
    await post(`/api/agent/cases/${id}/take`, anna);
    expect((await post(`/api/agent/cases/${id}/messages`, ben, { text: 'hi' })).status).toBe(403);
    expect((await post(`/api/agent/cases/${id}/resolve`, ben)).status).toBe(403);
    expect((await post(`/api/agent/cases/${id}/release`, ben)).status).toBe(403);
    expect((await post(`/api/agent/cases/${id}/messages`, ADMIN, { text: 'Supervisor here.' })).status).toBe(
      201,
    );
  });

  it.each([
    ['GET', '/api/agent/cases/not-a-case'],
    ['GET', '/api/agent/cases/00000000-0000-4000-8000-000000000000'],
    ['POST', '/api/agent/cases/00000000-0000-4000-8000-000000000000/take'],
    ['POST', '/api/agent/cases/%7B%22%24gt%22%3A%22%22%7D/take'],
  ])('when %s %s names no case, then 404', async (method, path) => {
    const response = await call(path, anna, { method });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: 'not_found' });
  });

  it.each([
    ['an operator as the message text', 'messages', { text: { $gt: '' } }],
    ['an operator next to the text', 'messages', { text: 'hi', $where: 'x' }],
    ['an empty message', 'messages', { text: '   ' }],
    ['a message over 4000 characters', 'messages', { text: 'x'.repeat(4001) }],
    ['no message at all', 'messages', {}],
    ['an operator in the take body', 'take', { $gt: '' }],
  ])('when a request carries %s, then 400', async (_name, action, body) => {
    const id = await openCase(f);
    await post(`/api/agent/cases/${id}/take`, anna);
    const response = await post(`/api/agent/cases/${id}/${action}`, anna, body);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'bad_request' });
  });

  it.each([['status[$gt]='], ['status=%7B%22%24gt%22%3A%22%22%7D'], ['status=open'], ['sort=priority']])(
    'when the list query is %s, then 400',
    async (query) => {
      expect((await call(`/api/agent/cases?${query}`, anna)).status).toBe(400);
    },
  );

  it('when the customer is gone, then the agent gets 410 and the case is abandoned', async () => {
    const id = await openCase(f);
    await post(`/api/agent/cases/${id}/take`, anna);
    f.customers.unreachable.add('conv-1');
    const response = await post(`/api/agent/cases/${id}/messages`, anna, { text: 'Hello?' });
    expect(response.status).toBe(410);
    expect(await response.json()).toMatchObject({ error: 'customer_unreachable' });
    expect(
      (await call(`/api/agent/cases?status=abandoned`, anna).then((r) => r.json())) as unknown[],
    ).toHaveLength(1);
  });
});
