/** A knowledge-base entry. Entries of one topic in several locales share `topic`. */
export interface FaqEntry {
  id: string;
  /** Shared by the translations of one topic. */
  topic: string;
  locale: string;
  questions: string[];
  /** Markdown, sanitised on save (no HTML, no javascript:/data: links). */
  answer: string;
  category?: string;
  /** Ids of entries offered as follow-up buttons after this answer. */
  followUps?: string[];
  enabled: boolean;
  version: number;
  updatedAt: Date;
  updatedBy: string;
}

/** What the matcher needs of an entry. */
export type IndexableEntry = Pick<FaqEntry, 'id' | 'locale' | 'questions'> & {
  enabled?: boolean;
  /** The answer (markdown): its words count as one more document of the entry, never as a question. */
  answer?: string;
};

export interface Match {
  id: string;
  /** Calibrated confidence 0–1: comparable across queries and used against the thresholds. */
  score: number;
}

/** An example question that, asked without itself in the index, goes to another entry. */
export interface Collision {
  entryId: string;
  /** Index of the question in the entry's `questions`. */
  question: number;
  /** The entry that ranks first instead. */
  winnerId: string;
  /** Its confidence. */
  score: number;
}

/** The live FAQ index: updated on every save, searched on every customer turn. */
export interface FaqIndex {
  upsert(entry: IndexableEntry): void;
  remove(id: string): void;
  /** Replaces the whole index (start-up, import). */
  rebuild(entries: IndexableEntry[]): void;
  /** Best entries of that locale for the text, best first; only enabled entries. */
  search(text: string, locale: string, limit?: number): Match[];
  /** Each example question of the locale's entries asked against the others: those another entry wins. */
  crossCheck(locale: string): Collision[];
  /**
   * True for a question too short to answer outright: two words in all, or at most one content word the locale's
   * entries know ("how much is a pizza": "pizza" is no word of theirs; a misspelt known word counts).
   */
  isVague(text: string, locale: string): boolean;
  readonly size: number;
}
