import type { Clock } from '../core/clock';

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets by key (a client address, a conversation): `perMinute` requests on average, bursts up to
 * `perMinute`. At most `maxKeys` buckets are kept; the least recently used goes first, so memory stays bounded
 * whatever the number of clients.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly clock: Clock,
    private readonly perMinute: number,
    private readonly maxKeys = 10_000,
  ) {}

  /** Whether `key` has a token left (without taking it). */
  allows(key: string): boolean {
    const previous = this.buckets.get(key);
    return !previous || this.refilled(previous, this.clock.now().getTime()) >= 1;
  }

  /** Takes one token for `key`; false when the bucket is empty. */
  take(key: string): boolean {
    const now = this.clock.now().getTime();
    const previous = this.buckets.get(key);
    const refilled = previous ? this.refilled(previous, now) : this.perMinute;
    this.buckets.delete(key);
    const allowed = refilled >= 1;
    this.buckets.set(key, { tokens: allowed ? refilled - 1 : refilled, at: now });
    if (this.buckets.size > this.maxKeys) {
      const oldest = this.buckets.keys().next();
      if (!oldest.done) this.buckets.delete(oldest.value);
    }
    return allowed;
  }

  private refilled(bucket: Bucket, now: number): number {
    return Math.min(this.perMinute, bucket.tokens + ((now - bucket.at) / 60_000) * this.perMinute);
  }
}
