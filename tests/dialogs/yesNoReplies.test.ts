import type { CaseDoc } from '../../handoff/cases';
import { t } from '../../locales';
import { startTestBot, texts, type TestBot } from '../helpers/harness';

const QUESTIONS: Record<string, string> = {
  en: 'How do I change my wifi password?',
  id: 'gimana cara ganti password wifi',
  pl: 'jak zmienić hasło do wifi',
  nb: 'hvordan bytter jeg wifi-passord',
};

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
});
afterAll(() => bot.close());

let n = 0;
function customer(locale: string) {
  n += 1;
  return { locale, conversationId: `yes-no-${n}`, userId: `yes-no-user-${n}` };
}
const casesOf = (conversationId: string) => bot.app.db.collection<CaseDoc>('cases').find({ conversationId });

/** A customer asked "anything else?" after an answer that helped. */
async function atAnythingElse(locale: string) {
  const who = customer(locale);
  await bot.say(QUESTIONS[locale]!, who);
  expect(texts(await bot.say(t(locale, 'common.yes'), who))).toContain(t(locale, 'common.anythingElse'));
  return who;
}

describe.each(['ya udah deh', 'yaudah', 'ya udah lah'])(
  'a resigned "%s" to the offer of a person (id)',
  (reply) => {
    it('when the customer answers the offer of a person with a resigned "oh well", then no hand-over starts', async () => {
      const who = customer('id');
      await bot.say('xyzzy qwerty', who);
      expect(texts(await bot.say('blorp flarp', who)).join(' ')).toContain(t('id', 'faq.offerHuman'));
      expect(texts(await bot.say(reply, who))).toEqual([t('id', 'faq.okayRephrase')]);
      expect(await casesOf(who.conversationId)).toEqual([]);
    });
  },
);

describe.each(['ya udah deh', 'yaudah'])('a resigned "%s" when asked to send a request (id)', (reply) => {
  it('when the customer answers "shall I send it?" with a resigned "oh well", then nothing is sent', async () => {
    const who = customer('id');
    await bot.say('kecewa banget sama pelayanannya', who);
    await bot.say(t('id', 'common.skip'), who); // the description
    await bot.say(t('id', 'common.skip'), who); // the contact
    await bot.say(reply, who);
    expect(await casesOf(who.conversationId)).toEqual([]);
  });
});

describe.each(['udah gak ada', 'gak ada kak', 'udah itu aja'])('"%s" to "anything else?" (id)', (reply) => {
  it('when the customer says there is nothing more, then the episode closes with the survey', async () => {
    const who = await atAnythingElse('id');
    expect(texts(await bot.say(reply, who))).toEqual([t('id', 'feedback.prompt')]);
  });
});

/** A goodbye in another supported language than the conversation's, at "anything else?". */
const FOREIGN_GOODBYES = [
  { locale: 'en', bye: 'to wszystko', byeLocale: 'pl' },
  { locale: 'id', bye: 'det var alt', byeLocale: 'nb' },
  { locale: 'pl', bye: "that's all", byeLocale: 'en' },
  { locale: 'nb', bye: 'to wszystko', byeLocale: 'pl' },
] as const;

describe.each(FOREIGN_GOODBYES)(
  'a goodbye in another language ($locale chat, "$bye")',
  ({ locale, bye, byeLocale }) => {
    it('when the customer says goodbye in another supported language at "anything else?", then the episode closes and nobody is called', async () => {
      const who = await atAnythingElse(locale);
      const said = texts(await bot.say(bye, who));
      expect([[t(locale, 'feedback.prompt')], [t(byeLocale, 'feedback.prompt')]]).toContainEqual(said);
      expect(await casesOf(who.conversationId)).toEqual([]);
    });
  },
);
