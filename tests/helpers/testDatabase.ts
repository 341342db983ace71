import type { Clock } from '../../core/clock';
import { EmbeddedDatabase } from '../../storage/embedded';
import { MongoDatabase } from '../../storage/mongo';
import type { Database } from '../../storage/port';
import { ensureIndexes } from '../../storage/schema';
import { newTestDatabaseName, testMongoUri } from '../storage/testMongo';

/**
 * The store the app-level suites (handoff, feedback, knowledge, admin) run on. Always the embedded store; with
 * TEST_MONGODB_URI set, jest.config.js adds the project "mongodb", which runs the same suites again on MongoDB
 * (tests/helpers/suitesOnMongo.ts sets TEST_SUITES_STORE for it).
 */
export const suitesOnMongo = process.env.TEST_SUITES_STORE === 'mongodb';

/** One database name per `dataDir`, so a restarted app on MongoDB finds what the first one wrote. */
const mongoNames = new Map<string, string>();

/**
 * A fresh database with its indexes for one suite: in memory (or under `dataDir`, to survive a restart) on the
 * embedded store, a new database on MongoDB (dropped after the file by suitesOnMongo.ts).
 */
export async function openSuiteDatabase(clock: Clock, dataDir?: string): Promise<Database> {
  let db: Database;
  if (suitesOnMongo) {
    const name = dataDir ? (mongoNames.get(dataDir) ?? newTestDatabaseName()) : newTestDatabaseName();
    if (dataDir) mongoNames.set(dataDir, name);
    db = await MongoDatabase.connect(testMongoUri ?? '', name);
  } else {
    db = await EmbeddedDatabase.open({ location: dataDir ? { dir: dataDir } : { inMemory: true }, clock });
  }
  await ensureIndexes(db);
  return db;
}

/**
 * `it` for tests that need documents to expire by the suite's manual clock: only the embedded store expires
 * TTL documents by the app's clock (MongoDB's TTL monitor uses the server's clock; the storage contract tests
 * TTL indexes on both stores).
 */
export const itExpiresByManualClock: jest.It = suitesOnMongo ? it.skip : it;
