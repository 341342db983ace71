import { FAILED_SIGN_INS_PER_MINUTE } from '../../server/auth';
import { ADMIN_TOKEN, startTestBot, type TestBot } from '../helpers/harness';

/** Guessing staff tokens: an address that keeps presenting wrong ones is slowed down, everywhere staff sign in. */
let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot();
});
afterAll(() => bot.close());

const faq = (token: string) => bot.api('/api/admin/faq', { token });
const events = (token: string) => fetch(`${bot.url}/api/agent/events?token=${encodeURIComponent(token)}`);

it('when an address presents too many wrong tokens, then it gets 429 before any token is checked, until a minute has passed', async () => {
  for (let i = 0; i < FAILED_SIGN_INS_PER_MINUTE; i += 1) expect((await faq(`guess-${i}`)).status).toBe(401);
  // Even the right token is not checked now: the answer says nothing about it.
  const refused = await faq(ADMIN_TOKEN);
  expect(refused.status).toBe(429);
  expect(await refused.json()).toMatchObject({ error: 'too_many_requests' });
  // The live event stream of the staff console counts the same way.
  expect((await events(ADMIN_TOKEN)).status).toBe(429);
  bot.clock.advance(60_000);
  expect((await faq(ADMIN_TOKEN)).status).toBe(200);
});

it('when requests come without a token, then they are no attempts and do not count', async () => {
  bot.clock.advance(60_000);
  for (let i = 0; i <= FAILED_SIGN_INS_PER_MINUTE; i += 1)
    expect((await fetch(`${bot.url}/api/admin/faq`)).status).toBe(401);
  expect((await faq(ADMIN_TOKEN)).status).toBe(200);
});
