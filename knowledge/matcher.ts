import type { FaqIndex, IndexableEntry, Match } from './types';
import { tokenize } from './normalize';
import { analyzerFor, languageOf } from './stemming';
import type { Analyzer } from './stemming';

/**
 * The FAQ matcher: TF-IDF cosine similarity over two feature groups, word stems (stop words removed) and
 * character n-grams of the folded words (robust to typos and to stems the stemmer missed), blended, then
 * nearest neighbour over the example questions mixed with the similarity to the entry's centroid.
 * The raw similarity goes through a logistic calibration fitted on BANKING77 train splits
 * (`npx tsx knowledge/banking77.ts --tune`), so a score is an estimate of "this entry is the right one".
 *
 * Live updates: one inverted index per language. Upsert/remove touch only that entry's postings (removed
 * questions are tombstoned and compacted lazily). IDF is read from live document frequencies at query time;
 * only the per-question norms depend on IDF, and they are refreshed lazily once the collection has grown or
 * shrunk by a quarter since they were computed.
 */

export interface MatcherOptions {
  /** Weight of the word group against the character n-gram group (0–1). */
  wordWeight: number;
  /** Weight of the best example question against the entry centroid (0–1). */
  maxWeight: number;
  /** Character n-gram lengths, inclusive. */
  charMin: number;
  charMax: number;
  /** Logistic calibration: confidence = 1 / (1 + exp(-(slope × similarity + intercept))). */
  slope: number;
  intercept: number;
}

/** Tuned and calibrated on BANKING77 train splits (see the file header). */
export const DEFAULT_MATCHER_OPTIONS: MatcherOptions = {
  wordWeight: 0.2,
  maxWeight: 0.4,
  charMin: 3,
  charMax: 3,
  slope: 7.24,
  intercept: -3.28,
};

/** A query feature is skipped when it occurs in more questions than both of these (see search()). */
const MAX_POSTINGS = 1000;
const MAX_POSTINGS_SHARE = 0.02;

const WORD = 0;
const CHAR = 1;
type Group = typeof WORD | typeof CHAR;

/** Features of one text: feature key → sublinear term frequency, split by group. */
type Features = [Map<string, number>, Map<string, number>];

/** Analyses texts into the two feature groups. */
function featuresOf(text: string, analyzer: Analyzer, options: MatcherOptions): Features {
  const counts: Features = [new Map<string, number>(), new Map<string, number>()];
  const add = (group: Group, key: string): void => {
    counts[group].set(key, (counts[group].get(key) ?? 0) + 1);
  };
  for (const word of tokenize(text)) {
    if (!analyzer.isStopword(word)) add(WORD, analyzer.stem(word));
    const padded = ` ${word} `;
    for (let n = options.charMin; n <= options.charMax; n++) {
      for (let i = 0; i + n <= padded.length; i++) add(CHAR, padded.slice(i, i + n));
    }
  }
  for (const group of counts) for (const [key, count] of group) group.set(key, 1 + Math.log(count));
  return counts;
}

interface Question {
  entry: IndexedEntry;
  alive: boolean;
  /** Feature ids and weights, for removal and norm refreshes. */
  features: [number[], number[]][];
  /** L2 norms of the TF-IDF vectors per group (IDF at the last refresh). */
  norms: [number, number];
}

interface IndexedEntry {
  id: string;
  questions: Question[];
  /** Norms of the sum of the unit question vectors per group (for the centroid similarity). */
  centroidNorms: [number, number];
  /** Distinct feature ids of all its questions (document frequency is counted per entry). */
  features: number[];
}

/** One language's inverted index. */
class LanguageIndex {
  private readonly featureIds = new Map<string, number>();
  /** Per feature: number of entries (not questions) containing it; IDF is computed over entries. */
  private readonly df: number[] = [];
  private readonly postingDocs: number[][] = [];
  private readonly postingWeights: number[][] = [];
  private readonly questions: (Question | undefined)[] = [];
  private readonly entries = new Map<string, IndexedEntry>();
  private liveQuestions = 0;
  private deadQuestions = 0;
  private normsComputedAt = 0;
  private readonly analyzer: Analyzer;
  private scratch = new Float64Array(0);

  constructor(
    language: string,
    private readonly options: MatcherOptions,
  ) {
    this.analyzer = analyzerFor(language);
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * Indexes the entry's questions; false when none has any feature (nothing indexed). `deferNorms`: the
   * caller refreshes all norms afterwards (bulk rebuild).
   */
  upsert(id: string, texts: string[], deferNorms = false): boolean {
    this.remove(id);
    const entry: IndexedEntry = { id, questions: [], centroidNorms: [0, 0], features: [] };
    for (const text of texts) {
      const question = this.addQuestion(entry, featuresOf(text, this.analyzer, this.options));
      if (question) entry.questions.push(question);
    }
    if (entry.questions.length === 0) return false;
    const distinct = new Set<number>();
    for (const question of entry.questions)
      for (const [ids] of question.features) for (const fid of ids) distinct.add(fid);
    entry.features = [...distinct];
    for (const fid of entry.features) this.df[fid]! += 1;
    this.entries.set(id, entry);
    if (deferNorms) return true;
    if (this.normsStale()) this.refreshNorms();
    else this.computeNorms(entry);
    return true;
  }

  remove(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    for (const question of entry.questions) question.alive = false;
    for (const fid of entry.features) this.df[fid]! -= 1;
    this.liveQuestions -= entry.questions.length;
    this.deadQuestions += entry.questions.length;
    if (this.deadQuestions > 1000 && this.deadQuestions > this.liveQuestions) this.compact();
  }

  search(text: string, limit: number): Match[] {
    if (this.liveQuestions === 0) return [];
    const features = featuresOf(text, this.analyzer, this.options);
    const total = this.questions.length;
    if (this.scratch.length < 2 * total) this.scratch = new Float64Array(2 * total);
    const dots = this.scratch;
    const touched: number[] = [];
    const queryNorms: [number, number] = [0, 0];
    const unseenIdf = this.idf(0);
    const maxPostings = Math.max(MAX_POSTINGS, MAX_POSTINGS_SHARE * this.liveQuestions);
    for (const group of [WORD, CHAR] as const) {
      let normSquared = 0;
      for (const [key, tf] of features[group]) {
        const fid = this.featureIds.get(key);
        const df = fid === undefined ? 0 : this.df[fid]!;
        const idf = df === 0 ? unseenIdf : this.idf(df);
        const weight = tf * idf;
        normSquared += weight * weight;
        const docs = df === 0 ? [] : this.postingDocs[fid!]!;
        // Features in very many questions (low IDF) barely move a cosine but dominate the cost: skipped.
        if (docs.length > maxPostings) continue;
        const weights = this.postingWeights[fid!]!;
        const factor = weight * idf;
        for (let i = 0; i < docs.length; i++) {
          const doc = docs[i]!;
          if (dots[2 * doc] === 0 && dots[2 * doc + 1] === 0) touched.push(doc);
          dots[2 * doc + group]! += factor * weights[i]!;
        }
      }
      queryNorms[group] = Math.sqrt(normSquared);
    }

    // Per entry: the best blended question cosine, and Σ q·v̂ per group for the centroid cosine.
    const similarity = new Map<IndexedEntry, { best: number; sums: [number, number] }>();
    const [queryWordNorm, queryCharNorm] = queryNorms;
    for (const doc of touched) {
      const question = this.questions[doc]!;
      const [wordNorm, charNorm] = question.norms;
      const wordDot = wordNorm === 0 ? 0 : dots[2 * doc]! / wordNorm;
      const charDot = charNorm === 0 ? 0 : dots[2 * doc + 1]! / charNorm;
      dots[2 * doc] = 0;
      dots[2 * doc + 1] = 0;
      if (!question.alive) continue;
      let perEntry = similarity.get(question.entry);
      if (!perEntry) similarity.set(question.entry, (perEntry = { best: 0, sums: [0, 0] }));
      perEntry.sums[WORD] += wordDot;
      perEntry.sums[CHAR] += charDot;
      const cosine = this.blend(cosineOf(wordDot, queryWordNorm, 1), cosineOf(charDot, queryCharNorm, 1));
      if (cosine > perEntry.best) perEntry.best = cosine;
    }

    const { maxWeight, slope, intercept } = this.options;
    const matches: Match[] = [];
    for (const [entry, { best, sums }] of similarity) {
      const centroid = this.blend(
        cosineOf(sums[WORD], queryNorms[WORD], entry.centroidNorms[WORD]),
        cosineOf(sums[CHAR], queryNorms[CHAR], entry.centroidNorms[CHAR]),
      );
      const raw = maxWeight * best + (1 - maxWeight) * centroid;
      matches.push({ id: entry.id, score: 1 / (1 + Math.exp(-(slope * raw + intercept))) });
    }
    return matches.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id)).slice(0, limit);
  }

  private blend(word: number, char: number): number {
    return this.options.wordWeight * word + (1 - this.options.wordWeight) * char;
  }

  private idf(df: number): number {
    return Math.log((this.entries.size + 1) / (df + 1)) + 1;
  }

  private addQuestion(entry: IndexedEntry, features: Features): Question | undefined {
    if (features[WORD].size === 0 && features[CHAR].size === 0) return undefined;
    const doc = this.questions.length;
    const question: Question = { entry, alive: true, features: [], norms: [0, 0] };
    for (const group of features) {
      const ids: number[] = [];
      const weights: number[] = [];
      for (const [key, tf] of group) {
        const fid = this.featureId(key);
        this.postingDocs[fid]!.push(doc);
        this.postingWeights[fid]!.push(tf);
        ids.push(fid);
        weights.push(tf);
      }
      question.features.push([ids, weights]);
    }
    this.questions.push(question);
    this.liveQuestions += 1;
    return question;
  }

  private featureId(key: string): number {
    let fid = this.featureIds.get(key);
    if (fid === undefined) {
      fid = this.df.length;
      this.featureIds.set(key, fid);
      this.df.push(0);
      this.postingDocs.push([]);
      this.postingWeights.push([]);
    }
    return fid;
  }

  /** True once the number of questions moved by more than a quarter since the norms were computed. */
  private normsStale(): boolean {
    return Math.abs(this.liveQuestions - this.normsComputedAt) > 0.25 * Math.max(this.normsComputedAt, 8);
  }

  refreshNorms(): void {
    for (const entry of this.entries.values()) this.computeNorms(entry);
    this.normsComputedAt = this.liveQuestions;
  }

  private computeNorms(entry: IndexedEntry): void {
    for (const group of [WORD, CHAR] as const) {
      const centroid = new Map<number, number>();
      for (const question of entry.questions) {
        const [ids, weights] = question.features[group]!;
        let normSquared = 0;
        for (let i = 0; i < ids.length; i++) normSquared += (weights[i]! * this.idf(this.df[ids[i]!]!)) ** 2;
        const norm = Math.sqrt(normSquared);
        question.norms[group] = norm;
        if (norm === 0) continue;
        for (let i = 0; i < ids.length; i++) {
          const unit = (weights[i]! * this.idf(this.df[ids[i]!]!)) / norm;
          centroid.set(ids[i]!, (centroid.get(ids[i]!) ?? 0) + unit);
        }
      }
      let normSquared = 0;
      for (const value of centroid.values()) normSquared += value * value;
      entry.centroidNorms[group] = Math.sqrt(normSquared);
    }
  }

  /** Drops tombstoned questions from the postings (amortised: only when they outnumber live ones). */
  private compact(): void {
    const live = this.questions.filter((question): question is Question => question?.alive === true);
    const renumber = new Map<Question, number>(live.map((question, doc) => [question, doc]));
    for (let fid = 0; fid < this.postingDocs.length; fid++) {
      const docs: number[] = [];
      const weights: number[] = [];
      const oldDocs = this.postingDocs[fid]!;
      const oldWeights = this.postingWeights[fid]!;
      for (let i = 0; i < oldDocs.length; i++) {
        const doc = renumber.get(this.questions[oldDocs[i]!]!);
        if (doc === undefined) continue;
        docs.push(doc);
        weights.push(oldWeights[i]!);
      }
      this.postingDocs[fid] = docs;
      this.postingWeights[fid] = weights;
    }
    this.questions.length = 0;
    this.questions.push(...live);
    this.deadQuestions = 0;
  }
}

/** Cosine from a dot product with a unit-normalised document vector (or a sum of them, of norm `norm`). */
function cosineOf(unitDot: number, queryNorm: number, norm: number): number {
  return norm === 0 || queryNorm === 0 ? 0 : unitDot / (queryNorm * norm);
}

export class FaqMatcher implements FaqIndex {
  private readonly languages = new Map<string, LanguageIndex>();
  /** Entry id → language index holding it. */
  private readonly where = new Map<string, string>();

  constructor(private readonly options: MatcherOptions = DEFAULT_MATCHER_OPTIONS) {}

  /** Number of indexed (enabled, non-empty) entries over all locales. */
  get size(): number {
    return this.where.size;
  }

  upsert(entry: IndexableEntry, deferNorms = false): void {
    this.remove(entry.id);
    if (entry.enabled === false) return;
    const language = languageOf(entry.locale);
    if (this.indexOf(language).upsert(entry.id, entry.questions, deferNorms))
      this.where.set(entry.id, language);
  }

  remove(id: string): void {
    const language = this.where.get(id);
    if (language === undefined) return;
    this.languages.get(language)?.remove(id);
    this.where.delete(id);
  }

  rebuild(entries: IndexableEntry[]): void {
    this.languages.clear();
    this.where.clear();
    for (const entry of entries) this.upsert(entry, true);
    for (const index of this.languages.values()) index.refreshNorms();
  }

  search(text: string, locale: string, limit = 3): Match[] {
    return this.languages.get(languageOf(locale))?.search(text, limit) ?? [];
  }

  private indexOf(language: string): LanguageIndex {
    let index = this.languages.get(language);
    if (!index) this.languages.set(language, (index = new LanguageIndex(language, this.options)));
    return index;
  }
}
