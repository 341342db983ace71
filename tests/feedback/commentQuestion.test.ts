import { t } from '../../locales';
import { startTestBot, texts, type TestBot } from '../helpers/harness';
import { commentsOf } from '../helpers/feedbackDocs';

/** A question written as (or in) the rating comment, and praise of the staff there, per language. */
const CASES = [
  {
    locale: 'en',
    staffPraise: 'the agent was lovely',
    question: 'How do I change my wifi password?',
    bye: "thanks, that's all",
    withRating: '3, how do I change my plan?',
    comment: 'Quick and clear. How do I change my plan?',
  },
  {
    locale: 'id',
    staffPraise: 'cs nya baik bgt',
    question: 'gimana cara ganti password wifi',
    bye: 'makasih, udah cukup itu aja',
    withRating: '3, gimana cara ganti paket?',
    comment: 'Cepat dan jelas. Bagaimana cara mengganti paket?',
  },
  {
    locale: 'pl',
    staffPraise: 'konsultant był bardzo miły',
    question: 'jak zmienić hasło do wifi',
    bye: 'dzięki, to wszystko',
    withRating: '3, jak zmienić pakiet?',
    comment: 'Szybko i jasno. Jak zmienić pakiet?',
  },
  {
    locale: 'nb',
    staffPraise: 'agenten var kjempehyggelig',
    question: 'hvordan bytter jeg wifi-passord',
    bye: 'takk, det var alt',
    withRating: '3, hvordan bytter jeg pakke?',
    comment: 'Raskt og tydelig. Hvordan bytter jeg pakke?',
  },
] as const;

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
});
afterAll(() => bot.close());

describe.each(CASES)('a question in the rating comment ($locale)', (c) => {
  const { locale } = c;
  const planAnswer = () => bot.app.kb.get(`${locale}-change-plan`)?.answer ?? '(no entry)';
  /** A conversation that has reached the survey. */
  const surveyed = async (name: string) => {
    const who = { locale, conversationId: `${name}-${locale}`, userId: `${name}-user-${locale}` };
    await bot.say(c.question, who);
    expect(texts(await bot.say(c.bye, who))).toEqual([t(locale, 'feedback.prompt')]);
    return who;
  };

  it('when the rating comes with a question, then the comment is stored, the bot thanks and then answers the question', async () => {
    const who = await surveyed('rated-question');
    const said = texts(await bot.say(c.withRating, who));
    expect(said[0]).toBe(t(locale, 'feedback.thanksWithComment', { score: 3 }));
    expect(said).toContain(planAnswer());
    expect(await commentsOf(bot, who.conversationId)).toEqual([c.withRating]);
  });

  it('when the comment praises the staff, then it is stored and thanked, not taken as a request for a person', async () => {
    const who = await surveyed('comment-praise');
    await bot.say('5', who);
    const said = texts(await bot.say(c.staffPraise, who));
    expect(said[0]).toBe(t(locale, 'feedback.commentThanks'));
    expect(said).not.toContain(t(locale, 'handoff.ackRequest'));
    expect(await commentsOf(bot, who.conversationId)).toEqual([c.staffPraise]);
  });

  it('when the comment is a question, then it is stored, the bot thanks and then answers it', async () => {
    const who = await surveyed('comment-question');
    await bot.say('5', who);
    const said = texts(await bot.say(c.comment, who));
    expect(said[0]).toBe(t(locale, 'feedback.commentThanks'));
    expect(said).toContain(planAnswer());
    expect(await commentsOf(bot, who.conversationId)).toEqual([c.comment]);
  });
});
