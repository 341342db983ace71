import { testUnderstanding } from '../helpers/understanding';

/**
 * Requests that use praise words ("best", "recommend", "terbaik", "gampang", "najlepszy", "poleć", "beste",
 * "anbefal") are questions for the knowledge base, not thanks or a goodbye, and asking to call or connect a
 * third party (a relative, a friend, a shop, a doctor, headphones) is no request for a support person. These
 * messages are not in the training data (`message.requests.jsonl` has others of the kind); before it, "recommend
 * a cheap plan" and "beste mobil for eldre" were read as `closing` and "ring Ola" as `human`, and 14 of the 25
 * requests and calls below were read as `closing` or `human`.
 */
type Case = [locale: string, text: string];

const REQUESTS: Case[] = [
  ['en', 'good laptop for uni'],
  ['en', 'suggest an easy way to pay rent'],
  ['en', 'best coffee shop near me'],
  ['en', "recommend a phone for my mum that's simple"],
  ['id', 'hp terbaik buat ojol apa kak'],
  ['id', 'resep martabak manis yang gampang'],
  ['id', 'film bagus buat anak'],
  ['pl', 'najlepszy telefon dla nastolatka'],
  ['pl', 'poleć szybki router do mieszkania'],
  ['pl', 'łatwy przepis na gulasz'],
  ['nb', 'enkel fiskesuppe oppskrift'],
  ['nb', 'anbefal et bra abonnement til studenter'],
  ['nb', 'raskeste frakt til tromsø'],
];

const THIRD_PARTIES: Case[] = [
  ['en', 'call Grandpa Joe'],
  ['en', "ring Murphy's Bakery"],
  ['en', 'video call my nephew'],
  ['id', 'sambungin ke dokter anak'],
  ['id', 'telpon pak haji'],
  ['id', 'telpon tante sari'],
  ['pl', 'połącz mnie z bratem'],
  ['pl', 'zadzwoń do cioci Basi'],
  ['pl', 'połącz z salonem fryzjerskim'],
  ['nb', 'ring tante Liv'],
  ['nb', 'ring frisøren'],
  ['nb', 'ring Ola'],
];

describe('requests with praise words and calls to third parties', () => {
  const understanding = testUnderstanding();

  it.each(REQUESTS)('reads the %s request "%s" as a question, not thanks', (locale, text) => {
    expect(understanding.message(text, locale).label).toBe('other');
  });

  it.each(THIRD_PARTIES)('reads the %s "%s" as no request for a support person', (locale, text) => {
    expect(understanding.message(text, locale).label).toBe('other');
  });

  it.each<[locale: string, text: string, label: string]>([
    ['en', "best service i've had all year, thanks", 'closing'],
    ['id', 'cs nya paling the best, makasih', 'closing'],
    ['pl', 'polecam was z czystym sumieniem, dzięki', 'closing'],
    ['nb', 'dere er helt konge, anbefaler dere videre', 'closing'],
    ['en', 'could one of your agents phone me tonight', 'human'],
    ['id', 'min tolong cs telpon saya nanti siang', 'human'],
    ['pl', 'niech ktoś z obsługi zadzwoni do mnie jutro', 'human'],
    ['nb', 'kan en fra kundeservice ringe meg i kveld', 'human'],
  ])('still reads the %s "%s" as %s', (locale, text, label) => {
    expect(understanding.message(text, locale).label).toBe(label);
  });
});
