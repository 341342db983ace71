/**
 * Production confidence thresholds of the FAQ matcher (config defaults; FAQ_ANSWER_THRESHOLD and
 * FAQ_CLARIFY_THRESHOLD override them). Chosen on BANKING77 train splits; see docs/faq-matching.md and README "FAQ matching".
 * Scores are calibrated P(top entry is right) from the similarity and its margin over the second entry, fitted
 * per knowledge base on its own questions with BANKING77 constants as the prior (`npx tsx knowledge/banking77.ts
 * --tune`, train.csv only: KB of 10 questions per intent, 15 intents left out, 20 held-out train rows per intent
 * as queries, 5 seeds).
 * Answer: answer directly when the entry is right at least 6 times in 10.
 * Clarify: the lowest point of the sweep (steps of 0.02) where at least half the out-of-scope held-out
 * questions get no entry, with the calibration per knowledge base (outOfScopeShare 0.2) and the re-ranker:
 * 0.32 (oosRecall 0.527, OOS-variant top1 0.697; full KB top1 0.704 against 0.765 at threshold 0; at 0.34:
 * oosRecall 0.563, full top1 0.695). Sixth session, with the calibration crediting leave-one-out probes with
 * the question they lack (MatcherOptions.leftOutHandicap 4): still 0.32 (oosRecall 0.517, OOS-variant top1
 * 0.698, full top1 0.707; at 0.30: oosRecall 0.473); small KBs of 20 intents × 3 questions: top1 0.630 → 0.636.
 * Seventh session, with similarities read at the knowledge base's own scale (MatcherOptions.referenceSimilarity,
 * about 1 on BANKING77): still 0.32 (oosRecall 0.517, OOS-variant top1 0.697, full top1 0.707; at 0.30: 0.473).
 * Ninth session, with the retrieval lift (MatcherOptions.retrievalLift; BANKING77 knowledge bases are its
 * reference and keep their calibration): still 0.32 (oosRecall 0.516, OOS-variant top1 0.697, full top1 0.707; at
 * 0.30: 0.472).
 * Below it the bot offers nothing.
 */
export const DEFAULT_ANSWER_THRESHOLD = 0.6;
export const DEFAULT_CLARIFY_THRESHOLD = 0.32;
