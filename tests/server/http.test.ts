import { gzipSync } from 'node:zlib';
import { loadConfig, ConfigError } from '../../config';
import { startTestBot, type TestBot } from '../helpers/harness';

describe('the HTTP server', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(() => bot.close());

  it('when asked for liveness and readiness, then both answer 200', async () => {
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${bot.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', store: 'embedded' });
  });

  it.each([
    ['malformed JSON', '{"type": "message", ', 400],
    ['an activity without type', { conversation: { id: 'c' }, text: 'hi' }, 400],
    ['an activity without conversation', { type: 'message', text: 'hi' }, 400],
    ['a JSON array', [1, 2, 3], 400],
  ])(
    'when the body is %s, then it answers %i with a JSON error and no internals',
    async (_name, body, status) => {
      const response = await bot.post(body);
      expect(response.status).toBe(status);
      const json = (await response.json()) as { error: string; message: string };
      expect(typeof json.error).toBe('string');
      expect(json.message).not.toMatch(/at .*\.(js|ts):\d+|Unexpected token|SyntaxError/);
    },
  );

  it('when the body is 3 MB, then it answers 413 and stays healthy', async () => {
    const response = await bot.post({
      type: 'message',
      conversation: { id: 'c' },
      text: 'x'.repeat(3_000_000),
    });
    expect(response.status).toBe(413);
    const body = (await response.json()) as { error: unknown; message: unknown };
    expect([typeof body.error, typeof body.message]).toEqual(['string', 'string']);
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    expect(await bot.say('hello')).not.toHaveLength(0);
  });

  it('when a body comes compressed, then it answers 415 before inflating it past the size limit', async () => {
    // 3 MB of activity in a few kilobytes: restify counts the bytes that arrive against the limit.
    const activity = {
      type: 'message',
      channelId: 'webchat',
      conversation: { id: 'c' },
      from: { id: 'u' },
      recipient: { id: 'bot' },
      text: 'hello',
      channelData: { padding: 'x'.repeat(3_000_000) },
    };
    const response = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify(activity)),
    });
    expect(response.status).toBe(415);
    expect(await response.json()).toEqual({
      error: 'unsupported_media_type',
      message: 'Compressed request bodies are not accepted; send plain JSON.',
    });
    expect(await bot.say('hello')).not.toHaveLength(0);
  });

  it('when a route does not exist, then it answers 404 JSON', async () => {
    const response = await fetch(`${bot.url}/nope`);
    expect(response.status).toBe(404);
    expect(typeof ((await response.json()) as { error: unknown }).error).toBe('string');
  });
});

describe('with Bot Framework credentials configured', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot({
      MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
      MicrosoftAppPassword: 'not-a-real-secret',
    });
  });
  afterAll(() => bot.close());

  it('when an activity comes without a token, then it answers 401', async () => {
    const response = await bot.post({
      type: 'message',
      id: '1',
      channelId: 'msteams',
      serviceUrl: 'http://127.0.0.1:9',
      from: { id: 'u' },
      recipient: { id: 'b' },
      conversation: { id: 'c' },
      text: 'hi',
    });
    expect(response.status).toBe(401);
  });

  it('when an activity comes with a forged token, then it answers 401', async () => {
    const response = await bot.post(
      {
        type: 'message',
        channelId: 'msteams',
        serviceUrl: 'http://127.0.0.1:9',
        conversation: { id: 'c' },
        from: { id: 'u' },
        recipient: { id: 'bot' },
      },
      { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0.' },
    );
    expect(response.status).toBe(401);
  });
});

describe('the configuration', () => {
  it('when production has no Bot Framework credentials, then it refuses to start and says why', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', ADMIN_TOKEN: 'x'.repeat(30) })).toThrow(ConfigError);
    try {
      loadConfig({ NODE_ENV: 'production' });
    } catch (err) {
      expect((err as ConfigError).problems.join('\n')).toMatch(/MicrosoftAppId: required in production/);
      expect((err as ConfigError).problems.join('\n')).toMatch(/ADMIN_TOKEN: required in production/);
    }
  });

  it('when production would keep a generated web chat signing key in the database, then it refuses to start', () => {
    const production = {
      NODE_ENV: 'production',
      MicrosoftAppId: 'app',
      MicrosoftAppPassword: 'password',
      ADMIN_TOKEN: 'k3Y-adm1n-t0ken-zq8wXv2LmN4p',
    };
    expect(() => loadConfig(production)).toThrow(/DIRECT_LINE_SIGNING_KEY: required in production/);
    expect(
      loadConfig({ ...production, DIRECT_LINE_SIGNING_KEY: 'sIgn1ng-k3y-Qw8eRt5yUi2oPa7sDf4gHj' }).NODE_ENV,
    ).toBe('production');
    expect(loadConfig({ ...production, DIRECT_LINE_SECRET: 'azure-direct-line-secret' }).NODE_ENV).toBe(
      'production',
    );
  });

  it.each([
    [
      { MicrosoftAppType: 'SingleTenant', MicrosoftAppId: 'a', MicrosoftAppPassword: 'p' },
      /MicrosoftAppTenantId/,
    ],
    [{ MicrosoftAppId: 'a' }, /MicrosoftAppPassword/],
    [{ PORT: 'eighty' }, /PORT/],
    [{ ADMIN_TOKEN: 'short' }, /ADMIN_TOKEN/],
    [{ ADMIN_TOKEN: 'a'.repeat(24) }, /ADMIN_TOKEN: looks guessable/],
    [{ ADMIN_TOKEN: 'abc123'.repeat(5) }, /ADMIN_TOKEN: looks guessable/],
    [{ DIRECT_LINE_SIGNING_KEY: 'a'.repeat(32) }, /DIRECT_LINE_SIGNING_KEY: looks guessable/],
    // As deployment/azure/main.parameters.example.json writes them.
    [
      { ADMIN_TOKEN: '<at least 24 random characters, e.g. openssl rand -base64 32>' },
      /ADMIN_TOKEN: is still the example placeholder/,
    ],
    [
      {
        DIRECT_LINE_SIGNING_KEY:
          '<at least 32 random characters, e.g. openssl rand -base64 48; may stay empty when directLineSecret is set>',
      },
      /DIRECT_LINE_SIGNING_KEY: is still the example placeholder/,
    ],
    [{ ADMIN_TOKEN: 'k3Y adm1n t0ken zq8wXv2LmN4p' }, /ADMIN_TOKEN: must not contain spaces/],
    [{ ADMIN_TOKEN: 'k3Y-adm1n-t0ken-'.repeat(40) }, /ADMIN_TOKEN: must be at most 512 characters/],
    [{ WEBCHAT_ACCENT_COLOR: 'red' }, /WEBCHAT_ACCENT_COLOR/],
    [{ STAFF_LOCALE: 'pl-PL' }, /STAFF_LOCALE/],
  ])('when %o, then the error names the variable', (env, pattern) => {
    expect(() => loadConfig(env)).toThrow(pattern);
  });

  it('when a variable is empty (as in a copied .env.example), then its default applies', () => {
    const config = loadConfig({ FAQ_ANSWER_THRESHOLD: '', PUBLIC_URL: '', MicrosoftAppId: '' });
    expect(config.PUBLIC_URL).toBeUndefined();
    expect(config.FAQ_ANSWER_THRESHOLD).toBeGreaterThan(0);
    expect(config.MicrosoftAppId).toBeUndefined();
  });

  it('when STAFF_LOCALE is unset, then the staff side speaks DEFAULT_LOCALE', () => {
    expect(loadConfig({ DEFAULT_LOCALE: 'id', STAFF_LOCALE: '' }).STAFF_LOCALE).toBe('id');
    expect(loadConfig({ DEFAULT_LOCALE: 'id', STAFF_LOCALE: 'nb' }).STAFF_LOCALE).toBe('nb');
  });

  it('supports UserAssignedMSI with a tenant and no password', () => {
    const config = loadConfig({
      MicrosoftAppType: 'UserAssignedMSI',
      MicrosoftAppId: 'a',
      MicrosoftAppTenantId: 't',
    });
    expect(config.MicrosoftAppType).toBe('UserAssignedMSI');
  });
});
