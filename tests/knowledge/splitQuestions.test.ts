import { splitQuestions } from '../../knowledge/splitQuestions';
import { localeWords, supportedLocales } from '../../language/words';

describe('splitting a message into the questions it asks', () => {
  it.each([
    [
      'en',
      'how do I reset my password and where can I see my bill?',
      ['how do I reset my password', 'where can I see my bill?'],
    ],
    [
      'id',
      'gimana cara ganti pin? terus tagihan bulan ini berapa?',
      ['gimana cara ganti pin?', 'tagihan bulan ini berapa?'],
    ],
    ['pl', 'jak zmienić pakiet i gdzie znajdę fakturę', ['jak zmienić pakiet', 'gdzie znajdę fakturę']],
    [
      'nb',
      'hvordan bytter jeg abonnement, og hvor finner jeg regningen?',
      ['hvordan bytter jeg abonnement', 'hvor finner jeg regningen?'],
    ],
    [
      'en',
      'How do I pay my bill, and also can I pay with a credit card?',
      ['How do I pay my bill', 'can I pay with a credit card?'],
    ],
    ['id', 'cara ganti paket trus gimana bayar tagihan', ['cara ganti paket', 'gimana bayar tagihan']],
    [
      'id',
      'gimana cara ganti paket sama di mana bayar tagihan?',
      ['gimana cara ganti paket', 'di mana bayar tagihan?'],
    ],
    [
      'pl',
      'jak zmienić hasło do wifi oraz jak zrestartować router?',
      ['jak zmienić hasło do wifi', 'jak zrestartować router?'],
    ],
    [
      'pl',
      'jak zmienić pakiet, a także gdzie znajdę fakturę?',
      ['jak zmienić pakiet', 'gdzie znajdę fakturę?'],
    ],
    [
      'nb',
      'hvordan bytter jeg pakke og så hvor finner jeg fakturaen?',
      ['hvordan bytter jeg pakke', 'hvor finner jeg fakturaen?'],
    ],
    [
      'nb',
      'hvordan bytter jeg pakke samt hvor lang er bindingstiden?',
      ['hvordan bytter jeg pakke', 'hvor lang er bindingstiden?'],
    ],
    [
      'en',
      'How do I change my plan? How long is my contract? How do I pay my bill?',
      ['How do I change my plan?', 'How long is my contract?', 'How do I pay my bill?'],
    ],
    ['en', 'Is 1.5 GB enough and how do I buy more data?', ['Is 1.5 GB enough', 'how do I buy more data?']],
    [
      'en',
      'my internet is really slow and my bill is much too high',
      ['my internet is really slow', 'my bill is much too high'],
    ],
  ])('%s: "%s" asks %j', (locale, text, parts) => {
    expect(splitQuestions(text, locale)).toEqual(parts);
  });

  it.each([
    [
      'en',
      'Hi! How do I set up my router? Also, how do I change my Wi-Fi password? Thanks!',
      ['Hi! How do I set up my router?', 'how do I change my Wi-Fi password? Thanks!'],
    ],
    ['id', 'halo kak. gimana cara ganti paket? makasih', ['halo kak. gimana cara ganti paket? makasih']],
    [
      'en',
      'how do I change my name and address and where is my bill?',
      ['how do I change my name and address', 'where is my bill?'],
    ],
  ])('%s: a part that asks nothing ("%s") stays with its neighbour', (locale, text, parts) => {
    expect(splitQuestions(text, locale)).toEqual(parts);
  });

  it.each([
    ['en', 'how do I change my name and address?'],
    ['en', 'Where do I find my PIN and PUK code?'],
    ['en', 'turn the router off and on again'],
    ['en', 'how do I update my email address and my phone number?'],
    ['en', 'I want to cancel my subscription and get a refund'],
    ['id', 'bayar tagihan sama kartu kredit bisa?'],
    ['id', 'streaming buffering terus'],
    ['pl', 'Jak wypowiedzieć umowę i zrezygnować?'],
    ['pl', 'a jak zablokowac karte?'],
    ['nb', 'glemt passordet til Min side og appen'],
    ['nb', 'Hvor finner jeg PIN- og PUK-koden?'],
    [
      'en',
      'How do I change my plan? How long is my contract? How do I pay my bill? Can I use my phone abroad?',
    ],
  ])('%s: "%s" is one message', (locale, text) => {
    expect(splitQuestions(text, locale)).toEqual([text]);
  });

  it('a message that could split in many places is a story, not two or three questions: it stays whole', () => {
    const story =
      'Hi. I moved last month. The router is set up. It works. Mostly. But the bill is high. And how do I pay it? Also how do I change my plan? Thanks!';
    expect(splitQuestions(story, 'en')).toEqual([story]);
  });

  it('reads a joint with spaces and commas around it, and a message of spaces, as written', () => {
    expect(splitQuestions('hvordan bytter jeg abonnement , og  hvor finner jeg regningen?', 'nb')).toEqual([
      'hvordan bytter jeg abonnement',
      'hvor finner jeg regningen?',
    ]);
    expect(splitQuestions(`a${' '.repeat(1998)}x`, 'en')).toEqual([`a${' '.repeat(1998)}x`]);
  });

  it('knows the joint words of every supported locale', () => {
    for (const locale of supportedLocales())
      expect(localeWords(locale).questionJoints.length).toBeGreaterThan(0);
  });
});
