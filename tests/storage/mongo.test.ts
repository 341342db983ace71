import { MongoClient } from 'mongodb';
import { assertServerVersion, MongoDatabase, ratingsValidator, validatorDiffers } from '../../storage/mongo';
import type { Doc } from '../../storage/port';
import { describeDatabaseContract } from './databaseContract';
import { describeWithMongo, newTestDatabaseName, openTestMongo, testMongoUri } from './testMongo';

interface RatingDoc extends Doc {
  score?: number;
  episodeId: string;
  conversationId: string;
  createdAt: Date;
}

const strict = { validationLevel: 'strict', validationAction: 'error' };

describe('MongoDB adapter without a server', () => {
  it('when the collection has the same validator in another key order, then it is not updated', () => {
    const { $jsonSchema } = ratingsValidator;
    const reordered = { $jsonSchema: Object.fromEntries(Object.entries($jsonSchema).reverse()) };
    expect(
      validatorDiffers(
        { validationAction: 'error', validator: reordered, validationLevel: 'strict' },
        ratingsValidator,
      ),
    ).toBe(false);
  });

  it('when the validator, its level or its action differ or are missing, then it is updated', () => {
    const older = { $jsonSchema: { ...ratingsValidator.$jsonSchema, required: ['episodeId'] } };
    expect(validatorDiffers({ validator: older, ...strict }, ratingsValidator)).toBe(true);
    expect(
      validatorDiffers(
        { validator: ratingsValidator, ...strict, validationLevel: 'moderate' },
        ratingsValidator,
      ),
    ).toBe(true);
    expect(
      validatorDiffers({ validator: ratingsValidator, validationLevel: 'strict' }, ratingsValidator),
    ).toBe(true);
    expect(validatorDiffers({}, ratingsValidator)).toBe(true);
    expect(validatorDiffers(undefined, ratingsValidator)).toBe(true);
  });

  it('when the server is older than 5.0, then the start fails naming the version needed', () => {
    expect(() => assertServerVersion('4.4.29')).toThrow(
      'MongoDB 4.4.29 is too old: the app needs MongoDB 5.0 or later',
    );
    expect(() => assertServerVersion('')).toThrow('the app needs MongoDB 5.0 or later');
    for (const version of ['5.0.0', '6.0.14', '7.0.12', '8.0.0-rc1'])
      expect(() => assertServerVersion(version)).not.toThrow();
  });
});

describeWithMongo('MongoDB adapter', () => {
  describeDatabaseContract('MongoDB', openTestMongo);

  it('when a rating breaks the schema, then the server refuses it', async () => {
    const db = await openTestMongo();
    try {
      const ratings = db.collection<RatingDoc>('ratings');
      const valid = { episodeId: 'e1', conversationId: 'c1', createdAt: new Date() };
      await ratings.insertOne({ _id: 'ok', ...valid, score: 5 });
      await expect(ratings.insertOne({ _id: 'no-score', ...valid })).rejects.toThrow();
      await expect(ratings.insertOne({ _id: 'six', ...valid, score: 6 })).rejects.toThrow();
      await expect(ratings.insertOne({ _id: 'zero', ...valid, score: 0 })).rejects.toThrow();
      await expect(ratings.insertOne({ _id: 'half', ...valid, score: 4.5 })).rejects.toThrow();
    } finally {
      await db.close();
    }
  });

  it('when the ratings collection exists with an older validator, then the next start updates it and later starts leave it', async () => {
    const dbName = newTestDatabaseName();
    await (await MongoDatabase.connect(testMongoUri ?? '', dbName)).close();
    const client = new MongoClient(testMongoUri ?? '');
    try {
      const older = { $jsonSchema: { bsonType: 'object', required: ['episodeId'] } };
      await client.db(dbName).command({ collMod: 'ratings', validator: older, ...strict });
      for (let start = 0; start < 2; start++) {
        const db = await MongoDatabase.connect(testMongoUri ?? '', dbName);
        await db.close();
        const [info] = await client
          .db(dbName)
          .listCollections({ name: 'ratings' }, { nameOnly: false })
          .toArray();
        expect(validatorDiffers(info?.options, ratingsValidator)).toBe(false);
      }
    } finally {
      await client.close();
    }
  });
});
