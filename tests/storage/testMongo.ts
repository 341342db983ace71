import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { MongoDatabase } from '../../storage/mongo';

/** The MongoDB server the storage tests run against, if any (GitHub Actions sets it). */
export const testMongoUri = process.env.TEST_MONGODB_URI;

const usedDatabases: string[] = [];

/** A fresh database name per call; dropped by dropTestDatabases. */
export function newTestDatabaseName(): string {
  const name = `test_${randomUUID().slice(0, 8)}`;
  usedDatabases.push(name);
  return name;
}

/** A fresh database per call; dropped by dropTestDatabases. */
export function openTestMongo(): Promise<MongoDatabase> {
  return MongoDatabase.connect(testMongoUri ?? '', newTestDatabaseName());
}

export async function dropTestDatabases(): Promise<void> {
  const client = new MongoClient(testMongoUri ?? '');
  try {
    for (const name of usedDatabases.splice(0)) await client.db(name).dropDatabase();
  } finally {
    await client.close();
  }
}

/** `describe` when a server is configured, else `describe.skip` with the reason in the title. */
export function describeWithMongo(title: string, body: () => void): void {
  if (testMongoUri) {
    describe(title, () => {
      afterAll(dropTestDatabases);
      body();
    });
  } else {
    describe.skip(`${title} (skipped: set TEST_MONGODB_URI to run it)`, body);
  }
}
