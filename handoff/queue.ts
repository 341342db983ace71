import type { EscalationReason } from './types';

/**
 * Queue arithmetic: priorities, ordering and the wait a customer is told. Pure functions.
 *
 * - Base priority (1–5): the reason (complaints and low ratings first) plus up to 2 points of anger (0–1).
 * - Effective priority: the base plus one point per PRIORITY_AGING_MINUTES since the customer asked (the case was
 *   created), so nobody starves.
 * - Queue order: effective priority, highest first; then the one who asked first. Both count from the request,
 *   not from the last time the case entered the queue: a case released by its agent (or whose agent's token was
 *   revoked) goes back to the place it would have had, and its customer does not lose their turn. This is the one
 *   order: the places customers are told, the staff console's list (the server's, not re-sorted) and the list
 *   staff take from.
 * - Expected wait: the average of recent waits (queue entry → take) times the queue position, at least one
 *   minute; DEFAULT_WAIT_MINUTES per position when there is no recent take to learn from.
 */
export const PRIORITY_AGING_MINUTES = 5;
export const DEFAULT_WAIT_MINUTES = 5;

const REASON_PRIORITY: Record<EscalationReason, number> = {
  complaint: 3,
  'low-rating': 3,
  'not-helpful': 2,
  request: 2,
  'no-match': 1,
};

export function basePriority(reason: EscalationReason, anger = 0): number {
  const angerPoints = Math.round(Math.min(1, Math.max(0, anger)) * 2);
  return Math.min(5, REASON_PRIORITY[reason] + angerPoints);
}

export function effectivePriority(base: number, askedAt: Date, now: Date): number {
  const waited = Math.max(0, now.getTime() - askedAt.getTime()) / 60_000;
  return base + Math.floor(waited / PRIORITY_AGING_MINUTES);
}

/** Sort order of the queue: higher effective priority first, then the earlier request first. */
export function byQueueOrder(
  a: { priority: number; createdAt: Date },
  b: { priority: number; createdAt: Date },
): number {
  return b.priority - a.priority || a.createdAt.getTime() - b.createdAt.getTime();
}

/** Minutes a customer at `position` (1 = next) should expect to wait, from recent waits in minutes. */
export function expectedWaitMinutes(position: number, recentWaits: readonly number[]): number {
  const perPosition =
    recentWaits.length > 0
      ? recentWaits.reduce((sum, w) => sum + w, 0) / recentWaits.length
      : DEFAULT_WAIT_MINUTES;
  return Math.max(1, Math.ceil(perPosition * Math.max(1, position)));
}
