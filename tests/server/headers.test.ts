import type { AddressInfo } from 'node:net';
import { createLogger } from '../../core/logger';
import { createHttpServer } from '../../server/http';
import { ADMIN_TOKEN, startTestBot, type TestBot } from '../helpers/harness';

/** What browsers and caches are told about the pages and the signed-in APIs. */
describe('response headers', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(() => bot.close());

  it('when a signed-in API answers, then no cache may keep the answer', async () => {
    const issued = await bot.api('/api/admin/tokens', {
      method: 'POST',
      body: JSON.stringify({ name: 'Cache check', role: 'agent' }),
    });
    expect(issued.status).toBe(201);
    const { token } = (await issued.json()) as { token: string };
    const answers = [
      issued,
      await bot.api('/api/admin/tokens'),
      await bot.api('/api/admin/customers/someone/export'),
      await fetch(`${bot.url}/api/agent/me`, { headers: { authorization: `Bearer ${token}` } }),
      await fetch(`${bot.url}/api/agent/cases`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }),
    ];
    for (const answer of answers) expect(answer.headers.get('cache-control')).toBe('no-store');
  });

  it.each(['/admin', '/agent', '/'])(
    'when %s is opened, then it may use no device and keeps no opener',
    async (path) => {
      const page = await fetch(`${bot.url}${path}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('permissions-policy')).toBe(
        'camera=(), microphone=(), geolocation=(), payment=()',
      );
      expect(page.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    },
  );

  it('when the server is reached over HTTPS in production, then browsers are told to keep to HTTPS; otherwise not', async () => {
    expect((await fetch(`${bot.url}/healthz`)).headers.get('strict-transport-security')).toBeNull();
    const server = createHttpServer({
      name: 'hsts',
      maxBodyBytes: 1000,
      log: createLogger('silent'),
      hsts: true,
    });
    server.get('/ping', (_req, res, next) => {
      res.send(200, 'pong');
      next();
    });
    await new Promise<void>((resolve) => {
      server.listen(0, '127.0.0.1', resolve);
    });
    try {
      const { port } = server.server.address() as AddressInfo;
      const answer = await fetch(`http://127.0.0.1:${port}/ping`);
      expect(answer.headers.get('strict-transport-security')).toBe('max-age=31536000');
    } finally {
      server.close();
    }
  });
});
