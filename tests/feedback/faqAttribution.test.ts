import { SURVEY_REPEAT_HOURS } from '../../feedback/service';
import { t } from '../../locales';
import { startTestBot, texts, type TestBot } from '../helpers/harness';

/**
 * A rating names the FAQ answer of the episode it rates. An earlier episode's answer must not be carried into a
 * later survey: here the first episode (the e-invoice answer) is closed by the inactivity sweep, the next one
 * gets no answer at all, and its low rating once went to `pl-e-invoice`.
 */
let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
});
afterAll(async () => {
  await bot.close();
});

const customer = { locale: 'pl', conversationId: 'conv-attribution', userId: 'user-attribution' };
const say = async (text: string) => texts(await bot.say(text, customer));

interface RatingRow {
  key: string | null;
  count: number;
}

const ratedEntries = async (): Promise<Record<string, number>> => {
  const response = await bot.api('/api/admin/ratings/breakdown?by=faqEntryId');
  const { rows } = (await response.json()) as { rows: RatingRow[] };
  return Object.fromEntries(rows.filter((r) => r.count > 0).map((r) => [r.key ?? 'none', r.count]));
};

it('when a later episode without an answer is rated, then the rating names no earlier answer', async () => {
  expect((await say('Czy mogę dostawać fakturę e-mailem?')).at(-1)).toBe(t('pl', 'faq.wasHelpful'));
  await say('tak');
  await say('tak'); // "anything else?" — yes: the episode stays open, the customer goes quiet
  bot.clock.advance(60 * 60_000);
  expect(await bot.app.sweeps.surveyIdle()).toBe(1);
  await say('5');
  await say(t('pl', 'common.skip'));
  expect(await ratedEntries()).toEqual({ 'pl-e-invoice': 1 });

  // The next need, a day later (a conversation is surveyed once within SURVEY_REPEAT_HOURS): no answer for it.
  bot.clock.advance(SURVEY_REPEAT_HOURS * 60 * 60_000 + 60_000);
  expect(await say('chcę anulować')).toEqual([t('pl', 'faq.rephrase')]);
  expect(await say('dzięki, to wszystko')).toEqual([t('pl', 'feedback.prompt')]);
  await say('2');
  await say('nie da się anulować');
  expect(await ratedEntries()).toEqual({ 'pl-e-invoice': 1, none: 1 });
});

it('when the episode answered a question, then its rating names that answer', async () => {
  const other = { locale: 'pl', conversationId: 'conv-attribution-2', userId: 'user-attribution-2' };
  await bot.say('Czy mogę dostawać fakturę e-mailem?', other);
  await bot.say('tak', other);
  await bot.say('tak', other);
  await bot.say('jak zrezygnować z abonamentu', other);
  expect(texts(await bot.say('dzięki, to wszystko', other))).toEqual([t('pl', 'feedback.prompt')]);
  await bot.say('2', other);
  expect(await ratedEntries()).toEqual({ 'pl-e-invoice': 1, 'pl-cancellation': 1, none: 1 });
});
