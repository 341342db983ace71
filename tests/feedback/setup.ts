import { FeedbackService, type OpenSurveyInput } from '../../feedback/service';
import type { Database } from '../../storage/port';
import { openSuiteDatabase } from '../helpers/testDatabase';
import { ManualClock } from '../storage/manualClock';

export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

export interface FeedbackFixture {
  db: Database;
  clock: ManualClock;
  feedback: FeedbackService;
}

/** A FeedbackService on a fresh store (tests/helpers/testDatabase.ts) with a manual clock (window 60 min, 30 days). */
export async function openFeedback(start = new Date('2025-03-03T09:00:00Z')): Promise<FeedbackFixture> {
  const clock = new ManualClock(start);
  const db = await openSuiteDatabase(clock);
  const feedback = new FeedbackService({ db, clock, changeWindowMinutes: 60, commentRetentionDays: 30 });
  return { db, clock, feedback };
}

let counter = 0;

/** A survey input with unique ids, overridable. */
export function surveyInput(overrides: Partial<OpenSurveyInput> = {}): OpenSurveyInput {
  counter += 1;
  return {
    episodeId: `ep-${counter}`,
    conversationId: `conv-${counter}`,
    customerId: `cust-${counter}`,
    locale: 'en',
    channel: 'webchat',
    resolution: 'self-service',
    ...overrides,
  };
}
