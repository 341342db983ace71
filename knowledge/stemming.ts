import { StemmerEn, StopwordsEn } from '@nlpjs/lang-en-min';
import { StemmerNo, StopwordsNo } from '@nlpjs/lang-no';
import { StemmerPl } from '@nlpjs/lang-pl';
import stopwordsIso from 'stopwords-iso/stopwords-iso.json';
import { BoundedMap } from '../core/boundedMap';
import { fold } from '../core/text';
import { INDONESIAN_STOPWORDS, stemIndonesian } from './stemmerId';

/**
 * Per-locale word analysis of the FAQ matcher, from the nlp.js language packages (MIT; the only maintained
 * npm family with en, id, pl and nb stemmers): stemmers and stop words; Polish stop words, which nlp.js
 * lacks, from stopwords-iso (MIT); Indonesian from knowledge/stemmerId.ts. Its English list (1,298 words: "not", "new", "help"…) cost 1 point of
 * BANKING77 accuracy against nlp.js's 169 words. Words are folded (no diacritics) first, as produced by
 * knowledge/normalize.ts. Unknown locales: no stemming, no stop words.
 */
export interface Analyzer {
  /** Stem of a folded word. */
  stem(word: string): string;
  isStopword(word: string): boolean;
}

interface LanguageParts {
  stemmer: { stemWord(word: string): string };
  stopwords: readonly string[];
}

const LANGUAGES: Record<string, () => LanguageParts> = {
  en: () => ({ stemmer: new StemmerEn(), stopwords: Object.keys(new StopwordsEn().dictionary) }),
  // nlp.js's Indonesian stemmer over-strips ("pesanan" → "sanan") and its stop list holds content words.
  id: () => ({ stemmer: { stemWord: stemIndonesian }, stopwords: INDONESIAN_STOPWORDS }),
  // nlp.js ships no Polish stop words.
  pl: () => ({ stemmer: new StemmerPl(), stopwords: stopwordsIso.pl }),
  no: () => ({ stemmer: new StemmerNo(), stopwords: Object.keys(new StopwordsNo().dictionary) }),
};
/** Locale tags that share a language's analyser (Bokmål and Nynorsk use the Norwegian stemmer). */
const ALIASES: Record<string, string> = { nb: 'no', nn: 'no', in: 'id' };

const PLAIN: Analyzer = { stem: (word) => word, isStopword: () => false };
const cache = new Map<string, Analyzer>();

/** languageOf() of each locale tag asked for: every search and every message analysed asks, with a few tags. */
const languages = new BoundedMap<string, string>(1000);

/** Language part of a locale tag: "pl-PL" → "pl", "nb" → "no". */
export function languageOf(locale: string): string {
  let language = languages.get(locale);
  if (language === undefined) {
    const part = locale.toLowerCase().split(/[-_]/)[0] ?? '';
    language = ALIASES[part] ?? part;
    languages.set(locale, language);
  }
  return language;
}

export function analyzerFor(locale: string): Analyzer {
  const language = languageOf(locale);
  const cached = cache.get(language);
  if (cached) return cached;
  const make = LANGUAGES[language];
  const analyzer = make ? build(make()) : PLAIN;
  cache.set(language, analyzer);
  return analyzer;
}

function build({ stemmer, stopwords }: LanguageParts): Analyzer {
  const stop = new Set(stopwords.map(fold));
  const stems = new BoundedMap<string, string>(100_000);
  return {
    stem(word) {
      let stem = stems.get(word);
      if (stem === undefined) {
        stem = stemmer.stemWord(word);
        stems.set(word, stem);
      }
      return stem;
    },
    isStopword: (word) => stop.has(word),
  };
}
