import { randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder';
import { t } from '../../locales';
import { commentsOf, ratingsOf } from '../helpers/feedbackDocs';
import { newCustomers, startTestBot, texts, type Customer, type TestBot } from '../helpers/harness';

/**
 * A second press on the same rating card, over the whole app (restify, CloudAdapter, embedded store): Web Chat
 * sends an `Action.Submit` message, Teams an `Action.Execute` invoke answered with the updated card. The latest
 * score is what the customer means: it is kept, and said once in their language.
 */
const CASES = [
  {
    locale: 'en',
    question: 'how do I change my wifi password?',
    bye: "thanks, that's all",
    comment: 'quick n easy',
  },
  {
    locale: 'id',
    question: 'gimana cara ganti password wifi',
    bye: 'makasih, udah cukup',
    comment: 'cepet bgt',
  },
  {
    locale: 'pl',
    question: 'jak zmienic haslo do wifi',
    bye: 'dzieki, to wszystko',
    comment: 'szybko i konkretnie',
  },
  {
    locale: 'nb',
    question: 'hvordan bytter jeg wifi passord',
    bye: 'takk, det var alt',
    comment: 'raskt og greit',
  },
] as const;

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot();
});
afterAll(() => bot.close());

const customer = newCustomers('late-press');

/** The episode id carried by the rating card among the replies. */
function episodeOf(replies: Partial<Activity>[]): string {
  for (const reply of replies) {
    for (const attachment of reply.attachments ?? []) {
      const card = attachment.content as { actions?: { data?: { verb?: string; episodeId?: string } }[] };
      const data = card.actions?.[0]?.data;
      if (data?.verb === 'rating.submit' && data.episodeId) return data.episodeId;
    }
  }
  throw new Error('no rating card in the replies');
}

describe.each(CASES)('a second press on the rating card in Web Chat ($locale)', (c) => {
  /** A conversation at the survey, with the card's episode and a press of its buttons. */
  async function surveyed() {
    const who = customer(c.locale);
    await bot.say(c.question, who);
    const episodeId = episodeOf(await bot.say(c.bye, who));
    const press = async (score: number) =>
      texts(await bot.say('', { ...who, value: { verb: 'rating.submit', episodeId, score } }));
    return { who, press };
  }

  it('when the customer presses another score while the comment is asked, then the new score is kept, thanked once and the comment asked as that score asks it', async () => {
    const { who, press } = await surveyed();
    await press(4);
    expect(await press(2)).toEqual([
      `${t(c.locale, 'feedback.changed', { score: 2 })} ${t(c.locale, 'feedback.apology')}`,
    ]);
    expect(await ratingsOf(bot, who.conversationId)).toEqual([2]);
    expect(texts(await bot.say(c.comment, who))).toEqual([
      `${t(c.locale, 'feedback.commentThanks')} ${t(c.locale, 'feedback.callbackOffer')}`,
    ]);
  });

  it('when the customer presses another score after commenting, then the new score is kept, thanked once, and the comment stays', async () => {
    const { who, press } = await surveyed();
    await press(4);
    await bot.say(c.comment, who);
    expect(await press(2)).toEqual([t(c.locale, 'feedback.changed', { score: 2 })]);
    expect(await ratingsOf(bot, who.conversationId)).toEqual([2]);
    expect(await commentsOf(bot, who.conversationId)).toEqual([c.comment]);
  });

  it('when the customer presses a higher score at the call-back offer, then the new score is kept, thanked, and the offer is withdrawn', async () => {
    const { who, press } = await surveyed();
    await press(2);
    await bot.say(c.comment, who);
    expect(await press(4)).toEqual([t(c.locale, 'feedback.changed', { score: 4 })]);
    expect(await ratingsOf(bot, who.conversationId)).toEqual([4]);
    expect(await commentsOf(bot, who.conversationId)).toEqual([c.comment]);
    // The survey is over: a yes now asks for nothing more from it.
    expect(texts(await bot.say(t(c.locale, 'common.yes'), who))).not.toContain(
      t(c.locale, 'handoff.ackLowRating'),
    );
  });

  it('when the customer presses the same score again, then one rating is kept and the press gets a short thanks', async () => {
    const { who, press } = await surveyed();
    await press(4);
    expect(await press(4)).toEqual([t(c.locale, 'feedback.thanks', { score: 4 })]);
    expect(await ratingsOf(bot, who.conversationId)).toEqual([4]);
  });
});

describe.each(CASES)('a second press on the rating card in Teams ($locale)', (c) => {
  /** A Teams conversation at the survey; `press` answers with the invoke's card and the messages sent meanwhile. */
  async function surveyed() {
    const who: Omit<Customer, 'channelId'> = { ...customer(c.locale) };
    const teams = { channelId: 'msteams', ...who };
    const from = { from: { id: who.userId, name: 'Customer', aadObjectId: `aad-${who.userId}` } };
    const say = async (text: string) => texts(await bot.send({ type: 'message', text, ...from }, teams));
    await say(c.question);
    const episodeId = episodeOf(await bot.send({ type: 'message', text: c.bye, ...from }, teams));
    const press = async (score: number) => {
      const before = bot.connector.textsTo(who.conversationId).length;
      const response = await bot.post({
        id: randomUUID(),
        type: 'invoke',
        name: 'adaptiveCard/action',
        channelId: 'msteams',
        serviceUrl: bot.connector.url,
        ...from,
        recipient: { id: 'bot', name: 'Bot' },
        conversation: { id: who.conversationId, conversationType: 'personal' },
        locale: c.locale,
        value: {
          action: {
            type: 'Action.Execute',
            verb: 'rating.submit',
            data: { verb: 'rating.submit', episodeId, score },
          },
          trigger: 'manual',
        },
      });
      const card = JSON.stringify(((await response.json()) as { value: unknown }).value);
      return { card, said: bot.connector.textsTo(who.conversationId).slice(before) };
    };
    return { who, say, press };
  }

  it('when the customer presses another score while the comment is asked, then the card shows it and the change is said once', async () => {
    const { who, press } = await surveyed();
    await press(4);
    const { card, said } = await press(2);
    expect(card).toContain(t(c.locale, 'feedback.cardThanks', { score: 2 }));
    expect(said).toEqual([
      `${t(c.locale, 'feedback.changed', { score: 2 })} ${t(c.locale, 'feedback.apology')}`,
    ]);
    expect(await ratingsOf(bot, who.conversationId)).toEqual([2]);
  });

  it('when the customer types a score and then presses another after the survey ended, then the change is said once', async () => {
    const { who, say, press } = await surveyed();
    await say('4');
    await say(c.comment);
    const { card, said } = await press(5);
    expect(card).toContain(t(c.locale, 'feedback.cardThanks', { score: 5 }));
    expect(said).toEqual([t(c.locale, 'feedback.changed', { score: 5 })]);
    expect(await ratingsOf(bot, who.conversationId)).toEqual([5]);
    expect(await commentsOf(bot, who.conversationId)).toEqual([c.comment]);
  });

  it('when the customer presses the score they typed, then only the card thanks them', async () => {
    const { who, say, press } = await surveyed();
    await say('4');
    const { card, said } = await press(4);
    expect(card).toContain(t(c.locale, 'feedback.cardThanks', { score: 4 }));
    expect(said).toEqual([]);
    expect(await ratingsOf(bot, who.conversationId)).toEqual([4]);
  });
});
