import { ConversationState, MemoryStorage, TestAdapter, type Activity } from 'botbuilder';
import { DialogSet, DialogTurnStatus } from 'botbuilder-dialogs';
import {
  ESCALATION_DIALOG,
  setTurnFacts,
  type EscalationOptions,
  type EscalationResult,
} from '../../dialogs/contracts';
import { EscalationDialog } from '../../dialogs/escalationDialog';
import type { HandoffConfig } from '../../handoff/service';
import { t } from '../../locales';
import { handoffFixture, type Fixture } from './setup';
import { testUnderstanding } from '../helpers/understanding';

/** What a customer types in each language. */
const words = {
  en: {
    yes: 'yes',
    no: 'no',
    human: 'human',
    describe: 'my bill is twice as high as last month',
    complaint: 'this is unacceptable, my internet has been down for three days!!!',
  },
  id: {
    yes: 'iya',
    no: 'tidak',
    human: 'manusia',
    describe: 'tagihan saya dua kali lipat dari bulan lalu',
    complaint: 'ini keterlaluan, internet saya mati sudah tiga hari!!!',
  },
  pl: {
    yes: 'tak',
    no: 'nie',
    human: 'konsultant',
    describe: 'mój rachunek jest dwa razy wyższy niż w zeszłym miesiącu',
    complaint: 'to skandal, internet nie działa od trzech dni!!!',
  },
  nb: {
    yes: 'ja',
    no: 'nei',
    human: 'menneske',
    describe: 'regningen min er dobbelt så høy som forrige måned',
    complaint: 'dette er uakseptabelt, internett har vært nede i tre dager!!!',
  },
} as const;
type Locale = keyof typeof words;
const locales = Object.keys(words) as Locale[];

interface Conversation {
  f: Fixture;
  /** Sends a customer message; returns the bot's replies. */
  say(text: string): Promise<Array<Partial<Activity>>>;
  result(): EscalationResult | undefined;
}

/** The escalation dialog under a TestAdapter, begun by the first message with `options`. */
async function escalation(
  locale: Locale,
  options: EscalationOptions,
  config: Partial<HandoffConfig> = {},
  channelId = 'webchat',
  start?: Date,
): Promise<Conversation> {
  const f = await handoffFixture(config, start);
  const conversationState = new ConversationState(new MemoryStorage());
  const dialogs = new DialogSet(conversationState.createProperty('dialogState'));
  dialogs.add(new EscalationDialog(f.handoff, testUnderstanding()));
  let result: EscalationResult | undefined;
  const adapter = new TestAdapter(
    async (context) => {
      setTurnFacts(context, { locale, conversationId: 'conv-d', customerId: 'user-d', channel: channelId });
      const dc = await dialogs.createContext(context);
      const turn = await dc.continueDialog();
      const ended =
        turn.status === DialogTurnStatus.empty ? await dc.beginDialog(ESCALATION_DIALOG, options) : turn;
      if (ended.status === DialogTurnStatus.complete) result = ended.result as EscalationResult;
      await conversationState.saveChanges(context);
    },
    {
      channelId,
      locale,
      conversation: { id: 'conv-d', isGroup: false, conversationType: 'personal', name: '' },
    },
  );
  await f.conversations.touch({
    conversationId: 'conv-d',
    reference: {},
    customerId: 'user-d',
    channel: channelId,
    locale,
    text: options.text ?? '',
  });
  return {
    f,
    say: async (text) => {
      await adapter.receiveActivity(text);
      return adapter.activeQueue.splice(0);
    },
    result: () => result,
  };
}

const textsOf = (replies: Array<Partial<Activity>>): string[] =>
  replies.map((r) => r.text ?? `(${r.type}:${r.name})`);
const buttonsOf = (reply: Partial<Activity> | undefined): string[] =>
  (reply?.suggestedActions?.actions ?? []).map((a) => a.title ?? '');

describe.each(locales)('escalation dialog in %s', (locale) => {
  const w = words[locale];
  let c: Conversation | undefined;
  afterEach(() => c?.f.close());

  it('when the customer just asks for a human, then the bot asks what it is about, takes a contact and queues the case', async () => {
    c = await escalation(locale, { reason: 'request', text: w.human });
    expect(textsOf(await c.say(w.human))).toEqual([
      t(locale, 'handoff.ackRequest'),
      t(locale, 'handoff.describe'),
    ]);
    const skip = t(locale, 'handoff.skip');
    const contactPrompt = await c.say(w.describe);
    expect(textsOf(contactPrompt)).toEqual([t(locale, 'handoff.askContact', { skip })]);
    expect(buttonsOf(contactPrompt[0])).toEqual([skip]);
    expect(textsOf(await c.say('hello'))).toEqual([t(locale, 'handoff.contactRetry', { skip })]);
    const confirm = await c.say(`anna.nowak@example.com`);
    expect(textsOf(confirm)).toEqual([
      t(locale, 'handoff.confirmContact', { summary: w.describe, contact: 'anna.nowak@example.com' }),
    ]);
    expect(buttonsOf(confirm[0])).toEqual([t(locale, 'common.yes'), t(locale, 'common.no')]);
    expect(textsOf(await c.say('maybe later'))).toEqual([t(locale, 'handoff.confirmRetry')]);
    expect(textsOf(await c.say(w.yes))).toEqual([t(locale, 'handoff.queued', { position: 1, minutes: 5 })]);
    const caseId = c.result()?.caseId ?? '';
    expect(await c.f.handoff.get(caseId)).toMatchObject({
      status: 'queued',
      conversationId: 'conv-d',
      locale,
      summary: w.describe,
      contact: { email: 'anna.nowak@example.com' },
      reason: 'request',
    });
  });

  it('when an angry customer already explained, then the bot apologises, skips the question and can be declined', async () => {
    c = await escalation(locale, { reason: 'complaint', text: w.complaint, anger: 0.8 });
    const skip = t(locale, 'handoff.skip');
    expect(textsOf(await c.say(w.complaint))).toEqual([
      t(locale, 'handoff.ackComplaint'),
      t(locale, 'handoff.askContact', { skip }),
    ]);
    expect(textsOf(await c.say(skip))).toEqual([t(locale, 'handoff.confirm', { summary: w.complaint })]);
    expect(textsOf(await c.say(w.no))).toEqual([t(locale, 'handoff.notSent')]);
    expect(c.result()).toEqual({ cancelled: true });
    expect(await c.f.handoff.activeCase('conv-d')).toBeNull();
  });

  it('when staff are closed, then the customer may leave a message and learns when to expect a reply', async () => {
    c = await escalation(
      locale,
      { reason: 'not-helpful', text: w.human },
      { BUSINESS_HOURS: 'Mon-Fri 08:00-18:00', BUSINESS_TIMEZONE: 'Europe/Warsaw' },
      'webchat',
      new Date('2025-03-08T12:00:00Z'), // Saturday
    );
    const when = c.f.handoff.closedUntil(locale) ?? '';
    expect(textsOf(await c.say(w.human))).toEqual([
      t(locale, 'handoff.ackNotHelpful'),
      t(locale, 'handoff.closedOffer', { when }),
    ]);
    expect(textsOf(await c.say(w.yes))).toEqual([t(locale, 'handoff.describe')]);
    await c.say(w.describe);
    await c.say('+48 601 234 567');
    expect(textsOf(await c.say(w.yes))).toEqual([
      `${t(locale, 'handoff.ticketSaved')} ${t(locale, 'handoff.ticketReplyAt', { when })}`,
    ]);
    expect(await c.f.handoff.get(c.result()?.caseId ?? '')).toMatchObject({
      status: 'expired',
      ticket: true,
      contact: { phone: '+48 601 234 567' },
    });
  });

  it('when staff are closed and the customer declines to leave a message, then nothing is saved', async () => {
    c = await escalation(
      locale,
      { reason: 'request', text: w.human },
      { BUSINESS_HOURS: 'Mon-Fri 08:00-18:00' },
      'webchat',
      new Date('2025-03-09T12:00:00Z'), // Sunday
    );
    await c.say(w.human);
    expect(textsOf(await c.say(w.no))).toEqual([t(locale, 'handoff.notSent')]);
    expect(await c.f.handoff.list({})).toEqual([]);
  });
});

describe('escalation dialog with an external agent hub', () => {
  let c: Conversation | undefined;
  afterEach(() => c?.f.close());

  async function escalateOn(channelId: string): Promise<Array<Partial<Activity>>> {
    c = await escalation(
      'en',
      { reason: 'request', text: words.en.describe },
      { HANDOFF_MODE: 'external' },
      channelId,
    );
    await c.say(words.en.describe);
    await c.say('skip');
    return c.say('yes');
  }

  it('when HANDOFF_MODE=external on Web Chat, then a handoff.initiate event carries the transcript', async () => {
    const replies = await escalateOn('webchat');
    expect(textsOf(replies)).toEqual([t('en', 'handoff.externalConnecting'), '(event:handoff.initiate)']);
    const event = replies[1];
    expect(event?.value).toMatchObject({ reason: 'request', summary: words.en.describe, locale: 'en' });
    const transcript = event?.attachments?.[0];
    expect(transcript).toMatchObject({ contentType: 'application/json', name: 'Transcript' });
    expect(JSON.stringify(transcript?.content)).toContain(words.en.describe);
    const active = await c?.f.handoff.activeCase('conv-d');
    expect(active?.external).toBe(true);
    // What goes to the customer's channel never names the case (staff's handle of it).
    expect(JSON.stringify(replies)).not.toContain(active?.id);
  });

  it('when HANDOFF_MODE=external on Teams, then no event is sent and the case is queued internally', async () => {
    const replies = await escalateOn('msteams');
    expect(replies.map((r) => r.type)).toEqual(['message']);
    expect(textsOf(replies)).toEqual([t('en', 'handoff.queued', { position: 1, minutes: 5 })]);
    expect((await c?.f.handoff.activeCase('conv-d'))?.external).toBe(false);
  });
});
