import { request } from 'node:http';
import { startTestBot, type TestBot } from '../helpers/harness';

/**
 * The address the web chat's embed script hands out comes from the request's host unless PUBLIC_URL is set; a
 * client's own Host or X-Forwarded-* words must never reach another client (a shared cache, a trusted proxy's
 * header list).
 */
interface Answer {
  url: string;
  cacheControl: string | undefined;
  vary: string | undefined;
}

function embed(bot: TestBot, headers: Record<string, string>): Promise<Answer> {
  const { port } = new URL(bot.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/embed.js', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        const url = /"url":"([^"]+)"/.exec(body)?.[1] ?? '';
        resolve({ url, cacheControl: res.headers['cache-control'], vary: res.headers.vary });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** A bot started with `overrides` for the tests of the describe block it is called in. */
function botWith(overrides: Parameters<typeof startTestBot>[0] = {}): () => TestBot {
  let bot: TestBot | undefined;
  beforeAll(async () => {
    bot = await startTestBot(overrides);
  });
  afterAll(() => bot?.close());
  return () => {
    if (!bot) throw new Error('the bot has not started');
    return bot;
  };
}

describe('the embed script without PUBLIC_URL', () => {
  const bot = botWith();

  it('when a client sends a forged Host, then only that client gets it: the answer is never cached for others', async () => {
    const answer = await embed(bot(), { host: 'evil.example' });
    expect(answer.url).toBe('http://evil.example/?embed=1');
    expect(answer.cacheControl).toBe('private, max-age=300');
    expect(answer.vary).toBe('Host, X-Forwarded-Host, X-Forwarded-Proto');
  });

  it('when no proxy is trusted, then X-Forwarded-Host is ignored', async () => {
    const answer = await embed(bot(), { host: 'bot.contoso.com', 'x-forwarded-host': 'evil.example' });
    expect(answer.url).toBe('http://bot.contoso.com/?embed=1');
  });
});

describe('the embed script behind a trusted proxy', () => {
  const bot = botWith({ TRUST_PROXY: '1' });

  it('when the client wrote its own X-Forwarded-Host before the proxy added the real one, then the real one counts', async () => {
    const answer = await embed(bot(), {
      host: 'internal:3978',
      'x-forwarded-host': 'evil.example, bot.contoso.com',
      'x-forwarded-proto': 'http, https',
    });
    expect(answer.url).toBe('https://bot.contoso.com/?embed=1');
  });
});

describe('the embed script behind proxies listed by address', () => {
  const bot = botWith({ TRUST_PROXY: '10.0.0.0/8' });

  it('when the request does not come from a listed proxy, then its X-Forwarded-Host is ignored', async () => {
    const answer = await embed(bot(), { host: 'bot.contoso.com', 'x-forwarded-host': 'evil.example' });
    expect(answer.url).toBe('http://bot.contoso.com/?embed=1');
  });
});

describe('the embed script with PUBLIC_URL', () => {
  const bot = botWith({ PUBLIC_URL: 'https://chat.contoso.com' });

  it('when any Host is sent, then the public address is handed out and shared caches may keep it', async () => {
    const answer = await embed(bot(), { host: 'evil.example' });
    expect(answer.url).toBe('https://chat.contoso.com/?embed=1');
    expect(answer.cacheControl).toBe('public, max-age=300');
    expect(answer.vary).toBeUndefined();
  });
});
