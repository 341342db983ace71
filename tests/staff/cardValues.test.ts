import { isRecord } from '../../core/guards';
import { EscalationChannelStore } from '../../handoff/escalationChannel';
import { t } from '../../locales';
import { startTestBot, type TestBot } from '../helpers/harness';
import { ANA, mention, teamsActivity, thread } from './teams';

/**
 * What customers control (their Teams display name, an e-mail address they typed) is shown as written on the
 * staff cards in the escalation channel: FactSet values render markdown in Teams, so it is escaped there.
 */
const NAME = '[click](https://evil.example) **x**';
const NAME_SHOWN = '\\[click\\](https://evil.example) \\*\\*x\\*\\*';
const EMAIL = 'jan_kowalski_@example.com';
const EMAIL_SHOWN = 'jan\\_kowalski\\_@example.com';

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot();
  const post = thread('set-channel');
  await bot.post(teamsActivity(bot.connector.url, ANA, post, mention('set escalation channel')));
  await bot.connector.waitFor(() => bot.connector.textsTo(post).length > 0, 'the channel confirmation');
});
afterAll(() => bot.close());

const store = () => new EscalationChannelStore(bot.app.db, bot.clock);

/** Polls until `read` gives a value (the bot remembers a card once Teams has answered the post). */
async function eventually<T>(read: () => Promise<T | null>, what: string): Promise<T> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const value = await read();
    if (value !== null) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

/** The FactSet rows (title → value) of the last card the bot posted for `id` (a case or follow-up id). */
function factsOf(id: string): Map<string, string> {
  const posted = bot.connector.sent.filter((r) => JSON.stringify(r.activity.attachments ?? []).includes(id));
  const facts = new Map<string, string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    if (!isRecord(node)) return;
    if (node.type === 'FactSet' && Array.isArray(node.facts)) {
      for (const fact of node.facts) if (isRecord(fact)) facts.set(String(fact.title), String(fact.value));
    }
    Object.values(node).forEach(visit);
  };
  visit(posted.at(-1)?.activity.attachments);
  return facts;
}

it('when a Teams customer whose display name holds markdown gets a follow-up, then the card shows the name as written', async () => {
  const conversationId = 'a:teams-personal-markdown';
  await bot.send(
    { type: 'message', text: 'hello', from: { id: '29:customer-md', name: NAME } },
    { channelId: 'msteams', conversationId, userId: '29:customer-md' },
  );
  const followup = await bot.app.followups.open({
    conversationId,
    customerId: '29:customer-md',
    channel: 'msteams',
    locale: 'en',
    reason: 'left-message',
    summary: 'please call me back about my bill',
  });
  await eventually(() => store().followupCardOf(followup.id), 'the follow-up card');
  expect(factsOf(followup.id).get(t('en', 'staff.teams'))).toBe(NAME_SHOWN);
});

it('when a customer typed an e-mail address with markdown characters, then the case card shows it as written', async () => {
  const conversationId = 'conv-email-markdown';
  await bot.say('hello', { conversationId, userId: 'customer-email-md' });
  const { caseDoc } = await bot.app.handoff.open({
    conversationId,
    customerId: 'customer-email-md',
    locale: 'en',
    channel: 'webchat',
    reason: 'request',
    summary: 'my bill is twice as high as last month',
    contact: { email: EMAIL },
  });
  await eventually(() => store().cardOf(caseDoc.id), 'the case card');
  expect(factsOf(caseDoc.id).get(t('en', 'staff.email'))).toBe(EMAIL_SHOWN);
});
