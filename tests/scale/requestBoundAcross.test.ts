import { t } from '../../locales';
import { texts, type BotClient } from '../helpers/harness';
import { untilSaturdayNoon } from '../storage/manualClock';
import { startTwoInstances, type TwoInstances } from './twoInstances';

/**
 * The daily bound of requests for a person per client holds across instances: two apps over one store, a bound
 * of 2, and one web chat customer whose messages out of hours reach one instance, then the other.
 */
jest.setTimeout(60_000);

let two: TwoInstances;
beforeAll(async () => {
  two = await startTwoInstances({
    config: {
      BUSINESS_HOURS: 'Mon-Fri 08:00-18:00',
      BUSINESS_TIMEZONE: 'UTC',
      HANDOFF_REQUESTS_PER_CLIENT_PER_DAY: '2',
    },
  });
  // The shop is closed: each request is a message left for staff.
  two.clock.advance(untilSaturdayNoon(two.clock.now()));
});
afterAll(() => two.close());

let chats = 0;
/** Asks for a person in a new conversation of the same customer on `instance`; the conversation and replies. */
async function askForPerson(instance: BotClient) {
  const customer = { conversationId: `across-${++chats}`, userId: 'user-across' };
  return { customer, replies: texts(await instance.say('human', customer)) };
}

/** Leaves a message for staff in a new conversation of the same customer on `instance`; the last replies. */
async function leaveMessage(instance: BotClient): Promise<string[]> {
  const { customer } = await askForPerson(instance);
  await instance.say('yes', customer);
  await instance.say('my bill is twice as high as last month', customer);
  await instance.say('ola@example.com', customer);
  return texts(await instance.say('yes', customer));
}

it('when a customer has left its bound of messages on one instance and another, then asking for a person a third time on either is refused at once', async () => {
  expect((await leaveMessage(two.a)).join(' ')).toContain(t('en', 'handoff.ticketSaved'));
  expect((await leaveMessage(two.b)).join(' ')).toContain(t('en', 'handoff.ticketSaved'));
  expect((await askForPerson(two.a)).replies).toEqual([t('en', 'handoff.requestLimit')]);
  expect((await askForPerson(two.b)).replies).toEqual([t('en', 'handoff.requestLimit')]);
  const inbox = (await (await two.a.api('/api/agent/followups')).json()) as unknown[];
  expect(inbox).toHaveLength(2);
});
