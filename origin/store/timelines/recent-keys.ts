// Remembers what was looked up recently, in two generations of plain Maps: a lookup is one Map
// probe, or two for a key used a while ago. Fan-out names the same readers' MRI keys over and
// over (150 per event); lru-cache's get (its options, its recency list) cost about 0.4 µs a call,
// a tenth of the origin's CPU in the fanout bench (test/bench/fanout.ts), for an exact recency
// order this cache does not need. When the young generation holds `max`, it becomes the old one
// and the old one is dropped, so whatever was used since the last `max` new keys survives, and
// no more than 2 x `max` are held.
export class RecentKeys<V> {
  private young = new Map<string, V>();
  private old = new Map<string, V>();

  constructor(private readonly max: number) {
    if (!(max >= 1)) throw new Error('RecentKeys needs room for at least one key');
  }

  get(key: string): V | undefined {
    const hit = this.young.get(key);
    if (hit !== undefined) return hit;
    const aging = this.old.get(key);
    // Used again: it survives the next turnover.
    if (aging !== undefined) this.set(key, aging);
    return aging;
  }

  set(key: string, value: V): void {
    if (this.young.size >= this.max && !this.young.has(key)) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
  }

  /** Keys held now (at most 2 x max). */
  get size(): number {
    let n = this.young.size;
    for (const key of this.old.keys()) if (!this.young.has(key)) n++;
    return n;
  }
}
