import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startDirectLineServer, type DirectLineServer } from './directLineServer';

const SECRET = 'azure-direct-line-secret-that-must-stay-home';

interface Recorded {
  authorization: string | undefined;
  body: { user?: { id?: string }; trustedOrigins?: string[] };
}

/** A local stand-in for Azure's Direct Line token endpoint. */
class AzureStandIn {
  readonly requests: Recorded[] = [];
  status = 200;
  private readonly server: Server;
  url = '';

  constructor() {
    this.server = createServer((req, res) => {
      void this.record(req).then(() => {
        res.writeHead(this.status, { 'content-type': 'application/json' });
        res.end(
          this.status === 200
            ? JSON.stringify({ conversationId: 'azure-conv-1', token: 'azure-token-1', expires_in: 1800 })
            : JSON.stringify({ error: { code: 'BadArgument', message: `secret ${SECRET} rejected` } }),
        );
      });
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.listen(0, '127.0.0.1', resolve);
    });
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v3/directline`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
    });
  }

  private async record(req: IncomingMessage): Promise<void> {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    this.requests.push({
      authorization: req.headers.authorization,
      body: JSON.parse(text) as Recorded['body'],
    });
  }
}

const tokenRequest = (server: DirectLineServer, origin?: string) =>
  fetch(`${server.url}/api/directline/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(origin ? { origin } : {}) },
    body: '{}',
  });

describe('web chat with Azure Direct Line (DIRECT_LINE_SECRET set)', () => {
  const azure = new AzureStandIn();
  let server: DirectLineServer;

  beforeAll(async () => {
    await azure.start();
    server = await startDirectLineServer({
      webChat: { DIRECT_LINE_SECRET: SECRET, DIRECT_LINE_TRUSTED_ORIGINS: 'https://shop.example.com' },
      azureDirectLineUrl: azure.url,
    });
  });
  afterAll(async () => {
    await server.close();
    await azure.stop();
  });
  beforeEach(() => {
    azure.requests.length = 0;
    azure.status = 200;
  });

  it('when the chat page asks for a token, then the server exchanges the secret for a dl_ user and trusted origins', async () => {
    const response = await tokenRequest(server, server.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      conversationId: 'azure-conv-1',
      token: 'azure-token-1',
      expires_in: 1800,
    });
    expect(text).not.toContain(SECRET);
    expect(azure.requests).toHaveLength(1);
    expect(azure.requests[0]?.authorization).toBe(`Bearer ${SECRET}`);
    expect(azure.requests[0]?.body.user?.id).toMatch(/^dl_[\w-]{16}$/);
    expect(azure.requests[0]?.body.trustedOrigins).toEqual([server.url, 'https://shop.example.com']);
  });

  it('when a trusted site asks, then it gets a token too', async () => {
    expect((await tokenRequest(server, 'https://shop.example.com')).status).toBe(200);
  });

  it('when a page of an untrusted origin or no origin asks, then it is refused and Azure is not called', async () => {
    expect((await tokenRequest(server, 'https://evil.example')).status).toBe(403);
    expect((await tokenRequest(server)).status).toBe(403);
    expect(azure.requests).toHaveLength(0);
  });

  it('when Azure refuses, then the page gets a 503 that reveals nothing of the secret', async () => {
    azure.status = 403;
    const response = await tokenRequest(server, server.url);
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ error: 'unavailable' });
    expect(text).not.toContain(SECRET);
  });

  it('when the page loads, then it is told to use Azure and the CSP allows exactly that Direct Line', async () => {
    const config = (await (await fetch(`${server.url}/webchat/config.json`)).json()) as {
      directLine: { tokenUrl: string; domain: string };
    };
    expect(config.directLine).toEqual({ tokenUrl: '/api/directline/token', domain: azure.url });
    const csp = (await fetch(`${server.url}/`)).headers.get('content-security-policy') ?? '';
    const azureOrigin = new URL(azure.url).origin;
    expect(csp).toContain(
      `connect-src 'self' ${server.url} ${server.url.replace('http:', 'ws:')} ${azureOrigin}`,
    );
    expect(csp).toContain("frame-ancestors 'self' https://shop.example.com");
    expect(JSON.stringify(config)).not.toContain(SECRET);
  });
});

describe('web chat page with the embedded Direct Line', () => {
  let server: DirectLineServer;

  beforeAll(async () => {
    server = await startDirectLineServer({
      webChat: { WEBCHAT_AVATAR_URL: 'https://cdn.example.com/bot.png' },
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('when the page is served, then it carries a strict CSP with a fresh style nonce and no inline script', async () => {
    const first = await fetch(`${server.url}/`);
    const second = await fetch(`${server.url}/`);
    const csp = first.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).toContain("img-src 'self' data: blob: https://cdn.example.com");
    expect(csp).not.toContain('botframework.com');
    expect(csp).not.toMatch(/unsafe-(inline|eval)/);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(second.headers.get('content-security-policy')).not.toContain(nonce);
    const html = await first.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).toContain(`nonce="${nonce}"`);
  });

  it('when Web Chat is requested, then the bundle comes from node_modules with long cache headers', async () => {
    const response = await fetch(`${server.url}/vendor/webchat.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('javascript');
    expect(response.headers.get('cache-control')).toContain('max-age=31536000');
    expect((await response.text()).length).toBeGreaterThan(1_000_000);
  });

  it('when the embed script is requested, then it carries the chat URL and the bot name as data', async () => {
    const script = await (await fetch(`${server.url}/embed.js`)).text();
    expect(script).toContain(
      JSON.stringify({ url: `${server.url}/?embed=1`, title: 'Support', accentColor: '#0a5fd8' }),
    );
  });

  it('when no secret is set, then there is no Azure token exchange', async () => {
    expect((await fetch(`${server.url}/api/directline/token`, { method: 'POST' })).status).toBe(404);
  });
});
