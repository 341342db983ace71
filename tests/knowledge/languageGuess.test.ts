import { SURE_SCORE, guessLanguage } from '../../knowledge/languageGuess';

const supported = ['en', 'id', 'pl', 'nb'];

describe('guessing the language a customer writes in', () => {
  it.each([
    ['Jak zmienić hasło do wifi?', 'en', 'pl'],
    ['Nie działa mi internet', 'en', 'pl'],
    ['Bagaimana cara bayar tagihan saya?', 'en', 'id'],
    ['Saya mau bicara dengan agen', 'nb', 'id'],
    ['Hvordan betaler jeg regningen?', 'en', 'nb'],
    ['My internet is slow', 'nb', 'en'],
    ['Where is my invoice for this month', 'id', 'en'],
  ])('when "%s" comes from a %s client, then it is %s', (text, client, expected) => {
    expect(guessLanguage(text, client, supported)).toBe(expected);
  });

  it.each([
    ['How do I pay my bill?', 'en'],
    ['ok', 'pl'],
    ['tak', 'en'],
    ['router 5G', 'nb'],
    ['I want to cancel my contract', 'pl'],
  ])(
    'when "%s" comes from a %s client, then the client language stays (own language or not clear enough)',
    (text, client) => {
      expect(guessLanguage(text, client, supported)).toBeUndefined();
    },
  );

  it('when a short English phrase comes in a Polish chat, then it suggests English but does not prove it', () => {
    expect(guessLanguage('sorry, is it free?', 'pl', supported)).toBe('en');
    expect(guessLanguage('sorry, is it free?', 'pl', supported, SURE_SCORE)).toBeUndefined();
    expect(guessLanguage('Where is my invoice for this month', 'pl', supported, SURE_SCORE)).toBe('en');
  });

  it("when a message has few function words and no diacritics, then the words a language's customers use decide", () => {
    const known: Record<string, number> = { en: 0, id: 0, pl: 3, nb: 0 };
    expect(guessLanguage('jak zaplacic rachunek', 'en', supported)).toBeUndefined();
    expect(guessLanguage('jak zaplacic rachunek', 'en', supported, undefined, (l) => known[l] ?? 0)).toBe(
      'pl',
    );
  });

  it('when the function words already settle it, then no language is asked for its customers words', () => {
    const known = jest.fn(() => 0);
    expect(
      guessLanguage('How do I change my wifi password?', 'en', supported, undefined, known),
    ).toBeUndefined();
    expect(known).not.toHaveBeenCalled();
  });

  it.each([
    ['halo', 'nb', { id: 1, pl: 1 }],
    ['terima kasih', 'en', { id: 2 }],
    ['dzięki', 'en', { pl: 1 }],
  ])(
    'when "%s" (one or two words) comes from a %s client, then the language stays, whatever words it shares',
    (text, client, counts: Record<string, number>) => {
      expect(guessLanguage(text, client, supported, undefined, (l) => counts[l] ?? 0)).toBeUndefined();
    },
  );

  it.each([
    ['wie kann ich meine rechnung bezahlen?', { pl: 1, nb: 1 }],
    ['Hallo, ich habe eine Frage zu meiner Rechnung', { pl: 1, nb: 2 }],
    ['Comment puis-je payer ma facture ?', { pl: 2, nb: 1 }],
    ['¿Cómo puedo pagar mi factura?', { id: 1, pl: 1, nb: 1 }],
  ])(
    'when "%s" (an unsupported language) comes, then no supported language is guessed from the few words it shares',
    (text, counts: Record<string, number>) => {
      for (const client of supported)
        expect(guessLanguage(text, client, supported, undefined, (l) => counts[l] ?? 0)).toBeUndefined();
    },
  );
});
