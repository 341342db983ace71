import type { Clock } from '../core/clock';

/** A staff member counts as present this long after they were last seen (the console stream beats every 20 s). */
export const PRESENCE_TIMEOUT_MS = 2 * 60_000;

/**
 * Who of staff is around to take a case, for honest waits: the queue gives a wait estimate only while someone
 * is. A member is seen when their console event stream opens and at each of its heartbeats, and when they act
 * in the Teams staff space; they stay present for PRESENCE_TIMEOUT_MS after that. In memory, per process.
 */
export class StaffPresence {
  private readonly lastSeen = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs = PRESENCE_TIMEOUT_MS,
  ) {}

  /** The staff member is here now. */
  seen(staffId: string): void {
    this.lastSeen.set(staffId, this.clock.now().getTime());
  }

  /** True while at least one staff member was seen within the timeout (forgets those who were not). */
  anyone(): boolean {
    const cutoff = this.clock.now().getTime() - this.timeoutMs;
    for (const [staffId, at] of this.lastSeen) {
      if (at > cutoff) return true;
      this.lastSeen.delete(staffId);
    }
    return false;
  }
}
