import { t } from '../../locales';
import { startTestBot, texts, type TestBot } from '../helpers/harness';

/**
 * A customer asks two or three things in one message (a customer tester's finding: only one was answered, or
 * none for a long message). Each question the knowledge base answers outright is answered under its entry's
 * question, followed by one "Did this answer your question?"; anything less clear is answered as today.
 */
let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
});
afterAll(() => bot.close());

/** The reply that answers `id` under its question, as one of several answers. */
const answerAbout = (locale: string, id: string): string => {
  const entry = bot.app.kb.get(id);
  if (!entry) throw new Error(`no entry ${id}`);
  return `${t(locale, 'faq.answerAbout', { question: entry.questions[0] ?? '' })}\n\n${entry.answer}`;
};
const answerOf = (id: string): string => bot.app.kb.get(id)?.answer ?? `no entry ${id}`;

it.each([
  ['en', 'How do I change my plan and how long is my contract?', ['en-change-plan', 'en-contract-length']],
  ['id', 'gimana cara ganti pin? terus tagihan bulan ini berapa?', ['id-pin-puk', 'id-bill-higher']],
  ['pl', 'jak zmienić pakiet i gdzie znajdę fakturę', ['pl-change-plan', 'pl-e-invoice']],
  [
    'nb',
    'hvordan bytter jeg abonnement, og hvor finner jeg fakturaene mine?',
    ['nb-change-plan', 'nb-e-invoice'],
  ],
  [
    'en',
    'Hi! How do I change my plan? How long is my contract? And how do I pay my bill?',
    ['en-change-plan', 'en-contract-length', 'en-pay-bill'],
  ],
])(
  '%s: when a customer asks several things in one message ("%s"), then each is answered under its question, and the bot asks once whether that helped',
  async (locale, question, ids) => {
    const conversationId = `several-${locale}-${ids.length}`;
    const replies = texts(await bot.say(question, { locale, conversationId }));
    expect(replies).toEqual([...ids.map((id) => answerAbout(locale, id)), t(locale, 'faq.wasHelpful')]);
    // Ratings and reports name the first answer.
    expect((await bot.app.conversations.get(conversationId))?.episode?.faqEntryId).toBe(ids[0]);
    expect(texts(await bot.say(t(locale, 'common.yes'), { locale, conversationId }))).toEqual([
      t(locale, 'faq.glad'),
      t(locale, 'common.anythingElse'),
    ]);
  },
);

it('when a follow-up of the first answer was asked in the same message, then it is not offered again as a button', async () => {
  const followUps = bot.app.kb.get('pl-change-plan')?.followUps ?? [];
  expect(followUps).toContain('pl-contract-length');
  const replies = await bot.say('jak zmienic pakiet i ile trwa umowa?', {
    locale: 'pl',
    conversationId: 'several-follow-up',
  });
  const question = replies[replies.length - 1];
  expect(question?.text).toBe(t('pl', 'faq.wasHelpful'));
  const buttons = (question?.suggestedActions?.actions ?? []).map((a) => a.title);
  expect(buttons).toEqual([t('pl', 'common.yes'), t('pl', 'common.no')]);
});

it('when a customer asks one question, then it is answered as before, without a heading', async () => {
  const replies = texts(await bot.say('How do I change my plan?', { conversationId: 'several-one' }));
  expect(replies).toEqual([answerOf('en-change-plan'), t('en', 'faq.wasHelpful')]);
});

it.each([
  ['en', 'How do I cancel my subscription and how long is the notice period?', 'en-cancellation'],
  ['en', 'What do the lights on my router mean and why is the internet light orange?', 'en-router-lights'],
  ['nb', 'hvordan sier jeg opp abonnementet og hvor lang er oppsigelsestiden?', 'nb-cancellation'],
])(
  '%s: when the whole message asks about one entry ("%s"), then that entry is answered once, as before',
  async (locale, question, id) => {
    const replies = texts(await bot.say(question, { locale, conversationId: `several-whole-${id}` }));
    expect(replies).toEqual([answerOf(id), t(locale, 'faq.wasHelpful')]);
  },
);

it('when two of three questions in a message ask about one entry, then that entry is answered once, with the other', async () => {
  const question =
    'How do I cancel my subscription? How long is the notice period? And how do I pay my bill?';
  const replies = texts(await bot.say(question, { conversationId: 'several-repeated' }));
  expect(replies).toEqual([
    answerAbout('en', 'en-cancellation'),
    answerAbout('en', 'en-pay-bill'),
    t('en', 'faq.wasHelpful'),
  ]);
});

it('when one of two questions in a message has no answer, then the message is answered as a whole, as before', async () => {
  const question = 'how do I change my plan and what is the weather in Oslo tomorrow?';
  const replies = texts(await bot.say(question, { conversationId: 'several-unanswerable-two' }));
  expect(replies).toEqual([answerOf('en-change-plan'), t('en', 'faq.wasHelpful')]);
});

it('when one of three questions in a message has no answer, then the message gets the choices it got before', async () => {
  const question =
    'How do I change my plan? How long is my contract? And what is the weather in Oslo tomorrow?';
  const replies = texts(await bot.say(question, { conversationId: 'several-unanswerable-three' }));
  expect(replies).toHaveLength(1);
  expect(replies[0]?.startsWith(`${t('en', 'faq.didYouMean')}\n\n1. `)).toBe(true);
});

describe('a knowledge base with an entry for two questions asked together', () => {
  let own: TestBot;
  beforeAll(async () => {
    own = await startTestBot({ FAQ_SEED_DEMO: 'true' });
    const created = await own.api('/api/admin/faq', {
      method: 'POST',
      body: JSON.stringify({
        id: 'en-cancel-and-refund',
        locale: 'en',
        questions: [
          'How do I cancel my contract and get a refund?',
          'refund after cancelling',
          'money back when I cancel my contract',
        ],
        answer: 'Cancel in My Account; what you paid in advance comes back within 14 days.',
      }),
    });
    expect(created.status).toBe(201);
  });
  afterAll(() => own.close());

  it('when a customer asks those two questions, then that entry answers them, as before', async () => {
    const question = 'how do I cancel my contract and how do I get a refund?';
    const replies = texts(await own.say(question, { conversationId: 'several-combined' }));
    expect(replies).toEqual([own.app.kb.get('en-cancel-and-refund')?.answer, t('en', 'faq.wasHelpful')]);
  });
});
