import type { Doc } from '../../storage/port';
import { describeDatabaseContract } from './databaseContract';
import { describeWithMongo, openTestMongo } from './testMongo';

interface RatingDoc extends Doc {
  score?: number;
  episodeId: string;
  conversationId: string;
  createdAt: Date;
}

describeWithMongo('MongoDB adapter', () => {
  describeDatabaseContract('MongoDB', openTestMongo);

  it('when a rating breaks the schema, then the server refuses it', async () => {
    const db = await openTestMongo();
    try {
      const ratings = db.collection<RatingDoc>('ratings');
      const valid = { episodeId: 'e1', conversationId: 'c1', createdAt: new Date() };
      await ratings.insertOne({ _id: 'ok', ...valid, score: 5 });
      await ratings.insertOne({ _id: 'no-score', ...valid });
      await expect(ratings.insertOne({ _id: 'six', ...valid, score: 6 })).rejects.toThrow();
      await expect(ratings.insertOne({ _id: 'zero', ...valid, score: 0 })).rejects.toThrow();
      await expect(ratings.insertOne({ _id: 'half', ...valid, score: 4.5 })).rejects.toThrow();
    } finally {
      await db.close();
    }
  });
});
