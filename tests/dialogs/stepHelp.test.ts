import { t } from '../../locales';
import { startTestBot, texts, type TestBot } from '../helpers/harness';

/** What a customer types in each language. */
const CASES = [
  {
    locale: 'en',
    help: 'help',
    human: 'I want to talk to a human',
    question: 'How do I change my wifi password?',
    bye: "thanks, that's all",
    complaint: 'This is unacceptable, my internet has been down for three days!!!',
  },
  {
    locale: 'id',
    help: 'bantuan',
    human: 'saya mau bicara dengan manusia',
    question: 'gimana cara ganti password wifi',
    bye: 'makasih, udah cukup itu aja',
    complaint: 'Saya sangat kecewa, internet mati sudah tiga hari!!!',
  },
  {
    locale: 'pl',
    help: 'pomoc',
    human: 'chcę porozmawiać z konsultantem',
    question: 'jak zmienić hasło do wifi',
    bye: 'dzięki, to wszystko',
    complaint: 'To skandal, internet nie działa od trzech dni!!!',
  },
  {
    locale: 'nb',
    help: 'hjelp',
    human: 'jeg vil snakke med et menneske',
    question: 'hvordan bytter jeg wifi-passord',
    bye: 'takk, det var alt',
    complaint: 'Dette er helt uakseptabelt, internett har vært nede i tre dager!!!',
  },
] as const;

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
});
afterAll(() => bot.close());

describe.each(CASES)('help at a step that asks for something optional ($locale)', (c) => {
  const { locale } = c;
  const skip = t(locale, 'common.skip');
  let n = 0;
  const who = (name: string) => ({ locale, conversationId: `${name}-${locale}-${++n}` });

  it.each([c.help, '?'])(
    'when the customer types %p at the comment step, then the bot explains the step and that it can be skipped, and still waits for the comment',
    async (help) => {
      const customer = who('comment-help');
      await bot.say(c.question, customer);
      await bot.say(c.bye, customer);
      await bot.say('4', customer);
      const replies = await bot.say(help, customer);
      expect(texts(replies)).toEqual([t(locale, 'feedback.commentHelp', { skip })]);
      expect(replies[0]?.suggestedActions?.actions.map((a) => a.title)).toEqual([skip]);
      expect(texts(await bot.say(skip, customer))).toEqual([t(locale, 'feedback.noComment')]);
    },
  );

  it('when the customer asks for help at the description step, then the bot explains it and that it can be skipped', async () => {
    const customer = who('describe-help');
    await bot.say(c.human, customer);
    const replies = await bot.say(c.help, customer);
    expect(texts(replies)).toEqual([t(locale, 'handoff.describeHelp', { skip })]);
    expect(texts(await bot.say(skip, customer))).toEqual([t(locale, 'handoff.askContact', { skip })]);
  });

  it.each([c.help, '?'])(
    'when the customer types %p at the contact step, then the bot explains the step and that it can be skipped, and still waits for the contact',
    async (help) => {
      const customer = who('contact-help');
      await bot.say(c.complaint, customer);
      const replies = await bot.say(help, customer);
      expect(texts(replies)).toEqual([t(locale, 'handoff.contactHelp', { skip })]);
      expect(replies[0]?.suggestedActions?.actions.map((a) => a.title)).toEqual([skip]);
      expect(texts(await bot.say(skip, customer))).toEqual([
        t(locale, 'handoff.confirm', { summary: c.complaint }),
      ]);
    },
  );
});
