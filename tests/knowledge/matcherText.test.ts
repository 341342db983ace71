import { normalize, tokenize } from '../../knowledge/normalize';
import { analyzerFor, languageOf } from '../../knowledge/stemming';

describe('normalisation', () => {
  it('when text has case, diacritics, punctuation and emoji, then only folded words remain', () => {
    expect(normalize('Jak ZAPŁACIĆ rachunek?! 😀👍🏽')).toBe('jak zaplacic rachunek');
    expect(normalize('Blåbær-kortet, søknad…')).toBe('blabaer kortet soknad');
  });

  it('when words carry apostrophes or numbers carry group separators, then they stay one token', () => {
    expect(tokenize("I don't have $1,000.50")).toEqual(['i', 'dont', 'have', '1000', '50']);
  });

  it('when the text holds nothing but symbols, then there are no tokens', () => {
    expect(tokenize('?!… 🎉')).toEqual([]);
  });
});

describe('per-locale stemming and stop words', () => {
  const stems = (locale: string, text: string): string[] => {
    const analyzer = analyzerFor(locale);
    return tokenize(text)
      .filter((word) => !analyzer.isStopword(word))
      .map((word) => analyzer.stem(word));
  };

  it('when English words are inflected, then they share a stem and stop words are dropped', () => {
    expect(stems('en', 'How do I activate my cards')).toEqual(stems('en', 'activation of cards'));
  });

  it('when Indonesian words carry affixes, then they share the root', () => {
    expect(stems('id', 'pembayaran')).toEqual(stems('id', 'membayar'));
  });

  it('when Polish words are inflected, then their stems match', () => {
    expect(stems('pl', 'przelewy')).toEqual(stems('pl', 'przelewu'));
    expect(analyzerFor('pl').isStopword('jak')).toBe(true);
  });

  it('when Norwegian Bokmål words are inflected, then they share a stem', () => {
    expect(stems('nb', 'kortet')).toEqual(stems('nb-NO', 'kort'));
    expect(stems('nb', 'betalingene')).toEqual(stems('nb', 'betalinger'));
  });

  it('when the locale is unknown, then words are kept as they are', () => {
    expect(languageOf('xx-YY')).toBe('xx');
    expect(stems('xx', 'the cards')).toEqual(['the', 'cards']);
  });
});
