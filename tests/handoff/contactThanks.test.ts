import { t } from '../../locales';
import { startTestBot, texts, type TestBot } from '../helpers/harness';

/**
 * At the contact step (an optional detail, with **Skip**), thanks alone is a skip; thanks with a contact in it
 * gives the contact.
 */
const CASES = [
  {
    locale: 'en',
    complaint: 'This is unacceptable, my internet has been down for three days!!!',
    thanks: 'thank you so much!',
    withContact: "thanks, it's jan@example.com",
  },
  {
    locale: 'id',
    complaint: 'Saya sangat kecewa, internet mati sudah tiga hari!!!',
    thanks: 'makasih banyak',
    withContact: 'makasih, email saya jan@example.com',
  },
  {
    locale: 'pl',
    complaint: 'To skandal, internet nie działa od trzech dni!!!',
    thanks: 'dziękuję bardzo',
    withContact: 'dziękuję, mój e-mail to jan@example.com',
  },
  {
    locale: 'nb',
    complaint: 'Dette er helt uakseptabelt, internett har vært nede i tre dager!!!',
    thanks: 'tusen takk',
    withContact: 'takk, e-posten min er jan@example.com',
  },
] as const;

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
});
afterAll(() => bot.close());

describe.each(CASES)('thanks at the contact step ($locale)', (c) => {
  const askContact = () => t(c.locale, 'handoff.askContact', { skip: t(c.locale, 'common.skip') });

  it('when the customer only says thanks where a contact is asked, then it is a skip and the bot asks to confirm', async () => {
    const who = { locale: c.locale, conversationId: `ct-${c.locale}`, userId: `ct-user-${c.locale}` };
    expect(texts(await bot.say(c.complaint, who))).toEqual([
      t(c.locale, 'handoff.ackComplaint'),
      askContact(),
    ]);
    expect(texts(await bot.say(c.thanks, who))).toEqual([
      t(c.locale, 'handoff.confirm', { summary: c.complaint }),
    ]);
  });

  it('when the thanks comes with an e-mail address, then the address is taken', async () => {
    const who = { locale: c.locale, conversationId: `cc-${c.locale}`, userId: `cc-user-${c.locale}` };
    expect(texts(await bot.say(c.complaint, who))).toEqual([
      t(c.locale, 'handoff.ackComplaint'),
      askContact(),
    ]);
    expect(texts(await bot.say(c.withContact, who))).toEqual([
      t(c.locale, 'handoff.confirmContact', { summary: c.complaint, contact: 'jan@example.com' }),
    ]);
  });
});

it('when thanks comes with a question where a contact is asked, then it is no skip and the contact is asked again', async () => {
  const who = { locale: 'en', conversationId: 'ct-question', userId: 'ct-question-user' };
  await bot.say('This is unacceptable, my internet has been down for three days!!!', who);
  expect(texts(await bot.say('thanks, but why do you need that?', who))).toEqual([
    t('en', 'handoff.contactRetry', { skip: t('en', 'common.skip') }),
  ]);
});
