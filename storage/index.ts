import { systemClock, type Clock } from '../core/clock';
import type { ConversationStore } from './conversations';
import { EmbeddedDatabase } from './embedded';
import { MongoDatabase, type MongoLog } from './mongo';
import { DocumentLeases, MemoryLeases, type LeasedDoc, type LeaseTable } from './lease';
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

/**
 * The leases of conversations' turns and of sweeps for one instance (`owner`): in the database on MongoDB
 * (a turn's in its conversation record, which the turn's last write releases; a sweep's in `leases`); in
 * memory for the embedded store, which one process opens, so that a lease costs it no write.
 */
export function leaseTables(
  db: Database,
  conversations: ConversationStore,
  clock: Clock,
  owner: string,
): { turns: LeaseTable; sweeps: LeaseTable } {
  if (db instanceof EmbeddedDatabase) {
    return {
      turns: new MemoryLeases(db.leaseTable('turns'), clock, owner),
      sweeps: new MemoryLeases(db.leaseTable('sweeps'), clock, owner),
    };
  }
  return {
    turns: conversations.turnLeases(owner),
    sweeps: new DocumentLeases(db.collection<LeasedDoc>('leases'), clock, owner),
  };
}
