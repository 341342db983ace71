import { Understanding, type MessageLabel } from '../../language/understanding';
import { testUnderstanding } from '../helpers/understanding';

/**
 * What the router and the confirm steps make of realistic messages in each locale: informal, typos, no
 * diacritics, inflected forms, negation. The held-out sets (heldOut.test.ts) measure; these pin behaviours.
 */
type MessageCase = [locale: string, text: string, expected: MessageLabel];
type ConfirmCase = [locale: string, text: string, expected: 'yes' | 'no' | null];

describe('Understanding.message', () => {
  const understanding = testUnderstanding();

  it.each<MessageCase>([
    // complaints, angry and calm
    ['en', 'this is the third time im writing about this, nobody fixes anything', 'complaint'],
    ['en', 'you charged me twice this month', 'complaint'],
    ['en', 'worst service ever, my internet has been down for 3 days', 'complaint'],
    ['id', 'kecewa banget sama pelayanannya', 'complaint'],
    ['id', 'sangat mengecewakan, udah seminggu internet mati', 'complaint'],
    ['pl', 'mam dość waszej obsługi', 'complaint'],
    ['pl', 'skandal, znowu nie ma internetu', 'complaint'],
    ['nb', 'jeg er lei av dere', 'complaint'],
    ['nb', 'jeg er skuffa over tjenesten', 'complaint'],
    // saying one wants to complain, in plain words the model alone reads as a question for the knowledge base
    ['en', 'i would like to make a complaint', 'complaint'],
    ['id', 'saya mau komplain', 'complaint'],
    ['id', 'mau ajukan keluhan', 'complaint'],
    ['pl', 'chcę złożyć reklamację', 'complaint'],
    ['pl', 'chce zlozyc reklamacje', 'complaint'],
    ['pl', 'chciałbym złożyć skargę', 'complaint'],
    // swearing makes a complaint of a question too; angry emoji alone are a complaint
    ['en', 'wtf is this bill??', 'complaint'],
    ['id', 'anjir tagihan apaan nih', 'complaint'],
    ['pl', 'co to kurwa za rachunek', 'complaint'],
    ['nb', 'hva faen er denne regningen', 'complaint'],
    ['en', '😡😡😡', 'complaint'],
    ['id', '😡', 'complaint'],
    ['pl', '🤬🤬!!', 'complaint'],
    ['nb', '😠 😡', 'complaint'],
    // a returning customer's hello, the question whether a person is answering, a bare number: no complaint
    ['en', 'hi, its me again', 'other'],
    ['pl', 'hej, to znowu ja', 'other'],
    ['en', 'are you a real person?', 'other'],
    ['id', 'kamu orang beneran bukan?', 'other'],
    ['pl', 'czy rozmawiam z prawdziwym czlowiekiem?', 'other'],
    ['nb', 'snakker jeg med et ekte menneske?', 'other'],
    ['id', '3', 'other'],
    // asking to be called back
    ['en', 'can you call me back tomorrow', 'human'],
    ['id', 'tolong telpon saya ya kak', 'human'],
    ['pl', 'prosze zadzwoncie do mnie jutro', 'human'],
    ['nb', 'kan dere ringe meg i morgen', 'human'],
    // calling someone else is no request for a person
    ['en', 'call my mom', 'other'],
    ['pl', 'zadzwon do mamy', 'other'],
    // a request for a person wholly in another supported language's words: the English command, "agen"
    ['nb', 'human', 'human'],
    ['pl', 'human pls', 'human'],
    ['en', 'agen', 'human'],
    // requests for a person, short and long
    ['en', 'i need to speak with a representative about my bill', 'human'],
    ['en', 'can i talk to a real person pls', 'human'],
    ['id', 'mau ngobrol sama CS manusia', 'human'],
    ['pl', 'chcę rozmawiać z konsultantem', 'human'],
    ['pl', 'chce rozmawiac z konsultantem', 'human'],
    ['nb', 'kan jeg få snakke med et menneske?', 'human'],
    // goodbyes with acknowledgements
    ['en', 'perfect, thank you so much', 'closing'],
    ['en', 'ok got it, thanks', 'closing'],
    ['id', 'makasih infonya kak', 'closing'],
    ['pl', 'dzieki za pomoc', 'closing'],
    ['nb', 'takk for hjelpen', 'closing'],
    // leave-takings opened by a modal verb, which opens questions too; the same verbs opening questions
    ['pl', 'muszę już lecieć, dzięki', 'closing'],
    ['pl', 'muszę uciekać, dzięki za pomoc', 'closing'],
    ['nb', 'må løpe, ha det', 'closing'],
    ['nb', 'går nå, takk for hjelpen', 'closing'],
    ['pl', 'muszę podać pesel przy rejestracji, dzięki', 'other'],
    ['pl', 'czy muszę coś jeszcze zrobić, dzięki', 'other'],
    ['nb', 'må jeg betale gebyr, takk', 'other'],
    ['en', 'can i change my plan, thanks', 'other'],
    ['id', 'bisa ganti paket gak, makasih', 'other'],
    // a request of one clause, opened by a question word, is no goodbye whatever the model makes of it
    ['en', 'recommend a cosy mystery novel', 'other'],
    ['nb', 'anbefal en morsom film', 'other'],
    // commands
    ['en', 'help', 'help'],
    ['id', 'batal', 'cancel'],
    ['pl', 'anuluj', 'cancel'],
    ['nb', 'hjelp', 'help'],
    // usage questions, also with complaint, person, goodbye and cancel words
    ['en', 'how do I file a complaint?', 'other'],
    ['pl', 'jak złożyć reklamację?', 'other'],
    ['en', 'thanks, but how do I change my plan?', 'other'],
    ['en', 'thanks, but how do i change my plan', 'other'],
    ['en', 'what is the worst case delivery time', 'other'],
    ['en', 'is there a human-readable invoice?', 'other'],
    ['en', 'how do I cancel my subscription', 'other'],
    ['en', 'hi', 'other'],
    ['id', 'halo kak', 'other'],
    ['id', 'makasih, tapi gimana cara ganti paket?', 'other'],
    ['pl', 'jak zmienić hasło do konta?', 'other'],
    ['pl', 'dzięki, ale gdzie znajdę fakturę?', 'other'],
    ['nb', 'hvordan betaler jeg regningen?', 'other'],
    ['nb', 'takk, men hvordan bytter jeg abonnement?', 'other'],
    // asking for a recommendation is a question, whatever praise words it holds
    ['en', 'recommend a cheap plan', 'other'],
    ['en', 'suggest a good plan for my son', 'other'],
    ['id', 'rekomendasiin paket internet yg bagus dong', 'other'],
    ['pl', 'doradźcie najlepszy abonament', 'other'],
    ['nb', 'anbefal et billig abonnement', 'other'],
  ])('%s %p → %s', (locale, text, expected) => {
    expect(understanding.message(text, locale).label).toBe(expected);
  });

  it.each([
    ['en', 'am i talking to a bot or a real person', 'phrase:about-bot'],
    ['nb', 'hei, det er meg igjen', 'phrase:greeting'],
    ['id', '12:30', 'no words'],
    // the optional steps' skip, typed: never a request for a person ("over" as in "sett meg over til en person")
    ['nb', 'Hopp over', 'phrase:skip'],
    ['en', 'skip', 'phrase:skip'],
    ['id', 'lewati aja', 'phrase:skip'],
    ['pl', 'pomiń', 'phrase:skip'],
  ])('%s %p is read by its rule (%s)', (locale, text, reason) => {
    expect(understanding.message(text, locale).reasons).toContain(reason);
  });

  it('says why: phrase-list matches and the model probability', () => {
    const reading = understanding.message('this is unacceptable', 'en');
    expect(reading.label).toBe('complaint');
    expect(reading.reasons.some((reason) => reason.startsWith('model:'))).toBe(true);
    expect(reading.confidence).toBeGreaterThan(0);
  });
});

describe('Understanding.confirm', () => {
  const understanding = testUnderstanding();

  it.each<ConfirmCase>([
    ['en', 'yes', 'yes'],
    ['en', 'perfect', 'yes'],
    ['en', 'yep that worked', 'yes'],
    ['en', 'no problem, it worked', 'yes'],
    ['en', 'no', 'no'],
    ['en', 'no, that did not help at all', 'no'],
    ['en', 'not really', 'no'],
    ['en', 'how do I pay?', null],
    ['id', 'iya kak', 'yes'],
    ['id', 'udah jelas', 'yes'],
    ['id', 'gak membantu', 'no'],
    ['id', 'belum', 'no'],
    ['pl', 'tak, dzięki', 'yes'],
    ['pl', 'jasne', 'yes'],
    ['pl', 'nie bardzo', 'no'],
    ['pl', 'nie, to nie pomogło', 'no'],
    ['nb', 'ja, takk', 'yes'],
    ['nb', 'det hjalp', 'yes'],
    ['nb', 'ikke helt', 'no'],
    ['nb', 'nei, det hjelper ikke', 'no'],
  ])('%s %p → %p', (locale, text, expected) => {
    expect(understanding.confirm(text, locale).answer).toBe(expected);
  });
});

describe('Understanding.ratingCorrection', () => {
  const understanding = testUnderstanding();

  it.each<[string, string, number | null]>([
    ['en', 'actually make that 5', 5],
    ['en', 'the wait was 3 hours', null],
    ['id', 'ralat, 5 aja', 5],
    ['pl', 'jednak 4', 4],
    ['nb', 'endre til 5', 5],
    ['nb', 'egentlig ikke 5', null],
    ['pl', 'zmień na 5', 5],
    ['en', 'no wait, 3', 3],
    ['en', 'make it 5', 5],
    ['nb', 'skulle vært 4', 4],
  ])('%s %p → %p', (locale, text, expected) => {
    expect(understanding.ratingCorrection(text, locale)).toBe(expected);
  });
});

describe('Understanding training', () => {
  it('is deterministic: two trainings read every message alike', () => {
    const a = Understanding.load();
    const b = Understanding.load();
    for (const text of ['you charged me twice', 'kecewa', 'czy mogę rozmawiać z kimś?', 'takk skal du ha']) {
      expect(a.message(text, 'en')).toEqual(b.message(text, 'en'));
      expect(a.confirm(text, 'pl')).toEqual(b.confirm(text, 'pl'));
    }
  });

  it('learns a labelled example at run time, from the next message on, in that locale only', () => {
    const understanding = Understanding.load();
    const text = 'blorptastic zingwaffle';
    expect(understanding.message(text, 'en').label).toBe('other');
    for (let i = 0; i < 3; i += 1)
      understanding.learn({ task: 'message', locale: 'en', text, label: 'complaint' });
    expect(understanding.message(text, 'en').label).toBe('complaint');
    expect(understanding.message(text, 'pl').label).toBe('other');
  });

  it('learns confirm answers too', () => {
    const understanding = Understanding.load();
    const text = 'zingwaffle blorp';
    expect(understanding.confirm(text, 'nb').answer).toBeNull();
    for (let i = 0; i < 3; i += 1) understanding.learn({ task: 'confirm', locale: 'nb', text, label: 'yes' });
    expect(understanding.confirm(text, 'nb').answer).toBe('yes');
  });

  it('takes learned examples at load (e.g. labels an admin gave earlier)', () => {
    const text = 'flumpadoodle snorkwhistle';
    const understanding = Understanding.load({
      lessons: [1, 2, 3].map(() => ({
        task: 'message' as const,
        locale: 'id',
        text,
        label: 'human' as const,
      })),
    });
    expect(understanding.message(text, 'id').label).toBe('human');
  });
});
