import {
  isAboutBot,
  isCancel,
  isClosing,
  isCoveredBy,
  isGreeting,
  isHelp,
  isHumanRequest,
  isNo,
  isNotHelpful,
  isSkip,
  isYes,
  choiceNumber,
  phraseHits,
  tokenize,
} from '../../language/words';
import { t } from '../../locales';

type Case = [locale: string, text: string, expected: boolean];

describe('isYes', () => {
  it.each<Case>([
    ['en', 'yes', true],
    ['en', 'Yeah!', true],
    ['en', 'sure, please', true],
    ['en', '👍', true],
    ['en', '👍🏽', true],
    ['en', 'yes but my router is broken', false],
    ['en', 'not ok', false],
    ['id', 'iya kak', true],
    ['id', 'Oke deh', true],
    ['id', 'boleh dong', true],
    ['id', 'ya saya mau tanya soal tagihan', false],
    ['pl', 'tak', true],
    ['pl', 'Zgadza sie', true],
    ['pl', 'jasne, proszę', true],
    ['pl', 'tak sobie', false],
    ['nb', 'ja takk', true],
    ['nb', 'Jepp', true],
    ['nb', 'det stemmer', true],
    ['nb', 'ja, men ruteren virker ikke', false],
  ])('%s %p → %p', (locale, text, expected) => {
    expect(isYes(text, locale)).toBe(expected);
  });
});

describe('isNo', () => {
  it.each<Case>([
    ['en', 'no', true],
    ['en', 'Nope.', true],
    ['en', 'no thank you', true],
    ['en', 'no internet', false],
    ['en', 'no signal since yesterday', false],
    ['id', 'gak usah kak', true],
    ['id', 'tidak', true],
    ['id', 'tidak ada sinyal', false],
    ['pl', 'nie, dziękuję', true],
    ['pl', 'raczej nie', true],
    ['pl', 'nie ma internetu', false],
    ['nb', 'nei takk', true],
    ['nb', 'Nei', true],
    ['nb', 'nei, internett er nede', false],
  ])('%s %p → %p', (locale, text, expected) => {
    expect(isNo(text, locale)).toBe(expected);
  });
});

describe('isHelp and isCancel', () => {
  it.each<[locale: string, text: string, expected: boolean, command: 'help' | 'cancel']>([
    ['en', 'help', true, 'help'],
    ['en', 'What can you do?', true, 'help'],
    ['en', 'help me with my bill', false, 'help'],
    ['id', 'bantuan dong', true, 'help'],
    ['pl', 'Pomocy!', true, 'help'],
    ['nb', 'hjelp', true, 'help'],
    ['en', 'cancel', true, 'cancel'],
    ['en', 'never mind', true, 'cancel'],
    ['en', 'I want to cancel my subscription', false, 'cancel'],
    ['id', 'batal aja', true, 'cancel'],
    ['id', 'gak jadi kak', true, 'cancel'],
    ['pl', 'Anuluj', true, 'cancel'],
    ['pl', 'niewazne', true, 'cancel'],
    ['pl', 'jak anulować zamówienie', false, 'cancel'],
    ['nb', 'avbryt', true, 'cancel'],
    ['nb', 'glem det', true, 'cancel'],
  ])('%s %p → %p (%s)', (locale, text, expected, command) => {
    expect((command === 'help' ? isHelp : isCancel)(text, locale)).toBe(expected);
  });
});

describe('isClosing', () => {
  it.each<Case>([
    ['en', 'thanks', true],
    ['en', 'Thank you!', true],
    ['en', "no thanks, that's it", true],
    ['en', 'thats all, bye', true],
    ['en', 'ok thanks 🙏', true],
    ['en', 'thanks, but my router is broken', false],
    ['en', 'thank you, one more question', false],
    ['en', 'hi', false],
    ['id', 'terima kasih', true],
    ['id', 'makasih ya kak', true],
    ['id', 'sudah cukup, makasih', true],
    ['id', 'itu saja', true],
    ['id', 'makasih, tapi saya masih belum bisa login', false],
    ['pl', 'dziekuje', true],
    ['pl', 'Dzięki, to wszystko', true],
    ['pl', 'nie, nic więcej, do widzenia', true],
    ['pl', 'dzięki, ale dalej nie mam internetu', false],
    ['pl', 'cześć', false],
    ['nb', 'takk', true],
    ['nb', 'Tusen takk!', true],
    ['nb', 'nei takk, det var alt', true],
    ['nb', 'ha det', true],
    ['nb', 'takk, men jeg har et spørsmål til', false],
    // A closing phrase negated in its clause: it did not help.
    ['pl', 'nie pomogło', false],
    ['pl', 'nie dziękuję', true],
    ['nb', 'det hjalp ikke', false],
    ['nb', 'ikke alt i orden', false],
    ['id', 'gak makasih', true],
  ])('%s %p → %p', (locale, text, expected) => {
    expect(isClosing(text, locale)).toBe(expected);
  });
});

describe('isSkip', () => {
  it.each<Case>([
    ['en', 'Skip', true],
    ['en', "i'd rather not", true],
    ['en', 'no thanks', true],
    ['en', 'anna@example.com', false],
    ['en', 'my password is wrong', false],
    ['id', 'lewati', true],
    ['id', 'skip aja kak', true],
    ['id', 'gak mau kasih', true],
    ['id', 'nomor saya 0812 3456 7890', false],
    ['pl', 'pomin', true],
    ['pl', 'wolę nie', true],
    ['pl', 'nie podam', true],
    ['pl', 'mój numer to 601 234 567', false],
    ['nb', 'hopp over', true],
    ['nb', 'vil helst ikke', true],
    ['nb', 'dropp det', true],
    ['nb', 'e-posten min er ola@example.no', false],
  ])('%s %p → %p', (locale, text, expected) => {
    expect(isSkip(text, locale, t(locale, 'common.skip'))).toBe(expected);
  });
});

describe('isAboutBot', () => {
  it.each<Case>([
    ['en', 'Are you a bot?', true],
    ['en', 'who are you', true],
    ['en', 'is the bot able to reset my password?', false],
    ['id', 'kamu siapa kak', true],
    ['id', 'ini bot ya?', true],
    ['pl', 'czy jestes botem', true],
    ['pl', 'czy bot może zmienić pakiet?', false],
    ['nb', 'er du en robot?', true],
    ['nb', 'hvem er du', true],
  ])('%s %p → %p', (locale, text, expected) => {
    expect(isAboutBot(text, locale)).toBe(expected);
  });
});

describe('isGreeting', () => {
  it.each<Case>([
    ['en', 'hi', true],
    ['en', 'Good morning!', true],
    ['en', 'hello there, how are you?', true],
    ['en', 'hi, how do I pay my bill?', false],
    ['en', 'good morning, my internet is down', false],
    ['en', 'please', false],
    ['id', 'halo kak, selamat pagi', true],
    ['id', 'P', true],
    ['id', 'assalamualaikum min', true],
    ['id', 'pagi kak, internet saya mati', false],
    ['pl', 'dzien dobry', true],
    ['pl', 'Cześć!', true],
    ['pl', 'dzień dobry, nie mam internetu', false],
    ['nb', 'hei hei', true],
    ['nb', 'God morgen', true],
    ['nb', 'hei, regningen min er feil', false],
  ])('%s %p → %p', (locale, text, expected) => {
    expect(isGreeting(text, locale)).toBe(expected);
  });
});

describe('isHumanRequest', () => {
  it.each<Case>([
    ['en', 'agent', true],
    ['en', 'human please', true],
    ['en', 'Can I talk to a real person?', true],
    ['en', 'I want to speak to a manager', true],
    ['en', 'No, I want an agent', true],
    ['en', "I don't want to talk to a human", false],
    ['en', 'I do not need an agent, just the opening hours', false],
    ['en', 'my travel agent booked the wrong date', false],
    ['id', 'mau ngobrol sama CS dong', true],
    ['id', 'bicara dengan manusia', true],
    ['id', 'agen', true],
    ['id', 'tolong sambungkan dengan petugas', true],
    ['id', 'saya tidak mau bicara dengan manusia', false],
    ['id', 'agen saya bilang paketnya sudah dikirim kemarin', false],
    ['pl', 'konsultant', true],
    ['pl', 'Chcę rozmawiać z konsultantem', true],
    ['pl', 'poproszę z człowiekiem', true],
    ['pl', 'nie chcę rozmawiać z konsultantem', false],
    ['pl', 'mój doradca podatkowy nie odbiera telefonu od tygodnia', false],
    ['nb', 'jeg vil snakke med et menneske', true],
    ['nb', 'kundebehandler takk', true],
    ['nb', 'kan jeg få snakke med sjefen?', true],
    ['nb', 'jeg vil ikke snakke med et menneske', false],
  ])('%s %p → %p', (locale, text, expected) => {
    expect(isHumanRequest(text, locale)).toBe(expected);
  });
});

describe('isNotHelpful', () => {
  it.each<Case>([
    ['en', "that didn't help", true],
    ['en', "no, that's not what I asked", true],
    ['en', 'useless', true],
    ['en', 'that helped, thanks', false],
    ['id', 'tidak membantu', true],
    ['id', 'bukan itu maksud saya kak', true],
    ['id', 'sangat membantu, makasih', false],
    ['pl', 'nie pomogło', true],
    ['pl', 'Nie o to pytałem', true],
    ['pl', 'pomogło, dzięki', false],
    ['nb', 'det hjalp ikke', true],
    ['nb', 'ikke det jeg spurte om', true],
    ['nb', 'det hjalp, takk', false],
  ])('%s %p → %p', (locale, text, expected) => {
    expect(isNotHelpful(text, locale)).toBe(expected);
  });
});

describe('choiceNumber', () => {
  it.each<[string, string, number | null]>([
    ['en', 'four', 4],
    ['en', 'Five please', 5],
    ['en', 'four stars', null],
    ['en', 'ten', null],
    ['id', 'empat', 4],
    ['id', 'lima kak', 5],
    ['pl', 'Cztery', 4],
    ['pl', 'piątka', 5],
    ['pl', 'jedynkę', 1],
    ['pl', 'piec', 5],
    ['nb', 'fire', 4],
    ['nb', 'én', 1],
    ['nb', 'en femmer', 5],
    ['nb', 'seks', null],
    ['en', '4', 4],
    // by place, with the words around a choice
    ['en', 'the second one', 2],
    ['en', 'option 3', 3],
    ['en', 'nr 2', 2],
    ['en', 'the first one please', 1],
    ['id', 'yang kedua', 2],
    ['id', 'yg kedua', 2],
    ['id', 'yg pertama kak', 1],
    ['id', 'nomor 3 kak', 3],
    ['id', 'pilihan pertama', 1],
    ['pl', 'to drugie', 2],
    ['pl', 'numer 3', 3],
    ['pl', 'pierwsze proszę', 1],
    ['nb', 'den andre', 2],
    ['nb', 'nummer 3', 3],
    ['nb', 'det første', 1],
    // not a place
    ['en', 'the second bill this month', null],
    ['pl', 'drugi raz to samo', null],
    ['en', 'one or two', null],
  ])('%s %p → %p', (locale, text, expected) => {
    expect(choiceNumber(text, locale)).toBe(expected);
  });
});

describe('locale fallback', () => {
  it.each<Case>([
    ['nb-NO', 'ja takk', true],
    ['no', 'jepp', true],
    ['in', 'iya', true],
    ['en-US', 'yes', true],
    ['fr-FR', 'yes', true],
    ['fr-FR', 'oui', false],
  ])('%s %p is yes → %p', (locale, text, expected) => {
    expect(isYes(text, locale)).toBe(expected);
  });
});

describe('phraseHits', () => {
  const clause = ['i', 'want', 'to', 'talk', 'to', 'a', 'human'];

  it('takes the longest phrase at a position, whatever the list order', () => {
    expect(phraseHits(clause, ['talk', 'to a', 'talk to a human', 'talk to'])).toEqual([
      { phrase: 'talk to a human', start: 3, end: 7 },
    ]);
  });

  it('keeps the first of equal phrases and does not match past the clause end', () => {
    expect(phraseHits(clause, ['thats all', "that's all", 'a human being', 'want'])).toEqual([
      { phrase: 'want', start: 1, end: 2 },
    ]);
    expect(phraseHits(['thats', 'all'], ['thats all', "that's all"])).toEqual([
      { phrase: 'thats all', start: 0, end: 2 },
    ]);
  });
});

describe('isCoveredBy', () => {
  it('counts a phrase in both lists as intent', () => {
    expect(isCoveredBy('no thanks', ['no'], [['no', 'thanks']])).toBe(true);
    expect(isCoveredBy('thanks', ['no'], [['no', 'thanks']])).toBe(false);
  });

  it('keeps the tokens of the message while compiling a new list', () => {
    const tokens = tokenize('skip it please');
    expect(isCoveredBy('skip it please', ['Skip it'], [['please']])).toBe(true);
    expect(tokenize('skip it please')).toBe(tokens);
  });
});
