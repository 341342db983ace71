import { SURVEY_REPEAT_HOURS } from '../../feedback/service';
import { t } from '../../locales';
import { ADMIN_TOKEN, newCustomers, startTestBot, texts, type TestBot } from '../helpers/harness';
import { ratingsOf, surveysOf } from '../helpers/feedbackDocs';

/**
 * Tester 22, finding 11: after a completed rating, a later episode of the same conversation (another question, a
 * miss, "no") brought the rating card again and a second rating was stored. Now a conversation gets the bot's survey
 * at most once within SURVEY_REPEAT_HOURS; a hand-over to a person since gets its own.
 */
let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true', HANDOFF_REQUESTS_PER_CLIENT_PER_DAY: '0' });
});
afterAll(() => bot.close());

const customer = newCustomers('one-survey');

/** The tester's path to the rating card: a question, "yes" to its answer, "no" to "anything else?". */
async function surveyed(locale: 'en' | 'nb', who = customer(locale)) {
  const path = {
    en: ['how do I pay my bill', 'yes', 'no'],
    nb: ['hvordan betaler jeg regningen', 'ja', 'nei'],
  }[locale];
  for (const text of path.slice(0, -1)) await bot.say(text, who);
  expect(texts(await bot.say(path.at(-1)!, who))).toContain(t(locale, 'feedback.prompt'));
  return who;
}

it('when a rated customer closes a later episode ("3", then "no"), then they get a goodbye, no second card or rating', async () => {
  const who = await surveyed('en');
  await bot.say('5', who);
  expect(texts(await bot.say('skip', who))).toEqual([t('en', 'feedback.noComment')]);
  await bot.say('3', who);
  const closing = texts(await bot.say('no', who));
  expect(closing).not.toContain(t('en', 'feedback.prompt'));
  expect(closing).toContain(t('en', 'common.goodbye'));
  await bot.say('2', who);
  expect(await ratingsOf(bot, who.conversationId)).toEqual([5]);
  expect(await surveysOf(bot, who.conversationId)).toEqual(['answered']);
});

it('when a rated customer (nb) skips the comment, asks about something else and says "nei takk", then no second card comes', async () => {
  const who = await surveyed('nb');
  await bot.say('3', who);
  await bot.say('hopp over', who);
  await bot.say('hva med fiber', who);
  expect(texts(await bot.say('nei takk', who))).not.toContain(t('nb', 'feedback.prompt'));
  expect(await surveysOf(bot, who.conversationId)).toEqual(['answered']);
});

it('when a customer who declined the rating closes a later episode a quarter of an hour on, then no second card comes', async () => {
  const who = await surveyed('en');
  await bot.say('skip', who);
  bot.clock.advance(15 * 60_000);
  for (const text of ['how do I pay my bill', 'yes']) await bot.say(text, who);
  const closing = texts(await bot.say('no', who));
  expect(closing).not.toContain(t('en', 'feedback.prompt'));
  expect(closing).toContain(t('en', 'common.goodbye'));
  expect(await surveysOf(bot, who.conversationId)).toEqual(['no-response']);
});

it(`when ${SURVEY_REPEAT_HOURS} hours have passed since the survey, then a new episode is surveyed again`, async () => {
  const who = await surveyed('en');
  await bot.say('4', who);
  await bot.say('skip', who);
  bot.clock.advance(SURVEY_REPEAT_HOURS * 60 * 60_000);
  await surveyed('en', who);
  expect(await surveysOf(bot, who.conversationId)).toEqual(['answered', 'sent']);
});

it('when a person handled a case after the survey, then that hand-over gets its own survey', async () => {
  const who = await surveyed('en');
  await bot.say('5', who);
  await bot.say('skip', who);
  for (const text of ['I want to talk to a human', 'my router keeps rebooting', 'skip', 'yes'])
    await bot.say(text, who);
  const cases = (await (await bot.api('/api/agent/cases?status=queued')).json()) as Array<{
    id: string;
    conversationId: string;
  }>;
  const caseId = cases.find((c) => c.conversationId === who.conversationId)?.id ?? '';
  const post = (action: string) =>
    bot.api(`/api/agent/cases/${caseId}/${action}`, { method: 'POST', token: ADMIN_TOKEN, body: '{}' });
  expect((await post('take')).status).toBe(200);
  expect((await post('resolve')).status).toBe(200);
  await bot.connector.waitFor(
    () => bot.connector.textsTo(who.conversationId).includes(t('en', 'feedback.prompt')),
    'the survey of the hand-over',
  );
  expect(await surveysOf(bot, who.conversationId)).toEqual(['answered', 'sent']);
});
