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
    /** Declining the contact in words rather than with the button. */
    declineContact: 'rather not',
  },
  id: {
    yes: 'iya',
    no: 'tidak',
    human: 'manusia',
    describe: 'tagihan saya dua kali lipat dari bulan lalu',
    complaint: 'ini keterlaluan, internet saya mati sudah tiga hari!!!',
    /** Declining the contact in words rather than with the button. */
    declineContact: 'skip aja',
  },
  pl: {
    yes: 'tak',
    no: 'nie',
    human: 'konsultant',
    describe: 'mój rachunek jest dwa razy wyższy niż w zeszłym miesiącu',
    complaint: 'to skandal, internet nie działa od trzech dni!!!',
    /** Declining the contact in words rather than with the button. */
    declineContact: 'wolę nie',
  },
  nb: {
    yes: 'ja',
    no: 'nei',
    human: 'menneske',
    describe: 'regningen min er dobbelt så høy som forrige måned',
    complaint: 'dette er uakseptabelt, internett har vært nede i tre dager!!!',
    /** Declining the contact in words rather than with the button. */
    declineContact: 'vil helst ikke',
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
  from: { id: string; name: string; aadObjectId?: string } = { id: 'user-d', name: 'Customer' },
): Promise<Conversation> {
  const f = await handoffFixture(config, start);
  const conversationState = new ConversationState(new MemoryStorage());
  const dialogs = new DialogSet(conversationState.createProperty('dialogState'));
  dialogs.add(new EscalationDialog(f.handoff, testUnderstanding(), f.clock));
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
  return {
    f,
    say: async (text) => {
      // Time passes between messages, as it does in a chat.
      f.clock.advance(1_000);
      await f.conversations.touch({
        conversationId: 'conv-d',
        reference: {},
        customerId: 'user-d',
        channel: channelId,
        locale,
        text,
      });
      await adapter.receiveActivity({ type: 'message', text, from });
      return adapter.activeQueue.splice(0);
    },
    result: () => result,
  };
}

const textsOf = (replies: Array<Partial<Activity>>): string[] =>
  replies.map((r) => r.text ?? `(${r.type}:${r.name})`);
const buttonsOf = (reply: Partial<Activity> | undefined): string[] =>
  (reply?.suggestedActions?.actions ?? []).map((a) => a.title ?? '');
const caseIdOf = (result: EscalationResult | undefined): string =>
  result?.kind === 'escalated' ? result.caseId : '';

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
    const skip = t(locale, 'common.skip');
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
    const caseId = caseIdOf(c.result());
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
    const skip = t(locale, 'common.skip');
    expect(textsOf(await c.say(w.complaint))).toEqual([
      t(locale, 'handoff.ackComplaint'),
      t(locale, 'handoff.askContact', { skip }),
    ]);
    expect(textsOf(await c.say(skip))).toEqual([t(locale, 'handoff.confirm', { summary: w.complaint })]);
    expect(textsOf(await c.say(w.no))).toEqual([t(locale, 'handoff.notSent')]);
    expect(c.result()).toEqual({ kind: 'cancelled' });
    expect(await c.f.handoff.activeCase('conv-d')).toBeNull();
  });

  it('when the contact question gets three replies that are neither a contact nor a skip, then the bot goes on without one', async () => {
    c = await escalation(locale, { reason: 'complaint', text: w.complaint, anger: 0.8 });
    const skip = t(locale, 'common.skip');
    await c.say(w.complaint);
    expect(textsOf(await c.say('why?'))).toEqual([t(locale, 'handoff.contactRetry', { skip })]);
    expect(textsOf(await c.say('hmm'))).toEqual([t(locale, 'handoff.contactRetry', { skip })]);
    expect(textsOf(await c.say('ugh'))).toEqual([t(locale, 'handoff.confirm', { summary: w.complaint })]);
  });

  it('when the customer gives a contact at "shall I send it?", then it is shown again with it, and a yes with another one sends that', async () => {
    c = await escalation(locale, { reason: 'complaint', text: w.complaint, anger: 0.8 });
    await c.say(w.complaint);
    await c.say(t(locale, 'common.skip'));
    expect(textsOf(await c.say('anna.nowak@example.com'))).toEqual([
      t(locale, 'handoff.confirmContact', { summary: w.complaint, contact: 'anna.nowak@example.com' }),
    ]);
    expect(textsOf(await c.say(`${w.yes}, +48 601 234 567`))).toEqual([
      t(locale, 'handoff.queued', { position: 1, minutes: 5 }),
    ]);
    expect((await c.f.handoff.get(caseIdOf(c.result()))).contact).toEqual({ phone: '+48 601 234 567' });
  });

  it('when the customer answers "what is it about?" with only an e-mail address, then it is the contact and not asked for again', async () => {
    c = await escalation(locale, { reason: 'request', text: w.human });
    await c.say(w.human);
    expect(textsOf(await c.say('anna.nowak@example.com'))).toEqual([
      t(locale, 'handoff.confirmContact', {
        summary: t(locale, 'handoff.noDescription'),
        contact: 'anna.nowak@example.com',
      }),
    ]);
    await c.say(w.yes);
    expect((await c.f.handoff.get(caseIdOf(c.result()))).contact).toEqual({
      email: 'anna.nowak@example.com',
    });
  });

  it('when the description holds a phone number, then the contact question offers it and a yes takes it', async () => {
    c = await escalation(locale, { reason: 'request', text: w.human });
    await c.say(w.human);
    const skip = t(locale, 'common.skip');
    const description = `${w.describe}, +48 601 234 567`;
    expect(textsOf(await c.say(description))).toEqual([
      t(locale, 'handoff.askContactKnown', { contact: '+48 601 234 567', skip }),
    ]);
    expect(textsOf(await c.say(w.yes))).toEqual([
      t(locale, 'handoff.confirmContact', { summary: description, contact: '+48 601 234 567' }),
    ]);
  });

  it('when the customer answers "what is it about?" with only a yes, then the bot asks again', async () => {
    c = await escalation(locale, { reason: 'request', text: w.human });
    await c.say(w.human);
    expect(textsOf(await c.say(w.yes))).toEqual([t(locale, 'handoff.describeRetry')]);
  });

  it('when the customer declines the contact in their own words, then the bot goes on without one', async () => {
    c = await escalation(locale, { reason: 'complaint', text: w.complaint, anger: 0.8 });
    await c.say(w.complaint);
    expect(textsOf(await c.say(w.declineContact))).toEqual([
      t(locale, 'handoff.confirm', { summary: w.complaint }),
    ]);
  });

  it('when staff are closed, then "our team is away" comes first, and the left message takes a contact and says when to expect a reply', async () => {
    c = await escalation(
      locale,
      { reason: 'not-helpful', text: w.human },
      { BUSINESS_HOURS: 'Mon-Fri 08:00-18:00', BUSINESS_TIMEZONE: 'Europe/Warsaw' },
      'webchat',
      new Date('2025-03-08T12:00:00Z'), // Saturday
    );
    const when = c.f.handoff.closedUntil(locale) ?? '';
    // Nothing promises a person before the customer learns that nobody is there.
    expect(textsOf(await c.say(w.human))).toEqual([t(locale, 'handoff.closedOffer', { when })]);
    expect(textsOf(await c.say(w.yes))).toEqual([t(locale, 'handoff.describe')]);
    const skip = t(locale, 'common.skip');
    expect(textsOf(await c.say(w.describe))).toEqual([t(locale, 'handoff.askCallbackContact', { skip })]);
    expect(textsOf(await c.say('+48 601 234 567'))).toEqual([
      t(locale, 'handoff.confirmContact', { summary: w.describe, contact: '+48 601 234 567' }),
    ]);
    expect(textsOf(await c.say(w.yes))).toEqual([
      `${t(locale, 'handoff.ticketSaved')} ${t(locale, 'handoff.ticketReplyAt', { when })}`,
    ]);
    expect(await c.f.handoff.get(caseIdOf(c.result()))).toMatchObject({
      status: 'expired',
      ticket: true,
      contact: { phone: '+48 601 234 567' },
    });
  });

  it('when staff are closed and a complaint comes in, then the apology promises nothing and the away notice follows', async () => {
    c = await escalation(
      locale,
      { reason: 'complaint', text: w.complaint, anger: 0.8 },
      { BUSINESS_HOURS: 'Mon-Fri 08:00-18:00' },
      'webchat',
      new Date('2025-03-09T12:00:00Z'), // Sunday
    );
    const when = c.f.handoff.closedUntil(locale) ?? '';
    expect(textsOf(await c.say(w.complaint))).toEqual([
      t(locale, 'handoff.sorry'),
      t(locale, 'handoff.closedOffer', { when }),
    ]);
  });

  it('when a left message gets no contact, then the bot says honestly it cannot get back, offers what it can, and saves nothing', async () => {
    c = await escalation(
      locale,
      { reason: 'request', text: w.describe },
      { BUSINESS_HOURS: 'Mon-Fri 08:00-18:00' },
      'webchat',
      new Date('2025-03-09T12:00:00Z'), // Sunday
    );
    const when = c.f.handoff.closedUntil(locale) ?? '';
    await c.say(w.describe);
    const skip = t(locale, 'common.skip');
    expect(textsOf(await c.say(w.yes))).toEqual([t(locale, 'handoff.askCallbackContact', { skip })]);
    expect(textsOf(await c.say(skip))).toEqual([
      `${t(locale, 'handoff.noContact')} ${t(locale, 'handoff.offerLater', { when })}`,
    ]);
    expect(c.result()).toEqual({ kind: 'cancelled' });
    expect(await c.f.handoff.list({})).toEqual([]);
  });

  it('when a low rating asks for a call-back, then the contact is asked and the ticket carries score and comment', async () => {
    c = await escalation(locale, { reason: 'low-rating', rating: { score: 1, comment: w.describe } });
    const skip = t(locale, 'common.skip');
    expect(textsOf(await c.say(w.yes))).toEqual([
      t(locale, 'handoff.ackLowRating'),
      t(locale, 'handoff.askCallbackContact', { skip }),
    ]);
    expect(textsOf(await c.say('anna.nowak@example.com'))).toEqual([
      t(locale, 'handoff.confirmContact', { summary: w.describe, contact: 'anna.nowak@example.com' }),
    ]);
    // Within business hours too, a call-back is saved for staff to get back to, never queued as a live chat.
    expect(textsOf(await c.say(w.yes))).toEqual([
      `${t(locale, 'handoff.ticketSaved')} ${t(locale, 'handoff.ticketReplySoon')}`,
    ]);
    expect(await c.f.handoff.get(caseIdOf(c.result()))).toMatchObject({
      status: 'expired',
      ticket: true,
      reason: 'low-rating',
      summary: w.describe,
      contact: { email: 'anna.nowak@example.com' },
      rating: { score: 1, comment: w.describe },
    });
  });

  it('when the customer skips the description, then the case shows their last messages, never "skip"', async () => {
    c = await escalation(locale, { reason: 'request', text: w.human });
    await c.f.conversations.touch({
      conversationId: 'conv-d',
      reference: {},
      customerId: 'user-d',
      channel: 'webchat',
      locale,
      text: w.describe,
    });
    await c.say(w.human);
    const skip = t(locale, 'common.skip');
    expect(buttonsOf((await c.say(skip))[0])).toEqual([skip]); // the contact question
    expect(textsOf(await c.say(skip))).toEqual([
      t(locale, 'handoff.confirm', { summary: t(locale, 'handoff.noDescription') }),
    ]);
    await c.say(w.yes);
    const { summary } = await c.f.handoff.get(caseIdOf(c.result()));
    // The request for a person itself ("human") says nothing of what the case is about.
    expect(summary).toBe(w.describe);
  });

  it('when nobody of staff has been seen for a while, then the queue gives the place but no wait estimate', async () => {
    c = await escalation(locale, { reason: 'request', text: w.describe });
    c.f.clock.advance(3 * 60_000); // Anna's console went quiet more than two minutes ago
    await c.say(w.describe);
    await c.say(t(locale, 'common.skip'));
    expect(textsOf(await c.say(w.yes))).toEqual([
      t(locale, 'handoff.queuedNoEstimateNoContact', { position: 1 }),
    ]);
    c.f.presence.seen('agent-ben');
    await c.f.handoff.cancelByCustomer('conv-d');
    c.f.clock.advance(1_000);
    await c.say(w.describe);
    await c.say(t(locale, 'common.skip'));
    expect(textsOf(await c.say(w.yes))).toEqual([t(locale, 'handoff.queued', { position: 1, minutes: 5 })]);
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

describe('escalation dialog on Teams', () => {
  let c: Conversation | undefined;
  afterEach(() => c?.f.close());

  it('when a Teams customer leaves a message, then their Teams account is the contact and nothing is asked', async () => {
    c = await escalation(
      'pl',
      { reason: 'request', text: words.pl.describe },
      { BUSINESS_HOURS: 'Mon-Fri 08:00-18:00' },
      'msteams',
      new Date('2025-03-09T12:00:00Z'), // Sunday
      { id: '29:teams-user', name: 'Anna', aadObjectId: 'aad-anna' },
    );
    await c.say(words.pl.describe);
    expect(textsOf(await c.say(words.pl.yes))).toEqual([
      t('pl', 'handoff.confirmContact', {
        summary: words.pl.describe,
        contact: t('pl', 'handoff.contactTeams'),
      }),
    ]);
    await c.say(words.pl.yes);
    expect(await c.f.handoff.get(caseIdOf(c.result()))).toMatchObject({
      ticket: true,
      contact: { teams: 'aad-anna' },
    });
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
