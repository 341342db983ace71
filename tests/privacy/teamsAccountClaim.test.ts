import { t } from '../../locales';
import { startTestBot, texts, type TestBot } from '../helpers/harness';

/**
 * Only Teams vouches for a sender's AAD object id: on every other channel `from.aadObjectId` is whatever the
 * client wrote, so it never makes the sender a Teams customer.
 */
let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot();
});
afterAll(() => bot.close());

const TEAMS_CUSTOMER = '5f0c3a1e-8d2b-4c7a-9e61-2b4d8f0a7c13';

it("when a web chat message names a Teams customer's AAD object id, then it is not that customer and cannot erase their data", async () => {
  const teams = {
    conversationId: 'a:teams-personal-1',
    channelId: 'msteams',
  };
  const teamsFrom = { from: { id: '29:teams-user', name: 'Tia', aadObjectId: TEAMS_CUSTOMER } };
  await bot.send({ type: 'message', text: 'how do I pay my bill?', ...teamsFrom }, teams);
  expect((await bot.app.conversations.get(teams.conversationId))?.customerId).toBe(TEAMS_CUSTOMER);

  const web = { conversationId: 'web-claims-teams-account', channelId: 'webchat' };
  const webFrom = { from: { id: 'dl_web-user', name: 'Mallory', aadObjectId: TEAMS_CUSTOMER } };
  await bot.send({ type: 'message', text: 'delete my data', ...webFrom }, web);
  expect((await bot.app.conversations.get(web.conversationId))?.customerId).toBe('dl_web-user');
  expect(texts(await bot.send({ type: 'message', text: 'yes', ...webFrom }, web))).toContain(
    t('en', 'privacy.erased'),
  );
  expect((await bot.app.conversations.get(teams.conversationId))?.customerId).toBe(TEAMS_CUSTOMER);
});
