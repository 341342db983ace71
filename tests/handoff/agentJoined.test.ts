import { t } from '../../locales';
import { ADMIN_TOKEN, startTestBot, texts, type TestBot } from '../helpers/harness';

const complaints = {
  en: ['This is unacceptable, my internet has been down for three days!!!', 'yes'],
  id: ['Saya sangat kecewa, internet mati sudah tiga hari!!!', 'ya'],
  pl: ['To skandal, internet nie działa od trzech dni!!!', 'tak'],
  nb: ['Dette er helt uakseptabelt, internett har vært nede i tre dager!!!', 'ja'],
} as const;
const locales = Object.keys(complaints) as Array<keyof typeof complaints>;

describe('who the customer is told has joined', () => {
  let bot: TestBot;
  let n = 0;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(() => bot.close());

  /** A queued case of a new conversation in `locale`; returns its conversation and case ids. */
  const queued = async (locale: keyof typeof complaints) => {
    const customer = { locale, conversationId: `joined-${locale}-${++n}` };
    const [complaint, yes] = complaints[locale];
    await bot.say(complaint, customer);
    await bot.say(t(locale, 'common.skip'), customer);
    expect(texts(await bot.say(yes, customer))).toEqual([
      t(locale, 'handoff.queuedNoEstimateNoContact', { position: 1 }),
    ]);
    const cases = (await (await bot.api('/api/agent/cases?status=queued')).json()) as Array<{
      id: string;
      conversationId: string;
    }>;
    const caseId = cases.find((c) => c.conversationId === customer.conversationId)?.id ?? '';
    return { conversationId: customer.conversationId, caseId };
  };

  const tokenNamed = async (name: string): Promise<string> => {
    const response = await bot.api('/api/admin/tokens', {
      method: 'POST',
      body: JSON.stringify({ name, role: 'agent' }),
    });
    return ((await response.json()) as { token: string }).token;
  };

  /** Takes the case with `token` and returns what the customer was told. */
  const joinedNotice = async (caseId: string, conversationId: string, token: string): Promise<string[]> => {
    expect((await bot.api(`/api/agent/cases/${caseId}/take`, { method: 'POST', token })).status).toBe(200);
    await bot.connector.waitFor(() => bot.connector.textsTo(conversationId).length > 0, 'the joined notice');
    return bot.connector.textsTo(conversationId);
  };

  it.each(locales)(
    'when a %s case is taken with the admin token, then the customer hears that someone from the team joined, never "admin"',
    async (locale) => {
      const { caseId, conversationId } = await queued(locale);
      const said = await joinedNotice(caseId, conversationId, ADMIN_TOKEN);
      expect(said).toEqual([t(locale, 'handoff.agentJoinedNeutral')]);
      expect(said.join(' ')).not.toMatch(/admin/i);
    },
  );

  it.each(['Admin token', 'api-admin', 'Support', 'agent_2', 'test 1'])(
    'when a case is taken with a token named %p, then the customer hears the neutral wording',
    async (name) => {
      const { caseId, conversationId } = await queued('en');
      expect(await joinedNotice(caseId, conversationId, await tokenNamed(name))).toEqual([
        t('en', 'handoff.agentJoinedNeutral'),
      ]);
    },
  );

  it.each(locales)(
    'when a %s case is taken by a member of staff with a personal name, then the customer hears that name',
    async (locale) => {
      const { caseId, conversationId } = await queued(locale);
      expect(await joinedNotice(caseId, conversationId, await tokenNamed('Maria'))).toEqual([
        t(locale, 'handoff.agentJoined', { agentName: 'Maria' }),
      ]);
    },
  );
});
