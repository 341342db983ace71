/**
 * CSAT summary benchmark: 100,000 ratings (and their surveys, one in five unanswered) in the in-memory embedded
 * store, then the time of the whole-range summary (mingo runs the aggregation pipelines). The target is ≤ 1 s.
 * Run alone with `npx tsx tests/bench/ratingsBench.ts`; the project bench (`npm run bench`) calls benchRatings().
 */
import { performance } from 'node:perf_hooks';
import { RatingReports } from '../../feedback/reports';
import { ratingOf } from '../../feedback/service';
import type { RatingDoc, Resolution, Score, SurveyDoc } from '../../feedback/types';
import { EmbeddedDatabase } from '../../storage/embedded';
import { ensureIndexes } from '../../storage/schema';

const RATINGS = 100_000;
const UNANSWERED = RATINGS / 4;
const RUNS = 3;
const START = Date.parse('2025-01-01T00:00:00Z');
const LOCALES = ['en', 'id', 'pl', 'nb'];
const CHANNELS = ['webchat', 'msteams'];
const SCORES: readonly Score[] = [5, 4, 5, 3, 4, 5, 2, 4, 1, 5];

/** A deterministic spread of facts for survey number i (no randomness: the numbers are comparable). */
function surveyOf(i: number): SurveyDoc {
  const resolution: Resolution = i % 3 === 0 ? 'agent' : 'self-service';
  return {
    _id: `ep-${i}`,
    episodeId: `ep-${i}`,
    conversationId: `conv-${i % 20_000}`,
    customerId: `cust-${i % 20_000}`,
    locale: LOCALES[i % LOCALES.length] ?? 'en',
    channel: CHANNELS[i % CHANNELS.length] ?? 'webchat',
    resolution,
    ...(resolution === 'agent' ? { agentId: `agent-${i % 25}` } : { faqEntryId: `faq-${i % 400}` }),
    sentAt: new Date(START + i * 5 * 60_000),
    status: i < RATINGS ? 'answered' : 'sent',
  };
}

async function insertAll<T>(count: number, insert: (i: number) => Promise<T>): Promise<void> {
  const batch = 1000;
  for (let from = 0; from < count; from += batch) {
    await Promise.all(Array.from({ length: Math.min(batch, count - from) }, (_, k) => insert(from + k)));
  }
}

export async function benchRatings(): Promise<{ ratings: number; summaryMs: number }> {
  const db = await EmbeddedDatabase.open({ location: { inMemory: true } });
  try {
    await ensureIndexes(db);
    const surveys = db.collection<SurveyDoc>('surveys');
    const ratings = db.collection<RatingDoc>('ratings');
    await insertAll(RATINGS + UNANSWERED, (i) => surveys.insertOne(surveyOf(i)));
    await insertAll(RATINGS, (i) => {
      const survey = surveyOf(i);
      return ratings.insertOne(
        ratingOf(survey, SCORES[i % SCORES.length] ?? 5, new Date(survey.sentAt.getTime() + 60_000)),
      );
    });
    const reports = new RatingReports(db);
    const summary = await reports.summary({});
    if (summary.count !== RATINGS)
      throw new Error(`expected ${RATINGS} ratings, the summary counted ${summary.count}`);
    const times: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      const t0 = performance.now();
      await reports.summary({});
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return { ratings: summary.count, summaryMs: Math.round(times[Math.floor(RUNS / 2)] ?? 0) };
  } finally {
    await db.close();
  }
}

if (require.main === module) {
  benchRatings().then(
    (result) => console.log(JSON.stringify(result)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
