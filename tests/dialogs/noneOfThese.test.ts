import type { Activity } from 'botbuilder';
import { t } from '../../locales';
import { startTestBot, texts, type TestBot } from '../helpers/harness';

/**
 * An explorer's finding: at "did you mean" choices, "neither", "none of them", "żadna" or "ingen passer" were routed
 * as new questions. Typed, they now mean "none of these", as pressing that button does: a person is offered. Bare no
 * to a single suggestion and a choice by place keep working. (The Indonesian phrases, and "ingen av dem", were already
 * read as no by the yes/no model; the list makes them independent of it.)
 */
const CASES = [
  {
    locale: 'en',
    several: 'bill',
    single: 'slow',
    none: ['neither', 'none', 'none of them', 'nope none of those', 'neither of them'],
    second: 'the second one',
  },
  {
    locale: 'id',
    several: 'tagihan',
    single: 'lambat',
    none: ['gak ada yg cocok', 'bukan semua', 'ga ada', 'bukan keduanya', 'ga ada yang sesuai kak'],
    second: 'yang kedua',
  },
  {
    locale: 'pl',
    several: 'router',
    single: 'wolny',
    none: ['żadna', 'żadne z nich', 'zadna', 'nic z tego', 'żadna z tych'],
    second: 'to drugie',
  },
  {
    locale: 'nb',
    several: 'ruteren',
    single: 'treg',
    none: ['ingen av dem', 'ingen av delene', 'ingen', 'ingen passer', 'verken eller'],
    second: 'den andre',
  },
] as const;

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
});
afterAll(() => bot.close());

let n = 0;
const customer = (locale: string) => {
  n += 1;
  return { locale, conversationId: `none-of-these-${n}`, userId: `none-of-these-user-${n}` };
};

/** The buttons of the last reply. */
const buttons = (replies: Partial<Activity>[]): string[] =>
  replies[replies.length - 1]?.suggestedActions?.actions.map((a) => String(a.value)) ?? [];

describe.each(CASES)('"none of these" in words at "did you mean" ($locale)', (c) => {
  it.each(c.none)(
    'when the customer types "%s" at several choices, then a person is offered, as the button does',
    async (reply) => {
      const who = customer(c.locale);
      const offered = await bot.say(c.several, who);
      expect(buttons(offered).length).toBeGreaterThan(2);
      expect(texts(await bot.say(reply, who))).toEqual([t(c.locale, 'faq.offerHuman')]);
    },
  );

  it.each(c.none)(
    'when the customer types "%s" at a single suggestion, then a person is offered, as the button does',
    async (reply) => {
      const who = customer(c.locale);
      const offered = await bot.say(c.single, who);
      expect(buttons(offered)).toHaveLength(2);
      expect(texts(await bot.say(reply, who))).toEqual([t(c.locale, 'faq.offerHuman')]);
    },
  );

  it('when the customer says no to a single suggestion, then a person is offered', async () => {
    const who = customer(c.locale);
    await bot.say(c.single, who);
    expect(texts(await bot.say(t(c.locale, 'common.no'), who))).toEqual([t(c.locale, 'faq.offerHuman')]);
  });

  it('when the customer chooses by place at several choices, then that entry is answered', async () => {
    const who = customer(c.locale);
    await bot.say(c.several, who);
    expect(texts(await bot.say(c.second, who))).toContain(t(c.locale, 'faq.wasHelpful'));
  });
});
