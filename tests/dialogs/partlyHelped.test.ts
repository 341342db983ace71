import type { Activity } from 'botbuilder';
import { t } from '../../locales';
import { newCustomers, startTestBot, texts, type TestBot } from '../helpers/harness';

/**
 * A lukewarm answer at "Did this answer your question?" ("so so", "sort of", "lumayan", "oke lah", "biasa aja",
 * "średnio", "tak sobie", "sånn passe", "tja") was a yes ("so so", "sort of": glad, "anything else?"), a goodbye
 * ("lumayan", "oke lah": the survey) or a new question ("biasa aja": "did you mean"), found by the twenty-first
 * session's exploratory tester. It helped in part: the bot is sorry it did not fully help and goes on as after a no
 * (the other matches, or a person), with no yes vote and no survey.
 */
const QUESTIONS = {
  en: 'How do I change my wifi password?',
  id: 'Bagaimana cara mengganti kata sandi wifi?',
  pl: 'jak zmienić hasło do wifi?',
  nb: 'hvordan bytter jeg wifi-passord?',
} as const;
type Locale = keyof typeof QUESTIONS;

const LUKEWARM: [Locale, string][] = [
  ['en', 'so so'],
  ['en', 'sort of'],
  ['en', 'kind of'],
  ['en', 'meh'],
  ['en', 'yeah kinda'],
  ['id', 'lumayan'],
  ['id', 'oke lah'],
  ['id', 'biasa aja'],
  ['id', 'ya gitu deh'],
  ['id', 'lumayan sih kak'],
  ['pl', 'średnio'],
  ['pl', 'tak sobie'],
  ['pl', 'nie do końca'],
  ['pl', 'nie do konca'],
  ['nb', 'sånn passe'],
  ['nb', 'sann passe'],
  ['nb', 'delvis'],
  ['nb', 'tja'],
];

/** One-word questions whose "did you mean" choices, once one is taken, leave others to offer, and a lukewarm answer. */
const VAGUE: [Locale, string, string][] = [
  ['en', 'bill', 'sorta'],
  ['id', 'tagihan', 'lumayan'],
];

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
});
afterAll(() => bot.close());

const who = newCustomers('partly');

/** Helpful and not-helpful votes over every entry. */
async function votes(): Promise<{ helpful: number; notHelpful: number }> {
  const all = await bot.app.kb.votesList();
  return {
    helpful: all.reduce((sum, vote) => sum + vote.helpful, 0),
    notHelpful: all.reduce((sum, vote) => sum + vote.notHelpful, 0),
  };
}

/** The buttons of the last reply. */
const buttons = (replies: Partial<Activity>[]): string[] =>
  replies[replies.length - 1]?.suggestedActions?.actions.map((a) => String(a.value)) ?? [];

describe('a lukewarm answer at "did this help?"', () => {
  it.each(LUKEWARM)(
    'when a %s customer answers "%s", then the bot is sorry it did not fully help and offers a person, with a vote down',
    async (locale, reply) => {
      const customer = who(locale);
      await bot.say(QUESTIONS[locale], customer);
      const before = await votes();
      const replies = await bot.say(reply, customer);
      expect(texts(replies)).toEqual([t(locale, 'faq.partlyOfferHuman')]);
      expect(buttons(replies)).toEqual([t(locale, 'common.talkToHuman'), t(locale, 'common.no')]);
      expect(await votes()).toEqual({ helpful: before.helpful, notHelpful: before.notHelpful + 1 });
    },
  );

  it.each(VAGUE)(
    'when a %s customer asks "%s", takes a suggestion and answers "%s", then the other suggestions follow the apology',
    async (locale, question, lukewarm) => {
      const customer = who(locale);
      const [first, ...rest] = buttons(await bot.say(question, customer));
      expect(rest.length).toBeGreaterThan(1);
      await bot.say(first ?? '', customer);
      const replies = texts(await bot.say(lukewarm, customer));
      expect(replies).toHaveLength(1);
      expect(replies[0]?.startsWith(`${t(locale, 'faq.partlyOthers')}\n\n1. ${rest[0] ?? ''}`)).toBe(true);
    },
  );

  it('when the customer then declines a person, then the bot asks them to put it in other words', async () => {
    const customer = who('id');
    await bot.say(QUESTIONS.id, customer);
    await bot.say('lumayan', customer);
    expect(texts(await bot.say('tidak', customer))).toEqual([t('id', 'faq.okayRephrase')]);
  });
});
