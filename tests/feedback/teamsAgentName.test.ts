import type { Activity } from 'botbuilder';
import { CASE_VERBS } from '../../cards/caseCard';
import { startTestBot, type TestBot } from '../helpers/harness';
import { ANA, CHANNEL, caseInvoke, mention, teamsActivity, thread, type Person } from '../staff/teams';

/**
 * A Teams agent has no staff token to name them: the CSAT reports name them as Teams did when they took the case
 * (`from.name`, kept with the case and snapshotted in the survey).
 */
const CUSTOMER = { conversationId: 'customer-conv-name', userId: 'customer-name' };
let bot: TestBot;

beforeAll(async () => {
  bot = await startTestBot();
});
afterAll(() => bot.close());

const teams = (from: Person, conversationId: string, activity: Partial<Activity>): Partial<Activity> =>
  teamsActivity(bot.connector.url, from, conversationId, activity);

describe('a Teams agent in the CSAT reports', () => {
  it('when a Teams agent took and resolved a rated case, then "by agent" names them by their Teams name', async () => {
    const post = thread('post-name');
    await bot.post(teams(ANA, post, mention('set escalation channel')));
    await bot.connector.waitFor(() => bot.connector.textsTo(post).length > 0, 'the channel confirmation');
    await bot.say('hello', CUSTOMER);
    const { caseDoc } = await bot.app.handoff.open({
      conversationId: CUSTOMER.conversationId,
      customerId: CUSTOMER.userId,
      locale: 'en',
      channel: 'webchat',
      reason: 'complaint',
      summary: 'The parcel never arrived',
    });
    expect((await bot.post(teams(ANA, CHANNEL, caseInvoke(CASE_VERBS.take, caseDoc.id)))).status).toBe(200);
    expect((await bot.post(teams(ANA, CHANNEL, caseInvoke(CASE_VERBS.resolve, caseDoc.id)))).status).toBe(
      200,
    );
    await bot.connector.waitFor(
      (sent) =>
        sent.some(
          (r) => r.conversationId === CUSTOMER.conversationId && (r.activity.attachments ?? []).length > 0,
        ),
      'the survey card',
    );
    await bot.say('5', CUSTOMER);

    const response = await bot.api('/api/admin/ratings/breakdown?by=agentId');
    const { rows } = (await response.json()) as {
      rows: { key: string | null; name?: string; count: number }[];
    };
    expect(rows).toEqual([expect.objectContaining({ key: ANA.aadObjectId, name: ANA.name, count: 1 })]);
  });
});
