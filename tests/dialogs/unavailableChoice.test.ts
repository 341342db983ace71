import type { Activity } from 'botbuilder';
import { t } from '../../locales';
import { startTestBot, texts, type TestBot } from '../helpers/harness';

/**
 * A customer tester's finding: an entry an admin disabled while its "did you mean" button was on screen was still
 * answered when the customer pressed the button. A choice of an entry that is disabled or deleted now gets a polite
 * "no longer available" and the way on (rephrase, or a person), never the entry's answer.
 */
let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
});
afterAll(() => bot.close());

const json = (body: unknown) => ({ body: JSON.stringify(body) });

/** Disables (enabled: false) or enables an entry through the admin API, as an admin would. */
async function setEnabled(id: string, enabled: boolean): Promise<void> {
  const entry = bot.app.kb.get(id);
  if (!entry) throw new Error(`no entry ${id}`);
  const { locale, questions, answer } = entry;
  const response = await bot.api(`/api/admin/faq/${id}`, {
    method: 'PUT',
    ...json({ locale, questions, answer, enabled }),
  });
  expect(response.status).toBe(200);
}

/** The buttons of the last reply. */
const buttons = (replies: Partial<Activity>[]): string[] =>
  replies[replies.length - 1]?.suggestedActions?.actions.map((a) => String(a.value)) ?? [];

const CASES = [
  { locale: 'en', question: 'roming', id: 'en-roaming' },
  { locale: 'id', question: 'roaming', id: 'id-roaming' },
  { locale: 'pl', question: 'roaming', id: 'pl-roaming' },
  { locale: 'nb', question: 'roaming', id: 'nb-roaming' },
] as const;

describe.each(CASES)(
  'a "did you mean" choice of an entry disabled meanwhile ($locale)',
  ({ locale, question, id }) => {
    afterEach(() => setEnabled(id, true));

    it('when the customer presses the button of an entry an admin disabled meanwhile, then its answer is not shown and they are asked to rephrase', async () => {
      const who = { locale, conversationId: `unavailable-${locale}`, userId: `unavailable-user-${locale}` };
      const offered = await bot.say(question, who);
      expect(texts(offered)[0]).toContain(t(locale, 'faq.didYouMean'));
      const [label] = buttons(offered);
      expect(label).toBe(bot.app.kb.get(id)?.questions[0]);
      await setEnabled(id, false);
      const replies = texts(await bot.say(label ?? '', who));
      expect(replies).toEqual([t(locale, 'faq.noLongerAvailable')]);
      expect(replies.join(' ')).not.toContain(bot.app.kb.get(id)?.answer);
    });
  },
);

it('when the customer presses the button of an entry an admin deleted meanwhile, then it is no longer available, and the next miss offers a person', async () => {
  const who = { locale: 'en', conversationId: 'unavailable-deleted', userId: 'unavailable-deleted-user' };
  const [label] = buttons(await bot.say('roming', who));
  expect(label).toBe(bot.app.kb.get('en-roaming')?.questions[0]);
  expect((await bot.api('/api/admin/faq/en-roaming', { method: 'DELETE' })).status).toBeLessThan(300);
  expect(texts(await bot.say(label ?? '', who))).toEqual([t('en', 'faq.noLongerAvailable')]);
  expect(texts(await bot.say('qwzx vbnm plokij', who))).toEqual([t('en', 'faq.offerHuman')]);
});
