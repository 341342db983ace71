import type { CaseEvent } from '../../handoff/types';
import { queuedCase, startTestBot, type TestBot } from '../helpers/harness';
import { EventStream } from './sse';

type WireEvent = Omit<CaseEvent, 'caseView'> & { caseView: { id: string; status: string; summary: string } };

describe('staff event stream and console files', () => {
  let bot: TestBot;
  let agentToken: string;
  const streams: EventStream[] = [];

  beforeAll(async () => {
    bot = await startTestBot();
    agentToken = (await bot.app.auth.issue('Ana', 'agent', 'test')).token;
  });
  afterEach(() => {
    for (const stream of streams.splice(0)) stream.close();
  });
  afterAll(() => bot.close());

  const open = async (query = '', headers: Record<string, string> = {}) => {
    const stream = await EventStream.open(`${bot.url}/api/agent/events${query}`, headers);
    streams.push(stream);
    return stream;
  };
  const openCase = (conversationId: string, summary: string) => queuedCase(bot, conversationId, summary);

  it('when an agent listens with ?token= and a case is opened, then a created event arrives', async () => {
    const stream = await open(`?token=${encodeURIComponent(agentToken)}`);
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.response.headers.get('cache-control')).toContain('no-cache');

    const { caseDoc } = await openCase('sse-1', 'My parcel never arrived');
    const event = await stream.next<WireEvent>((e) => e.caseView.id === caseDoc.id);
    expect(event).toMatchObject({
      type: 'created',
      caseView: { status: 'queued', summary: 'My parcel never arrived' },
    });
  });

  it('when an admin listens with the Authorization header, then case changes arrive in order', async () => {
    const stream = await open('', { authorization: `Bearer ${agentToken}` });
    const { caseDoc } = await openCase('sse-2', 'Wrong size');
    await bot.app.handoff.take(caseDoc.id, { id: 'ana', name: 'Ana' });
    const mine = (e: WireEvent) => e.caseView.id === caseDoc.id;
    expect((await stream.next(mine)).type).toBe('created');
    expect(await stream.next(mine)).toMatchObject({ type: 'assigned', caseView: { status: 'assigned' } });
  });

  it.each([
    ['no token', ''],
    ['an unknown query token', '?token=not-a-token'],
  ])('when the stream is asked for with %s, then it answers 401 as JSON', async (_name, query) => {
    const response = await fetch(`${bot.url}/api/agent/events${query}`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'unauthorized' });
  });

  it('when a revoked token is used, then it answers 401', async () => {
    const { id, token } = await bot.app.auth.issue('Old', 'agent', 'test');
    await bot.app.auth.revoke(id);
    const response = await fetch(`${bot.url}/api/agent/events`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(401);
  });

  it('when the console is requested, then it is served with a strict CSP and nosniff', async () => {
    const page = await fetch(`${bot.url}/agent`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await page.text();
    expect(html).toContain('/agent/agent.js');
    expect(html).not.toMatch(/<script>(?!<\/script>)/);

    const script = await fetch(`${bot.url}/agent/agent.js`);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await fetch(`${bot.url}/agent/agent.css`)).headers.get('content-type')).toMatch(/^text\/css/);
  });

  it.each(['/agent/other.js', '/agent/..%2Fconfig.ts', '/agent/%2E%2E%2Fpackage.json'])(
    'when %s is requested, then it is not found',
    async (path) => {
      const response = await fetch(`${bot.url}${path}`);
      expect(response.status).toBe(404);
    },
  );

  it('when the console asks for its texts, then they come in the first supported language, else English', async () => {
    const response = await fetch(`${bot.url}/api/agent/messages?languages=${encodeURIComponent('fr-FR,de')}`);
    expect(response.status).toBe(200);
    const { locale, messages } = (await response.json()) as {
      locale: string;
      messages: Record<string, string>;
    };
    expect(locale).toBe('en');
    expect(messages.signIn).toBe('Sign in');
    const norwegian = await fetch(
      `${bot.url}/api/agent/messages?languages=${encodeURIComponent('fr,no-NO')}`,
    );
    await expect(norwegian.json()).resolves.toMatchObject({ locale: 'nb', messages: { signIn: 'Logg inn' } });
  });
});
