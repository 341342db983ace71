import { t } from '../../locales';
import { newCustomers, startTestBot, texts, type TestBot } from '../helpers/harness';

/**
 * Thanks that say the answer did not help ("thanks but my problem is still not solved", "makasih tapi ga
 * ngebantu", "dzięki ale to nic nie dało", "takk men det hjalp ikke") read as goodbyes: at "anything else?" the
 * customer whose problem remained got the survey, at "did this help?" an Indonesian one too, and as a first message
 * "thanks but that didn't help" was thanked for the praise. Now they say no goodbye: after an answer the bot
 * apologises and offers a person.
 */
const CASES = [
  {
    locale: 'en',
    question: 'How do I change my wifi password?',
    yes: 'yes',
    atHelpful: 'thanks but that did not fix it',
    atAnythingElse: 'ok thanks but my problem is still not solved',
  },
  {
    locale: 'id',
    question: 'Bagaimana cara mengganti kata sandi wifi?',
    yes: 'iya',
    atHelpful: 'makasih tp masalahnya blm selesai',
    atAnythingElse: 'makasih tapi ga ngebantu',
  },
  {
    locale: 'pl',
    question: 'jak zmienić hasło do wifi?',
    yes: 'tak',
    atHelpful: 'dzięki, ale nic nie dało',
    atAnythingElse: 'dzięki ale to nic nie dało',
  },
  {
    locale: 'nb',
    question: 'hvordan bytter jeg wifi-passord?',
    yes: 'ja',
    atHelpful: 'takk, men det løste ingenting',
    atAnythingElse: 'takk men det hjalp ikke',
  },
] as const;

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
});
afterAll(() => bot.close());

const who = newCustomers('thanks-but');

describe.each(CASES)('thanks that say the answer did not help ($locale)', (c) => {
  it('when the customer answers "did this help?" with them, then the bot offers a person', async () => {
    const customer = who(c.locale);
    await bot.say(c.question, customer);
    expect(texts(await bot.say(c.atHelpful, customer))).toEqual([t(c.locale, 'faq.offerHuman')]);
  });

  it('when the customer says them at "anything else?" after a yes, then the bot offers a person, not the survey', async () => {
    const customer = who(c.locale);
    await bot.say(c.question, customer);
    await bot.say(c.yes, customer);
    expect(texts(await bot.say(c.atAnythingElse, customer))).toEqual([t(c.locale, 'faq.offerHuman')]);
  });
});

it.each([
  ['en', 'How do I change my wifi password?', 'yes', 'yes, my tv is still broken'],
  ['pl', 'jak zmienić hasło do wifi?', 'tak', 'tak, router nadal nie działa'],
])(
  'when a %s customer answers "anything else?" with a yes and a new problem, then the answer keeps its vote',
  async (locale, question, yes, next) => {
    const customer = who(locale);
    await bot.say(question, customer);
    await bot.say(yes, customer);
    expect(texts(await bot.say(next, customer))).not.toContain(t(locale, 'faq.offerHuman'));
  },
);

it('when "thanks but that didn\'t help" is the first message, then it is neither thanked for nor a goodbye', async () => {
  const said = texts(await bot.say("thanks but that didn't help", who('en')));
  expect(said).not.toContain(t('en', 'common.praiseThanks'));
  expect(said).not.toContain(t('en', 'common.goodbye'));
  expect(said.join(' ')).not.toMatch(/rate this conversation/);
});
