import type { Activity } from 'botbuilder';
import { CASE_VERBS } from '../../cards/caseCard';
import { EscalationChannelStore } from '../../handoff/escalationChannel';
import { t } from '../../locales';
import { MAX_AGENT_MESSAGE_CHARS } from '../../handoff/service';
import { startTestBot, type TestBot } from '../helpers/harness';
import { ANA, CHANNEL, caseInvoke, mention, teamsActivity, thread, type Person } from './teams';

/**
 * A Polish staff team (STAFF_LOCALE=pl) reads why a thread reply did not reach the customer in Polish, as the staff
 * console words it (`error.<code>` of staff.json), never the English message of the API.
 */
const CUSTOMER = 'refusal-customer';

let bot: TestBot;
let cardId: string;
let caseId: string;
beforeAll(async () => {
  bot = await startTestBot({ STAFF_LOCALE: 'pl' });
  const setup = thread('refusal-setup');
  await bot.post(teams(ANA, setup, mention('set escalation channel')));
  await bot.connector.waitFor(() => bot.connector.textsTo(setup).length > 0, 'the channel confirmation');
  await bot.say('hello', { conversationId: CUSTOMER, locale: 'pl' });
  const { caseDoc } = await bot.app.handoff.open({
    conversationId: CUSTOMER,
    customerId: `${CUSTOMER}-user`,
    locale: 'pl',
    channel: 'webchat',
    reason: 'request',
    summary: 'Paczka nie dotarła',
  });
  expect((await bot.post(teams(ANA, CHANNEL, caseInvoke(CASE_VERBS.take, caseDoc.id)))).status).toBe(200);
  // The customer is told who joined, and the card shows who took it, before a send is made to fail.
  await bot.connector.waitFor(
    () => bot.connector.textsTo(CUSTOMER).some((text) => text.includes(ANA.name)),
    'the customer told who joined',
  );
  caseId = caseDoc.id;
  cardId = (await new EscalationChannelStore(bot.app.db, bot.clock).cardOf(caseId))?.activityId ?? '';
});
afterAll(() => bot.close());

function teams(from: Person, conversationId: string, activity: Partial<Activity>): Partial<Activity> {
  return teamsActivity(bot.connector.url, from, conversationId, activity);
}

it('when a thread reply is longer than the staff console allows, then the team is told so in its language and the customer gets nothing of it', async () => {
  const before = bot.connector.textsTo(CUSTOMER).length;
  const long = `Sprawdzam paczkę. ${'x'.repeat(MAX_AGENT_MESSAGE_CHARS)}`;
  await bot.post(teams(ANA, thread(cardId), mention(long)));
  await bot.connector.waitFor(
    () => bot.connector.textsTo(thread(cardId)).length > 0,
    'the notice in the card thread',
  );
  expect(bot.connector.textsTo(thread(cardId))).toEqual([
    t('pl', 'staff.replyTooLong', { max: MAX_AGENT_MESSAGE_CHARS }),
  ]);
  expect(bot.connector.textsTo(CUSTOMER).slice(before)).toEqual([]);
  const { messages } = await bot.app.handoff.get(caseId);
  expect(messages.filter((m) => m.from === 'agent')).toEqual([]);
});

it('when a thread reply is exactly as long as the staff console allows, then it reaches the customer whole', async () => {
  const full = `Sprawdzam. ${'y'.repeat(MAX_AGENT_MESSAGE_CHARS - 'Sprawdzam. '.length)}`;
  await bot.post(teams(ANA, thread(cardId), mention(full)));
  await bot.connector.waitFor(
    () => bot.connector.textsTo(CUSTOMER).includes(full),
    'the reply delivered to the customer',
  );
});

it('when a thread reply cannot reach the customer, then the team is told so in its language', async () => {
  // The customer's conversation refuses for good (the bot was removed): the case is abandoned.
  bot.connector.failNext(403);
  const before = bot.connector.textsTo(thread(cardId)).length;
  await bot.post(teams(ANA, thread(cardId), mention('Sprawdzam paczkę.')));
  await bot.connector.waitFor(
    () => bot.connector.textsTo(thread(cardId)).length > before,
    'the notice in the card thread',
  );
  expect(bot.connector.textsTo(thread(cardId)).slice(before)).toEqual([
    t('pl', 'staff.error.customer_unreachable'),
  ]);
});
