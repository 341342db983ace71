/**
 * Production confidence thresholds of the FAQ matcher (config defaults; FAQ_ANSWER_THRESHOLD and
 * FAQ_CLARIFY_THRESHOLD override them). Chosen on BANKING77 train splits; see README "FAQ matching".
 * Scores are calibrated P(top entry is right) from the similarity and its margin over the second entry, fitted
 * per knowledge base on its own questions with BANKING77 constants as the prior (`npx tsx knowledge/banking77.ts
 * --tune`, train.csv only: KB of 10 questions per intent, 15 intents left out, 20 held-out train rows per intent
 * as queries, 5 seeds).
 * Answer: answer directly when the entry is right at least 6 times in 10.
 * Clarify: the lowest point of the sweep (steps of 0.02) where at least half the out-of-scope held-out
 * questions get no entry, chosen with the BANKING77-only calibration; with the calibration per knowledge base
 * (outOfScopeShare 0.2) and the re-ranker on those splits: oosRecall 0.56, top1 0.70 (null == null); full KB
 * top1 0.70 against 0.76 at threshold 0 (the same rule now gives 0.32: full top1 0.70, oosRecall 0.53).
 * Below it the bot offers nothing.
 */
export const DEFAULT_ANSWER_THRESHOLD = 0.6;
export const DEFAULT_CLARIFY_THRESHOLD = 0.34;
