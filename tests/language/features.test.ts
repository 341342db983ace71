import { featuresOf } from '../../language/features';

/** The keys of a message's features, copied (featuresOf reuses its arrays). */
function keysOf(text: string, locale = 'en'): number[] {
  const features = featuresOf(text, locale);
  return Array.from(features.keys.subarray(0, features.length));
}

/** The keys of a message's word and stem features. */
function wordKeysOf(text: string, locale = 'en'): number[] {
  const features = featuresOf(text, locale);
  return Array.from(features.keys.subarray(0, features.length)).filter((_, i) => features.wordish[i] === 1);
}

describe('featuresOf', () => {
  it('gives each feature once, in a stable order', () => {
    const keys = keysOf('bad bad service, really bad');
    expect(new Set(keys).size).toBe(keys.length);
    expect(keysOf('bad bad service, really bad')).toEqual(keys);
  });

  it('ignores case and diacritics, not words', () => {
    expect(keysOf('Dziękuję za POMOC', 'pl')).toEqual(keysOf('dziekuje za pomoc', 'pl'));
    expect(keysOf('thanks for the help')).not.toEqual(keysOf('thanks for the hello'));
  });

  it('marks the words after a negation: "not bad" does not read as "bad"', () => {
    const [bad] = wordKeysOf('bad');
    expect(wordKeysOf('not bad')).not.toContain(bad);
    expect(wordKeysOf('bad, not good')).toContain(bad);
  });

  it('counts only words and stems as word features (two per word when the stem differs)', () => {
    expect(wordKeysOf('refunds')).toHaveLength(2);
    expect(featuresOf('refunds', 'en').length).toBeGreaterThan(2);
  });

  it('keeps every feature of a very long message (its buffers grow)', () => {
    const words = Array.from({ length: 400 }, (_, i) => `word${i.toString(36)}x`);
    const long = keysOf(words.join(' '));
    expect(new Set(long).size).toBe(long.length);
    for (const word of words) expect(long).toContain(wordKeysOf(word)[0]);
    // The buffers stay right for the next, short message.
    expect(keysOf('bad bad service, really bad')).toEqual(keysOf('bad bad service, really bad'));
  });
});
