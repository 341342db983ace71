import { fitLogistic } from './calibration';
import type { Sample } from './calibration';
import type { Collision, FaqIndex, IndexableEntry, Match } from './types';
import { NumberTable } from '../core/numberTable';
import { tokenize } from './normalize';
import { analyzerFor, languageOf } from './stemming';
import type { Analyzer } from './stemming';

/**
 * The FAQ matcher: TF-IDF cosine similarity (IDF flattened by `idfPower`: on these short texts, full IDF
 * over-rewards rare words) over two feature groups, word stems (stop words removed) and
 * character n-grams of the folded text across word boundaries (robust to typos and to stems the stemmer
 * missed, and they see short phrases such as "top up"), blended, then nearest neighbour over the example
 * questions mixed with the similarity to the entry's centroid. The best few entries are then re-ranked by
 * adding a per-entry linear score over the query's features, a perceptron trained on the knowledge base's own
 * questions (see LanguageIndex.train()). That score and its margin over the best other entry go through a
 * logistic calibration, so a score is an estimate of "this entry is the right one". The calibration is fitted per language index on the knowledge base's own example questions (see
 * LanguageIndex.calibrate()), shrunk towards constants fitted on BANKING77 train splits
 * (`npx tsx knowledge/banking77.ts --tune`), which a tiny knowledge base keeps, and it reads the similarity at
 * the knowledge base's own scale (MatcherOptions.referenceSimilarity); where the knowledge base's own questions
 * find their entries less often than BANKING77's, the shortfall is made up (MatcherOptions.retrievalLift).
 *
 * Layout (one index per language): features are interned once to integer ids (character n-grams by their
 * char codes, without creating strings); the postings (question numbers and term frequencies) live in one
 * typed-array slab, laid out in one pass by a rebuild; a search accumulates dot products in preallocated
 * Float64Arrays and resets only what it touched. Upsert/remove touch only that entry's postings (removed
 * questions are tombstoned and compacted lazily). IDF is read from live document frequencies at query time; only the per-question norms depend
 * on IDF, and they are refreshed lazily once the collection has grown or shrunk by a quarter since they
 * were computed.
 */

export interface MatcherOptions {
  /** Weight of the word group against the character n-gram group (0–1). */
  wordWeight: number;
  /** Weight of the best example question against the entry centroid (0–1). */
  maxWeight: number;
  /** Exponent of the IDF factor of a feature's weight (1: classic TF-IDF; below 1: flatter). */
  idfPower: number;
  /** Character n-gram lengths, inclusive, 1–3. */
  charMin: number;
  charMax: number;
  /**
   * Logistic calibration: confidence = 1 / (1 + exp(-(slope × score + marginSlope × margin + intercept))),
   * where score = the raw similarity plus the re-ranker's score and margin = score − the best score of the
   * other entries.
   */
  slope: number;
  marginSlope: number;
  intercept: number;
  /**
   * Per-index calibration: weight of the prior (slope, marginSlope, intercept above) against the index's own
   * probes (see LanguageIndex.calibrate()); Infinity keeps the prior as it is (no fit).
   */
  priorWeight: number;
  /** Assumed share of out-of-scope questions: the weight of the out-of-scope probes in the fit. */
  outOfScopeShare: number;
  /**
   * What a leave-one-out probe's own entry lacks: it answers the probe with n − 1 of its n example questions,
   * where a customer's question meets all n, so its probes make the calibration too cautious on entries with
   * few questions. In the per-index fit, a probe that its own entry wins carries the fixed logit offset
   * −leftOutHandicap × leftOutShare(n) (see calibrate()); chosen on BANKING77 train splits with 3, 5 and 10
   * questions per intent (`npx tsx knowledge/banking77.ts --tune`).
   */
  leftOutHandicap: number;
  /**
   * Scale of the similarity per index. Hand-written knowledge bases (a full question and a few topic phrases per
   * entry, worded apart) give lower similarities throughout, to right entries and wrong ones alike, than the
   * BANKING77 knowledge bases of the same number of questions per entry on which the constants above were
   * fitted. The calibration reads the score (the re-ranked similarity; not the margin) times Σ reference(n) /
   * Σ own over the index's leave-one-out probes of entries with n ≥ 2 questions, where own is the probe's raw
   * similarity to its own entry (0 when that entry is not among its candidates) and reference(n) =
   * referenceSimilarity − referenceSimilarityDrop / n that mean on BANKING77 train knowledge bases (so their
   * scale is about 1 at any number of questions per entry), bounded to [1/2, 2] (see
   * LanguageIndex.probeScale()); referenceSimilarity 0 turns it off, and so does priorWeight Infinity (the
   * BANKING77 constants as they are, at their scale).
   */
  referenceSimilarity: number;
  referenceSimilarityDrop: number;
  /**
   * How often a leave-one-out probe's own entry wins on BANKING77 train knowledge bases, where the example
   * questions are customers' questions themselves: logit = [0] + [1] × ln(n − 1) + [2] × ln(entries) for an
   * entry of n ≥ 2 questions (`npx tsx knowledge/banking77.ts --tune` fits it on 10–77 intents × 3–10
   * questions; beyond 77 entries it is extrapolated and falls).
   */
  referenceRetrieval: readonly [number, number, number];
  /**
   * Hand-written knowledge bases word an entry's questions apart (one full question, a few topic phrases), so a
   * probe, asked without its own question, finds its entry less often than a customer's question, which meets
   * them all, does: the probes make the calibration too cautious there. When the probes' own entries win less
   * often than the reference above predicts, by more than one standard error of that share, the fitted
   * intercept is raised by retrievalLift × the shortfall in logits (see LanguageIndex.retrievalShortfall()); 0
   * turns it off.
   */
  retrievalLift: number;
  /**
   * Re-ranking: the best `rerankDepth` entries by raw similarity are re-ordered by raw similarity plus a
   * per-entry linear score over the query's TF-IDF features, trained on the knowledge base's own questions
   * (see LanguageIndex.train()); 0 turns it off.
   */
  rerankDepth: number;
  /** Passes of the perceptron over the questions. */
  rerankEpochs: number;
  /** Step of a perceptron update (in units of the blended unit query vector). */
  rerankRate: number;
  /** A question updates the weights unless its own entry leads the best other by more than this. */
  rerankMargin: number;
}

/** Tuned and calibrated on BANKING77 train splits (see the file header). */
export const DEFAULT_MATCHER_OPTIONS: MatcherOptions = {
  wordWeight: 0.3,
  maxWeight: 0.4,
  idfPower: 0.5,
  charMin: 3,
  charMax: 3,
  slope: 4.96,
  marginSlope: 13.19,
  intercept: -3.09,
  priorWeight: 20,
  outOfScopeShare: 0.2,
  leftOutHandicap: 4,
  referenceSimilarity: 0.56,
  referenceSimilarityDrop: 0.7,
  referenceRetrieval: [2.0663, 0.731, -0.6224],
  retrievalLift: 1,
  rerankDepth: 5,
  rerankEpochs: 5,
  rerankRate: 0.03,
  rerankMargin: 0.05,
};

/** A query feature is skipped when it occurs in more questions than both of these (see search()). */
const MAX_POSTINGS = 1000;
const MAX_POSTINGS_SHARE = 0.02;
/**
 * Questions probed per refit (re-ranker training and calibration) at most (entries are sampled evenly by id
 * beyond that): all of a knowledge base of up to 1000 example questions per language.
 */
const MAX_PROBES = 1000;
/**
 * The calibration is refitted at the first search after edits to this share of the entries (at least one):
 * after every edit for a knowledge base of up to 50 entries, after every 200th for 10,000.
 */
const REFIT_SHARE = 0.02;

/**
 * A word the index does not know by its stem still counts as known (isVague) when this share of its character
 * n-grams (with the spaces around it) is known: a misspelling ("pasword", "refnd"), not a new word ("pizza").
 */
const KNOWN_GRAMS_SHARE = 2 / 3;

/** The question number of an entry's answer among its documents: indexed and matched, never asked as a probe. */
const ANSWER = -1;
/** How much of an answer is indexed: its opening, where an answer says what it is about. */
const ANSWER_CHARS = 300;

/**
 * The words of an answer (markdown) for the index: link targets, addresses and markup left out, at most
 * {@link ANSWER_CHARS} characters, cut at a word boundary.
 */
export function answerWords(markdown: string): string {
  const text = markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(?:https?:\/\/|www\.)\S+/gi, ' ')
    .replace(/[*_`#>|~\\]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (text.length <= ANSWER_CHARS) return text;
  const cut = text.lastIndexOf(' ', ANSWER_CHARS);
  return text.slice(0, cut > 0 ? cut : ANSWER_CHARS);
}

const WORD = 0;
const CHAR = 1;
const GROUPS = [WORD, CHAR] as const;

/** Sublinear term frequency. */
const tfOf = (count: number): number => 1 + Math.log(count);

type Numbers =
  Int32Array<ArrayBuffer> | Float32Array<ArrayBuffer> | Float64Array<ArrayBuffer> | Uint8Array<ArrayBuffer>;

/** Copy of `array` with `length` items (at least as many as it has). */
function resized<T extends Numbers>(array: T, length: number, make: (length: number) => T): T {
  const bigger = make(length);
  bigger.set(array);
  return bigger;
}

/** Room for `needed` items in amortised constant time: the next capacity (doubling) of `current`. */
const nextCapacity = (current: number, needed: number): number => Math.max(needed, 2 * current, 16);

/** Copy of `array` with room for `needed` items (the array itself when it has room). */
function grown<T extends Numbers>(array: T, needed: number, make: (length: number) => T): T {
  return array.length >= needed ? array : resized(array, nextCapacity(array.length, needed), make);
}

const int32 = (length: number): Int32Array<ArrayBuffer> => new Int32Array(length);
const float32 = (length: number): Float32Array<ArrayBuffer> => new Float32Array(length);
const float64 = (length: number): Float64Array<ArrayBuffer> => new Float64Array(length);
const uint8 = (length: number): Uint8Array<ArrayBuffer> => new Uint8Array(length);

/** Packs n (1–3) code units; the leading 1 keeps lengths apart and the key non-zero. */
function gramKey(codes: number[], start: number, n: number): number {
  let key = 1;
  for (let i = start; i < start + n; i++) key = key * 0x10000 + codes[i]!;
  return key;
}

/** Puts the code units of " word word … " (a space before, between and after the words) into `codes`. */
function spellOut(codes: number[], words: readonly string[]): void {
  codes.length = 0;
  codes.push(32);
  for (const word of words) {
    for (let i = 0; i < word.length; i++) codes.push(word.charCodeAt(i));
    codes.push(32);
  }
}

/** One language's inverted index. Questions are "docs", numbered in insertion order; entries own "slots". */
class LanguageIndex {
  private readonly analyzer: Analyzer;

  // Features: words by stem, character n-grams by gramKey(); one id space.
  private readonly wordIds = new Map<string, number>();
  private readonly gramIds = new NumberTable();
  /** Per feature: number of entries (not questions) containing it; IDF is computed over entries. */
  private df = new Int32Array(0);
  private featureCount = 0;
  /**
   * Posting lists (question numbers and term frequencies) in one slab: feature `fid` owns
   * [postingStart, postingStart + postingCapacity) of it, the first postingLengths[fid] in use. A list
   * that outgrows its range moves to the end; repack() reclaims the abandoned space once it is a third.
   */
  private slabDocs = new Int32Array(0);
  private slabTfs = new Float32Array(0);
  private slabLength = 0;
  private slabWaste = 0;
  private postingStart = new Int32Array(0);
  private postingCapacity = new Int32Array(0);
  private postingLengths = new Int32Array(0);

  // Questions: their features live in one pool, word features first.
  private docCount = 0;
  private docSlot = new Int32Array(0);
  /** Index of the question among its entry's texts (for reports such as crossCheck()). */
  private docQuestion = new Int32Array(0);
  private docAlive = new Uint8Array(0);
  private docStart = new Int32Array(0);
  private docCharStart = new Int32Array(0);
  private docEnd = new Int32Array(0);
  private poolFeatures = new Int32Array(0);
  private poolTfs = new Float32Array(0);
  private poolLength = 0;
  /** L2 norms of the TF-IDF vectors per group (IDF at the last refresh), two per question. */
  private docNorms = new Float64Array(0);
  private liveQuestions = 0;
  /** Entries with an answer indexed. */
  private answers = 0;
  private deadQuestions = 0;
  private normsComputedAt = 0;

  // Entries.
  private readonly slotOf = new Map<string, number>();
  private readonly slotIds: string[] = [];
  private readonly slotDocs: number[][] = [];
  /** Distinct feature ids of the entry's questions (document frequency is counted per entry). */
  private readonly slotFeatures: Int32Array[] = [];
  /** Norms of the sum of the unit question vectors per group (centroid similarity), two per slot. */
  private centroidNorms = new Float64Array(0);
  /** The same without the entry's answer (see Probe.questionsOnly). */
  private questionCentroidNorms = new Float64Array(0);
  private readonly freeSlots: number[] = [];

  // Scratch space, reset after use.
  private readonly codes: number[] = [];
  /** Features collected from one text: ids (word group first) and occurrence counts by id. */
  private readonly collected: number[] = [];
  private collectedWords = 0;
  private counts = new Float64Array(0);
  /** Term frequency (tfOf) of each collected feature, by id. */
  private queryTfs = new Float64Array(0);
  /** Occurrences of query features the index does not know, per group (they still count in the norm). */
  private readonly unseen: [Map<string, number>, Map<number, number>] = [
    new Map<string, number>(),
    new Map<number, number>(),
  ];
  private stamps = new Int32Array(0);
  private stamp = 0;
  private dots = new Float64Array(0);
  private docTouched = new Uint8Array(0);
  private touchedDocs = new Int32Array(0);
  private slotBest = new Float64Array(0);
  private slotSums = new Float64Array(0);
  private slotTouched = new Uint8Array(0);
  private touchedSlots = new Int32Array(0);
  /** The same per-entry sums by the example questions alone (see Probe.questionsOnly), when gathered. */
  private questionBest = new Float64Array(0);
  private questionSums = new Float64Array(0);
  private questionTouched = new Uint8Array(0);
  private centroid = new Float64Array(0);
  /** IDF by feature id as of the last norm computation (filled before each). */
  private idfs = new Float64Array(0);
  /** IDF by document frequency at `idfByDfEntries` entries, filled as searches ask (NaN: not yet). */
  private idfByDf = new Float64Array(0);
  private idfByDfEntries = -1;

  /** [slope, marginSlope, intercept] of this index (see calibrate()); refitted lazily after edits (REFIT_SHARE). */
  private calibration: number[];
  /** The factor the calibration reads the similarity at (see probeScale()), as of the last fit. */
  private fittedScale = 1;
  /** The probes' share of own entries winning and the reference's (see retrievalShortfall()), as of the last fit. */
  private fittedRetrieval = { own: 0, reference: 0 };
  private editsSinceFit = 0;
  /** Re-ranker weights by slot (feature id → weight), trained on all sampled questions (see refit()). */
  private weights: (Map<number, number> | undefined)[] = [];
  /** Norms of the query's TF-IDF vector per group, as of the last score(). */
  private readonly queryNorms = new Float64Array(2);
  /** Values of the collected query features in the blended unit space (see queryVector()). */
  private queryValues = new Float64Array(0);

  constructor(
    language: string,
    private readonly options: MatcherOptions,
  ) {
    this.analyzer = analyzerFor(language);
    this.calibration = [options.slope, options.marginSlope, options.intercept];
  }

  get size(): number {
    return this.slotOf.size;
  }

  get scale(): number {
    return this.fittedScale;
  }

  get retrieval(): { own: number; reference: number } {
    return this.fittedRetrieval;
  }

  /**
   * Indexes the entry's questions; false when no question has a feature (nothing indexed). `bulk`: postings and
   * norms are left to finishBulk(), which the caller runs once after its last bulk upsert (rebuild).
   */
  upsert(id: string, texts: string[], answer: string, bulk = false): boolean {
    this.remove(id);
    const slot = this.freeSlots.pop() ?? this.slotIds.length;
    const docs: number[] = [];
    texts.forEach((text, question) => {
      const doc = this.addQuestion(slot, question, text, !bulk);
      if (doc !== undefined) docs.push(doc);
    });
    if (docs.length === 0) {
      this.freeSlots.push(slot);
      return false;
    }
    const answerDoc = answer === '' ? undefined : this.addQuestion(slot, ANSWER, answer, !bulk);
    if (answerDoc !== undefined) {
      docs.push(answerDoc);
      this.answers += 1;
    }
    const stamp = ++this.stamp;
    const distinct: number[] = [];
    for (const doc of docs) {
      for (let i = this.docStart[doc]!; i < this.docEnd[doc]!; i++) {
        const fid = this.poolFeatures[i]!;
        if (this.stamps[fid] === stamp) continue;
        this.stamps[fid] = stamp;
        distinct.push(fid);
        this.df[fid]! += 1;
      }
    }
    this.slotIds[slot] = id;
    this.slotDocs[slot] = docs;
    this.slotFeatures[slot] = Int32Array.from(distinct);
    this.slotOf.set(id, slot);
    this.ensureSlots(slot + 1);
    if (bulk) return true;
    this.editsSinceFit += 1;
    if (this.normsStale()) this.refreshNorms();
    else {
      for (const fid of this.slotFeatures[slot]) this.idfs[fid] = this.idf(this.df[fid]!);
      this.computeNorms(slot);
    }
    return true;
  }

  remove(id: string): void {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return;
    this.slotOf.delete(id);
    const docs = this.slotDocs[slot]!;
    for (const doc of docs) {
      this.docAlive[doc] = 0;
      if (this.docQuestion[doc] === ANSWER) this.answers -= 1;
    }
    for (const fid of this.slotFeatures[slot]!) this.df[fid]! -= 1;
    this.slotDocs[slot] = [];
    this.slotFeatures[slot] = new Int32Array(0);
    this.weights[slot] = undefined;
    this.freeSlots.push(slot);
    this.liveQuestions -= docs.length;
    this.deadQuestions += docs.length;
    this.editsSinceFit += 1;
    if (this.deadQuestions > 1000 && this.deadQuestions > this.liveQuestions) this.compact();
  }

  search(text: string, limit: number): Match[] {
    if (this.liveQuestions === 0 || limit <= 0) return [];
    if (this.editsSinceFit >= Math.max(1, REFIT_SHARE * this.slotOf.size)) this.refit();
    this.collect(text, false);
    const ranked = this.score(Math.max(limit, 2), -1);
    return ranked.slots.slice(0, limit).map((slot, rank) => ({
      id: this.slotIds[slot]!,
      score: this.confidence(featuresOf(ranked.raws, rank)),
    }));
  }

  /**
   * How many of the words (folded tokens, stop words included) are content words this index knows: by their stem,
   * or, misspelt ("pasword"), by at least KNOWN_GRAMS_SHARE of their character n-grams.
   */
  knownContentWords(words: readonly string[]): number {
    const { codes } = this;
    let known = 0;
    for (const word of words) {
      if (this.analyzer.isStopword(word)) continue;
      if (this.wordIds.has(this.analyzer.stem(word))) {
        known += 1;
        continue;
      }
      spellOut(codes, [word]);
      let grams = 0;
      let knownGrams = 0;
      for (let n = this.options.charMin; n <= this.options.charMax; n++) {
        for (let start = 0; start + n <= codes.length; start++) {
          grams += 1;
          if (this.gramIds.get(gramKey(codes, start, n)) >= 0) knownGrams += 1;
        }
      }
      if (knownGrams >= KNOWN_GRAMS_SHARE * grams) known += 1;
    }
    return known;
  }

  /**
   * Each question of each entry asked against the index without that question (leave-one-out), by
   * similarity alone (without the re-ranker, which has learnt the question): the entries whose questions
   * another entry wins, with the winner's confidence. An entry's only question is not asked: without it the
   * entry has its answer alone, so whichever entry shares a word wins, while a customer who asks it finds it.
   */
  crossCheck(): Collision[] {
    if (this.editsSinceFit > 0) this.refit();
    const found: Collision[] = [];
    const { weights } = this;
    this.weights = [];
    for (const [entryId, slot] of this.slotOf) {
      const docs = this.slotDocs[slot]!;
      if (docs.filter((doc) => this.docQuestion[doc] !== ANSWER).length < 2) continue;
      for (const doc of docs) {
        if (this.docQuestion[doc] === ANSWER) continue;
        this.collectDoc(doc);
        const ranked = this.score(2, doc);
        const winner = ranked.slots[0];
        if (winner === undefined || winner === slot) continue;
        const score = this.confidence(featuresOf(ranked.raws, 0));
        found.push({ entryId, question: this.docQuestion[doc]!, winnerId: this.slotIds[winner]!, score });
      }
    }
    this.weights = weights;
    return found;
  }

  /**
   * Refits the re-ranker and the calibration on the knowledge base's own questions. Each sampled question is
   * asked once against the index without itself (leave-one-out), by raw similarity (see probes()); the
   * re-ranker is trained on two folds (questions of even and odd numbers), the calibration probes each
   * question with the fold that never saw it, and the re-ranker is then trained on all of them.
   */
  private refit(): void {
    this.editsSinceFit = 0;
    this.weights = [];
    const probes = this.probes();
    const trained = this.options.rerankDepth > 0;
    this.calibrate(probes, trained ? [this.train(probes, 0), this.train(probes, 1)] : [[], []]);
    this.weights = trained ? this.train(probes, -1) : [];
  }

  /**
   * The leave-one-out rankings (raw similarity, `rerankDepth` + 1 entries, at least 3) of up to MAX_PROBES
   * questions, of entries sampled evenly in id order (so the fit does not depend on the order of edits),
   * with their query vectors. Call with no re-ranker weights in place.
   */
  private probes(): Probe[] {
    const ids = [...this.slotOf.keys()].sort();
    const step = Math.max(1, Math.ceil(this.liveQuestions / MAX_PROBES));
    const probes: Probe[] = [];
    for (let i = 0; i < ids.length; i += step) {
      const slot = this.slotOf.get(ids[i]!)!;
      for (const doc of this.slotDocs[slot]!) {
        if (this.docQuestion[doc] === ANSWER) continue;
        this.collectDoc(doc);
        const depth = Math.max(3, this.options.rerankDepth + 1);
        // One pass over the postings serves both rankings.
        const withQuestionsOnly = this.answers > 0;
        const touched = this.gather(doc, withQuestionsOnly);
        const { slots, raws } = this.pick(depth, doc, touched, false);
        const questionsOnly = withQuestionsOnly ? this.pick(depth, doc, touched, true) : undefined;
        const features = Int32Array.from(this.collected);
        const values = this.queryVector().slice(0, features.length);
        probes.push({ slot, fold: doc % 2, slots, raws, features, values, questionsOnly });
      }
    }
    return probes;
  }

  /**
   * Trains the re-ranker's per-entry weights: a perceptron over the probes of the other fold than
   * `skipFold` (-1: all), each re-ranked with the weights so far; when its own entry is among the
   * candidates but does not lead the best other by `rerankMargin`, the query vector (times `rerankRate`)
   * is added to its entry's weights and subtracted from the rival's.
   */
  private train(probes: Probe[], skipFold: number): (Map<number, number> | undefined)[] {
    const { rerankDepth, rerankEpochs, rerankRate, rerankMargin } = this.options;
    const weights: (Map<number, number> | undefined)[] = [];
    for (let epoch = 0; epoch < rerankEpochs; epoch++) {
      for (const probe of probes) {
        if (probe.fold === skipFold) continue;
        const slots = probe.slots.slice(0, rerankDepth);
        const raws = probe.raws.slice(0, rerankDepth);
        rerank(slots, raws, weights, probe.features, probe.values, this.slotIds);
        const own = slots.indexOf(probe.slot);
        const other = own === 0 ? 1 : 0;
        const rival = slots[other];
        if (own < 0 || rival === undefined || raws[own]! - raws[other]! > rerankMargin) continue;
        const up = (weights[probe.slot] ??= new Map<number, number>());
        const down = (weights[rival] ??= new Map<number, number>());
        probe.features.forEach((fid, f) => {
          const change = rerankRate * probe.values[f]!;
          up.set(fid, (up.get(fid) ?? 0) + change);
          down.set(fid, (down.get(fid) ?? 0) - change);
        });
      }
    }
    return weights;
  }

  /**
   * Fits this index's calibration on the probes: each question of an entry with two or more against the index
   * without it (leave-one-out: was the top entry its own?) and every question against the index without its whole entry (an out-of-scope probe:
   * whatever wins is wrong), re-ranked by the fold of `folds` that never saw it, the out-of-scope
   * probes weighted to `outOfScopeShare` of the total; the fit is shrunk towards the BANKING77 constants of
   * the options by `priorWeight`. A probe that its own entry wins was answered with one question of that entry
   * missing, which a customer's question does not lack: it carries the logit offset −leftOutHandicap ×
   * leftOutShare(questions of the entry), so that the fit credits the evidence it lacked. Scores (not margins)
   * are read at the index's scale (MatcherOptions.referenceSimilarity).
   */
  private calibrate(probes: Probe[], folds: (Map<number, number> | undefined)[][]): void {
    const { slope, marginSlope, intercept, priorWeight, outOfScopeShare, rerankDepth, leftOutHandicap } =
      this.options;
    if (priorWeight === Number.POSITIVE_INFINITY) return;
    const inScope: Sample[] = [];
    const outOfScope: Sample[] = [];
    /** Per in-scope probe: did its own entry win (by its questions alone, when there are answers)? */
    const won: boolean[] = [];
    const scale = (this.fittedScale = this.probeScale(probes));
    for (const probe of probes) {
      const slots = probe.slots.slice(0, Math.max(3, rerankDepth));
      const raws = probe.raws.slice(0, slots.length);
      const weights = folds[probe.fold]!;
      rerank(slots, raws, weights, probe.features, probe.values, this.slotIds);
      const right = slots[0] === probe.slot;
      const [score, margin] = featuresOf(raws, 0);
      const questions = this.questionCount(probe.slot);
      // The only question of its entry leaves nothing of the entry to find: such a probe is out of scope only.
      if (questions >= 2) {
        won.push(probe.questionsOnly ? probe.questionsOnly.slots[0] === probe.slot : right);
        inScope.push({
          x: [scale * score, margin],
          y: right ? 1 : 0,
          weight: 1,
          offset: right ? -leftOutHandicap * leftOutShare(questions) : 0,
        });
      }
      // The other entries rank the same without the whole entry.
      const others = probe.slots.flatMap((slot, rank) => (slot === probe.slot ? [] : [rank]));
      if (others.length === 0) continue;
      const otherSlots = others.map((rank) => probe.slots[rank]!);
      const otherRaws = others.map((rank) => probe.raws[rank]!);
      rerank(otherSlots, otherRaws, weights, probe.features, probe.values, this.slotIds);
      const [otherScore, otherMargin] = featuresOf(otherRaws, 0);
      outOfScope.push({ x: [scale * otherScore, otherMargin], y: 0, weight: 1 });
    }
    const outWeight =
      outOfScope.length === 0
        ? 0
        : (outOfScopeShare / (1 - outOfScopeShare)) * (inScope.length / outOfScope.length);
    for (const sample of outOfScope) sample.weight = outWeight;
    const fitted = fitLogistic([...inScope, ...outOfScope], [slope, marginSlope, intercept], priorWeight);
    const lift = this.options.retrievalLift * this.retrievalShortfall(probes, won);
    this.calibration = [fitted[0]! * scale, fitted[1]!, fitted[2]! + lift];
  }

  /**
   * How much less often (in logits) the probes' own entries win than MatcherOptions.referenceRetrieval predicts
   * for entries of their sizes in an index of this many entries, less one standard error of the probes' share
   * (so that a knowledge base of BANKING77's kind, whose share differs from the reference by chance, gets
   * nothing); 0 when they win as often or more. Probes of one-question entries are not in-scope probes (see
   * calibrate()) and count on neither side. The fit is not asked to learn this (the prior would hold most of it back on a small knowledge base):
   * it is what the probes lack, not what they show. `wins`: per in-scope probe, whether its own entry won (by the
   * example questions alone when the index holds answers: Probe.questionsOnly).
   */
  private retrievalShortfall(probes: Probe[], wins: boolean[]): number {
    const [base, perQuestion, perEntry] = this.options.referenceRetrieval;
    const entries = this.slotOf.size;
    let reference = 0;
    for (const probe of probes) {
      const questions = this.questionCount(probe.slot);
      if (questions < 2) continue;
      reference +=
        1 / (1 + Math.exp(-(base + perQuestion * Math.log(questions - 1) + perEntry * Math.log(entries))));
    }
    const won = wins.filter(Boolean).length;
    const count = wins.length;
    this.fittedRetrieval = {
      own: count === 0 ? 0 : won / count,
      reference: count === 0 ? 0 : reference / count,
    };
    if (count === 0 || reference === 0) return 0;
    const logit = (share: number): number => Math.log(share / (1 - share));
    // Shares kept off 0 and 1 by half a probe.
    const own = (won + 0.5) / (count + 1);
    const expected = (reference + 0.5) / (count + 1);
    const standardError = 1 / Math.sqrt(count * own * (1 - own));
    return Math.max(0, logit(expected) - logit(own) - standardError);
  }

  /**
   * The factor of MatcherOptions.referenceSimilarity: what the probes' own entries would give on BANKING77
   * over what they give here (by the example questions alone when the index holds answers: Probe.questionsOnly),
   * bounded to [1/2, 2]; 1 when turned off or when no probe's entry has two questions.
   */
  private probeScale(probes: Probe[]): number {
    const { referenceSimilarity, referenceSimilarityDrop } = this.options;
    let own = 0;
    let reference = 0;
    for (const probe of probes) {
      const questions = this.questionCount(probe.slot);
      if (questions < 2) continue;
      reference += referenceSimilarity - referenceSimilarityDrop / questions;
      const { slots, raws } = probe.questionsOnly ?? probe;
      const rank = slots.indexOf(probe.slot);
      if (rank >= 0) own += raws[rank]!;
    }
    if (referenceSimilarity <= 0 || reference <= 0) return 1;
    return Math.min(2, Math.max(0.5, own <= 0 ? 2 : reference / own));
  }

  /**
   * How many example questions the entry in `slot` has: its answer is no question (the references of the
   * calibration were measured on entries made of questions).
   */
  private questionCount(slot: number): number {
    let count = 0;
    for (const doc of this.slotDocs[slot]!) if (this.docQuestion[doc] !== ANSWER) count += 1;
    return count;
  }

  /**
   * Scores the collected query (collect() or collectDoc()) against the index, without question `excludeDoc`
   * (-1: none): the best `keep` entries by raw similarity, best first (ties: by id), the best `rerankDepth` of
   * them re-ranked when the re-ranker is trained (see rerank()).
   */
  private score(keep: number, excludeDoc: number): Ranked {
    return this.pick(keep, excludeDoc, this.gather(excludeDoc, false), false);
  }

  /**
   * The first half of score(): walks the postings of the collected query's features and sums, per entry, the
   * best blended question cosine and Σ q·v̂ per group (for the centroid cosine), without question `excludeDoc`;
   * with `questionsOnly` also the same sums without the entries' answers. Sets the query's norms. Returns the
   * number of entries touched (listed in `touchedSlots`); pick() reads and resets the sums.
   */
  private gather(excludeDoc: number, questionsOnly: boolean): number {
    const { collected, queryTfs, dots, docTouched, touchedDocs, slabDocs, slabTfs } = this;
    let touchedDocCount = 0;
    const unseenIdf = this.currentIdf(0);
    const maxPostings = Math.max(MAX_POSTINGS, MAX_POSTINGS_SHARE * this.liveQuestions);
    const queryNorms = [0, 0];
    for (const group of GROUPS) {
      let normSquared = 0;
      for (const count of this.unseen[group].values()) normSquared += (tfOf(count) * unseenIdf) ** 2;
      const start = group === WORD ? 0 : this.collectedWords;
      const end = group === WORD ? this.collectedWords : collected.length;
      for (let f = start; f < end; f++) {
        const fid = collected[f]!;
        const idf = this.currentIdf(this.df[fid]!);
        const weight = queryTfs[fid]! * idf;
        normSquared += weight * weight;
        const length = this.postingLengths[fid]!;
        // Features in very many questions (low IDF) barely move a cosine but dominate the cost: skipped.
        if (length > maxPostings) continue;
        const factor = weight * idf;
        const first = this.postingStart[fid]!;
        for (let i = first; i < first + length; i++) {
          const doc = slabDocs[i]!;
          if (docTouched[doc] === 0) {
            docTouched[doc] = 1;
            touchedDocs[touchedDocCount++] = doc;
          }
          dots[2 * doc + group]! += factor * slabTfs[i]!;
        }
      }
      queryNorms[group] = Math.sqrt(normSquared);
    }
    const queryWordNorm = queryNorms[WORD]!;
    const queryCharNorm = queryNorms[CHAR]!;
    this.queryNorms[WORD] = queryWordNorm;
    this.queryNorms[CHAR] = queryCharNorm;

    const { slotBest, slotSums, slotTouched, touchedSlots, docNorms, docAlive, docSlot } = this;
    const { questionBest, questionSums, questionTouched } = this;
    let touchedSlotCount = 0;
    for (let t = 0; t < touchedDocCount; t++) {
      const doc = touchedDocs[t]!;
      const wordNorm = docNorms[2 * doc]!;
      const charNorm = docNorms[2 * doc + 1]!;
      const wordDot = wordNorm === 0 ? 0 : dots[2 * doc]! / wordNorm;
      const charDot = charNorm === 0 ? 0 : dots[2 * doc + 1]! / charNorm;
      dots[2 * doc] = 0;
      dots[2 * doc + 1] = 0;
      docTouched[doc] = 0;
      if (docAlive[doc] === 0 || doc === excludeDoc) continue;
      const slot = docSlot[doc]!;
      if (slotTouched[slot] === 0) {
        slotTouched[slot] = 1;
        touchedSlots[touchedSlotCount++] = slot;
      }
      slotSums[2 * slot]! += wordDot;
      slotSums[2 * slot + 1]! += charDot;
      const cosine = this.blend(cosineOf(wordDot, queryWordNorm, 1), cosineOf(charDot, queryCharNorm, 1));
      if (cosine > slotBest[slot]!) slotBest[slot] = cosine;
      if (!questionsOnly || this.docQuestion[doc] === ANSWER) continue;
      questionTouched[slot] = 1;
      questionSums[2 * slot]! += wordDot;
      questionSums[2 * slot + 1]! += charDot;
      if (cosine > questionBest[slot]!) questionBest[slot] = cosine;
    }
    return touchedSlotCount;
  }

  /**
   * The second half of score(): the best `keep` of the `touched` entries that gather() summed (by the example
   * questions alone when `questionsOnly`), re-ranked when the re-ranker is trained; resets those sums.
   */
  private pick(keep: number, excludeDoc: number, touched: number, questionsOnly: boolean): Ranked {
    const [best, sums, touchedFlags, norms] = questionsOnly
      ? [this.questionBest, this.questionSums, this.questionTouched, this.questionCentroidNorms]
      : [this.slotBest, this.slotSums, this.slotTouched, this.centroidNorms];
    const queryWordNorm = this.queryNorms[WORD]!;
    const queryCharNorm = this.queryNorms[CHAR]!;
    // Without a question, its entry's centroid is that of the other questions.
    const changedSlot = excludeDoc < 0 ? -1 : this.docSlot[excludeDoc]!;
    const changedNorms =
      changedSlot < 0
        ? []
        : [
            this.centroidNorm(changedSlot, WORD, excludeDoc, questionsOnly),
            this.centroidNorm(changedSlot, CHAR, excludeDoc, questionsOnly),
          ];

    // The best `keep` entries by raw similarity (ties: by id), kept sorted by insertion.
    const topSlots: number[] = [];
    const topRaw: number[] = [];
    const wide = this.weights.length > 0 ? Math.max(keep, this.options.rerankDepth) : keep;
    const { maxWeight } = this.options;
    for (let t = 0; t < touched; t++) {
      const slot = this.touchedSlots[t]!;
      if (touchedFlags[slot] === 0) continue;
      const changed = slot === changedSlot;
      const centroid = this.blend(
        cosineOf(sums[2 * slot]!, queryWordNorm, changed ? changedNorms[WORD]! : norms[2 * slot]!),
        cosineOf(sums[2 * slot + 1]!, queryCharNorm, changed ? changedNorms[CHAR]! : norms[2 * slot + 1]!),
      );
      const raw = maxWeight * best[slot]! + (1 - maxWeight) * centroid;
      best[slot] = 0;
      sums[2 * slot] = 0;
      sums[2 * slot + 1] = 0;
      touchedFlags[slot] = 0;
      let at = topSlots.length;
      while (at > 0 && this.ranksBefore(raw, slot, topRaw[at - 1]!, topSlots[at - 1]!)) at--;
      if (at >= wide) continue;
      topSlots.splice(at, 0, slot);
      topRaw.splice(at, 0, raw);
      if (topSlots.length > wide) {
        topSlots.pop();
        topRaw.pop();
      }
    }

    if (this.weights.length > 0) {
      rerank(topSlots, topRaw, this.weights, this.collected, this.queryVector(), this.slotIds);
      topSlots.length = Math.min(keep, topSlots.length);
      topRaw.length = topSlots.length;
    }
    return { slots: topSlots, raws: topRaw };
  }

  /**
   * The collected query's features in the blended unit space (by position in `collected`): TF-IDF over the
   * group's norm, times the group's weight; its dot product with unit question vectors gives the raw cosine.
   */
  private queryVector(): Float64Array {
    const { collected, queryNorms } = this;
    if (this.queryValues.length < collected.length) this.queryValues = new Float64Array(2 * collected.length);
    const values = this.queryValues;
    for (let f = 0; f < collected.length; f++) {
      const group = f < this.collectedWords ? WORD : CHAR;
      const norm = queryNorms[group]!;
      const share = group === WORD ? this.options.wordWeight : 1 - this.options.wordWeight;
      const fid = collected[f]!;
      values[f] = norm === 0 ? 0 : (share * this.queryTfs[fid]! * this.currentIdf(this.df[fid]!)) / norm;
    }
    return values;
  }

  private ranksBefore(raw: number, slot: number, otherRaw: number, otherSlot: number): boolean {
    return ranksBefore(raw, slot, otherRaw, otherSlot, this.slotIds);
  }

  private confidence([score, margin]: [number, number]): number {
    const [slope, marginSlope, intercept] = this.calibration as [number, number, number];
    return 1 / (1 + Math.exp(-(slope * score + marginSlope * margin + intercept)));
  }

  private blend(word: number, char: number): number {
    return this.options.wordWeight * word + (1 - this.options.wordWeight) * char;
  }

  private idf(df: number): number {
    return (Math.log((this.slotOf.size + 1) / (df + 1)) + 1) ** this.options.idfPower;
  }

  /** idf(df) as of now, remembered per document frequency until the number of entries changes (searches). */
  private currentIdf(df: number): number {
    const entries = this.slotOf.size;
    if (this.idfByDfEntries !== entries) {
      if (this.idfByDf.length <= entries) this.idfByDf = new Float64Array(2 * entries + 2);
      this.idfByDf.fill(NaN);
      this.idfByDfEntries = entries;
    }
    let idf = this.idfByDf[df]!;
    if (Number.isNaN(idf)) this.idfByDf[df] = idf = this.idf(df);
    return idf;
  }

  /**
   * Collects the features of the text into `collected` (distinct ids, word group first, `collectedWords`
   * of them) and their term frequencies into `queryTfs` (by id). `create`: unknown features get ids
   * (indexing); otherwise they are counted in `unseen` (search).
   */
  private collect(text: string, create: boolean): void {
    const { collected, codes } = this;
    collected.length = 0;
    this.unseen[WORD].clear();
    this.unseen[CHAR].clear();
    const words = tokenize(text);
    for (const word of words) {
      if (this.analyzer.isStopword(word)) continue;
      const stem = this.analyzer.stem(word);
      let fid = this.wordIds.get(stem);
      if (fid === undefined && create) this.wordIds.set(stem, (fid = this.newFeature()));
      if (fid === undefined) this.unseen[WORD].set(stem, (this.unseen[WORD].get(stem) ?? 0) + 1);
      else this.count(fid);
    }
    this.collectedWords = collected.length;
    if (words.length === 0) return;
    // Character n-grams of " word word … ", across word boundaries.
    spellOut(codes, words);
    for (let n = this.options.charMin; n <= this.options.charMax; n++) {
      for (let start = 0; start + n <= codes.length; start++) {
        const key = gramKey(codes, start, n);
        let fid = this.gramIds.get(key);
        if (fid < 0 && create) this.gramIds.set(key, (fid = this.newFeature()));
        if (fid < 0) this.unseen[CHAR].set(key, (this.unseen[CHAR].get(key) ?? 0) + 1);
        else this.count(fid);
      }
    }
    for (const fid of collected) {
      this.queryTfs[fid] = tfOf(this.counts[fid]!);
      this.counts[fid] = 0;
    }
  }

  /** Collects an indexed question as a query, from its stored features (see collect()). */
  private collectDoc(doc: number): void {
    const { collected, queryTfs, poolFeatures, poolTfs } = this;
    collected.length = 0;
    this.unseen[WORD].clear();
    this.unseen[CHAR].clear();
    for (let i = this.docStart[doc]!; i < this.docEnd[doc]!; i++) {
      collected.push(poolFeatures[i]!);
      queryTfs[poolFeatures[i]!] = poolTfs[i]!;
    }
    this.collectedWords = this.docCharStart[doc]! - this.docStart[doc]!;
  }

  private count(fid: number): void {
    if (this.counts[fid] === 0) this.collected.push(fid);
    this.counts[fid]! += 1;
  }

  private newFeature(): number {
    const fid = this.featureCount++;
    if (this.featureCount > this.df.length) {
      const capacity = nextCapacity(this.df.length, this.featureCount);
      this.df = resized(this.df, capacity, int32);
      this.postingStart = resized(this.postingStart, capacity, int32);
      this.postingCapacity = resized(this.postingCapacity, capacity, int32);
      this.postingLengths = resized(this.postingLengths, capacity, int32);
      this.counts = resized(this.counts, capacity, float64);
      this.queryTfs = resized(this.queryTfs, capacity, float64);
      this.stamps = resized(this.stamps, capacity, int32);
      this.centroid = resized(this.centroid, capacity, float64);
      this.idfs = resized(this.idfs, capacity, float64);
    }
    return fid;
  }

  /**
   * Indexes question number `question` of the entry in `slot` (`withPostings`: also appends it to the
   * postings); undefined when the text has no feature.
   */
  private addQuestion(
    slot: number,
    question: number,
    text: string,
    withPostings: boolean,
  ): number | undefined {
    this.collect(text, true);
    const { collected, queryTfs } = this;
    if (collected.length === 0) return undefined;
    const doc = this.docCount++;
    this.ensureDocs(this.docCount);
    this.ensurePool(this.poolLength + collected.length);
    this.docStart[doc] = this.poolLength;
    this.docCharStart[doc] = this.poolLength + this.collectedWords;
    for (const fid of collected) {
      const tf = queryTfs[fid]!;
      this.poolFeatures[this.poolLength] = fid;
      this.poolTfs[this.poolLength] = tf;
      this.poolLength += 1;
      if (withPostings) this.addPosting(fid, doc, tf);
    }
    this.docEnd[doc] = this.poolLength;
    this.docSlot[doc] = slot;
    this.docQuestion[doc] = question;
    this.docAlive[doc] = 1;
    this.liveQuestions += 1;
    return doc;
  }

  private addPosting(fid: number, doc: number, tf: number): void {
    const length = this.postingLengths[fid]!;
    if (length === this.postingCapacity[fid]) {
      if (this.slabWaste > 1 << 16 && 3 * this.slabWaste > this.slabLength) this.repack();
      this.move(fid, Math.max(4, 2 * length));
    }
    const at = this.postingStart[fid]! + length;
    this.slabDocs[at] = doc;
    this.slabTfs[at] = tf;
    this.postingLengths[fid] = length + 1;
  }

  /** Moves a posting list to the end of the slab, with room for `capacity` postings. */
  private move(fid: number, capacity: number): void {
    this.slabDocs = grown(this.slabDocs, this.slabLength + capacity, int32);
    this.slabTfs = grown(this.slabTfs, this.slabLength + capacity, float32);
    const start = this.postingStart[fid]!;
    const end = start + this.postingLengths[fid]!;
    this.slabDocs.copyWithin(this.slabLength, start, end);
    this.slabTfs.copyWithin(this.slabLength, start, end);
    this.slabWaste += this.postingCapacity[fid]!;
    this.postingStart[fid] = this.slabLength;
    this.postingCapacity[fid] = capacity;
    this.slabLength += capacity;
  }

  /** Lays the posting lists out again without abandoned space, each with a few free places. */
  private repack(): void {
    const slack = 4;
    const docs = this.slabDocs;
    const tfs = this.slabTfs;
    let total = 0;
    for (let fid = 0; fid < this.featureCount; fid++) total += this.postingLengths[fid]! + slack;
    this.slabDocs = new Int32Array(total);
    this.slabTfs = new Float32Array(total);
    let at = 0;
    for (let fid = 0; fid < this.featureCount; fid++) {
      const start = this.postingStart[fid]!;
      const length = this.postingLengths[fid]!;
      this.slabDocs.set(docs.subarray(start, start + length), at);
      this.slabTfs.set(tfs.subarray(start, start + length), at);
      this.postingStart[fid] = at;
      this.postingCapacity[fid] = length + slack;
      at += length + slack;
    }
    this.slabLength = total;
    this.slabWaste = 0;
  }

  /** After bulk upserts into an empty index: lays every posting list out from the pool, then the norms. */
  finishBulk(): void {
    const { postingStart, postingCapacity, postingLengths, poolFeatures, poolTfs } = this;
    for (let i = 0; i < this.poolLength; i++) postingCapacity[poolFeatures[i]!]! += 1;
    let total = 0;
    for (let fid = 0; fid < this.featureCount; fid++) {
      postingStart[fid] = total;
      total += postingCapacity[fid]!;
    }
    const slabDocs = (this.slabDocs = new Int32Array(total));
    const slabTfs = (this.slabTfs = new Float32Array(total));
    this.slabLength = total;
    for (let doc = 0; doc < this.docCount; doc++) {
      for (let i = this.docStart[doc]!; i < this.docEnd[doc]!; i++) {
        const fid = poolFeatures[i]!;
        const at = postingStart[fid]! + postingLengths[fid]!;
        slabDocs[at] = doc;
        slabTfs[at] = poolTfs[i]!;
        postingLengths[fid]! += 1;
      }
    }
    this.refreshNorms();
    this.refit();
  }

  /** Per-question arrays sized for `count` questions (pairs: twice that). */
  private ensureDocs(count: number): void {
    if (count <= this.docSlot.length) return;
    const capacity = nextCapacity(this.docSlot.length, count);
    this.docSlot = resized(this.docSlot, capacity, int32);
    this.docQuestion = resized(this.docQuestion, capacity, int32);
    this.docAlive = resized(this.docAlive, capacity, uint8);
    this.docStart = resized(this.docStart, capacity, int32);
    this.docCharStart = resized(this.docCharStart, capacity, int32);
    this.docEnd = resized(this.docEnd, capacity, int32);
    this.docNorms = resized(this.docNorms, 2 * capacity, float64);
    this.dots = resized(this.dots, 2 * capacity, float64);
    this.docTouched = resized(this.docTouched, capacity, uint8);
    this.touchedDocs = resized(this.touchedDocs, capacity, int32);
  }

  private ensurePool(length: number): void {
    this.poolFeatures = grown(this.poolFeatures, length, int32);
    this.poolTfs = grown(this.poolTfs, length, float32);
  }

  /** Per-entry arrays sized for `count` slots (pairs: twice that). */
  private ensureSlots(count: number): void {
    if (count <= this.slotBest.length) return;
    const capacity = nextCapacity(this.slotBest.length, count);
    this.centroidNorms = resized(this.centroidNorms, 2 * capacity, float64);
    this.questionCentroidNorms = resized(this.questionCentroidNorms, 2 * capacity, float64);
    this.slotBest = resized(this.slotBest, capacity, float64);
    this.slotSums = resized(this.slotSums, 2 * capacity, float64);
    this.slotTouched = resized(this.slotTouched, capacity, uint8);
    this.touchedSlots = resized(this.touchedSlots, capacity, int32);
    this.questionBest = resized(this.questionBest, capacity, float64);
    this.questionSums = resized(this.questionSums, 2 * capacity, float64);
    this.questionTouched = resized(this.questionTouched, capacity, uint8);
  }

  /** True once the number of questions moved by more than a quarter since the norms were computed. */
  private normsStale(): boolean {
    return Math.abs(this.liveQuestions - this.normsComputedAt) > 0.25 * Math.max(this.normsComputedAt, 8);
  }

  private refreshNorms(): void {
    for (let fid = 0; fid < this.featureCount; fid++) this.idfs[fid] = this.idf(this.df[fid]!);
    for (const slot of this.slotOf.values()) this.computeNorms(slot);
    this.normsComputedAt = this.liveQuestions;
  }

  /** Question norms and centroid norms of one entry, with the IDF of its features in `idfs`. */
  private computeNorms(slot: number): void {
    const { docNorms, poolFeatures, poolTfs, idfs: idf } = this;
    for (const group of GROUPS) {
      for (const doc of this.slotDocs[slot]!) {
        const start = group === WORD ? this.docStart[doc]! : this.docCharStart[doc]!;
        const end = group === WORD ? this.docCharStart[doc]! : this.docEnd[doc]!;
        let normSquared = 0;
        for (let i = start; i < end; i++) normSquared += (poolTfs[i]! * idf[poolFeatures[i]!]!) ** 2;
        docNorms[2 * doc + group] = Math.sqrt(normSquared);
      }
      this.centroidNorms[2 * slot + group] = this.centroidNorm(slot, group, -1);
      this.questionCentroidNorms[2 * slot + group] = this.centroidNorm(slot, group, -1, true);
    }
  }

  /**
   * Norm of the sum of the unit question vectors of one group of an entry, without question `skipDoc` (and
   * without its answer when `questionsOnly`).
   */
  private centroidNorm(slot: number, group: number, skipDoc: number, questionsOnly = false): number {
    const { centroid, docNorms, poolFeatures, poolTfs, idfs: idf } = this;
    for (const doc of this.slotDocs[slot]!) {
      const norm = docNorms[2 * doc + group]!;
      if (doc === skipDoc || norm === 0 || (questionsOnly && this.docQuestion[doc] === ANSWER)) continue;
      const start = group === WORD ? this.docStart[doc]! : this.docCharStart[doc]!;
      const end = group === WORD ? this.docCharStart[doc]! : this.docEnd[doc]!;
      for (let i = start; i < end; i++)
        centroid[poolFeatures[i]!]! += (poolTfs[i]! * idf[poolFeatures[i]!]!) / norm;
    }
    // The entry's distinct features cover every non-zero centroid component: read and reset them.
    let normSquared = 0;
    for (const fid of this.slotFeatures[slot]!) {
      normSquared += centroid[fid]! * centroid[fid]!;
      centroid[fid] = 0;
    }
    return Math.sqrt(normSquared);
  }

  /** Drops tombstoned questions from the postings and the pool (amortised: when they outnumber live ones). */
  private compact(): void {
    const renumber = new Int32Array(this.docCount).fill(-1);
    const oldFeatures = this.poolFeatures;
    const oldTfs = this.poolTfs;
    this.poolFeatures = new Int32Array(oldFeatures.length);
    this.poolTfs = new Float32Array(oldTfs.length);
    this.poolLength = 0;
    let live = 0;
    for (let doc = 0; doc < this.docCount; doc++) {
      if (this.docAlive[doc] === 0) continue;
      renumber[doc] = live;
      const start = this.docStart[doc]!;
      const end = this.docEnd[doc]!;
      this.docStart[live] = this.poolLength;
      this.docCharStart[live] = this.poolLength + this.docCharStart[doc]! - start;
      this.poolFeatures.set(oldFeatures.subarray(start, end), this.poolLength);
      this.poolTfs.set(oldTfs.subarray(start, end), this.poolLength);
      this.poolLength += end - start;
      this.docEnd[live] = this.poolLength;
      this.docSlot[live] = this.docSlot[doc]!;
      this.docQuestion[live] = this.docQuestion[doc]!;
      this.docAlive[live] = 1;
      this.docNorms[2 * live] = this.docNorms[2 * doc]!;
      this.docNorms[2 * live + 1] = this.docNorms[2 * doc + 1]!;
      live++;
    }
    this.docAlive.fill(0, live);
    this.docCount = live;
    const { slabDocs, slabTfs } = this;
    for (let fid = 0; fid < this.featureCount; fid++) {
      const start = this.postingStart[fid]!;
      let kept = start;
      for (let i = start; i < start + this.postingLengths[fid]!; i++) {
        const doc = renumber[slabDocs[i]!]!;
        if (doc < 0) continue;
        slabDocs[kept] = doc;
        slabTfs[kept] = slabTfs[i]!;
        kept++;
      }
      this.postingLengths[fid] = kept - start;
    }
    for (const slot of this.slotOf.values()) {
      this.slotDocs[slot] = this.slotDocs[slot]!.map((doc) => renumber[doc]!);
    }
    this.deadQuestions = 0;
  }
}

/** One question asked against the index without itself (see LanguageIndex.probes()). */
interface Probe {
  /** Its entry. */
  slot: number;
  /** Parity of its question number: the re-ranker fold that leaves it out. */
  fold: number;
  /** The best entries by raw similarity and their raw similarities, best first. */
  slots: number[];
  raws: number[];
  /** Its features and their values in the blended unit space (see LanguageIndex.queryVector()). */
  features: Int32Array;
  values: Float64Array;
  /**
   * The same ranking by the example questions alone (answers left out), when the index holds answers: the scale
   * and the retrieval shortfall compare the knowledge base's questions with BANKING77's, which has no answers
   * (see LanguageIndex.probeScale() and retrievalShortfall()). Read with the answers, a probe finds its entry
   * more often and more closely, which would read as less need of correction although customers' questions
   * meet the answers as well.
   */
  questionsOnly: Ranked | undefined;
}

function ranksBefore(raw: number, slot: number, otherRaw: number, otherSlot: number, ids: string[]): boolean {
  return raw > otherRaw || (raw === otherRaw && ids[slot]! < ids[otherSlot]!);
}

/**
 * Re-orders candidate entries (slots, with their raw similarities) by raw similarity plus the dot product
 * of their re-ranker weights with the query vector (features and values), in place; ties by entry id.
 */
function rerank(
  slots: number[],
  raws: number[],
  weights: (Map<number, number> | undefined)[],
  features: ArrayLike<number>,
  values: Float64Array,
  ids: string[],
): void {
  const scored = slots.map((slot, rank) => {
    let score = raws[rank]!;
    const own = weights[slot];
    if (own) for (let f = 0; f < features.length; f++) score += (own.get(features[f]!) ?? 0) * values[f]!;
    return { slot, score };
  });
  scored.sort((a, b) => (ranksBefore(a.score, a.slot, b.score, b.slot, ids) ? -1 : 1));
  scored.forEach(({ slot, score }, rank) => {
    slots[rank] = slot;
    raws[rank] = score;
  });
}

/**
 * How much an entry of n example questions loses with one of them left out, for the offset of
 * MatcherOptions.leftOutHandicap: 1/(n − 1) − 1/n, by how much the weight of each remaining question in the
 * entry grows (1/6 for 3 questions, 1/90 for 10); 0 below 2 questions (such an entry never wins its probe).
 */
function leftOutShare(questions: number): number {
  return questions < 2 ? 0 : 1 / (questions - 1) - 1 / questions;
}

/** Calibration features of the candidate at `rank`: its score and its margin over the best other. */
function featuresOf(raws: number[], rank: number): [number, number] {
  const score = raws[rank] ?? 0;
  return [score, score - ((rank === 0 ? raws[1] : raws[0]) ?? 0)];
}

interface Ranked {
  slots: number[];
  /** Score per slot: the raw similarity, plus the re-ranker's score once re-ranked. */
  raws: number[];
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

  upsert(entry: IndexableEntry): void {
    this.add(entry, false);
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
    for (const entry of entries) this.add(entry, true);
    for (const index of this.languages.values()) index.finishBulk();
  }

  search(text: string, locale: string, limit = 3): Match[] {
    return this.languages.get(languageOf(locale))?.search(text, limit) ?? [];
  }

  crossCheck(locale: string): Collision[] {
    return this.languages.get(languageOf(locale))?.crossCheck() ?? [];
  }

  /**
   * The factor by which the calibration of the locale's index reads similarities (MatcherOptions
   * .referenceSimilarity), as of its last fit; 1 without an index.
   */
  scoreScale(locale: string): number {
    return this.languages.get(languageOf(locale))?.scale ?? 1;
  }

  /**
   * The share of the locale's leave-one-out probes that their own entry won and the share the reference
   * predicts (MatcherOptions.referenceRetrieval), as of its last fit; undefined without an index.
   */
  probeRetrieval(locale: string): { own: number; reference: number } | undefined {
    return this.languages.get(languageOf(locale))?.retrieval;
  }

  isVague(text: string, locale: string): boolean {
    const words = tokenize(text);
    if (words.length <= 2) return true;
    const index = this.languages.get(languageOf(locale));
    if (index) return index.knownContentWords(words) <= 1;
    const analyzer = analyzerFor(locale);
    return words.filter((word) => !analyzer.isStopword(word)).length <= 1;
  }

  private add(entry: IndexableEntry, bulk: boolean): void {
    this.remove(entry.id);
    if (entry.enabled === false) return;
    const language = languageOf(entry.locale);
    const answer = entry.answer === undefined ? '' : answerWords(entry.answer);
    if (this.indexOf(language).upsert(entry.id, entry.questions, answer, bulk))
      this.where.set(entry.id, language);
  }

  private indexOf(language: string): LanguageIndex {
    let index = this.languages.get(language);
    if (!index) this.languages.set(language, (index = new LanguageIndex(language, this.options)));
    return index;
  }
}
