import type { Activity } from 'botbuilder';
import { FOLLOWUP_VERBS } from '../../cards/followupCard';
import { MAX_FOLLOWUP_NOTE_CHARS } from '../../handoff/followups';
import { t } from '../../locales';
import { startTestBot, type TestBot } from '../helpers/harness';
import { ANA, CHANNEL, mention, teamsActivity, thread } from './teams';

/**
 * Close on a Teams follow-up card with a note longer than the card's field takes (a client that ignores its
 * `maxLength`): refused with the reason, as the staff API refuses it, and the follow-up stays open; a note of the
 * longest length closes it.
 */
let bot: TestBot;
let followupId: string;
beforeAll(async () => {
  bot = await startTestBot();
  const setup = thread('note-setup');
  await bot.post(teamsActivity(bot.connector.url, ANA, setup, mention('set escalation channel')));
  await bot.connector.waitFor(() => bot.connector.textsTo(setup).length > 0, 'the channel confirmation');
  ({ id: followupId } = await bot.app.followups.open({
    conversationId: 'note-customer',
    customerId: 'note-customer-user',
    channel: 'webchat',
    locale: 'en',
    reason: 'left-message',
    summary: 'Please call me about my bill',
    contact: [{ kind: 'email', value: 'jan@example.com' }],
  }));
});
afterAll(() => bot.close());

/** Presses Close on the follow-up's card (Action.Execute) with `note`; the invoke response. */
async function close(note: string): Promise<{ statusCode: number; value: unknown }> {
  const action = { verb: FOLLOWUP_VERBS.close, followupId, note };
  const invoke: Partial<Activity> = {
    type: 'invoke',
    name: 'adaptiveCard/action',
    value: { action: { type: 'Action.Execute', verb: action.verb, data: action } },
  };
  const response = await bot.post(teamsActivity(bot.connector.url, ANA, CHANNEL, invoke));
  return (await response.json()) as { statusCode: number; value: unknown };
}

it('when the note is longer than the card takes, then Close is refused with the reason and the follow-up stays open', async () => {
  const body = await close('x'.repeat(MAX_FOLLOWUP_NOTE_CHARS + 1));
  expect(JSON.stringify(body.value)).toContain(
    t('en', 'staff.followupNoteTooLong', { max: MAX_FOLLOWUP_NOTE_CHARS }),
  );
  const followup = await bot.app.followups.get(followupId);
  expect(followup.status).toBe('open');
  expect(followup.note).toBeUndefined();
});

it('when the note is as long as the card takes, then the follow-up is closed with it', async () => {
  const note = 'x'.repeat(MAX_FOLLOWUP_NOTE_CHARS);
  expect((await close(note)).statusCode).toBe(200);
  expect(await bot.app.followups.get(followupId)).toMatchObject({ status: 'closed', note });
});
