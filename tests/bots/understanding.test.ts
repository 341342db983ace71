import type { RatingDoc } from '../../feedback/types';
import { t } from '../../locales';
import { newCustomers, startTestBot, texts, type TestBot } from '../helpers/harness';

/**
 * Issue 10 through the whole app: what the dialogs do with what language/ understands (complaints, requests for
 * a person, goodbyes, yes/no at confirm steps, typed ratings and their corrections), in each locale.
 */
const BOT_NAME = 'Nordwind Help';
let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ FAQ_SEED_DEMO: 'true', WEBCHAT_BOT_NAME: BOT_NAME });
});
afterAll(() => bot.close());

const who = newCustomers('understanding');

const CASES = [
  {
    locale: 'en',
    calmComplaint: 'you charged me twice this month',
    atTheBot: 'stupid bot',
    longHuman:
      'hi, so last month my bill was higher than usual and i cannot see why, i need to speak with a representative about my bill please',
    question: 'How do I change my wifi password?',
    entry: 'en-wifi-password',
    thanksBut: 'thanks, but how do I change my wifi password?',
    notHelped: 'no, that did not help at all',
    negatedRating: 'not 5',
    goodbye: "great, thanks, that's all",
    praise: 'you guys are awesome, best service ever',
    greeting: 'good morning',
    /** Says there is a question, without asking it yet. */
    opener: 'hi i have a question',
    keyword: 'bill',
    /** An entry's own example question (a follow-up button sends one), with one content word. */
    ownQuestion: 'How do I get a refund?',
    one: 'one',
    second: 'the second one',
    /** A topic keyword that gets two or more choices. */
    twoChoices: 'bill',
    help: 'help',
    aboutBot: 'are you a bot?',
    notHelpedShort: "that's useless",
    cancelSubscription: 'how do I cancel my contract',
    bareNo: 'no',
    thanks: 'thanks',
    angryHuman: 'this is ridiculous, get me a human now!!!',
    complaintReply: 'yes and it is the third time this month, fed up',
    complaintReplyNo: 'no, did all that three times already, fed up',
    complaintReplyChat: 'yes but i already did all that, so annoying',
    choiceComplaint: 'tried all of that already and nothing works, so frustrating',
  },
  {
    locale: 'id',
    calmComplaint: 'kecewa banget sama pelayanannya',
    atTheBot: 'percuma ngomong sama bot',
    longHuman:
      'halo kak, tagihan bulan ini naik terus saya gak ngerti kenapa, saya mau ngobrol sama CS manusia aja',
    question: 'Bagaimana cara mengganti kata sandi wifi?',
    entry: 'id-wifi-password',
    thanksBut: 'makasih, tapi gimana cara mengganti kata sandi wifi?',
    notHelped: 'gak membantu',
    negatedRating: 'bukan 5',
    goodbye: 'oke makasih kak, udah itu aja',
    praise: 'pelayanannya mantap banget, puas deh',
    greeting: 'halo kak, selamat pagi',
    /** Says there is a question, without asking it yet. */
    opener: 'kak mau nanya dong',
    keyword: 'tagihan',
    /** An entry's own example question (a follow-up button sends one), with one content word. */
    ownQuestion: 'Bagaimana cara mendapatkan eSIM?',
    one: 'satu',
    second: 'yang kedua',
    /** A topic keyword that gets two or more choices. */
    twoChoices: 'tagihan',
    help: 'bantuan',
    aboutBot: 'ini bot ya kak?',
    notHelpedShort: 'ga ngebantu',
    cancelSubscription: 'batal langganan',
    bareNo: 'ga',
    thanks: 'makasih',
    angryHuman: 'keterlaluan, sambungin ke cs sekarang juga!!!',
    complaintReply: 'udah 3 hari internet mati terus, kecewa bgt',
    complaintReplyNo: 'nggak, udah 3x dicoba, kesel bgt',
    complaintReplyChat: 'iya udah, tapi tetep aja mati, kesel bgt',
    choiceComplaint: 'udah semua, ga ngaruh. kesel bgt sumpah',
  },
  {
    locale: 'pl',
    calmComplaint: 'mam dość waszej obsługi',
    atTheBot: 'ten bot jest do niczego',
    longHuman:
      'dzień dobry, w zeszłym miesiącu rachunek był wyższy niż zwykle i nie wiem dlaczego, chcę rozmawiać z konsultantem',
    question: 'Jak zmienić hasło do wifi?',
    entry: 'pl-wifi-password',
    thanksBut: 'dzięki, ale jak zmienić hasło do wifi?',
    notHelped: 'nie bardzo',
    negatedRating: 'nie 5',
    goodbye: 'super, dzięki, to wszystko',
    praise: 'jestem bardzo zadowolony z obsługi',
    greeting: 'dzien dobry',
    /** Says there is a question, without asking it yet. */
    opener: 'hej mam pytanie',
    keyword: 'faktura',
    /** An entry's own example question (a follow-up button sends one), with one content word. */
    ownQuestion: 'Jak uzyskać eSIM?',
    one: 'jeden',
    second: 'to drugie',
    /** A topic keyword that gets two or more choices. */
    twoChoices: 'router',
    help: 'pomoc',
    aboutBot: 'czy jestes botem?',
    notHelpedShort: 'nie pomogło',
    cancelSubscription: 'anuluj umowę',
    bareNo: 'nie',
    thanks: 'dzięki',
    angryHuman: 'to skandal, dajcie mi konsultanta!!!',
    complaintReply: 'tak, ale to już trzeci raz, mam dość',
    complaintReplyNo: 'nie, juz to robilem trzy razy, macie mnie gdzies',
    complaintReplyChat: 'tak ale juz to wszystko robilem, szlag mnie trafia',
    choiceComplaint: 'juz wszystko probowalem i dalej nic, szlag mnie trafia',
  },
  {
    locale: 'nb',
    calmComplaint: 'jeg er lei av dere',
    atTheBot: 'dum bot',
    longHuman:
      'hei, regningen min var høyere enn vanlig forrige måned og jeg skjønner ikke hvorfor, kan jeg få snakke med et menneske?',
    question: 'Hvordan endrer jeg passordet til wifi?',
    entry: 'nb-wifi-password',
    thanksBut: 'takk, men hvordan endrer jeg passordet til wifi?',
    notHelped: 'ikke helt',
    negatedRating: 'ikke 5',
    goodbye: 'flott, takk for hjelpen',
    praise: 'dere er best, kjempefornøyd',
    greeting: 'hei hei',
    /** Says there is a question, without asking it yet. */
    opener: 'hei, jeg har et spørsmål',
    keyword: 'regning',
    /** An entry's own example question (a follow-up button sends one), with one content word. */
    ownQuestion: 'Hvilke betalingsmåter har dere?',
    one: 'en',
    second: 'den andre',
    /** A topic keyword that gets two or more choices. */
    twoChoices: 'ruteren',
    help: 'hjelp',
    aboutBot: 'er du en robot?',
    notHelpedShort: 'det hjalp ikke',
    cancelSubscription: 'avslutte abonnement',
    bareNo: 'nei',
    thanks: 'takk',
    angryHuman: 'helt latterlig, gi meg et menneske nå!!!',
    complaintReply: 'ja, men dette er helt uakseptabelt',
    complaintReplyNo: 'nei, har gjort det tre ganger, helt håpløst',
    complaintReplyChat: 'ja men har allerede gjort alt det, jeg er så lei',
    choiceComplaint: 'har prøvd alt, ingenting virker, jeg er så lei',
  },
] as const;

describe.each(CASES)('understanding in the dialogs ($locale)', (c) => {
  it('when a calm complaint comes in, then the bot acknowledges it with empathy and goes on to a person', async () => {
    const said = texts(await bot.say(c.calmComplaint, who(c.locale)));
    expect(said[0]).toBe(t(c.locale, 'handoff.ackComplaint'));
  });

  it('when a customer is angry at the bot itself, then the bot apologises in their language and goes on to a person', async () => {
    const said = texts(await bot.say(c.atTheBot, who(c.locale)));
    expect(said).toEqual([t(c.locale, 'handoff.ackComplaint'), t(c.locale, 'handoff.describe')]);
  });

  it('when an angry message asks for a person, then the bot apologises first', async () => {
    const said = texts(await bot.say(c.angryHuman, who(c.locale)));
    expect(said[0]).toBe(t(c.locale, 'handoff.ackComplaint'));
  });

  it('when a customer praises the service, then the bot thanks them, asks what it can do and queues no case', async () => {
    const said = texts(await bot.say(c.praise, who(c.locale)));
    expect(said).toEqual([t(c.locale, 'common.praiseThanks')]);
  });

  it('when a customer only says goodbye, then the bot says goodbye', async () => {
    expect(texts(await bot.say(c.thanks, who(c.locale)))).toEqual([t(c.locale, 'common.goodbye')]);
  });

  it('when a long message asks for a person, then the bot connects to one', async () => {
    const said = texts(await bot.say(c.longHuman, who(c.locale)));
    expect(said[0]).toBe(t(c.locale, 'handoff.ackRequest'));
  });

  it('when "thanks, but how do I …?" comes in, then it is answered, not taken as a goodbye', async () => {
    const said = texts(await bot.say(c.thanksBut, who(c.locale)));
    expect(said).toContain(bot.app.kb.get(c.entry)?.answer);
    expect(said).not.toContain(t(c.locale, 'common.goodbye'));
  });

  // "ikke helt" (not quite) helped in part: the same offers, with the words of a partial answer (partlyHelped.test.ts).
  it('when the reply to "did this help?" is a natural no, then the bot offers more help rather than asking to rephrase', async () => {
    const customer = who(c.locale);
    await bot.say(c.question, customer);
    const said = texts(await bot.say(c.notHelped, customer));
    expect(said).not.toContain(t(c.locale, 'faq.rephrase'));
    const offers = ['faq.sorryOthers', 'faq.offerHuman', 'faq.partlyOthers', 'faq.partlyOfferHuman'] as const;
    expect(said.join(' ')).toMatch(new RegExp(offers.map((key) => escape(t(c.locale, key))).join('|')));
  });

  it('when a customer only greets, then the bot greets back and asks how it can help, recording no unanswered question', async () => {
    const said = texts(await bot.say(c.greeting, who(c.locale)));
    expect(said).toEqual([t(c.locale, 'common.greeting')]);
    const unanswered = await bot.app.kb.unansweredList(c.locale);
    expect(unanswered.map((u) => u.text)).not.toContain(c.greeting);
  });

  it('when a customer opens with "I have a question", then the bot asks for it instead of saying it found no answer', async () => {
    expect(texts(await bot.say(c.opener, who(c.locale)))).toEqual([t(c.locale, 'common.greeting')]);
  });

  it('when a customer asks whether the bot is a bot, then it says it is a program and how to reach a person', async () => {
    const said = texts(await bot.say(c.aboutBot, who(c.locale)));
    expect(said).toEqual([t(c.locale, 'common.aboutBot', { botName: BOT_NAME })]);
  });

  it('when the reply to "did this help?" says it did not help in a few words, then it is no goodbye: the bot offers more help', async () => {
    const customer = who(c.locale);
    await bot.say(c.question, customer);
    const said = texts(await bot.say(c.notHelpedShort, customer));
    expect(said).not.toContain(t(c.locale, 'feedback.prompt'));
    expect(said.join(' ')).toMatch(
      new RegExp(`${escape(t(c.locale, 'faq.sorryOthers'))}|${escape(t(c.locale, 'faq.offerHuman'))}`),
    );
  });

  it('when a customer asks to cancel a subscription or contract, then it is a question, not the cancel command', async () => {
    const said = texts(await bot.say(c.cancelSubscription, who(c.locale)));
    expect(said).not.toContain(t(c.locale, 'common.nothingToCancel'));
  });

  it('when a customer says only no with nothing asked, then the bot asks what it can do', async () => {
    expect(texts(await bot.say(c.bareNo, who(c.locale)))).toEqual([t(c.locale, 'common.okay')]);
  });

  it('when the bot offers a person and the customer says thanks, then the episode closes instead of a hand-over', async () => {
    const customer = who(c.locale);
    await bot.say('zzzz qqqq xxxx', customer);
    const offer = texts(await bot.say('yyyy wwww vvvv', customer));
    expect(offer).toContain(t(c.locale, 'faq.offerHuman'));
    const said = texts(await bot.say(c.thanks, customer));
    expect(said).toContain(t(c.locale, 'feedback.prompt'));
    expect(said).not.toContain(t(c.locale, 'handoff.ackRequest'));
  });

  it('when a customer types only a topic keyword, then the bot asks which question they mean, not as a complaint', async () => {
    const said = texts(await bot.say(c.keyword, who(c.locale)));
    expect(said[0]).toMatch(new RegExp(`^${escape(t(c.locale, 'faq.didYouMean'))}`));
  });

  it("when a customer asks an entry's own example question, then it is answered outright, not offered as a choice", async () => {
    const said = texts(await bot.say(c.ownQuestion, who(c.locale)));
    expect(said).toContain(t(c.locale, 'faq.wasHelpful'));
    expect(said.join('\n')).not.toContain(t(c.locale, 'faq.didYouMean'));
  });

  it('when "did you mean" is answered by place ("the second one"), then that entry is answered', async () => {
    const customer = who(c.locale);
    await bot.say(c.twoChoices, customer);
    expect(texts(await bot.say(c.second, customer))).toContain(t(c.locale, 'faq.wasHelpful'));
  });

  it('when "did you mean" is answered with a number word, then that entry is answered; with no, a person is offered', async () => {
    const customer = who(c.locale);
    await bot.say(c.keyword, customer);
    expect(texts(await bot.say(c.one, customer))).toContain(t(c.locale, 'faq.wasHelpful'));
    const other = who(c.locale);
    await bot.say(c.keyword, other);
    expect(texts(await bot.say(c.bareNo, other))).toEqual([t(c.locale, 'faq.offerHuman')]);
  });

  it('when the reply to "did this help?" is a complaint, even one that reads as yes or no or in chat words, then the bot apologises and goes on to a person', async () => {
    for (const reply of [c.complaintReply, c.complaintReplyChat, c.complaintReplyNo]) {
      const customer = who(c.locale);
      await bot.say(c.question, customer);
      const said = texts(await bot.say(reply, customer));
      expect(said[0]).toBe(t(c.locale, 'handoff.ackComplaint'));
      expect(said).not.toContain(t(c.locale, 'faq.glad'));
    }
  });

  it('when the reply to "did you mean" is a complaint, then the bot apologises and goes on to a person', async () => {
    const customer = who(c.locale);
    await bot.say(c.keyword, customer);
    const said = texts(await bot.say(c.choiceComplaint, customer));
    expect(said[0]).toBe(t(c.locale, 'handoff.ackComplaint'));
  });

  it('when the customer asks for help at "did this help?", then the help comes and the question again', async () => {
    const customer = who(c.locale);
    await bot.say(c.question, customer);
    expect(texts(await bot.say(c.help, customer))).toEqual([
      t(c.locale, 'common.help'),
      t(c.locale, 'faq.wasHelpful'),
    ]);
  });

  it('when the reply to "did this help?" is a goodbye, then the episode closes with the survey', async () => {
    const customer = who(c.locale);
    await bot.say(c.question, customer);
    expect(texts(await bot.say(c.goodbye, customer))).toContain(t(c.locale, 'feedback.prompt'));
  });

  it('when the reply to "did this help?" cannot be read, then it is asked again once and never recorded as unanswered', async () => {
    const customer = who(c.locale);
    await bot.say(c.question, customer);
    const unreadable = 'hmmm';
    expect(texts(await bot.say(unreadable, customer))).toEqual([t(c.locale, 'faq.yesOrNo')]);
    expect(texts(await bot.say(unreadable, customer))).toEqual([t(c.locale, 'common.notUnderstood')]);
    const unanswered = await bot.app.kb.unansweredList(c.locale);
    expect(unanswered.map((u) => u.text)).not.toContain(unreadable);
  });

  it('when a rating is negated, then nothing is stored and the bot asks again; a correction changes the rating', async () => {
    const customer = who(c.locale);
    await bot.say(c.question, customer);
    await bot.say(t(c.locale, 'common.yes'), customer);
    expect(texts(await bot.say(t(c.locale, 'common.no'), customer))).toEqual([
      t(c.locale, 'feedback.prompt'),
    ]);
    expect(texts(await bot.say(c.negatedRating, customer))).toEqual([t(c.locale, 'feedback.askAgain')]);
    expect(await ratingsOf(customer.conversationId)).toEqual([]);
    await bot.say('3', customer);
    expect(await ratingsOf(customer.conversationId)).toEqual([3]);
  });
});

it('when a customer writes "actually make that 5" after rating, then the rating changes and the comment is still asked', async () => {
  const customer = who('en');
  await bot.say('How do I change my wifi password?', customer);
  await bot.say('yes', customer);
  await bot.say('no', customer);
  await bot.say('3', customer);
  expect(texts(await bot.say('actually make that 5', customer))).toEqual([
    `${t('en', 'feedback.changed', { score: 5 })} ${t('en', 'feedback.commentOffer')}`,
  ]);
  expect(await ratingsOf(customer.conversationId)).toEqual([5]);
});

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function ratingsOf(conversationId: string): Promise<number[]> {
  const ratings = await bot.app.db.collection<RatingDoc>('ratings').find({ conversationId });
  return ratings.map((r) => Number(r.score));
}

describe('a question matched only in the default language', () => {
  it('when the entry it matches has a translation in the customer language, then that is answered, with no note', async () => {
    const said = texts(await bot.say('gimana cara top up', who('id')));
    expect(said.join('\n')).toContain('Jika kuota data dalam paket Anda sudah habis');
    expect(said).not.toContain(t('id', 'faq.otherLanguage'));
  });

  it('when the entry has no translation, then it is answered in the default language after a note', async () => {
    const created = await bot.api('/api/admin/faq', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id: 'en-carrier-pigeons',
        locale: 'en',
        questions: ['Do you sell carrier pigeons?', 'carrier pigeon delivery'],
        answer: 'No, we only deliver by courier.',
      }),
    });
    expect(created.status).toBe(201);
    const said = texts(await bot.say('apakah kalian jual carrier pigeons?', who('id')));
    expect(said[0]).toBe(t('id', 'faq.otherLanguage'));
    expect(said.join('\n')).toContain('No, we only deliver by courier.');
  });

  it('when the entry in the customer language is disabled, then the topic is not answered in the default language either', async () => {
    const entry = (id: string) => {
      const found = bot.app.kb.get(id);
      if (!found) throw new Error(`no ${id}`);
      return found;
    };
    const setEnabled = async (enabled: boolean) => {
      const { locale, questions, answer, version } = entry('id-data-top-up');
      const saved = await bot.api('/api/admin/faq/id-data-top-up', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ locale, questions, answer, version, enabled }),
      });
      expect(saved.status).toBe(200);
    };
    await setEnabled(false);
    try {
      const said = texts(await bot.say('gimana cara top up', who('id'))).join('\n');
      expect(said).not.toContain(t('id', 'faq.otherLanguage'));
      expect(said).not.toContain(entry('en-data-top-up').answer.slice(0, 40));
      expect(said).not.toContain('Jika kuota data dalam paket Anda sudah habis');
    } finally {
      await setEnabled(true);
    }
  });
});
