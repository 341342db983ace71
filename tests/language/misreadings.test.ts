import { isGreeting } from '../../language/words';
import { testUnderstanding } from '../helpers/understanding';

/**
 * Misreadings of customer messages a session noted and left (docs/understanding.md), and what must stay as it is
 * beside each fix. Informal chat, typos and missing diacritics included; none of these messages is a training line.
 */
type Case = [locale: string, text: string];

/** A fault named and said to someone: "kak", "min", "mate" only address the reader, and carry no goodbye or yes. */
const ADDRESSED: [locale: string, text: string, without: string][] = [
  ['id', 'gangguan kak', 'gangguan'],
  ['id', 'lemot kak', 'lemot'],
  ['id', 'error min', 'error'],
  ['id', 'eror min', 'eror'],
  ['id', 'gagal terus kak', 'gagal terus'],
  ['id', 'putus kak', 'putus'],
  ['id', 'gangguan gan', 'gangguan'],
  ['id', 'lemot bang', 'lemot'],
  ['id', 'error mas', 'error'],
  ['id', 'lemot mbak', 'lemot'],
  ['en', 'not working mate', 'not working'],
  ['pl', 'nie dziala szefie', 'nie dziala'],
  ['nb', 'funker ikke kompis', 'funker ikke'],
];

/** Praise that names a person of the company: thanks, never a request for one nor a complaint. */
const PRAISED_PEOPLE: Case[] = [
  ['en', 'great agent, thank you'],
  ['en', 'the support guy was really helpful'],
  ['en', 'ur agent was super nice thx'],
  ['id', 'cs nya mantap'],
  ['id', 'mbak cs nya ramah banget makasih'],
  ['id', 'cs nya ramah bgt, mksh'],
  ['pl', 'konsultant był bardzo pomocny, dzięki'],
  ['pl', 'konsultantka byla bardzo mila, dzieki'],
  ['nb', 'flink kundebehandler, takk'],
  ['nb', 'kundebehandleren var kjempehyggelig, tusen takk'],
];

/** Requests for a person, also with a word of praise or an address word: still requests. */
const PERSON_REQUESTS: Case[] = [
  ['en', 'I want an agent'],
  ['en', 'can I talk to the support guy'],
  ['en', 'the agent was nice but i need to talk to a manager'],
  ['en', 'can i talk to a nice agent please'],
  ['en', 'i need a human fast'],
  ['en', 'get me a real person quick'],
  ['id', 'mau ngobrol sama cs yang cepet'],
  ['id', 'admin tolong cepet'],
  ['en', 'i want a nice agent'],
  ['id', 'saya mau cs yang ramah'],
  ['nb', 'jeg vil ha en hyggelig kundebehandler'],
  ['nb', 'gi meg en flink saksbehandler'],
  ['en', 'an agent would be great'],
  ['en', 'a real person would be perfect'],
  ['en', "i'd love a human"],
  ['id', 'mau cs yang beneran bagus'],
  ['pl', 'konsultant byłby super'],
  ['nb', 'en kundebehandler hadde vært fint'],
  ['pl', 'szybko poproszę konsultanta'],
  ['nb', 'jeg vil snakke med en kundebehandler raskt'],
  ['id', 'mau ngomong sama cs kak'],
  ['id', 'sambungin ke cs dong min'],
  ['pl', 'chcę rozmawiać z konsultantem'],
  ['nb', 'kan jeg snakke med en kundebehandler?'],
];

/** Doing as told, with a thanks or a goodbye: leaving. */
const WILL_DO_GOODBYES: Case[] = [
  ['en', 'will do, thanks bye'],
  ['en', 'ok will do, cheers'],
  ['en', 'will do thx, bye'],
  ['nb', 'skal bli, takk ha det'],
  ['nb', 'skal bli, takk'],
  ['pl', 'dobrze, zrobię tak, pa'],
  ['pl', 'dobra, zrobie tak, dzieki'],
  ['id', 'oke siap, makasih'],
  ['id', 'siap, nanti saya coba, makasih'],
];

/** Thanks, then a time-of-day wish (in Indonesian a farewell too): a goodbye. */
const THANKS_AND_WISH: Case[] = [
  ['id', 'makasih, selamat siang'],
  ['id', 'terima kasih, selamat malam'],
  ['id', 'makasih ya kak, selamat sore'],
  ['id', 'trima kasih, met malam'],
  ['nb', 'takk for hjelpen, god kveld'],
  ['en', 'thanks a lot, good evening'],
];

/** A problem denied: no complaint. */
const NO_PROBLEM: Case[] = [
  ['nb', 'ingen problemer i det hele tatt'],
  ['nb', 'ingen problemer'],
  ['en', 'no problem at all'],
  ['en', 'no problems at all'],
  ['pl', 'nie ma problemu'],
  ['pl', 'zaden problem'],
  ['id', 'tidak ada masalah kok'],
  ['id', 'gak ada masalah sama sekali'],
];

/** Complaints, with an address word or a word of praise: still complaints. */
const COMPLAINTS: Case[] = [
  ['id', 'aplikasi error terus kak, kecewa'],
  ['id', 'lemot parah kak, kecewa bgt!!'],
  ['id', 'udah 3 hari gangguan min, gak becus'],
  ['en', 'the new update made the app unusable'],
  ['en', 'since the last update the app is unusable'],
  ['en', 'great agent, hung up on me twice. unacceptable'],
  ['nb', 'problemer hele tiden, jeg er lei'],
  ['pl', 'ciągle problem z internetem, mam dość'],
];

describe('misreadings a session noted and left', () => {
  const understanding = testUnderstanding();

  it.each(ADDRESSED)('reads the %s "%s" as "%s", a calm report and no yes', (locale, text, without) => {
    expect(understanding.message(text, locale).label).toBe('other');
    expect(understanding.message(without, locale).label).toBe('other');
    expect(understanding.confirm(text, locale).answer).not.toBe('yes');
  });

  it.each(PRAISED_PEOPLE)('reads the %s "%s" as no request for a person and no complaint', (locale, text) => {
    expect(['complaint', 'human']).not.toContain(understanding.message(text, locale).label);
  });

  it.each(PERSON_REQUESTS)('reads the %s "%s" as a request for a person', (locale, text) => {
    expect(understanding.message(text, locale).label).toBe('human');
  });

  it.each(WILL_DO_GOODBYES)('reads the %s "%s" as a goodbye', (locale, text) => {
    expect(understanding.message(text, locale).label).toBe('closing');
  });

  it.each(THANKS_AND_WISH)('reads the %s "%s" as a goodbye', (locale, text) => {
    expect(understanding.message(text, locale).label).toBe('closing');
  });

  it.each(NO_PROBLEM)('reads the %s "%s" as no complaint', (locale, text) => {
    expect(understanding.message(text, locale).label).not.toBe('complaint');
  });

  it.each(COMPLAINTS)('reads the %s "%s" as a complaint', (locale, text) => {
    expect(understanding.message(text, locale).label).toBe('complaint');
  });

  it.each([
    ['en', 'will you be open tomorrow?'],
    ['nb', 'skal jeg bytte ruter?'],
    ['en', 'is the app unusable without internet?'],
  ])('reads the %s "%s" as a question', (locale, text) => {
    expect(understanding.message(text, locale).label).toBe('other');
  });

  it.each([
    ['id', 'selamat siang'],
    ['id', 'halo kak, selamat pagi'],
    ['id', 'selamat malam min'],
    ['id', 'selamat pagi, terima kasih'],
  ])('reads the %s "%s" as a greeting', (locale, text) => {
    expect(isGreeting(text, locale)).toBe(true);
    expect(understanding.message(text, locale).label).toBe('other');
  });

  it.each([
    ['id', 'makasih kak'],
    ['id', 'mksh kak, met sore'],
    ['en', 'thanks mate'],
  ])('reads the %s "%s", thanks said to someone, as a goodbye', (locale, text) => {
    expect(understanding.message(text, locale).label).toBe('closing');
  });

  it.each([
    ['id', 'iya kak'],
    ['id', 'udah kak, makasih'],
  ])('reads the %s "%s" as yes', (locale, text) => {
    expect(understanding.confirm(text, locale).answer).toBe('yes');
  });
});
