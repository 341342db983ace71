/**
 * Production confidence thresholds of the FAQ matcher (config defaults; FAQ_ANSWER_THRESHOLD and
 * FAQ_CLARIFY_THRESHOLD override them). Calibrated on BANKING77 train splits; see README "FAQ matching".
 */
export const DEFAULT_ANSWER_THRESHOLD = 0.5;
export const DEFAULT_CLARIFY_THRESHOLD = 0.3;
