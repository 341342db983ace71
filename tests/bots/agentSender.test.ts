import { t } from '../../locales';
import { startTestBot, type TestBot } from '../helpers/harness';

/**
 * An agent's message reaches the customer as the agent's, not the bot's (real app, CloudAdapter, the Bot Connector
 * stand-in): in Web Chat the message names them in its channelData (the page shows their name and initials), in
 * Teams (where a bot cannot post as someone else) their name is the message's bold first line. The case and the
 * stored transcript keep the text as written.
 */

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot();
});
afterAll(() => bot.close());

/** A case of a customer on `channelId` in `locale`, taken by the member of staff `token` names. */
async function takenCase(
  conversationId: string,
  channelId: string,
  locale: string,
  token?: string,
): Promise<string> {
  await bot.say('hello', { conversationId, channelId, locale });
  const { caseDoc } = await bot.app.handoff.open({
    conversationId,
    customerId: `${conversationId}-user`,
    locale,
    channel: channelId,
    reason: 'request',
    summary: 'My router keeps restarting',
  });
  const taken = await bot.api(`/api/agent/cases/${caseDoc.id}/take`, { method: 'POST', token });
  expect(taken.status).toBe(200);
  return caseDoc.id;
}

async function agentSays(caseId: string, text: string, token?: string): Promise<void> {
  const response = await bot.api(`/api/agent/cases/${caseId}/messages`, {
    method: 'POST',
    body: JSON.stringify({ text }),
    token,
  });
  expect(response.status).toBe(201);
}

const agentToken = async (name: string): Promise<string> =>
  (await bot.app.auth.issue(name, 'agent', 'test')).token;

/** The last activity the bot sent into a conversation. */
const lastSent = (conversationId: string) =>
  bot.connector.sent.filter((r) => r.conversationId === conversationId).at(-1)?.activity;

describe('an agent’s message as the customer sees it', () => {
  it('when an agent writes to a Teams customer, then the message opens with the agent’s name in bold', async () => {
    const token = await agentToken('Anna Kowalska');
    const caseId = await takenCase('sender-teams', 'msteams', 'pl', token);
    await agentSays(caseId, 'Sprawdzam Twoje łącze.\n\nChwileczkę.', token);

    expect(lastSent('sender-teams')).toMatchObject({
      text: '**Anna Kowalska**\n\nSprawdzam Twoje łącze.\n\nChwileczkę.',
      textFormat: 'markdown',
    });
    // What the case and the transcript keep is what the agent wrote.
    const detail = await bot.app.handoff.get(caseId);
    expect(detail.messages.at(-1)?.text).toBe('Sprawdzam Twoje łącze.\n\nChwileczkę.');
    const transcript = (await bot.app.conversations.get('sender-teams'))?.recent ?? [];
    expect(transcript.at(-1)).toMatchObject({ from: 'agent', text: 'Sprawdzam Twoje łącze.\n\nChwileczkę.' });
  });

  it('when the agent’s name holds markdown or HTML, then Teams shows it as written', async () => {
    const token = await agentToken('Jo <b>*Star*</b> [x](https://evil.example)');
    const caseId = await takenCase('sender-markup', 'msteams', 'en', token);
    await agentSays(caseId, 'Hello!', token);

    expect(lastSent('sender-markup')?.text).toBe(
      '**Jo \\<b\\>\\*Star\\*\\</b\\> \\[x\\](https://evil.example)**\n\nHello!',
    );
  });

  it('when an agent writes to a Web Chat customer, then the text is as written and channelData names the agent', async () => {
    const token = await agentToken('Ben Okafor');
    const caseId = await takenCase('sender-webchat', 'webchat', 'en', token);
    await agentSays(caseId, 'Your router is **fixed**. See [the guide](https://example.com/router).', token);

    expect(lastSent('sender-webchat')).toMatchObject({
      text: 'Your router is **fixed**. See [the guide](https://example.com/router).',
      channelData: {
        sender: { name: 'Ben Okafor' },
        // What screen readers hear: the name, then the words without markdown.
        'webchat:fallback-text':
          'Ben Okafor: Your router is fixed. See the guide (https://example.com/router).',
      },
    });
  });

  it('when a member of staff without a personal name (the admin token) writes, then the customer sees the support team named in their language', async () => {
    const caseId = await takenCase('sender-admin', 'msteams', 'nb');
    await agentSays(caseId, 'Vi ser på saken.');

    expect(lastSent('sender-admin')?.text).toBe(`**${t('nb', 'staff.supportSender')}**\n\nVi ser på saken.`);
  });

  it('when the bot itself tells the customer of the case (the join notice), then nobody else is named', async () => {
    const token = await agentToken('Anna Kowalska');
    await takenCase('sender-notice', 'webchat', 'en', token);
    const notice = lastSent('sender-notice');
    expect(notice?.text).toBe(t('en', 'handoff.agentJoined', { agentName: 'Anna Kowalska' }));
    expect(notice?.channelData).toBeUndefined();
  });
});
