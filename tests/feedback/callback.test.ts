import type { Activity } from 'botbuilder';
import { t } from '../../locales';
import { followupCardContent } from '../../cards/followupCard';
import { MAX_COMMENT_LENGTH } from '../../feedback/service';
import { commentsOf } from '../helpers/feedbackDocs';
import { startTestBot, texts, type Customer, type TestBot } from '../helpers/harness';
import { EventStream } from '../staff/sse';

/**
 * Call-backs and honest waits over the whole app (restify, CloudAdapter, embedded store, recording connector):
 * a low rating's call-back asks how to reach the customer and reaches staff with contact, score and comment;
 * the queue gives a wait estimate only while a staff member is present.
 */
const LANGUAGES = [
  {
    locale: 'en',
    question: 'my internet is down',
    bye: "thanks, that's all",
    comment: 'Nobody could fix my connection',
    yes: 'yes',
    yesPlease: 'yes please',
    human: 'I want to talk to a human',
    describe: 'my bill is twice as high as last month',
  },
  {
    locale: 'pl',
    question: 'internet mi nie działa',
    bye: 'dzięki, to wszystko',
    comment: 'Nikt nie naprawił mojego łącza',
    yes: 'tak',
    yesPlease: 'tak, proszę',
    human: 'chcę rozmawiać z konsultantem',
    describe: 'mój rachunek jest dwa razy wyższy niż w zeszłym miesiącu',
  },
] as const;

/** The largest message Teams takes from a bot (a card included): 28 KB. */
const TEAMS_MESSAGE_BYTES = 28 * 1024;

interface CaseJson {
  conversationId: string;
  reason: string;
  status: string;
  ticket: boolean;
  summary: string;
  contact: Record<string, string>;
  rating?: { score: number; comment?: string };
}

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot();
});
afterAll(() => bot.close());

const casesOf = async (conversationId: string): Promise<CaseJson[]> =>
  ((await (await bot.api('/api/agent/cases')).json()) as CaseJson[]).filter(
    (c) => c.conversationId === conversationId,
  );

describe.each(LANGUAGES)('a low-rating call-back in $locale over HTTP', (l) => {
  /** Closes an episode, rates 1 with a comment and accepts the call-back; returns the replies to the "yes". */
  async function acceptCallback(who: Partial<Customer>, yes: string = l.yes): Promise<Partial<Activity>[]> {
    await bot.say(l.question, who);
    await bot.say(l.bye, who);
    expect(texts(await bot.say('1', who))).toEqual([
      `${t(l.locale, 'feedback.thanks', { score: 1 })} ${t(l.locale, 'feedback.apology')}`,
    ]);
    expect(texts(await bot.say(l.comment, who))).toEqual([
      `${t(l.locale, 'feedback.commentThanks')} ${t(l.locale, 'feedback.callbackOffer')}`,
    ]);
    return bot.say(yes, who);
  }

  it('when the customer accepts the call-back with "yes please", then it is the call-back, not a request for a person now', async () => {
    const who = {
      locale: l.locale,
      conversationId: `callback-please-${l.locale}`,
      userId: `cbp-${l.locale}`,
    };
    expect(texts(await acceptCallback(who, l.yesPlease))).toEqual([
      t(l.locale, 'handoff.ackLowRating'),
      t(l.locale, 'handoff.askCallbackContact', { skip: t(l.locale, 'common.skip') }),
    ]);
  });

  it('when the customer accepts the call-back, then the contact is asked and the case carries contact, score and comment', async () => {
    const who = { locale: l.locale, conversationId: `callback-${l.locale}`, userId: `cb-${l.locale}` };
    const skip = t(l.locale, 'common.skip');
    const asked = await acceptCallback(who);
    expect(texts(asked)).toEqual([
      t(l.locale, 'handoff.ackLowRating'),
      t(l.locale, 'handoff.askCallbackContact', { skip }),
    ]);
    // A message with buttons says it is markdown (Teams shows "**Skip**" otherwise).
    expect(asked[1]).toMatchObject({ textFormat: 'markdown' });
    expect(asked[1]?.suggestedActions?.actions.map((a) => a.title)).toEqual([skip]);
    expect(texts(await bot.say('hello', who))).toEqual([t(l.locale, 'handoff.contactRetry', { skip })]);
    expect(texts(await bot.say('+48 601 234 567', who))).toEqual([
      t(l.locale, 'handoff.confirmContact', { summary: l.comment, contact: '+48 601 234 567' }),
    ]);
    expect(await casesOf(who.conversationId)).toEqual([]); // nothing before the customer confirms
    expect(texts(await bot.say(l.yes, who))).toEqual([
      `${t(l.locale, 'handoff.ticketSaved')} ${t(l.locale, 'handoff.ticketReplySoon')}`,
    ]);
    expect(await casesOf(who.conversationId)).toEqual([
      expect.objectContaining({
        reason: 'low-rating',
        ticket: true,
        summary: l.comment,
        contact: { phone: '+48 601 234 567' },
        rating: { score: 1, comment: l.comment },
      }),
    ]);
    // Staff find it in the follow-up inbox with the same contact, score and comment.
    const followups = (await (await bot.api('/api/agent/followups')).json()) as Array<
      Record<string, unknown>
    >;
    expect(followups.filter((f) => f['conversationId'] === who.conversationId)).toEqual([
      expect.objectContaining({
        reason: 'low-rating',
        score: 1,
        comment: l.comment,
        contact: [{ kind: 'phone', value: '+48 601 234 567' }],
      }),
    ]);
  });

  it('when the comment before the call-back is longer than a comment is kept, then the case and the follow-up carry it cut as the survey keeps it, and its Teams card stays small', async () => {
    const who = { locale: l.locale, conversationId: `callback-long-${l.locale}`, userId: `cbl-${l.locale}` };
    // Nine thousand characters of three bytes each (what a customer may paste): 27 KB of comment alone.
    const long = `${l.comment} ${'€'.repeat(9_000)}`;
    await bot.say(l.question, who);
    await bot.say(l.bye, who);
    await bot.say('1', who);
    await bot.say(long, who);
    await bot.say(l.yes, who);
    await bot.say('+48 601 234 567', who);
    await bot.say(l.yes, who);
    const [stored] = await commentsOf(bot, who.conversationId);
    expect(stored).toBe([...long].slice(0, MAX_COMMENT_LENGTH).join(''));
    const [callback] = await casesOf(who.conversationId);
    expect(callback?.rating).toEqual({ score: 1, comment: stored });
    const followups = (await (await bot.api('/api/agent/followups')).json()) as Array<{
      id: string;
      conversationId: string;
      comment?: string;
    }>;
    const followup = followups.find((f) => f.conversationId === who.conversationId);
    expect(followup?.comment).toBe(stored);
    const card = followupCardContent(await bot.app.followups.get(followup?.id ?? ''), 'en');
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(TEAMS_MESSAGE_BYTES);
  });

  it('when the customer gives no way to reach them, then the bot says it cannot get back, offers a person now, and saves nothing', async () => {
    const who = { locale: l.locale, conversationId: `callback-none-${l.locale}`, userId: `cbn-${l.locale}` };
    await acceptCallback(who);
    expect(texts(await bot.say(t(l.locale, 'common.skip'), who))).toEqual([
      `${t(l.locale, 'handoff.noContact')} ${t(l.locale, 'handoff.offerNow')}`,
    ]);
    expect(await casesOf(who.conversationId)).toEqual([]);
  });

  it('when a Teams customer accepts the call-back, then their Teams account is the contact and nothing is asked', async () => {
    const who = {
      locale: l.locale,
      conversationId: `callback-teams-${l.locale}`,
      userId: `29:cbt-${l.locale}`,
      channelId: 'msteams',
    };
    const from = { from: { id: who.userId, name: 'Customer', aadObjectId: `aad-${l.locale}` } };
    const send = (text: string) => bot.send({ type: 'message', text, ...from }, who);
    await send(l.question);
    await send(l.bye);
    await send('1');
    await send(l.comment);
    expect(texts(await send(l.yes))).toEqual([
      t(l.locale, 'handoff.ackLowRating'),
      t(l.locale, 'handoff.confirmContact', {
        summary: l.comment,
        contact: t(l.locale, 'handoff.contactTeams'),
      }),
    ]);
    await send(l.yes);
    expect(await casesOf(who.conversationId)).toEqual([
      expect.objectContaining({
        contact: { teams: `aad-${l.locale}` },
        rating: { score: 1, comment: l.comment },
      }),
    ]);
  });

  it('when no staff member is signed in, then the queue gives no wait estimate; with the console open it does', async () => {
    const queueUp = async (conversationId: string): Promise<string[]> => {
      const who = { locale: l.locale, conversationId, userId: `${conversationId}-user` };
      await bot.say(l.human, who);
      await bot.say(l.describe, who);
      await bot.say(t(l.locale, 'common.skip'), who);
      return texts(await bot.say(l.yes, who));
    };
    expect(await queueUp(`nobody-${l.locale}`)).toEqual([
      t(l.locale, 'handoff.queuedNoEstimateNoContact', { position: 1 }),
    ]);
    const agent = await bot.app.auth.issue(`Agent ${l.locale}`, 'agent', 'test');
    const stream = await EventStream.open(
      `${bot.url}/api/agent/events?token=${encodeURIComponent(agent.token)}`,
    );
    try {
      expect(await queueUp(`somebody-${l.locale}`)).toEqual([
        t(l.locale, 'handoff.queued', { position: 2, minutes: 10 }),
      ]);
    } finally {
      stream.close();
    }
    // Two minutes without a heartbeat (the stream is closed): nobody is present any more.
    bot.clock.advance(2 * 60_000 + 1);
    expect(await queueUp(`gone-${l.locale}`)).toEqual([
      t(l.locale, 'handoff.queuedNoEstimateNoContact', { position: 3 }),
    ]);
    for (const id of [`nobody-${l.locale}`, `somebody-${l.locale}`, `gone-${l.locale}`])
      await bot.app.handoff.cancelByCustomer(id);
  });
});
