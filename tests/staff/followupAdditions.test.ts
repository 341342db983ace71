import { t } from '../../locales';
import { startTestBot, texts, type TestBot } from '../helpers/harness';
import { ANA, CHANNEL, mention, teamsActivity, thread } from './teams';

/**
 * What a customer writes after "I've saved your message" is added to the follow-up ("I've added this to your
 * message for our team"): its Teams card, which staff act from, shows it in the recent conversation.
 */
let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ BUSINESS_HOURS: 'Mon-Fri 08:00-18:00', BUSINESS_TIMEZONE: 'UTC' });
  while (bot.clock.now().getUTCDay() !== 6) bot.clock.advance(60 * 60_000);
  const setup = thread('additions-setup');
  await bot.post(teamsActivity(bot.connector.url, ANA, setup, mention('set escalation channel')));
  await bot.connector.waitFor(() => bot.connector.textsTo(setup).length > 0, 'the channel confirmation');
});
afterAll(() => bot.close());

/** The follow-up cards the bot sent to the escalation channel (posted or updated), as JSON, in order. */
const followupCards = (): string[] =>
  bot.connector.sent
    .filter((r) => r.conversationId === CHANNEL)
    .flatMap((r) => r.activity.attachments ?? [])
    .map((a) => JSON.stringify(a.content))
    .filter((card) => card.includes('case.followup.claim') || card.includes('case.followup.close'));

it('when the customer adds to a saved message, then the follow-up card in Teams shows the addition', async () => {
  const who = { conversationId: 'additions-customer' };
  await bot.say('I want to talk to a human', who);
  await bot.say('yes', who);
  await bot.say('my bill is twice as high as last month', who);
  await bot.say('+48 601 234 567', who);
  expect(texts(await bot.say('yes', who))[0]?.startsWith(t('en', 'handoff.ticketSaved'))).toBe(true);
  await bot.connector.waitFor(() => followupCards().length > 0, 'the follow-up card');

  const more = 'the invoice number is 2024-118, by the way';
  expect(texts(await bot.say(more, who))).toEqual([t('en', 'handoff.addedToFollowup')]);
  await bot.connector.waitFor(
    () => followupCards().some((card) => card.includes('2024-118')),
    'the follow-up card showing the addition',
  );
});
