import { followStream as follow, startDirectLineServer, type DirectLineServer } from './directLineServer';

interface Grant {
  conversationId: string;
  token: string;
  streamUrl?: string;
}

let dl: DirectLineServer;
beforeAll(async () => {
  dl = await startDirectLineServer();
});
afterAll(() => dl.close());

async function post(
  path: string,
  token?: string,
  body: unknown = {},
): Promise<{ status: number; grant: Grant }> {
  const response = await fetch(`${dl.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, grant: (text ? JSON.parse(text) : {}) as Grant };
}

const refresh = (token: string) => post('/v3/directline/tokens/refresh', token);
const say = (grant: Grant, token: string, text: string) =>
  post(`/v3/directline/conversations/${grant.conversationId}/activities`, token, { type: 'message', text });
const poll = (grant: Grant, token: string) =>
  fetch(`${dl.url}/v3/directline/conversations/${grant.conversationId}/activities`, {
    headers: { authorization: `Bearer ${token}` },
  }).then((response) => response.status);

describe('refreshing a Direct Line token', () => {
  it('when a token is refreshed, then the old one is refused and the new one works', async () => {
    const { grant: generated } = await post('/v3/directline/tokens/generate');
    const { grant } = await post('/v3/directline/conversations', generated.token);
    const { status, grant: next } = await refresh(grant.token);
    expect(status).toBe(200);
    expect(await poll(grant, grant.token)).toBe(403);
    expect((await refresh(grant.token)).status).toBe(403);
    expect(await poll(grant, next.token)).toBe(200);
  });

  it('when the token a stream was opened with is refreshed, then the stream closes', async () => {
    // Started without a token: the stream belongs to the token granted with it.
    const { grant } = await post('/v3/directline/conversations');
    const stream = follow(grant.streamUrl ?? '');
    expect(await stream.opened).toBe(101);
    const { grant: next } = await refresh(grant.token);
    await stream.closed;
    // A stream URL obtained with the old token cannot be opened any more either.
    const reconnect = await fetch(`${dl.url}/v3/directline/conversations/${grant.conversationId}`, {
      headers: { authorization: `Bearer ${next.token}` },
    });
    const { streamUrl } = (await reconnect.json()) as Grant;
    const renewed = follow(streamUrl ?? '');
    expect(await renewed.opened).toBe(101);
    expect((await say(grant, next.token, 'still here')).status).toBe(200);
    await renewed.received('echo: still here');
    renewed.ws.close();
  });

  it('when a stream URL was issued for a token that is refreshed before it is opened, then it is refused', async () => {
    const { grant } = await post('/v3/directline/conversations');
    const reconnect = await fetch(`${dl.url}/v3/directline/conversations/${grant.conversationId}`, {
      headers: { authorization: `Bearer ${grant.token}` },
    });
    const { streamUrl } = (await reconnect.json()) as Grant;
    await refresh(grant.token);
    expect(await follow(streamUrl ?? '').opened).toBe(403);
  });

  it("when Web Chat refreshes the conversation's token, then its stream (opened with the generated token) stays", async () => {
    const { grant: generated } = await post('/v3/directline/tokens/generate');
    const { grant } = await post('/v3/directline/conversations', generated.token);
    const stream = follow(grant.streamUrl ?? '');
    expect(await stream.opened).toBe(101);
    const { grant: next } = await refresh(grant.token);
    expect((await say(grant, next.token, 'after refresh')).status).toBe(200);
    await stream.received('echo: after refresh');
    stream.ws.close();
  });
});
