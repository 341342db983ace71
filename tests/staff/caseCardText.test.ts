import type { Activity } from 'botbuilder';
import { CASE_VERBS, cardTime } from '../../cards/caseCard';
import { markdownAsPlainText } from '../../cards/plainText';
import { t } from '../../locales';
import { startTestBot, texts, type TestBot } from '../helpers/harness';
import { ANA, CHANNEL, caseInvoke, mention, teamsActivity, thread, type Person } from './teams';

const CUSTOMER = 'card-text-customer';
const NB = { conversationId: CUSTOMER, userId: 'card-text-user', locale: 'nb' };

let bot: TestBot;

beforeAll(async () => {
  bot = await startTestBot();
});
afterAll(() => bot.close());

const teams = (from: Person, conversationId: string, activity: Partial<Activity>): Partial<Activity> =>
  teamsActivity(bot.connector.url, from, conversationId, activity);

/** The case cards sent to the escalation channel (POST: new, PUT: updated), newest last. */
const cards = (method: 'POST' | 'PUT'): unknown[] =>
  bot.connector.sent
    .filter((r) => r.conversationId === CHANNEL && r.method === method)
    .flatMap((r) => r.activity.attachments ?? [])
    .map((a): unknown => a.content);

/** Every object of a card (depth first) that satisfies `match`. */
function find(
  node: unknown,
  match: (item: Record<string, unknown>) => boolean,
): Array<Record<string, unknown>> {
  if (Array.isArray(node)) return node.flatMap((item) => find(item, match));
  if (typeof node !== 'object' || node === null) return [];
  const item = node as Record<string, unknown>;
  return [...(match(item) ? [item] : []), ...Object.values(item).flatMap((value) => find(value, match))];
}

/** The lines of the card's "Recent conversation": "who: text". */
function recentConversation(card: unknown): string[] {
  const heading = t('en', 'staff.recentConversation');
  const [container] = find(
    card,
    (item) =>
      item.type === 'Container' &&
      find(item.items, (inner) => inner.type === 'TextBlock' && inner.text === heading).length > 0,
  );
  return find(container?.items, (item) => item.type === 'RichTextBlock').map((block) =>
    find(block.inlines, (inline) => inline.type === 'TextRun')
      .map((run) => String(run.text))
      .join(''),
  );
}

describe('the Teams case card', () => {
  it('when the bot wrote markdown to the customer, then "Recent conversation" shows its words without the markup, and the customer’s own text as written', async () => {
    await bot.post(teams(ANA, thread('post-card-text'), mention('set escalation channel')));
    await bot.connector.waitFor(
      () => bot.connector.textsTo(thread('post-card-text')).length > 0,
      'the channel confirmation',
    );

    // A Norwegian customer asks for a person and skips the contact step (the bot wrote **Hopp over**).
    const replies = [
      ...texts(await bot.say('Jeg vil snakke med et menneske', NB)),
      ...texts(await bot.say('Pakken min er *ikke* kommet', NB)),
      ...texts(await bot.say('hopp over', NB)),
      ...texts(await bot.say('ja', NB)),
    ];
    expect(replies.join('\n')).toContain('**Hopp over**');
    await bot.connector.waitFor(() => cards('POST').length > 0, 'the case card');

    const lines = recentConversation(cards('POST')[0]);
    expect(lines.length).toBeGreaterThan(0);
    const botName = t('en', 'staff.bot');
    const botLines = lines.filter((line) => line.startsWith(`${botName}: `));
    expect(botLines.length).toBeGreaterThan(0);
    expect(botLines.join('\n')).not.toMatch(/\*\*|\\|^>/m);
    expect(lines.join('\n')).toMatch(/Hopp over/);
    // What the customer typed is shown as typed, asterisks included (as the staff console shows it).
    expect(lines.join('\n')).toContain('*ikke*');
  });

  it('when a case is released, then the card’s "Waiting since" still shows when the customer asked', async () => {
    const [queued] = await bot.app.handoff.list({ status: 'queued' });
    if (!queued) throw new Error('no queued case');
    const invoke = (verb: string) => bot.post(teams(ANA, CHANNEL, caseInvoke(verb, queued.id)));
    expect((await invoke(CASE_VERBS.take)).status).toBe(200);
    bot.clock.advance(10 * 60_000);
    const released = await invoke(CASE_VERBS.release);
    expect(released.status).toBe(200);
    const card = JSON.stringify(((await released.json()) as { value: unknown }).value);
    expect(card).toContain(t('en', 'staff.stateQueued'));
    expect(card).toContain(`DATE(${cardTime(queued.createdAt)}, SHORT)`);
  });
});

describe('markdown as plain text (the staff cards)', () => {
  it.each([
    ['Type **Hopp over** or *cancel*.', 'Type Hopp over or cancel.'],
    ['Press \\<Enter\\> and \\*star\\*', 'Press <Enter> and *star*'],
    ['First:\n\n- one\n- two\n\n1. a\n2. b', 'First:\n• one\n• two\n1. a\n2. b'],
    [
      'See [the form](https://example.com/f) or <https://example.com>',
      'See the form (https://example.com/f) or https://example.com',
    ],
    ['Use `code` here\nand there', 'Use code here\nand there'],
    ['> quoted **summary**', 'quoted summary'],
    ['[[redacted:card]] kept', '[[redacted:card]] kept'],
  ])('%j reads %j', (markdown, plain) => {
    expect(markdownAsPlainText(markdown)).toBe(plain);
  });
});
