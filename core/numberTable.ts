/**
 * An open-addressing hash table from non-zero integer keys below 2^53 to ids (numbers ≥ 0), in two typed arrays:
 * the feature tables of the FAQ matcher and of the understanding classifiers, which look up dozens of keys per
 * message without creating a string or a boxed number.
 */
export class NumberTable {
  private keys = new Float64Array(1 << 12);
  private ids = new Int32Array(1 << 12);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The id of `key`, or -1. */
  get(key: number): number {
    const mask = this.keys.length - 1;
    for (let at = slotOf(key) & mask; ; at = (at + 1) & mask) {
      const stored = this.keys[at]!;
      if (stored === key) return this.ids[at]!;
      if (stored === 0) return -1;
    }
  }

  /** Adds `key` (which must not be in the table yet). */
  set(key: number, id: number): void {
    if (2 * (this.count + 1) > this.keys.length) this.resize();
    const mask = this.keys.length - 1;
    let at = slotOf(key) & mask;
    while (this.keys[at] !== 0) at = (at + 1) & mask;
    this.keys[at] = key;
    this.ids[at] = id;
    this.count += 1;
  }

  private resize(): void {
    const { keys, ids } = this;
    this.keys = new Float64Array(2 * keys.length);
    this.ids = new Int32Array(2 * keys.length);
    this.count = 0;
    for (let at = 0; at < keys.length; at++) if (keys[at] !== 0) this.set(keys[at]!, ids[at]!);
  }
}

/** Where a key starts looking in an open-addressing table: its high and low 32 bits mixed. */
export function slotOf(key: number): number {
  const mixed = Math.imul((key >>> 0) ^ Math.imul(Math.floor(key / 0x100000000), 0x9e3779b1), 0x85ebca6b);
  return (mixed ^ (mixed >>> 15)) >>> 0;
}
