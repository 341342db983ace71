import { t } from '../../locales';
import { commentsOf, ratingsOf } from '../helpers/feedbackDocs';
import { newCustomers, startTestBot, texts, type Customer, type TestBot } from '../helpers/harness';

/**
 * The survey over the whole app (restify, CloudAdapter, embedded store) with the informal replies an exploratory
 * tester typed: a negated score corrected without a comma, misspelt number words, emoji, a bare yes where a
 * comment is asked, a contact typed instead of yes to the call-back, and one thanks for a rating with a comment.
 */
const CASES = [
  {
    locale: 'en',
    question: 'How do I change my wifi password?',
    bye: "thanks, that's all",
    corrected: ['not 5 more like 3', 'not a 5 maybe a 3'],
    misspelt: [['fiive', 5] as const, ['thre', null] as const, ['fiver', null] as const],
    withComment: '3, the agent was quick but the app is confusing',
    yes: 'yes',
    comment: 'nobody could fix my connection',
    contact: 'email me at jo@example.com',
    shown: 'jo@example.com',
    promisedCall: 'you said you would call me and never did',
    callMeAndMore: 'pls call me back, the internet is still down',
  },
  {
    locale: 'id',
    question: 'gimana cara ganti password wifi',
    bye: 'makasih, udah cukup itu aja',
    corrected: ['bukan 5 lebih ke 3', 'bukan 5, 3 aja'],
    misspelt: [['ampat', 4] as const, ['dau', null] as const, ['empati', null] as const],
    withComment: '3, agennya cepat tapi aplikasinya bikin bingung',
    yes: 'boleh',
    comment: 'internet saya tetap mati',
    contact: 'email aja ya: budi@contoh.id',
    shown: 'budi@contoh.id',
    promisedCall: 'katanya mau ditelpon tapi gak pernah',
    callMeAndMore: 'tolong telpon saya, internet masih mati',
  },
  {
    locale: 'pl',
    question: 'jak zmienić hasło do wifi',
    bye: 'dzięki, to wszystko',
    corrected: ['nie 5 tylko 3', 'nie 5 raczej 3'],
    misspelt: [['czteru', 4] as const, ['czteyry', 4] as const, ['piatek', null] as const],
    withComment: '3, konsultant szybki ale aplikacja jest niejasna',
    yes: 'tak',
    comment: 'nikt nie naprawił mojego łącza',
    contact: 'prosze dzwonic 601 234 567',
    shown: '601 234 567',
    promisedCall: 'mieliście oddzwonić i nic',
    callMeAndMore: 'zadzwońcie do mnie, internet dalej nie dziala',
  },
  {
    locale: 'nb',
    question: 'hvordan bytter jeg wifi-passord',
    bye: 'takk, det var alt',
    corrected: ['ikke 5, heller 3', 'ikke 5 mer som 3'],
    misspelt: [['fiire', 4] as const, ['tro', null] as const, ['treet', null] as const],
    withComment: '3, kundebehandleren var rask men appen er forvirrende',
    yes: 'ja',
    comment: 'ingen fikk fikset nettet mitt',
    contact: 'ring meg på 41 23 45 67',
    shown: '41 23 45 67',
    promisedCall: 'dere skulle ringe meg tilbake men gjorde det aldri',
    callMeAndMore: 'ring meg tilbake, nettet er fortsatt nede',
  },
] as const;

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
});
afterAll(() => bot.close());

const customer = newCustomers('informal');
/** A new conversation of `locale` that has reached the survey's rating step. */
async function atRating(c: (typeof CASES)[number]): Promise<Partial<Customer>> {
  const who = customer(c.locale);
  await bot.say(c.question, who);
  expect(texts(await bot.say(c.bye, who)).join(' ')).toContain(t(c.locale, 'feedback.prompt'));
  return who;
}

const thanked = (locale: string, score: number) =>
  `${t(locale, 'feedback.thanks', { score })} ${t(locale, 'feedback.commentOffer')}`;

describe.each(CASES)('informal replies to the survey ($locale)', (c) => {
  it.each(c.corrected)(
    'when the customer negates a score and gives another without punctuation (%p), then that one is the rating',
    async (text) => {
      const who = await atRating(c);
      expect(texts(await bot.say(text, who))).toEqual([thanked(c.locale, 3)]);
      expect(await ratingsOf(bot, who.conversationId!)).toEqual([3]);
      expect(await commentsOf(bot, who.conversationId!)).toEqual([]);
    },
  );

  it.each<readonly [string, number | null]>(c.misspelt)(
    'when the customer misspells a number word by one letter (%p), then it is read as that number when no other reads the same and it is no other word ("empati", empathy)',
    async (text, score) => {
      const who = await atRating(c);
      const replies = texts(await bot.say(text, who));
      if (score === null) expect(replies).toEqual([t(c.locale, 'feedback.askAgain')]);
      else expect(replies).toEqual([thanked(c.locale, score)]);
    },
  );

  it.each([
    ['👍', 4],
    ['👍👍', 4],
    ['👌', 4],
    ['❤️', 5],
  ] as const)(
    'when the customer answers the rating with %p, then it is the score it means',
    async (emoji, score) => {
      const who = await atRating(c);
      expect(texts(await bot.say(emoji, who))).toEqual([thanked(c.locale, score)]);
      expect(await ratingsOf(bot, who.conversationId!)).toEqual([score]);
    },
  );

  it('when a rating comes with a comment, then the customer is thanked once for both', async () => {
    const who = await atRating(c);
    const [reply, ...more] = texts(await bot.say(c.withComment, who));
    expect(more).toEqual([]);
    expect(reply).toBe(t(c.locale, 'feedback.thanksWithComment', { score: 3 }));
    expect(await commentsOf(bot, who.conversationId!)).toEqual([c.withComment]);
  });

  it('when the customer answers "what went wrong?" with a bare yes, then it is no comment and the question is asked once more', async () => {
    const who = await atRating(c);
    await bot.say('1', who);
    const skip = t(c.locale, 'common.skip');
    expect(texts(await bot.say(c.yes, who))).toEqual([t(c.locale, 'feedback.apologyGoAhead', { skip })]);
    expect(await commentsOf(bot, who.conversationId!)).toEqual([]);
    expect(texts(await bot.say(c.comment, who))).toEqual([
      `${t(c.locale, 'feedback.commentThanks')} ${t(c.locale, 'feedback.callbackOffer')}`,
    ]);
    expect(await commentsOf(bot, who.conversationId!)).toEqual([c.comment]);
  });

  it('when a second bare yes follows, then the step goes on without a comment', async () => {
    const who = await atRating(c);
    await bot.say('4', who);
    const skip = t(c.locale, 'common.skip');
    expect(texts(await bot.say(c.yes, who))).toEqual([t(c.locale, 'feedback.commentGoAhead', { skip })]);
    expect(texts(await bot.say(c.yes, who))).toEqual([t(c.locale, 'feedback.noComment')]);
    expect(await commentsOf(bot, who.conversationId!)).toEqual([]);
  });

  it("when a low rating's comment tells of a call-back promised and never made, then it is the comment, thanked, and the call-back is offered", async () => {
    const who = await atRating(c);
    await bot.say('1', who);
    expect(texts(await bot.say(c.promisedCall, who))).toEqual([
      `${t(c.locale, 'feedback.commentThanks')} ${t(c.locale, 'feedback.callbackOffer')}`,
    ]);
    expect(await commentsOf(bot, who.conversationId!)).toEqual([c.promisedCall]);
  });

  it("when a low rating's comment opens with a request to be called, then it is the call-back with that comment", async () => {
    const who = await atRating(c);
    await bot.say('1', who);
    expect(texts(await bot.say(c.callMeAndMore, who))).toEqual([
      t(c.locale, 'handoff.ackLowRating'),
      t(c.locale, 'handoff.askCallbackContact', { skip: t(c.locale, 'common.skip') }),
    ]);
    expect(await commentsOf(bot, who.conversationId!)).toEqual([c.callMeAndMore]);
  });

  it('when the customer types a contact instead of yes to the call-back, then the call-back is confirmed with that contact and no person is asked for now', async () => {
    const who = await atRating(c);
    await bot.say('1', who);
    await bot.say(c.comment, who);
    expect(texts(await bot.say(c.contact, who))).toEqual([
      t(c.locale, 'handoff.ackLowRating'),
      t(c.locale, 'handoff.confirmContact', { summary: c.comment, contact: c.shown }),
    ]);
    expect(texts(await bot.say(t(c.locale, 'common.yes'), who))).toEqual([
      `${t(c.locale, 'handoff.ticketSaved')} ${t(c.locale, 'handoff.ticketReplySoon')}`,
    ]);
    const cases = (await (await bot.api('/api/agent/cases')).json()) as Array<Record<string, unknown>>;
    expect(cases.filter((one) => one['conversationId'] === who.conversationId)).toEqual([
      expect.objectContaining({ reason: 'low-rating', rating: { score: 1, comment: c.comment } }),
    ]);
  });
});

it('when the customer answers "what went wrong?" with a request to be called, then it is the call-back, not a person now', async () => {
  const who = await atRating(CASES[0]);
  await bot.say('1', who);
  expect(texts(await bot.say('yes pls call me', who))).toEqual([
    t('en', 'handoff.ackLowRating'),
    t('en', 'handoff.askCallbackContact', { skip: t('en', 'common.skip') }),
  ]);
  expect(await commentsOf(bot, who.conversationId!)).toEqual([]);
});

describe.each([
  { locale: 'en', question: 'how do I get an eSIM', next: 'how do I pay my bill?' },
  { locale: 'id', question: 'cara dapetin esim gmn', next: 'cara bayar tagihan gmn?' },
  { locale: 'pl', question: 'jak dostać esim', next: 'jak zapłacić rachunek?' },
  { locale: 'nb', question: 'hvordan får jeg eSIM', next: 'hvordan betaler jeg regningen?' },
] as const)('a thumb up while a survey may still be answered late ($locale)', (c) => {
  it('when the customer answers "Did this answer your question?" with 👍 just after leaving a survey unanswered, then it answers the question, not the survey', async () => {
    const who = { locale: c.locale, conversationId: `thumb-late-${c.locale}`, userId: `thumb-${c.locale}` };
    await bot.say(c.question, who);
    await bot.say(t(c.locale, 'common.yes'), who);
    // Quiet long enough for the inactivity survey, which the customer answers with another question.
    bot.clock.advance(31 * 60_000);
    await bot.app.sweeps.surveyIdle();
    expect(texts(await bot.say(c.next, who))).toContain(t(c.locale, 'faq.wasHelpful'));
    expect(texts(await bot.say('👍', who))).not.toContain(t(c.locale, 'feedback.thanks', { score: 4 }));
    expect(await ratingsOf(bot, who.conversationId)).toEqual([]);
  });
});
