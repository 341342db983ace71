import { testUnderstanding } from '../helpers/understanding';

/**
 * Compliments and positive feedback in the words the complaints said while leaving and the negative reviews use
 * (`message.farewells.jsonl`, `message.reviews.jsonl`): particles and intensifiers ("no", "serio", "naprawdę",
 * "totalnie", "kurde", "ale", "w ogóle", "nigdy", "znowu", "honestly", "not … at all", "bgt", "parah", "jo", "helt"),
 * verdict words ("polecam", "odradzam", "5 stars", "gak nyesel", "anbefales"), emoji (🙄 as a joke, 👍, 😂) and the
 * goodbye that follows. They are thanks, never a complaint or a request for a person. Some without diacritics or with
 * typos. None of these messages is a training line.
 */
type Case = [locale: string, text: string];

const PRAISE_WITH_COMPLAINT_CUES: Case[] = [
  ['pl', 'no super, dzięki, wszystko jasne'],
  ['pl', 'serio polecam, pani konkretna i szybka'],
  ['pl', 'kurde, ale szybko poszło'],
  ['pl', 'nigdy nie miałem tak dobrej obsługi'],
  ['pl', 'w ogóle bez problemu, wszystko działa'],
  ['pl', 'naprawdę świetna robota'],
  ['pl', 'totalnie ogarnięte w pięć minut, szacun'],
  ['pl', 'znowu szybciutko załatwione, jesteście super'],
  ['pl', 'no mega pomoc, do usłyszenia'],
  ['pl', 'no rewelacyjna obsługa, naprawdę 👍'],
  ['pl', 'no pięknie, wszystko śmiga'],
  ['pl', 'świetna pomoc jak zwykle, pa 👋'],
  ['pl', 'nigdy nie było tak łatwo, brawo'],
  ['pl', 'extra obsługa, serio polecam'],
  ['pl', 'serio, zero problemów, polecam'],
  ['pl', 'naprawde super obsluga'],
  ['pl', 'w ogole sie nie spodziewalem ze tak szybko pojdzie'],
  ['pl', 'kurde no, działa! 😂'],
  ['pl', 'totalnie polecam, 5/5'],
  ['pl', 'router śmiga, ani razu się nie rozłączył, polecam'],
  ['pl', 'bateria trzyma dwa dni, naprawdę warto'],
  ['pl', 'znowu pomogliście w minutę 👍'],
  ['pl', 'pa, świetna robota'],
  ['pl', 'do widzenia, super obsługa jak zawsze'],
  ['pl', 'żegnam, naprawdę rewelacyjna pomoc'],
  ['pl', 'no brawo, znowu w pięć minut'],
  ['pl', 'serio nie wiem jak wy to robicie, tak szybko 😂'],
  ['pl', 'ani razu nie zawiedliście, polecam kazdemu'],
  ['pl', 'pięć gwiazdek, nigdy więcej innej sieci'],
  ['pl', 'kurcze, naprawde najlepsza obsluga jaka znam'],
  ['en', 'honestly, never had such good service'],
  ['en', 'seriously recommend, fixed in five minutes'],
  ['en', 'wow, not a single problem'],
  ['en', 'never had it this easy, bye'],
  ['en', 'great help as always, bye 👋'],
  ['en', 'really great chat, goodbye'],
  ['en', 'no complaints at all, 5 stars'],
  ['en', 'again sorted in minutes, you lot are brilliant'],
  ['en', "can't fault it, the modem never drops"],
  ['en', 'totally worth the money, would buy again'],
  ['en', 'best support ever, have a nice day'],
  ['en', 'honestly didnt expect it to work 😂'],
  ['id', 'sumpah gak nyesel langganan'],
  ['id', 'mantap, gak pernah lemot lagi'],
  ['id', 'baru kali ini cs nya cepet bgt'],
  ['id', 'puas parah, bye kak 👋'],
  ['id', 'gak ada masalah sama sekali, keren'],
  ['id', 'beneran deh pelayanannya keren, dadah'],
  ['id', 'bintang lima, routernya stabil'],
  ['id', 'hebat bgt pelayanannya, sampai jumpa'],
  ['id', 'gak pernah putus lagi sinyalnya, top'],
  ['id', 'rekomen bgt, pasangnya cepet'],
  ['id', 'lagi2 cepet bgt 😂 mantap'],
  ['id', 'worth it bgt paketnya, mantap'],
  ['nb', 'aldri hatt så god service'],
  ['nb', 'helt ærlig, dere er best, ha det'],
  ['nb', 'jo, det funket med en gang 😂'],
  ['nb', 'anbefales på det sterkeste, rask levering'],
  ['nb', 'ha det, kjempegod hjelp'],
  ['nb', 'ruteren har aldri falt ut, terningkast seks'],
  ['nb', 'igjen fikset på to minutter, dere er konge'],
  ['nb', 'ikke noe å klage på, alt funker'],
  ['nb', 'helt klart verdt pengene'],
  ['nb', 'strålende service som vanlig, ha det bra'],
  ['nb', 'seriøst, aldri opplevd så rask kundeservice'],
  // The model reads a complaint at the threshold ("i det hele tatt" and "ingen" stand in many Norwegian
  // complaints); a problem denied and nothing more is none (words.json `noProblem`).
  ['nb', 'ingen problemer i det hele tatt'],
];

describe('praise in the words of complaints said while leaving and negative reviews', () => {
  const understanding = testUnderstanding();

  it.each(PRAISE_WITH_COMPLAINT_CUES)(
    'reads the %s "%s" as no complaint and no request for a person',
    (locale, text) => {
      expect(['complaint', 'human']).not.toContain(understanding.message(text, locale).label);
    },
  );
});
