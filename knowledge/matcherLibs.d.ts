/** Types of the parts of the nlp.js language packages (MIT, no bundled types) that knowledge/stemming.ts uses. */
interface NlpjsStemmer {
  stemWord(word: string): string;
}

declare module '@nlpjs/lang-en-min' {
  export class StopwordsEn {
    dictionary: Record<string, boolean>;
  }
  export class StemmerEn implements NlpjsStemmer {
    stemWord(word: string): string;
  }
}
declare module '@nlpjs/lang-pl' {
  export class StemmerPl implements NlpjsStemmer {
    stemWord(word: string): string;
  }
}
declare module '@nlpjs/lang-no' {
  export class StopwordsNo {
    dictionary: Record<string, boolean>;
  }
  export class StemmerNo implements NlpjsStemmer {
    stemWord(word: string): string;
  }
}
