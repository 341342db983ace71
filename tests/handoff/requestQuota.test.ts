import { REQUEST_WINDOW_MS, RequestQuota } from '../../handoff/requestQuota';
import type { Database } from '../../storage/port';
import { ensureIndexes } from '../../storage/schema';
import { openSuiteDatabase } from '../helpers/testDatabase';
import { ManualClock } from '../storage/manualClock';

const HOUR = 3_600_000;

describe('the requests for a person a client may make in a day', () => {
  let clock: ManualClock;
  let db: Database;
  beforeEach(async () => {
    clock = new ManualClock(new Date('2026-03-07T12:00:00Z'));
    db = await openSuiteDatabase(clock);
    await ensureIndexes(db);
  });
  afterEach(() => db.close());

  const takes = async (quota: RequestQuota, client: string, count: number): Promise<boolean[]> => {
    const results: boolean[] = [];
    for (let i = 0; i < count; i++) results.push(await quota.take(client));
    return results;
  };

  it('when a client has made its requests for the day, then the next is refused, and another client is not', async () => {
    const quota = new RequestQuota(db, clock, 3);
    expect(await takes(quota, 'address:203.0.113.7', 4)).toEqual([true, true, true, false]);
    expect(await quota.take('address:203.0.113.8')).toBe(true);
  });

  it('when the window slides past the oldest request, then one more is admitted, and only one', async () => {
    const quota = new RequestQuota(db, clock, 2);
    expect(await quota.take('c')).toBe(true);
    clock.advance(6 * HOUR);
    expect(await quota.take('c')).toBe(true);
    clock.advance(REQUEST_WINDOW_MS - 6 * HOUR);
    expect(await takes(quota, 'c', 2)).toEqual([true, false]);
    clock.advance(6 * HOUR);
    expect(await quota.take('c')).toBe(true);
  });

  it('when twenty requests of one client arrive at once (two instances over one store), then exactly the bound pass', async () => {
    const a = new RequestQuota(db, clock, 10);
    const b = new RequestQuota(db, clock, 10);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).take('teams:aad-1')),
    );
    expect(results.filter(Boolean)).toHaveLength(10);
  });

  it('when a client with room is asked about again and again, then nothing is counted: the bound still passes, and then no more', async () => {
    const quota = new RequestQuota(db, clock, 2);
    expect(await quota.take('c')).toBe(true);
    for (let i = 0; i < 5; i++) expect(await quota.hasRoom('c')).toBe(true);
    expect(await takes(quota, 'c', 2)).toEqual([true, false]);
    expect(await quota.hasRoom('c')).toBe(false);
    expect(await quota.hasRoom('d')).toBe(true);
  });

  it('when the window slides past the oldest request of a full client, then it has room again', async () => {
    const quota = new RequestQuota(db, clock, 2);
    expect(await quota.take('c')).toBe(true);
    clock.advance(6 * HOUR);
    expect(await quota.take('c')).toBe(true);
    expect(await quota.hasRoom('c')).toBe(false);
    clock.advance(REQUEST_WINDOW_MS - 6 * HOUR);
    expect(await quota.hasRoom('c')).toBe(true);
  });

  it('when the bound is 0, then every request passes and nothing is stored', async () => {
    const quota = new RequestQuota(db, clock, 0);
    expect(await takes(quota, 'c', 50)).toEqual(Array<boolean>(50).fill(true));
    expect(await db.collection('quotas').countDocuments({})).toBe(0);
  });

  it('when requests are counted, then the store keeps a hash of the client, never its address', async () => {
    await new RequestQuota(db, clock, 3).take('address:203.0.113.7');
    expect(JSON.stringify(await db.collection('quotas').find({}))).not.toContain('203.0.113');
  });
});
