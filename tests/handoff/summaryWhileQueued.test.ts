import type { Activity } from 'botbuilder';
import type { CaseEvent } from '../../handoff/types';
import { t } from '../../locales';
import { renderRedactions } from '../../privacy/redact';
import { startTestBot, texts, type TestBot } from '../helpers/harness';
import { EventStream } from '../staff/sse';
import { ANA, CHANNEL, mention, teamsActivity, thread } from '../staff/teams';

type WireEvent = Omit<CaseEvent, 'caseView'> & {
  caseView: { id: string; conversationId: string; summary: string };
};

const DESCRIPTION = 'internet nie działa od poniedziałku, płaciłem kartą 4111 1111 1111 1111 <b>dwa razy</b>';
/** As it is kept: the card number removed (the store's redaction), the rest in the customer's own words. */
const KEPT = 'internet nie działa od poniedziałku, płaciłem kartą [[redacted:card]] <b>dwa razy</b>';

let bot: TestBot;
let stream: EventStream;

beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
  const post = thread('post-summary-while-queued');
  await bot.post(teamsActivity(bot.connector.url, ANA, post, mention('set escalation channel')));
  await bot.connector.waitFor(() => bot.connector.textsTo(post).length > 0, 'the channel confirmation');
  const { token } = await bot.app.auth.issue('Ana', 'agent', 'test');
  stream = await EventStream.open(`${bot.url}/api/agent/events?token=${encodeURIComponent(token)}`);
});
afterAll(async () => {
  stream.close();
  await bot.close();
});

/** The case cards sent to the escalation channel (POST: new, PUT: updated), as JSON, newest last. */
const cards = (method: 'POST' | 'PUT'): string[] =>
  bot.connector.sent
    .filter((r) => r.conversationId === CHANNEL && r.method === method)
    .flatMap((r: { activity: Partial<Activity> }) => r.activity.attachments ?? [])
    .map((a) => JSON.stringify(a.content));

const summaryOf = async (conversationId: string): Promise<string | undefined> =>
  (
    (await (await bot.api('/api/agent/cases')).json()) as Array<{ conversationId: string; summary: string }>
  ).find((c) => c.conversationId === conversationId)?.summary;

describe('the summary of a case whose description was skipped', () => {
  it('when the customer writes while waiting in the queue, then their first message that says more than asking for a person becomes the summary, in the console and on the Teams card', async () => {
    const who = { locale: 'pl', conversationId: 'summary-while-queued', userId: 'summary-while-queued' };
    const say = async (text: string) => {
      bot.clock.advance(5_000);
      return texts(await bot.say(text, who));
    };
    expect(await say('chcę rozmawiać z konsultantem')).toContain(t('pl', 'handoff.describe'));
    await say(t('pl', 'common.skip'));
    await say(t('pl', 'common.skip'));
    await say('tak');
    expect(await summaryOf(who.conversationId)).toBe('');
    await bot.connector.waitFor(() => cards('POST').length > 0, 'the case card');
    expect(cards('POST')[0]).toContain(t('en', 'staff.noDescription'));

    // Asking for a person again, or what waiting customers say most, says nothing of the problem; the next does.
    for (const nothing of ['chcę rozmawiać z konsultantem', 'halo?', 'jest tam ktoś?', 'ok, czekam']) {
      await say(nothing);
      expect(await summaryOf(who.conversationId)).toBe('');
    }
    await say(DESCRIPTION);
    expect(await summaryOf(who.conversationId)).toBe(KEPT);
    const described = await stream.next<WireEvent>(
      (e) => e.caseView.conversationId === who.conversationId && e.caseView.summary !== '',
    );
    expect(described.caseView.summary).toBe(KEPT);
    await bot.connector.waitFor(
      () => cards('PUT').some((card) => card.includes('internet nie działa od poniedziałku')),
      'the case card updated with the summary',
    );
    const card = cards('PUT').find((c) => c.includes('internet nie działa')) ?? '';
    // The card shows it as the first summary path does: plain text, the card number's place named.
    expect(card).toContain(JSON.stringify(renderRedactions(KEPT, 'en')).slice(1, -1));
    expect(card).not.toContain('4111');

    // Only the first such message: later ones are the conversation, not what the case is about.
    await say('i jeszcze router miga na czerwono');
    expect(await summaryOf(who.conversationId)).toBe(KEPT);
  });
});
