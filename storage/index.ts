import { systemClock, type Clock } from '../core/clock';
import { EmbeddedDatabase } from './embedded';
import { MongoDatabase, type MongoLog } from './mongo';
import type { Database } from './port';
import { ensureIndexes } from './schema';

export interface OpenDatabaseOptions {
  /** Set: MongoDB (production). Unset: the embedded store under `dataDir` (one process only). */
  mongodbUri?: string;
  mongodbDb: string;
  dataDir: string;
  /** The time TTL indexes expire documents by in the embedded store (MongoDB uses its server clock). */
  clock?: Clock;
  /** Where MongoDB warnings go (e.g. a validator this user may not update). */
  log?: MongoLog;
}

/** Opens the configured store and creates its indexes. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const db = options.mongodbUri
    ? await MongoDatabase.connect(options.mongodbUri, options.mongodbDb, options.log)
    : await EmbeddedDatabase.open({
        location: { dir: options.dataDir },
        clock: options.clock ?? systemClock,
      });
  try {
    await ensureIndexes(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
