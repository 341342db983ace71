import { loadConfig } from '../../config';
import { clientAddress, parseProxyTrust, rateLimitKey } from '../../core/clientAddress';
import { startTestBot, type TestBot } from '../helpers/harness';

describe('TRUST_PROXY and the client address', () => {
  it.each([
    // [TRUST_PROXY, socket peer, X-Forwarded-For, client]
    ['', '10.0.0.5', '203.0.113.7', '10.0.0.5'],
    ['', '::ffff:10.0.0.5', undefined, '10.0.0.5'],
    ['1', '10.0.0.5', '203.0.113.7', '203.0.113.7'],
    ['1', '10.0.0.5', '6.6.6.6, 203.0.113.7', '203.0.113.7'],
    ['2', '10.0.0.5', '6.6.6.6, 203.0.113.7, 10.0.0.9', '203.0.113.7'],
    ['2', '10.0.0.5', '203.0.113.7', '203.0.113.7'],
    ['1', '10.0.0.5', undefined, '10.0.0.5'],
    ['10.0.0.0/8', '10.0.0.5', '6.6.6.6, 203.0.113.7, 10.1.2.3', '203.0.113.7'],
    ['10.0.0.0/8', '192.0.2.1', '203.0.113.7', '192.0.2.1'],
    ['10.0.0.0/8', '::ffff:10.0.0.5', '203.0.113.7', '203.0.113.7'],
    ['10.0.0.0/8', '10.0.0.5', '10.0.0.7, 10.0.0.6', '10.0.0.7'],
    ['fd00::/8, 10.0.0.1', 'fd00::1', '2001:db8::42, 10.0.0.1', '2001:db8::42'],
    ['fd00::/8', 'fd12::1', '6.6.6.6, 2001:db8::42', '2001:db8::42'],
    ['192.0.2.10', '192.0.2.10', 'not-an-address', 'not-an-address'],
    // Azure Application Gateway writes the client's port after its address.
    ['1', '10.0.0.5', '203.0.113.7:51234', '203.0.113.7'],
    ['1', '10.0.0.5', '[2001:db8::42]:51234', '2001:db8::42'],
    ['1', '10.0.0.5', '[::ffff:203.0.113.7]:443', '203.0.113.7'],
    ['10.0.0.0/8', '10.0.0.5', '6.6.6.6, 203.0.113.7:51234, 10.0.0.6:8080', '203.0.113.7'],
  ])('TRUST_PROXY=%p, peer %s, X-Forwarded-For %p: the client is %s', (trust, peer, forwarded, client) => {
    expect(clientAddress(peer, forwarded, parseProxyTrust(trust))).toBe(client);
  });

  it.each(['abc', '10.0.0.0/33', 'fd00::/129', '10.0.0.0/8/1', '10.0.0.0/x', '99'])(
    'when TRUST_PROXY is %p, then the config names it',
    (value) => {
      expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
    },
  );

  it('when TRUST_PROXY is unset, then nobody is trusted', () => {
    expect(loadConfig({}).TRUST_PROXY).toEqual({ kind: 'none' });
  });
});

describe('who a rate limit counts', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['2001:db8:0:1::42', '2001:db8:0:1::/64'],
    ['2001:db8:0:1:aaaa:bbbb:cccc:dddd', '2001:db8:0:1::/64'],
    ['2001:0DB8:0000:0001:0:0:0:1', '2001:db8:0:1::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['64:ff9b::198.51.100.7', '64:ff9b:0:0::/64'],
    ['unknown', 'unknown'],
  ])('%s counts as %s', (address, key) => {
    expect(rateLimitKey(address)).toBe(key);
  });
});

describe('rate limits behind a trusted proxy', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot({ TRUST_PROXY: '127.0.0.1' });
  });
  afterAll(() => bot.close());

  const start = (forwardedFor: string): Promise<number> =>
    fetch(`${bot.url}/v3/directline/conversations`, {
      method: 'POST',
      headers: { 'x-forwarded-for': forwardedFor },
    }).then((response) => response.status);

  it('when one client uses up its new chats, then another client behind the same proxy still starts one', async () => {
    const first: number[] = [];
    // A spoofed left-most entry does not make the same client someone else.
    for (let i = 0; i < 30; i++) first.push(await start(`198.51.100.${i}, 203.0.113.1`));
    expect(first.every((status) => status === 201)).toBe(true);
    expect(await start('203.0.113.1')).toBe(429);
    expect(await start('203.0.113.2')).toBe(201);
  });

  it('when an IPv6 client takes a new address of its /64 for every chat, then it is one client', async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= 31; i++) statuses.push(await start(`2001:db8:7:7::${i.toString(16)}`));
    expect(statuses.slice(0, 30).every((status) => status === 201)).toBe(true);
    expect(statuses[30]).toBe(429);
    expect(await start('2001:db8:7:8::1')).toBe(201);
  });
});

describe('rate limits without TRUST_PROXY', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(() => bot.close());

  it('when a client writes X-Forwarded-For itself, then it is still limited by its own address', async () => {
    for (let i = 0; i < 30; i++) {
      await fetch(`${bot.url}/v3/directline/conversations`, { method: 'POST' });
    }
    const spoofed = await fetch(`${bot.url}/v3/directline/conversations`, {
      method: 'POST',
      headers: { 'x-forwarded-for': '203.0.113.99' },
    });
    expect(spoofed.status).toBe(429);
  });
});
