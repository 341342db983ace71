import { t } from '../../locales';
import { newCustomers, startTestBot, texts, type TestBot } from '../helpers/harness';
import { commentsOf, ratingsOf, surveysOf } from '../helpers/feedbackDocs';

/**
 * Tester 22, finding 6: a new problem typed at the rating step ("my bill is wrong, it says 900") was asked again
 * for a number (nb, pl, and a calm English one) or kept as a comment without a score (id), while "my bill is wrong
 * and I want to complain" went to a person. Every such report now leaves the survey for the complaint path.
 */
const PATH: Record<string, { question: string; yes: string; no: string }> = {
  en: { question: 'how do I pay my bill', yes: 'yes', no: 'no' },
  nb: { question: 'hvordan betaler jeg regningen', yes: 'ja', no: 'nei' },
  pl: { question: 'jak zapłacić fakturę', yes: 'tak', no: 'nie' },
  id: { question: 'gimana cara bayar tagihan', yes: 'ya', no: 'tidak' },
};

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true' });
});
afterAll(() => bot.close());

const customer = newCustomers('problem-at-rating');

/** The tester's path to the rating card: a question, "yes" to its answer, "no" to "anything else?". */
async function atRatingStep(locale: string) {
  const who = customer(locale);
  const path = PATH[locale]!;
  await bot.say(path.question, who);
  await bot.say(path.yes, who);
  expect(texts(await bot.say(path.no, who))).toContain(t(locale, 'feedback.prompt'));
  return who;
}

describe.each([
  { locale: 'en', problem: 'my bill is wrong and I want to complain' },
  { locale: 'en', problem: 'my bill is wrong, it says 900 instead of 90' },
  { locale: 'nb', problem: 'regningen min er feil, den er på 900 kr' },
  { locale: 'nb', problem: 'regninga mi er feil, står 900 kr' },
  { locale: 'pl', problem: 'w sumie to faktura jest zla, 900 zamiast 90 zl' },
  { locale: 'pl', problem: 'faktura jest bledna, naliczyli mi 900 zl' },
  { locale: 'id', problem: 'tagihan saya salah kak, harusnya 90 ribu bukan 900' },
  { locale: 'id', problem: 'tagihannya gak sesuai kak, kok 900 rb' },
] as const)('a new problem at the rating step ($locale, "$problem")', ({ locale, problem }) => {
  it('when the customer reports a problem instead of rating, then the survey goes unanswered and a person is fetched with an apology', async () => {
    const who = await atRatingStep(locale);
    const replies = texts(await bot.say(problem, who));
    expect(replies[0]).toBe(t(locale, 'handoff.ackComplaint'));
    expect(replies).not.toContain(t(locale, 'feedback.askAgain'));
    expect(await ratingsOf(bot, who.conversationId)).toEqual([]);
    expect(await commentsOf(bot, who.conversationId)).toEqual([]);
    expect(await surveysOf(bot, who.conversationId)).toEqual(['no-response']);
  });
});

describe.each([
  { locale: 'en', comment: 'the agent was very kind but it took too long' },
  { locale: 'nb', comment: 'kundebehandleren var hyggelig, men svaret var feil' },
  { locale: 'id', comment: 'agennya ramah sekali tapi prosesnya agak lama' },
] as const)('a comment on the help at the rating step ($locale, "$comment")', ({ locale, comment }) => {
  it('when the customer judges the help instead of rating, then it stays the survey comment', async () => {
    const who = await atRatingStep(locale);
    expect(texts(await bot.say(comment, who)).join(' ')).toContain(t(locale, 'feedback.commentThanks'));
    expect(await commentsOf(bot, who.conversationId)).toEqual([comment]);
  });
});

it('when a usage question is typed at the rating step, then it is answered as a question', async () => {
  const who = await atRatingStep('nb');
  const replies = texts(await bot.say('hvordan bytter jeg wifi-passord', who));
  expect(replies).not.toContain(t('nb', 'feedback.askAgain'));
  expect(replies).not.toContain(t('nb', 'handoff.ackComplaint'));
  expect(await surveysOf(bot, who.conversationId)).toEqual(['no-response']);
});
